// Back-running (issue 18 §2): a pending swap on one of the bot's pools is priced exactly
// (collect/mempool.hpp), the strategy is asked about the state it will leave, and its trades are
// sent to land right behind it in the same block: simulated behind it and paying a lower tip
// (execute/executor.hpp), so a block ordered by fees puts them after it.
#include <algorithm>

#include "bots/runner/runner.hpp"

namespace cvex::bots {

namespace {

// What the strategy is told happened: the pool event the predicted swap will log.
BotEvent prediction_event(const PendingSwap& swap) {
    if (!swap.pools.empty()) {
        const auto& p = swap.pools.front();
        return V2SyncEvent{p.pool, p.reserve0, p.reserve1, {}};
    }
    // The first hop's pool as the swap leaves it: a path through it twice ends in its last hop's
    // state, as apply_prediction leaves it.
    const auto& p = *std::find_if(swap.v3_pools.rbegin(), swap.v3_pools.rend(),
                                  [&](const PredictedV3& h) { return h.pool == swap.v3_pools.front().pool; });
    V3SwapEvent e;
    e.pool = p.pool;
    e.sqrt_price_x96 = p.sqrt_price_x96;
    e.liquidity = p.liquidity;
    e.tick = p.tick;
    return e;
}

}  // namespace

void Bot::backrun_pending() {
    for (const auto& tx : mempool_->take()) {
        if (tx.from == executor_->sender_address() || tx.block_number) continue;  // our own trades; already mined
        auto swap = decode_pending_swap(tx, state_, config_.mempool->routes);
        if (!swap) continue;  // not a swap on our pools: the mempool is mostly other people's business
        {
            std::lock_guard lock(mutex_);
            ++figures_.pending_swaps;
        }
        backrun(tx, *swap);
    }
}

void Bot::backrun(const chain::TransactionInfo& tx, const PendingSwap& swap) {
    // The same guards as a block's decision: the drawdown stop, the node's health, the strategy's
    // hold reasons (which return no actions) and its quiet while its own trades are in flight.
    if (drawdown_holds() || watch_.state() != RpcWatch::State::kOk) return;
    const MarketState predicted = apply_prediction(state_, swap);
    const Verdict v = strategy_->decide(predicted, prediction_event(swap));
    if (v.actions.empty()) return;
    const auto fees = backrun_fees(tx, state_.block.base_fee_per_gas);
    if (!fees) {
        log_("bot " + config_.name + ": pending " + tx.hash.hex() + " tips too little to trade behind it; waiting for its block");
        return;
    }
    {
        std::lock_guard lock(mutex_);
        ++figures_.decisions;
        ++figures_.backruns;
    }
    send_actions(v.actions, "pending " + tx.hash.hex() + " (" + swap.function + ") opens a gap: back-running at tip " + fees->first.dec() + " wei",
                 Backrun{tx, fees->first, fees->second});
    // In flight now: the strategy stays quiet on the next pending swap and the next block.
    (void)apply_event(state_, BotEvent{PendingTradesEvent{executor_->pending()}});
}

}  // namespace cvex::bots
