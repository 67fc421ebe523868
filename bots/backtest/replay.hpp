// One bot replayed block by block (backtest.hpp): the state as the live collector reads it at a
// block, the strategy's decision as the live runner asks for it, the actions simulated and their
// gas estimated at that block from the trading address, and the would-be trades' books.
#pragma once

#include <memory>
#include <vector>

#include "bots/backtest/backtest.hpp"
#include "bots/collect/collector.hpp"
#include "bots/execute/vault_client.hpp"

namespace cvex::bots {

class Replay {
public:
    enum class Outcome { kHeld, kTraded, kRefused };  // kHeld: no trade, last_decision() says why

    Replay(const BotConfig& config, std::shared_ptr<chain::EthClient> client, const BacktestOptions& options, BotCollector& collector,
           const Strategy& strategy);

    /// The strategy's decision at `block` (`last_traded`: the vault's latest Traded block so far).
    cvex::Expected<Outcome, BotError> decide_at(uint64_t block, uint64_t last_traded);
    Decision last_decision() const { return last_decision_; }
    /// The report of the would-be trades (backtest_report.cpp).
    cvex::Expected<BacktestResult, BotError> finish();

private:
    struct WouldBe {
        uint64_t block = 0;
        Action action;
        chain::U256 amount_out;
        uint64_t gas = 0;
        chain::U256 gas_cost_wei;
    };
    cvex::Expected<uint64_t, BotError> estimate_gas(const Action& action, uint64_t block) const;
    cvex::Expected<Outcome, BotError> simulate(const std::vector<Action>& actions, const MarketState& state);
    chain::Address base_token() const;
    /// The would-be trades into the report and `ledger` (`twap` false once a spot price stood in).
    cvex::Expected<void, BotError> book(BacktestResult& out, PnlLedger& ledger, bool& twap) const;

    const BotConfig& config_;
    std::shared_ptr<chain::EthClient> client_;
    BacktestOptions options_;
    BotCollector& collector_;
    const Strategy& strategy_;
    VaultClient vault_;
    std::vector<WouldBe> trades_;
    std::vector<BacktestRefusal> refusals_;
    uint64_t evaluated_ = 0;
    uint64_t last_would_be_ = 0;
    Decision last_decision_ = Decision::kNoGap;
};

}  // namespace cvex::bots
