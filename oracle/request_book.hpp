// RequestBook: the oracle's view of the requests for its key that the chain holds and that are
// not yet fulfilled — pure state, no I/O, so its rules are unit-tested on their own:
//   - a request is keyed by id; seeing it again from the same block is a no-op, from another
//     block (a reorg re-included it) replaces it, so it is proven with its new seed;
//   - a reorg back to block F forgets every request from a block above F (they vanished or will
//     be seen again when the follower rescans);
//   - ready(head) gives requests whose confirmation block (blockNumber + minConfirmations, or
//     + the operator's floor when that is higher) is at or below head, not already submitted,
//     and not backing off after a failure;
//   - submitted requests stay in the book until a fulfilment is seen, so a lost transaction or
//     a restart never loses one: release() puts it back;
//   - a request whose fulfilment failed on-chain (reverted, or skipped in a batch) backs off
//     longer after each failure in a row, up to 64 times the base: one that keeps failing is
//     never dropped, and costs a transaction every few minutes rather than every other block.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "oracle/request.hpp"

namespace cvex::oracle {

class RequestBook {
public:
    /// `min_confirmations`: the operator's floor over each request's own minConfirmations (a
    /// requester asking for fewer cannot make the oracle prove a block the operator deems unsafe).
    explicit RequestBook(uint64_t min_confirmations = 0) : min_confirmations_(min_confirmations) {}

    enum class Added { kNew, kSeen, kMoved };
    Added add(const VrfRequest& request);

    /// Forgets requests from blocks above `fork_block`; returns their ids.
    std::vector<chain::U256> drop_after(uint64_t fork_block);
    /// A fulfilment was seen (or the coordinator says it is not pending): forget it. Returns the
    /// request if the book held it.
    std::optional<VrfRequest> remove(const chain::U256& id);

    /// Ready to fulfil at `head`, oldest confirmation first, at most `max`.
    std::vector<VrfRequest> ready(uint64_t head, size_t max) const;
    void mark_submitted(const chain::U256& id);
    /// Back to waiting after an attempt that did not reach the chain (not sent, not mined in
    /// time, not provable now); not ready again before block `retry_at`.
    void release(const chain::U256& id, uint64_t retry_at);
    /// Back to waiting after its fulfilment failed on-chain in block `block`: not ready again
    /// before block + base_blocks · 2^(failures so far), the exponent at most 6. Returns that block.
    uint64_t fail(const chain::U256& id, uint64_t block, uint64_t base_blocks);
    /// On-chain failures of `id` so far (0 when not held).
    uint32_t failures(const chain::U256& id) const;

    /// The block at which `request` may be proven: its block + max(minConfirmations, the floor).
    uint64_t ready_at(const VrfRequest& request) const;

    const VrfRequest* find(const chain::U256& id) const;
    bool submitted(const chain::U256& id) const;
    size_t size() const { return entries_.size(); }
    size_t in_flight() const;
    /// The lowest request block held, if any.
    std::optional<uint64_t> oldest_block() const;
    std::vector<VrfRequest> all() const;

private:
    struct Entry {
        VrfRequest request;
        bool submitted = false;
        uint64_t retry_at = 0;
        uint32_t failures = 0;  // on-chain, in a row
    };
    uint64_t min_confirmations_ = 0;
    std::map<chain::U256, Entry> entries_;
};

}  // namespace cvex::oracle
