// The rebalancer (issue 7 §3): keeps token A's share of the vault's value near a target by
// trading slices, at most one per N blocks, so a large move costs little price impact and the
// market has time to arbitrage each slice back.
#include <algorithm>
#include <string>

#include "bots/math/full_math.hpp"
#include "bots/market/quote.hpp"
#include "bots/strategy/strategy.hpp"

namespace cvex::bots {

using chain::U256;
using cvex::Unexpected;

namespace {

const U256 kBps = U256(10'000);

RebalancePlan& hold(RebalancePlan& p, Decision d, std::string why = {}) {
    p.decision = d;
    p.why = std::move(why);
    return p;
}

Action slice_action(const RebalancerConfig& c, const MarketState& state, const PoolQuote& q, const VaultFloor* floor, const U256& amount,
                    const U256& out) {
    Action a;
    a.kind = c.venue.kind;
    a.target = c.venue.target;
    a.pool = c.venue.pool;
    a.token_in = q.token_in();
    a.token_out = q.token_out();
    a.amount_in = amount;
    a.expected_amount_out = out;
    a.min_amount_out = std::max(less_bps(out, c.slippage_bps), vault_floor(floor, amount));
    a.deadline = state.block.timestamp + c.deadline_s;
    if (a.kind == TradeKind::kUniswapV3Router) a.v3_fee = q.v3_fee_pips();
    return a;
}

// Trades at most `wanted` of `sold` through `q`, within the vault's cap, allowance and balance of
// the token sold, and its TWAP floor too: the slice shrinks rather than be refused.
RebalancePlan& trade_slice(RebalancePlan& p, const RebalancerConfig& c, const MarketState& state, const PoolQuote& q, const VaultToken& sold,
                           const U256& wanted) {
    const VaultFloor* floor = state.vault.floor(q.token_in(), q.token_out());
    if (sold.available_allowance.is_zero()) return hold(p, Decision::kAllowanceExhausted, allowance_text(sold, state.block.timestamp));
    if (sold.max_per_trade.is_zero()) return hold(p, Decision::kTradeCap, "the per-trade cap of " + sold.token.checksum_hex() + " is 0");
    const U256 capped = std::min({wanted, sold.max_per_trade, sold.available_allowance, sold.balance, q.max_input()});
    const U256 amount = largest_within_floor(q, floor, capped);
    if (amount.is_zero() && !capped.is_zero()) {
        auto out = q.amount_out(capped);
        return hold(p, Decision::kTwapFloor, floor_text(1, q, floor, capped, out ? *out : U256()));
    }
    if (amount.is_zero()) return hold(p, Decision::kNoCapacity, "the vault holds no " + sold.token.checksum_hex());
    auto out = q.amount_out(amount);
    if (!out) return hold(p, Decision::kPoolNotReady);
    if (out->is_zero()) return hold(p, Decision::kNoCapacity);
    p.actions.push_back(slice_action(c, state, q, floor, amount, *out));
    p.decision = Decision::kTrade;
    return p;
}

}  // namespace

cvex::Expected<RebalancerStrategy, BotError> RebalancerStrategy::create(RebalancerConfig c) {
    if (c.venue.pool.is_zero()) return bot_failure("venue.pool: must be set");
    if (c.venue.kind == TradeKind::kNone) return bot_failure("venue.kind: must be a trade kind");
    if (c.venue.target.is_zero()) return bot_failure("venue.target: must be set");
    if (targets_pool(c.venue.kind) && c.venue.target != c.venue.pool)
        return bot_failure("venue.target: a pool-kind trade targets the pool itself");
    if (c.token_a.is_zero()) return bot_failure("token_a: must be set");
    if (c.target_weight_bps > 10'000) return bot_failure("target_weight_bps: must be at most 10000");
    if (c.band_bps == 0 || c.band_bps >= 10'000) return bot_failure("band_bps: must be in (0, 10000)");
    if (c.max_slice_a.is_zero()) return bot_failure("max_slice_a: must be positive");
    if (c.every_blocks == 0) return bot_failure("every_blocks: must be positive");
    if (c.slippage_bps >= 10'000) return bot_failure("slippage_bps: must be below 10000");
    if (c.deadline_s == 0) return bot_failure("deadline_s: must be positive");
    return RebalancerStrategy(std::move(c));
}

Verdict RebalancerStrategy::decide(const MarketState& state, const BotEvent& event) const {
    if (!std::holds_alternative<NewBlockEvent>(event)) return Verdict{Decision::kIrrelevantEvent, "", {}};
    RebalancePlan p = plan(state);
    return Verdict{p.decision, std::move(p.why), std::move(p.actions)};
}

RebalancePlan RebalancerStrategy::plan(const MarketState& state) const {
    RebalancePlan p;
    if (Decision d = kill_switch(state, config_.expiry_margin_s); d != Decision::kTrade)
        return hold(p, d, kill_switch_text(state, d, config_.expiry_margin_s));
    const uint64_t last = state.vault.last_trade_block;
    if (last != 0 && state.block.number < last + config_.every_blocks) return hold(p, Decision::kCadence);

    auto sell_a = PoolQuote::of(state, config_.venue.pool, config_.token_a);
    if (!sell_a) return hold(p, Decision::kPoolNotReady);
    auto sell_b = PoolQuote::of(state, config_.venue.pool, sell_a->token_out());
    if (!sell_b) return hold(p, Decision::kPoolNotReady);
    if ((sell_a->kind() == PoolQuote::Kind::kV3) != is_v3(config_.venue.kind))
        return hold(p, Decision::kPoolNotReady);  // the venue's kind does not fit its pool
    const VaultToken* va = state.vault.token(config_.token_a);
    const VaultToken* vb = state.vault.token(sell_a->token_out());
    if (!va || !vb) return hold(p, Decision::kNoCapacity);

    // Value both holdings in token B at the pool's mid price.
    const U256 value_a = sell_a->mid_value(va->balance);
    const U256 total = value_a.checked_add(vb->balance).value_or(U256::max());
    if (total.is_zero()) return hold(p, Decision::kNoCapacity);
    const U256 weight = *mul_div(value_a, kBps, total);  // ≤ 10000
    p.weight_bps = static_cast<uint32_t>(weight.low_u64());
    const uint32_t target = config_.target_weight_bps;
    const uint32_t lo = target > config_.band_bps ? target - config_.band_bps : 0;
    const uint32_t hi = target + config_.band_bps;
    if (p.weight_bps >= lo && p.weight_bps <= hi) return hold(p, Decision::kInBand);

    // Move the value gap to the target, in one slice of at most max_slice_a (of A, or its mid
    // value in B).
    const U256 target_value_a = *mul_div(total, U256(target), kBps);
    const bool selling_a = p.weight_bps > hi;
    const U256 gap = selling_a ? sell_b->mid_value(value_a.wrapping_sub(target_value_a))  // excess, in A
                               : target_value_a.wrapping_sub(value_a);                       // shortfall, in B
    const U256 slice = selling_a ? config_.max_slice_a : sell_a->mid_value(config_.max_slice_a);
    return trade_slice(p, config_, state, selling_a ? *sell_a : *sell_b, selling_a ? *va : *vb, std::min(gap, slice));
}

}  // namespace cvex::bots
