// The bots' executor: every action is simulated first with eth_call from the enclave's own
// address (the vault checks everything a real trade would), then — unless the bot is in paper
// mode — signed with the enclave key and sent through the transaction manager (one nonce per
// transaction, never reused). A failed simulation is logged with the vault's decoded reason and
// nothing of that decision is sent. Receipts are awaited in the background; finished trades are
// handed back with their gas and the amount the vault's Traded event reports.
#pragma once

#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "chain/rpc/sender.hpp"
#include "bots/strategy/strategy.hpp"
#include "bots/execute/vault_client.hpp"

namespace cvex::bots {

struct TradeRecord {
    enum class State { kPaper, kMined, kReverted, kFailed };
    std::string bot;
    State state = State::kFailed;
    Action action;
    chain::U256 simulated_out;
    chain::U256 amount_out;  // from Traded when mined; the simulation's in paper mode
    chain::Hash32 tx;
    uint64_t block = 0;
    uint64_t gas_used = 0;
    chain::U256 gas_cost_wei;
    std::string error;
    /// A back-run: the pending transaction this trade was sent to follow in the same block.
    std::optional<chain::Hash32> after_tx;
};

/// A decision taken on a pending transaction's predicted outcome (issue 18 §2): its trades are
/// simulated behind that transaction (eth_simulateV1: it, then them, in one block) and sent with
/// fees below its own (tip and fee cap), so that a block ordered by fees puts them right after it.
struct Backrun {
    chain::TransactionInfo after;
    chain::U256 priority_fee;  // per gas, below `after`'s effective tip
    chain::U256 max_fee;       // per gas, below `after`'s fee cap
};

const char* to_string(TradeRecord::State s);

class TradeExecutor {
public:
    struct Options {
        std::string bot;
        chain::Address vault;
        chain::Hash32 measurement_id;
        bool paper = false;
        uint64_t gas_limit = 400'000;  // per trade: a swap (≈ 130k) and the vault's checks (≤ 40k), with room
        std::chrono::milliseconds receipt_timeout{60'000};
        std::string route;  // the bot's own send route among the Sender's (runner/send_routes.hpp), or ""
    };
    using Log = std::function<void(const std::string&)>;

    TradeExecutor(Options options, std::shared_ptr<chain::EthClient> client, std::shared_ptr<chain::Sender> sender, Log log);
    ~TradeExecutor();

    /// The vault call for `action` (what gets signed).
    cvex::Expected<cvex::Bytes, chain::ContractError> calldata(const Action& action) const;
    /// Simulates all of a decision's actions (behind `backrun.after`, if given); sends them in
    /// order only if every one passes. Returns how many were sent (paper mode: simulated and recorded).
    size_t execute(const std::vector<Action>& actions, const std::optional<Backrun>& backrun = std::nullopt);
    /// Trades finished since the last call.
    std::vector<TradeRecord> take_finished();
    uint32_t pending() const;
    const Options& options() const { return options_; }
    chain::Address sender_address() const { return sender_->address(); }

private:
    struct InFlight {
        TradeRecord record;
        chain::PendingTx tx;
        std::future<cvex::Expected<chain::Receipt, chain::SendError>> receipt;
    };

    /// Each action's amount out in simulation, or why one failed (logged, nothing sent).
    std::optional<std::vector<chain::U256>> simulate(const std::vector<Action>& actions);
    std::optional<std::vector<chain::U256>> simulate_behind(const std::vector<Action>& actions, const Backrun& backrun);

    Options options_;
    std::shared_ptr<chain::EthClient> client_;
    std::shared_ptr<chain::Sender> sender_;
    Log log_;
    VaultClient vault_;
    mutable std::mutex mutex_;
    std::vector<InFlight> in_flight_;
    std::vector<TradeRecord> finished_;
};

}  // namespace cvex::bots
