// The VRF oracle's second half: checking a ready batch is still on the canonical chain, proving
// and sending it as one fulfilment transaction, and reading the receipts back (fulfilled,
// callback failed, reverted, or lost and released for a retry).
#include <algorithm>
#include <set>

#include "chain/encoding/abi_events.hpp"
#include "oracle/src/vrf_oracle_internal.hpp"
#include "oracle/vrf_oracle.hpp"

namespace cvex::oracle {

using chain::U256;
using cvex::Expected;
using cvex::Unexpected;
using namespace oracle_detail;
using Clock = std::chrono::steady_clock;

// -------------------------------------------------------------------------------- submitting

bool VrfOracle::canonical(const std::vector<VrfRequest>& batch) {
    std::set<uint64_t> checked;
    for (const auto& r : batch) {
        if (!checked.insert(r.block_number).second) continue;
        auto known = recent_.find(r.block_number);
        chain::Hash32 hash;
        if (known != recent_.end() && known->first == cursor_) {
            hash = known->second;  // checked this very poll
        } else {
            auto block = client_->block_by_number(chain::BlockTag::number(r.block_number));
            if (!block) {
                log_("oracle: block " + std::to_string(r.block_number) + ": " + block.error().message() + " (will retry)");
                return false;
            }
            if (!*block) {
                rewind(r.block_number - 1);
                return false;
            }
            hash = (*block)->hash;
        }
        if (hash != r.block_hash) {
            rewind(r.block_number - 1);
            return false;
        }
        recent_[r.block_number] = hash;
    }
    return true;
}

namespace {

// The lowest and highest request id of a non-empty batch.
std::pair<U256, U256> id_range(const std::vector<VrfRequest>& batch) {
    U256 lo = batch.front().request_id, hi = lo;
    for (const auto& r : batch) {
        lo = std::min(lo, r.request_id);
        hi = std::max(hi, r.request_id);
    }
    return {lo, hi};
}

}  // namespace

void VrfOracle::submit(uint64_t head) {
    if (in_flight_.size() >= options_.max_in_flight) return;
    // A previous run's transactions may fulfil any of the ready requests: wait for them first.
    if (std::any_of(in_flight_.begin(), in_flight_.end(), [](const InFlight& f) { return f.ids.empty(); })) return;
    const size_t room = options_.max_batch * (options_.max_in_flight - in_flight_.size());
    auto ready = book_.ready(head, options_.replica_count > 1 ? book_.size() : room);
    std::erase_if(ready, [&](const VrfRequest& r) { return !takes(r, head); });
    if (ready.size() > room) ready.resize(room);
    if (ready.empty()) return;
    for (const auto& r : ready) ready_since_.try_emplace(r.request_id, Clock::now());
    if (!key_usable_) {
        if (!held_logged_) log_("oracle: " + std::to_string(ready.size()) + " request(s) ready but held: " + key_problem_);
        held_logged_ = true;
        return;
    }
    if (!canonical(ready)) return;

    // The coordinator is the authority on what is still pending (another submitter, a previous
    // run's transaction, a cancellation): ask it for the whole id range in one call.
    const auto [lo, hi] = id_range(ready);
    auto pending = coordinator_.pending_requests(lo, hi);
    if (!pending) {
        log_("oracle: pendingRequests: " + pending.error().message() + " (will retry)");
        return;
    }
    const std::set<U256> still(pending->begin(), pending->end());
    std::vector<Fulfilment> batch;
    uint64_t entries_gas = 0;  // Σ entry_gas_limit over `batch`: fulfilment_gas_limit less its base
    for (const auto& r : ready) {
        if (!still.contains(r.request_id)) {
            book_.remove(r.request_id);  // fulfilled (its log is read in turn) or cancelled
            continue;
        }
        auto f = prove_request(r, head);
        if (!f) continue;
        const uint64_t gas = entry_gas_limit(f->request, f->proof.h_non_residue.size(), reserve_);
        if (!batch.empty() &&
            (batch.size() >= options_.max_batch || fulfilment_base_gas(batch.size() + 1) + entries_gas + gas > options_.max_batch_gas)) {
            send_batch(batch, head);
            batch.clear();
            entries_gas = 0;
            if (in_flight_.size() >= options_.max_in_flight) return;
        }
        batch.push_back(std::move(*f));
        entries_gas += gas;
    }
    if (!batch.empty()) send_batch(batch, head);
}

std::optional<Fulfilment> VrfOracle::prove_request(const VrfRequest& r, uint64_t head) {
    if (head - std::min(head, r.block_number) >= kBlockhashWindow) {
        auto h = coordinator_.blockhash_of(r.block_number);
        if (!h) {
            log_("oracle: request " + r.request_id.dec() + " cannot be fulfilled now: " + h.error().message() +
                 " (its block left the BLOCKHASH window unstored); the requester may cancel it");
            book_.release(r.request_id, head + kBlockhashWindow);
            return std::nullopt;
        }
    }
    auto f = prover_.prove(r, r.block_hash);
    if (!f) {
        log_("oracle: " + f.error().message());
        metrics_.update([](OracleCounters& c) { ++c.requests_failed; });
        book_.release(r.request_id, head + options_.retry_blocks);
        return std::nullopt;
    }
    return std::move(*f);
}

bool VrfOracle::is_primary(const U256& id) const {
    if (options_.replica_count <= 1) return true;
    // The id's low 64 bits decide the primary: consecutive ids alternate between replicas.
    const auto be = id.to_be();
    uint64_t low = 0;
    for (size_t i = be.size() - 8; i < be.size(); ++i) low = low << 8 | be[i];
    return low % options_.replica_count == options_.replica_index;
}

bool VrfOracle::takes(const VrfRequest& r, uint64_t head) const {
    return is_primary(r.request_id) || head >= book_.ready_at(r) + options_.takeover_blocks;
}

void VrfOracle::send_batch(const std::vector<Fulfilment>& batch, uint64_t head) {
    std::vector<vrf::OnchainProof> proofs;
    std::vector<VrfRequest> requests;
    std::vector<U256> ids;
    for (const auto& f : batch) {
        proofs.push_back(f.proof);
        requests.push_back(f.request);
        ids.push_back(f.request.request_id);
    }
    auto data = coordinator_.fulfil_calldata(proofs, requests);
    if (!data) {
        log_("oracle: " + data.error().message());
        return;
    }
    chain::TxRequest tx{options_.coordinator, U256(0), std::move(*data), fulfilment_gas_limit(batch, reserve_)};
    auto sent = sender_->send(tx);
    if (!sent) {
        log_("oracle: fulfilling " + id_list(ids) + ": " + sent.error().message() + " (will retry)");
        metrics_.update([&](OracleCounters& c) { c.requests_failed += ids.size(); });
        for (const auto& id : ids) book_.release(id, head + options_.retry_blocks);
        return;
    }
    for (const auto& id : ids) book_.mark_submitted(id);
    if (options_.replica_count > 1) {
        size_t taken = 0;
        for (const auto& f : batch) taken += !is_primary(f.request.request_id);
        if (taken > 0) {
            metrics_.update([&](OracleCounters& c) { c.requests_taken_over += taken; });
            log_("oracle: taking over " + std::to_string(taken) + " request(s) of another replica, still pending " +
                 std::to_string(options_.takeover_blocks) + " blocks after they became ready");
        }
    }
    auto sender = sender_;
    const auto timeout = options_.receipt_timeout;
    const chain::PendingTx p = *sent;
    in_flight_.push_back(
        InFlight{p, ids, std::move(tx), std::async(std::launch::async, [sender, p, timeout] { return sender->wait(p, timeout); })});
}

// ---------------------------------------------------------------------------------- receipts

void VrfOracle::collect_receipts(bool block) {
    for (auto it = in_flight_.begin(); it != in_flight_.end();) {
        if (!block && it->receipt.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
            ++it;
            continue;
        }
        auto r = it->receipt.get();
        if (r) {
            handle_receipt(*it, *r);
        } else {
            // Not mined in time, replaced, or the node failed: the requests go back to waiting
            // and the pending filter decides before they are sent again.
            log_("oracle: fulfilment " + it->tx.hash.hex() + " of " + id_list(it->ids) + ": " + r.error().message() + " (will retry)");
            metrics_.update([&](OracleCounters& c) { c.requests_failed += it->ids.size(); });
            for (const auto& id : it->ids) book_.release(id, head_ + options_.retry_blocks);
        }
        it = in_flight_.erase(it);
    }
}

void VrfOracle::handle_receipt(const InFlight& f, const chain::Receipt& r) {
    metrics_.update([&](OracleCounters& c) {
        ++c.transactions;
        c.gas_used += r.gas_used;
        if (auto cost = r.effective_gas_price.checked_mul(U256(r.gas_used))) c.gas_spent_wei = c.gas_spent_wei.wrapping_add(*cost);
    });
    std::set<U256> settled;
    const auto* skipped_event = CoordinatorClient::abi().event("FulfillmentSkipped");
    const auto* failed_event = CoordinatorClient::abi().event("CallbackFailed");
    for (const auto& l : r.logs) {
        if (l.address != options_.coordinator || l.topics.size() < 2) continue;
        const U256 id = *U256::from_be(l.topics[1].bytes);
        if (l.topics[0] == callback_failed_topic()) {
            // The request is fulfilled; the consumer's callback failed. Say why, decoded, so its
            // developer can act (the words are kept on-chain for redeliver()).
            auto decoded = chain::decode_log(*failed_event, l.topics, l.data);
            std::string why = "undecodable CallbackFailed log";
            if (decoded && (*decoded)[1].value.boolean()) why = "ran out of its gas limit";
            else if (decoded && (*decoded)[2].value.bytes().empty()) why = "reverted without a reason";
            else if (decoded) why = "reverted: " + chain::decode_revert((*decoded)[2].value.bytes()).text;
            log_("oracle: request " + id.dec() + " fulfilled in " + r.transaction_hash.hex() + " but its callback " + why +
                 " (words kept for redeliver)");
            metrics_.update([](OracleCounters& c) { ++c.callbacks_failed; });
        } else if (l.topics[0] == fulfilled_topic()) {
            book_.remove(id);  // counted when the follower reads the log on the canonical chain
            settled.insert(id);
        } else if (skipped_event && l.topics[0] == skipped_event->topic()) {
            settled.insert(id);
            auto decoded = chain::decode_log(*skipped_event, l.topics, l.data);
            const auto reason = decoded ? chain::decode_revert((*decoded)[1].value.bytes(), CoordinatorClient::abi().errors())
                                        : chain::RevertReason{};
            if (reason.name == "RequestNotPending") {
                book_.remove(id);  // fulfilled by someone else first
                continue;
            }
            metrics_.update([](OracleCounters& c) { ++c.requests_failed; });
            const uint64_t retry_at = book_.fail(id, r.block_number, options_.retry_blocks);
            log_("oracle: request " + id.dec() + " skipped in batch " + r.transaction_hash.hex() + ": " + reason.text + " (will retry at block " +
                 std::to_string(retry_at) + ")");
        }
    }
    if (r.status) return;
    // Reverted as a whole: say why (replayed for its reason, or out of gas), and back off longer
    // after each revert in a row, so a request that keeps reverting is retried, never dropped,
    // without spending a transaction every other block.
    if (f.ids.empty()) {  // a previous run's: its requests are still in the book, ready in turn
        log_("oracle: a previous run's fulfilment " + r.transaction_hash.hex() + " reverted in block " + std::to_string(r.block_number));
        return;
    }
    const std::string why = sender_->explain_revert(f.request, r).message();
    uint64_t retry_at = 0;
    for (const auto& id : f.ids) {
        if (settled.contains(id)) continue;
        metrics_.update([](OracleCounters& c) { ++c.requests_failed; });
        retry_at = std::max(retry_at, book_.fail(id, r.block_number, options_.retry_blocks));
    }
    log_("oracle: fulfilment of " + id_list(f.ids) + ": " + why + " (will retry at block " + std::to_string(retry_at) + ")");
}

}  // namespace cvex::oracle
