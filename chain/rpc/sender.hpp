// Sender: the transaction manager for one signing key on one chain.
// - Nonces: assigned under a lock, gapless under any number of concurrent callers; a nonce whose
//   transaction the node definitively rejected is reused by the next send (or filled with a
//   zero-value self-transfer), and the view is resynchronised from the chain after errors.
// - Fees: EIP-1559 from eth_feeHistory (max fee = multiplier × base fee + tip, the tip a reward
//   percentile), cached per block; gas from eth_estimateGas plus a margin, a revert decoded.
// - Receipts: polled; a transaction pending past `stuck_after` is replaced with the same nonce and
//   fees raised by at least `bump_percent` (≥ 10 %, geth's replacement rule), and the waiter
//   follows whichever version is mined. Replacements go in nonce order: a later nonce pending
//   behind an earlier one is re-priced only if its own fee is below today's (else it would just
//   overpay, up to bump^max_replacements). A dropped transaction is re-broadcast.
// - Restarts: every broadcast is appended (and fsync'ed) to an optional journal of raw signed
//   transactions — public data, never a key — so a new Sender resumes from the chain's nonce and
//   re-broadcasts, reports or confirms whatever the last one had in flight.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "chain/encoding/abi_events.hpp"
#include "chain/rpc/eth_client.hpp"
#include "chain/crypto/signer.hpp"
#include "chain/tx/transaction.hpp"

namespace cvex::chain {

struct FeePolicy {
    unsigned base_fee_multiplier = 2;  // max fee = multiplier × base fee + tip
    U256 min_priority_fee = U256(1);   // wei; the tip never goes below this
    std::optional<U256> max_fee_cap;   // refuse to pay more per gas than this
    // Refuse a transaction (or replacement) that would commit more than this in fees within any
    // hour, each counted at its worst case, gas limit × max fee: a host that inflates fee data
    // or gas estimates cannot drain the key faster than this.
    std::optional<U256> max_spend_per_hour;
    unsigned history_blocks = 10;
    double reward_percentile = 50;
    unsigned gas_margin_percent = 20;  // added to eth_estimateGas
    unsigned bump_percent = 12;        // per replacement; at least 10
};

struct SenderOptions {
    FeePolicy fees;
    std::chrono::milliseconds poll_interval{50};
    std::chrono::milliseconds stuck_after{6000};
    int max_replacements = 6;
    std::string journal_path;  // empty: no journal
    std::vector<AbiSignature> known_errors;  // custom errors for decoding reverts
    /// Told of every replacement, with the old and the new hash (a waiter follows the new one).
    std::function<void(const std::string&)> log;
    /// Named send routes (e.g. a bot's own private-transaction endpoint, over a SendRoute): a
    /// transaction sent with a route's name is broadcast through it — and re-broadcast, replaced
    /// and, after a restart, recovered through it, the name being journaled — never through
    /// another. Reads (receipts, nonces) stay on the Sender's client.
    std::map<std::string, std::shared_ptr<EthClient>> routes;
};

struct TxRequest {
    std::optional<Address> to;  // absent: contract creation
    U256 value;
    Bytes data;
    std::optional<uint64_t> gas_limit;  // absent: estimated
};

/// Fees below the policy's, for a back-run: it must be ordered after the transaction it follows,
/// whether the block is ordered by tip (builders) or by fee cap (Anvil's `--order fees`).
/// `priority_fee` replaces the policy's tip (the fee cap keeping its headroom over the base fee);
/// `max_fee` lowers the fee cap (and the tip with it). Replacements of a stuck transaction still
/// raise both.
struct FeeLimit {
    std::optional<U256> priority_fee;
    std::optional<U256> max_fee;
};

struct SendError {
    enum Kind {
        kReverted,   // estimation (or the mined transaction) reverted: `revert` says why
        kRejected,   // the node refused the transaction (insufficient funds, fee cap, …)
        kRpc,        // the node could not be reached or answered nonsense
        kFeeCap,     // the fee needed is above FeePolicy::max_fee_cap, or the hourly spend budget is used up
        kTimeout,    // not mined in the time given
        kReplaced,   // its nonce was used by a transaction this Sender did not send
        kSigning,
    } kind;
    std::string detail;
    std::optional<RevertReason> revert;
    std::string message() const;
};

struct PendingTx {
    uint64_t nonce = 0;
    Hash32 hash;  // the first broadcast; replacements are followed by wait()
};

/// What a restart found of the transactions the previous Sender had in flight.
struct RecoveredTx {
    uint64_t nonce;
    Hash32 hash;
    enum State { kMined, kRebroadcast, kPending, kReplacedExternally } state;
};

class Sender {
public:
    static Expected<std::unique_ptr<Sender>, SendError> create(std::shared_ptr<EthClient> client, std::shared_ptr<const Signer> signer,
                                                               SenderOptions options = {});
    ~Sender();

    /// Estimates (unless gas_limit), prices, signs and broadcasts; returns once the node has it.
    /// `route`: one of SenderOptions::routes by name ("" for the Sender's own client).
    Expected<PendingTx, SendError> send(const TxRequest& request, const FeeLimit& limit = {}, const std::string& route = "");
    /// Polls until mined (following replacements), bumping fees when stuck.
    Expected<Receipt, SendError> wait(const PendingTx& tx, std::chrono::milliseconds timeout = std::chrono::seconds(120));
    Expected<Receipt, SendError> send_and_wait(const TxRequest& request, std::chrono::milliseconds timeout = std::chrono::seconds(120));
    /// Why `request`, mined in `receipt`, reverted (a kReverted error): replayed on the parent
    /// block's state, the decoded reason; or, when the replay without its gas limit succeeds, the
    /// gas it used of its limit and that it likely ran out of gas.
    SendError explain_revert(const TxRequest& request, const Receipt& receipt);

    /// Re-reads the account's nonce from the chain (pending state) and reconciles.
    Expected<void, SendError> resync();
    /// What create() found in the journal.
    const std::vector<RecoveredTx>& recovered() const { return recovered_; }

    Address address() const { return signer_->address(); }
    /// The gas limit this Sender sets for an eth_estimateGas answer: the estimate plus its margin.
    uint64_t gas_with_margin(uint64_t estimated) const { return estimated + estimated * options_.fees.gas_margin_percent / 100; }
    uint64_t chain_id() const { return chain_id_; }
    EthClient& client() { return *client_; }
    /// Current EIP-1559 fees (tip, max fee) under the policy, cached per block.
    Expected<std::pair<U256, U256>, SendError> current_fees();
    /// Decodes revert data with the Sender's known errors.
    RevertReason decode(const RpcError& e) const;

private:
    struct InFlight {
        Transaction tx;  // the latest version (fees may have been bumped)
        std::vector<Hash32> hashes;
        std::chrono::steady_clock::time_point last_broadcast;
        int replacements = 0;
        std::string route;  // the named send route it goes through ("" for the Sender's client)
    };

    Sender(std::shared_ptr<EthClient> client, std::shared_ptr<const Signer> signer, uint64_t chain_id, SenderOptions options);
    Expected<uint64_t, SendError> take_nonce();
    void release_nonce(uint64_t nonce);
    Expected<Hash32, SendError> broadcast(const Transaction& tx, const std::string& route);
    /// The client a transaction of `route` is broadcast through: the Sender's own for "", the
    /// named route's, or none for a route this Sender does not have (never another in its place).
    EthClient* route_client(const std::string& route) const;
    Expected<void, SendError> bump(uint64_t nonce);
    bool worth_replacing(uint64_t nonce);
    Expected<void, SendError> fill_gap(uint64_t nonce);
    void journal(const Transaction& tx, const std::string& route);
    Expected<void, SendError> recover_journal();
    /// Commits `cost` wei of worst-case fees against the hourly budget, or says why not.
    Expected<void, SendError> reserve_spend(const U256& cost);

    std::shared_ptr<EthClient> client_;
    std::shared_ptr<const Signer> signer_;
    uint64_t chain_id_;
    SenderOptions options_;

    std::mutex mutex_;
    uint64_t next_nonce_ = 0;
    std::set<uint64_t> free_nonces_;  // released by rejections, reused lowest first
    std::map<uint64_t, InFlight> in_flight_;

    std::mutex fee_mutex_;
    uint64_t fee_block_ = UINT64_MAX;
    std::chrono::steady_clock::time_point fee_time_;
    std::pair<U256, U256> fees_;

    std::mutex spend_mutex_;
    std::vector<std::pair<std::chrono::steady_clock::time_point, U256>> spent_;  // the last hour's commitments

    std::mutex journal_mutex_;
    int journal_fd_ = -1;
    std::vector<RecoveredTx> recovered_;
};

}  // namespace cvex::chain
