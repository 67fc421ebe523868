// A bot: collector → strategy → executor, once per new block (the strategies are pure; the
// runner owns the state they read). It keeps its figures for /metrics and logs each decision
// that trades, each trade's outcome and why it idles when the kill switch holds it.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "bots/collect/collector.hpp"
#include "bots/runner/config.hpp"
#include "bots/execute/executor.hpp"

namespace cvex::bots {

struct BotFigures {
    uint64_t blocks = 0;
    uint64_t decisions = 0;        // decisions to trade
    uint64_t trades_sent = 0;
    uint64_t trades_mined = 0;
    uint64_t trades_failed = 0;    // simulations refused, reverts, send failures
    uint64_t paper_trades = 0;
    // Paper mode's would-be PnL in the arbitrage's base token: base received − base spent.
    chain::U256 paper_base_in, paper_base_out;
    uint64_t gas_used = 0;
    chain::U256 gas_spent_wei;
    bool idle = false;             // the kill switch holds the bot (paused vault, attestation near expiry)
    // From the chain (bot_report.hpp), refreshed every report_every blocks: the vault's trades,
    // its value and PnL in the base token at the reference price — what `cvex bot report` prints.
    uint64_t vault_trades = 0;
    chain::U256 vault_value;
    std::string vault_pnl = "0";
    std::string last_decision;
};

class Bot {
public:
    using Log = std::function<void(const std::string&)>;
    using OnTrade = std::function<void(const TradeRecord&)>;

    static cvex::Expected<std::unique_ptr<Bot>, std::string> create(const BotConfig& config, std::shared_ptr<chain::EthClient> client,
                                                                     std::shared_ptr<chain::Sender> sender, Log log);

    /// One round: new blocks' events into the state, the strategy's decision, the executor.
    void poll_once();
    void run(const std::function<bool()>& stop, std::chrono::milliseconds interval = std::chrono::milliseconds(100));
    void on_trade(OnTrade f) { on_trade_ = std::move(f); }

    const std::string& name() const { return config_.name; }
    const BotConfig& config() const { return config_; }
    BotFigures figures() const;
    /// Prometheus text for this bot (labels bot="name").
    std::string prometheus() const;

private:
    Bot(BotConfig config, Log log) : config_(std::move(config)), log_(std::move(log)) {}
    void collect_trades();
    void refresh_report();

    BotConfig config_;
    Log log_;
    std::unique_ptr<BotCollector> collector_;
    std::unique_ptr<Strategy> strategy_;
    std::unique_ptr<TradeExecutor> executor_;
    MarketState state_;
    bool have_state_ = false;
    Decision last_idle_ = Decision::kNoGap;
    std::shared_ptr<chain::EthClient> client_;
    uint64_t last_report_block_ = 0;
    static constexpr uint64_t kReportEvery = 10;
    OnTrade on_trade_;
    mutable std::mutex mutex_;
    BotFigures figures_;
};

}  // namespace cvex::bots
