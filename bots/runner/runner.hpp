// A bot: collector → strategy → executor, once per new block (the strategies are pure; the
// runner owns the state they read). It keeps its figures for /metrics and explains itself: each
// reason it holds back while a gap exists (paused vault, attestation near expiry, allowance
// exhausted and when it refills, per-trade cap, TWAP floor with both prices, RPC unreachable,
// stalled or behind) is logged once when it starts and once when it ends, and shown on /metrics.
// It watches its node (bot_rpc_watch.hpp): back-off while it is unreachable, and a stop with a
// clear error when the node turns out to serve another chain (chain id or genesis hash changed).
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "bots/collect/collector.hpp"
#include "bots/runner/config.hpp"
#include "bots/execute/executor.hpp"
#include "bots/report/pnl.hpp"
#include "bots/runner/drawdown.hpp"
#include "bots/runner/mempool_feed.hpp"
#include "bots/runner/rpc_watch.hpp"
#include "chain/rpc/send_route.hpp"

namespace cvex::bots {

struct BotFigures {
    uint64_t blocks = 0;
    uint64_t head = 0;
    uint64_t decisions = 0;        // decisions to trade
    uint64_t trades_sent = 0;
    uint64_t trades_mined = 0;
    uint64_t trades_failed = 0;    // simulations refused, reverts, send failures
    uint64_t paper_trades = 0;
    uint64_t pending_swaps = 0;    // pending transactions that swap on the bot's pools (mempool on)
    uint64_t backruns = 0;         // of those, decisions to trade right behind one
    // Paper mode: the would-be trades' realised PnL in the base token (bot_pnl.hpp).
    SignedU256 paper_realised;
    uint64_t gas_used = 0;         // by the bot key's trades, reverts included
    chain::U256 gas_spent_wei;
    bool idle = false;             // a hold reason applies
    Decision hold = Decision::kTrade;  // why the bot holds back (kTrade: it does not)
    std::string hold_detail;
    RpcWatch::State rpc = RpcWatch::State::kOk;
    uint64_t rpc_failures = 0;
    // From the chain (bot_report.hpp), refreshed every few blocks: the vault's trades and its PnL
    // in parts — what `cvex bot report` prints.
    uint64_t vault_trades = 0;
    chain::U256 vault_value;
    SignedU256 realised, revaluation;
    uint64_t valuation_block = 0;
    chain::U256 valuation_price;
    chain::U256 vault_gas_spent_wei;
    std::string last_decision;
};

/// What identifies the chain a bot was started on.
struct ChainIdentity {
    uint64_t chain_id = 0;
    chain::Hash32 genesis;
    bool operator==(const ChainIdentity&) const = default;
};

class Bot {
public:
    using Log = std::function<void(const std::string&)>;
    using OnTrade = std::function<void(const TradeRecord&)>;
    enum class Poll { kNewBlocks, kNothingNew, kRpcError };

    /// `send_route`: the bot's own route when its config has "send" (runner/send_routes.hpp; the
    /// Sender must have it by name), for its figures on /metrics.
    static cvex::Expected<std::unique_ptr<Bot>, BotError> create(const BotConfig& config, std::shared_ptr<chain::EthClient> client,
                                                                  std::shared_ptr<chain::Sender> sender, Log log,
                                                                  std::shared_ptr<chain::SendRoute> send_route = nullptr);

    /// One round: new blocks' events into the state, the strategy's decision, the executor.
    Poll poll_once();
    /// Rounds until `stop` (or a fatal error): `interval` between them while the node answers,
    /// exponential back-off while it does not.
    void run(const std::function<bool()>& stop, std::chrono::milliseconds interval = std::chrono::milliseconds(100));
    void on_trade(OnTrade f) { on_trade_ = std::move(f); }

    const std::string& name() const { return config_.name; }
    const BotConfig& config() const { return config_; }
    BotFigures figures() const;
    /// Why the bot stopped itself for good (the node now serves another chain), if it did.
    std::optional<std::string> fatal() const;
    /// Prometheus text for this bot (labels bot="name").
    std::string prometheus() const;

private:
    Bot(BotConfig config, Log log) : config_(std::move(config)), log_(std::move(log)), watch_(RpcWatchOptions{}) {}
    void collect_trades();
    void refresh_report();
    static BotEvent round_event(const std::vector<BotEvent>& events);
    void decide(const std::vector<BotEvent>& events);
    /// Logs "<why> [each action]", executes (behind `backrun`, if given) and counts what was sent.
    void send_actions(const std::vector<Action>& actions, const std::string& why, const std::optional<Backrun>& backrun);
    /// The mempool's queued transactions: a swap on the bot's pools is predicted, the strategy
    /// asked about the state it leaves, and a decision sent as a back-run (runner_backrun.cpp).
    void backrun_pending();
    void backrun(const chain::TransactionInfo& tx, const PendingSwap& swap);
    void hold(Decision d, const std::string& why, bool log);
    void sample_drawdown();
    bool drawdown_holds();
    bool check_chain();
    chain::Address base_token() const;
    chain::Address other_token() const;

    BotConfig config_;
    Log log_;
    std::unique_ptr<BotCollector> collector_;
    std::unique_ptr<Strategy> strategy_;
    std::unique_ptr<TradeExecutor> executor_;
    MarketState state_;
    bool have_state_ = false;
    std::shared_ptr<chain::EthClient> client_;
    uint64_t last_report_block_ = 0;
    static constexpr uint64_t kReportEvery = 10;
    RpcWatch watch_;
    std::string last_error_;
    ChainIdentity identity_;
    std::optional<PnlLedger> paper_ledger_;
    std::optional<DrawdownStop> drawdown_;
    uint64_t drawdown_origin_ = 0;  // the block the drawdown's PnL is counted from (start, or the last resume)
    OnTrade on_trade_;
    std::unique_ptr<MempoolFeed> mempool_;
    std::shared_ptr<chain::SendRoute> send_route_;
    mutable std::mutex mutex_;
    BotFigures figures_;
    std::optional<std::string> fatal_;
};

/// The bot's strategy from its config (the runner's and the backtest's: one construction).
cvex::Expected<std::unique_ptr<Strategy>, BotError> make_strategy(const BotConfig& config);

/// The node's chain id and genesis block hash.
cvex::Expected<ChainIdentity, BotError> read_chain_identity(chain::EthClient& client);

}  // namespace cvex::bots
