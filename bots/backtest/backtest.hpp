// A backtest (issue 18 §4): one bot's strategy replayed over past blocks, exactly as the live
// runner would have run it, with the would-be trades simulated at their block and reported in
// the format of `cvex bot report`.
// - State: the live collector's own reads (BotCollector::snapshot_at) with the block number as
//   the tag of every eth_call — pools, vault balances, allowances, caps, pause, attestation and
//   the TWAP floor (minAmountOutFor) of that block — so the strategy sees what a live bot whose
//   head was that block saw.
// - Which blocks: the pools' and the vault's logs over the range, fetched in chunks, say where
//   anything a strategy reads from a pool moved. A block is evaluated when its pools moved, at
//   the first block, on every block after one whose decision was a hold that can lift with no
//   log (TWAP floor, allowance, per-trade cap, gas, cadence, a refused simulation) until the
//   strategy trades or finds no gap, and, while the kill switch holds (pause, attestation), on
//   the vault's or the registry's next log. Between, the decision cannot change, so no call is
//   made: 10,000 quiet blocks cost a few eth_getLogs.
// - Like paper mode, an opportunity is taken once: a would-be trade is not taken again until the
//   pools move, since the backtest's own trades do not move later blocks (the report says so).
// - Each action is simulated by eth_call at its block from the trading address, as the live
//   executor does (a refusal is reported with the vault's decoded error and nothing of that
//   decision counts), and its gas estimated at that block.
// Trust: a backtest believes the node's history (it runs on the operator's machine, signs nothing
// and moves no funds; a node that lies makes only its figures wrong). It never needs the key: the
// trading address is enough for the vault to judge the simulations.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "bots/bot_error.hpp"
#include "bots/report/report.hpp"
#include "bots/runner/config.hpp"
#include "chain/rpc/eth_client.hpp"

namespace cvex::bots {

struct BacktestOptions {
    uint64_t from_block = 0;
    uint64_t to_block = 0;
    /// The bot's trading address: simulations run from it (the vault checks its attestation).
    chain::Address trader;
    uint64_t log_chunk = 2'000;  // blocks per eth_getLogs (the collector's max_log_range)
};

/// A decision the vault refused in simulation: nothing of it counts, as live sends nothing.
struct BacktestRefusal {
    uint64_t block = 0;
    size_t leg = 0;  // 1-based, in the decision's order
    Action action;
    std::string error;  // the vault's decoded revert
};

struct BacktestResult {
    std::string bot;
    chain::Address trader;
    /// The would-be trades in `cvex bot report`'s form: `block` is the block the decision saw,
    /// `amount_out` the simulated output, `gas_used` the estimate at that block, `tx` zero.
    VaultReport report;
    std::vector<Action> actions;  // the would-be trades' actions, in the same order
    std::vector<BacktestRefusal> refusals;
    uint64_t blocks = 0;            // in the range
    uint64_t evaluated_blocks = 0;  // where the strategy ran
    std::chrono::milliseconds elapsed{0};

    /// `cvex bot report`'s JSON with a "backtest" member (the bot, the trader, the blocks, the
    /// refusals and the caveat).
    std::string json() const;
};

/// The caveat every backtest report carries.
inline constexpr const char* kBacktestCaveat =
    "would-be trades only: the backtest's own trades do not move later blocks (pools, balances, allowances and the TWAP are "
    "history's), so each opportunity is taken once and later trades do not see the earlier ones";

/// Replays `config` over [from_block, to_block]. The range must lie within the chain's head.
cvex::Expected<BacktestResult, BotError> run_backtest(const BotConfig& config, std::shared_ptr<chain::EthClient> client,
                                                      const BacktestOptions& options);

}  // namespace cvex::bots
