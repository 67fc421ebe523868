// The V3 half of decode_pending_swap (mempool.hpp): UniswapV3Pool.swap's loop replayed on one of
// the bot's pools (simulate_v3_swap, mempool_v3.hpp), and a pool's own swap() decoded; the
// SwapRouter functions are in mempool_v3_router.cpp.
#include "bots/collect/mempool_v3.hpp"

#include <algorithm>

#include "chain/encoding/abi_codec.hpp"

namespace cvex::bots {

using chain::Address;
using chain::U256;

namespace {

const chain::AbiSignature& pool_sig() {  // v3-core IUniswapV3PoolActions
    static const auto s = *chain::parse_abi_signature("swap(address,bool,int256,uint160,bytes)");
    return s;
}

/// TickMath.getTickAtSqrtRatio: the greatest tick whose sqrt ratio is ≤ the price, found by
/// bisection over getSqrtRatioAtTick (monotonic), so it agrees with the contract by definition.
MathResult<int32_t> tick_at_sqrt_ratio(const U256& sqrt_price_x96) {
    if (sqrt_price_x96 < kMinSqrtRatio || sqrt_price_x96 >= kMaxSqrtRatio) return Unexpected{BotMathError::kPriceOutOfRange};
    int32_t lo = kMinTick, hi = kMaxTick;  // ratio(lo) ≤ price < ratio(hi)
    while (hi - lo > 1) {
        const int32_t mid = lo + (hi - lo) / 2;
        auto r = sqrt_ratio_at_tick(mid);
        if (!r) return Unexpected{r.error()};
        (*r <= sqrt_price_x96 ? lo : hi) = mid;
    }
    return lo;
}

// UniswapV3Pool.swap's checks before its loop: require(amountSpecified != 0, 'AS') and the
// price limit strictly between the current price and the end of the price range ('SPL').
Expected<bool, NotASwap> swap_preconditions(const V3Pool& pool, const V3SwapCall& c) {
    if (c.amount.is_zero()) return not_a_swap(NotASwapCode::kWouldRevert, "UniswapV3Pool: AS (zero amount)");
    const U256& limit = c.price_limit;
    if (c.zero_for_one ? !(limit < pool.sqrt_price_x96 && limit > kMinSqrtRatio) : !(limit > pool.sqrt_price_x96 && limit < kMaxSqrtRatio))
        return not_a_swap(NotASwapCode::kWouldRevert, "UniswapV3Pool: SPL (price limit)");
    if (pool.liquidity.is_zero()) return not_a_swap(NotASwapCode::kMath, to_string(BotMathError::kNoLiquidity));
    if (pool.tick_spacing <= 0) return not_a_swap(NotASwapCode::kMath, "tick spacing " + std::to_string(pool.tick_spacing));
    return true;
}

}  // namespace

// Each step ends at the next tick the bitmap word may hold initialized (TickBitmap's
// nextInitializedTickWithinOneWord, v3_step_bound_tick) or at the price limit; a step that ends on
// a tick the pool does not have initialized crosses it without changing the liquidity, and the
// tick becomes tickNext − 1 going down, tickNext going up; a step that ends inside the range takes
// getTickAtSqrtRatio of the new price. Amounts accumulate as the pool's amountSpecifiedRemaining
// and amountCalculated do.
Expected<PredictedV3, NotASwap> simulate_v3_swap(const V3Pool& pool, const V3SwapCall& c) {
    constexpr int kMaxSteps = 64;  // 64 bitmap words: far beyond any one swap between initialized ticks
    if (auto ok = swap_preconditions(pool, c); !ok) return Unexpected{ok.error()};
    const bool zfo = c.zero_for_one;
    V3Pool cur = pool;
    U256 remaining = c.amount, paid, received;
    for (int step = 0; step < kMaxSteps && !remaining.is_zero(); ++step) {
        const std::optional<int32_t> known = zfo ? cur.initialized_below : cur.initialized_above;
        const int32_t next_tick = v3_step_bound_tick(cur.tick, cur.tick_spacing, zfo, known);
        auto next_price = sqrt_ratio_at_tick(next_tick);
        if (!next_price) return not_a_swap(NotASwapCode::kMath, to_string(next_price.error()));
        const bool limited = zfo ? c.price_limit > *next_price : c.price_limit < *next_price;
        const U256& target = limited ? c.price_limit : *next_price;
        auto s = c.exact_input ? compute_swap_step_exact_in(cur.sqrt_price_x96, target, cur.liquidity, remaining, cur.fee_pips)
                               : compute_swap_step_exact_out(cur.sqrt_price_x96, target, cur.liquidity, remaining, cur.fee_pips);
        if (!s) return not_a_swap(NotASwapCode::kMath, to_string(s.error()));
        auto in = s->amount_in.checked_add(s->fee_amount);
        auto left = in ? remaining.checked_sub(c.exact_input ? *in : s->amount_out) : std::nullopt;
        auto p = in ? paid.checked_add(*in) : std::nullopt;
        auto r = received.checked_add(s->amount_out);
        if (!left || !p || !r) return not_a_swap(NotASwapCode::kMath, to_string(BotMathError::kOverflow));
        remaining = *left, paid = *p, received = *r;
        if (s->sqrt_price_next_x96 == c.price_limit) return not_a_swap(NotASwapCode::kUnsupported, "the swap reaches its price limit");
        if (s->sqrt_price_next_x96 == *next_price) {
            if (known && *known == next_tick) return not_a_swap(NotASwapCode::kUnsupported, "the swap crosses an initialized tick");
            cur.tick = zfo ? next_tick - 1 : next_tick;
        } else if (s->sqrt_price_next_x96 != cur.sqrt_price_x96) {
            auto tick = tick_at_sqrt_ratio(s->sqrt_price_next_x96);
            if (!tick) return not_a_swap(NotASwapCode::kMath, to_string(tick.error()));
            cur.tick = *tick;
        }
        cur.sqrt_price_x96 = s->sqrt_price_next_x96;
    }
    if (!remaining.is_zero()) return not_a_swap(NotASwapCode::kUnsupported, "the swap spans more than 64 bitmap words");
    return PredictedV3{cur.address, zfo, paid, received, cur.sqrt_price_x96, cur.liquidity, cur.tick};
}

namespace {

// The pool's own swap(recipient, zeroForOne, amountSpecified, sqrtPriceLimitX96, data): a positive
// amountSpecified is an exact input, a negative one (int256, two's complement) an exact output.
// The caller pays in its callback: the pool takes exactly the input it computes.
Expected<V3SwapCall, NotASwap> pool_call(const chain::TransactionInfo& tx) {
    auto args = chain::abi_decode(pool_sig().input_types(), ByteView(tx.input).subspan(4));
    if (!args) return not_a_swap(NotASwapCode::kMalformed, "swap: " + args.error().message());
    const U256& specified = (*args)[2].word();
    const bool exact_input = specified <= kMaxI256;
    return V3SwapCall{(*args)[1].boolean(), exact_input, exact_input ? specified : U256(0).wrapping_sub(specified), (*args)[3].word()};
}

}  // namespace

Expected<PendingSwap, NotASwap> decode_pending_v3_swap(const chain::TransactionInfo& tx, const MarketState& state, const MempoolRoutes& routes) {
    if (!tx.to) return not_a_swap(NotASwapCode::kNotOurs, "a contract creation");
    const V3Pool* pool = state.v3(*tx.to);
    const bool router = std::find(routes.v3_routers.begin(), routes.v3_routers.end(), *tx.to) != routes.v3_routers.end();
    if (!pool && !router) return not_a_swap(NotASwapCode::kNotOurs, tx.to->checksum_hex());
    if (!pool) return decode_v3_router_swap(tx, state);
    const auto sel = pool_sig().selector();
    if (tx.input.size() < 4 || !std::equal(sel.begin(), sel.end(), tx.input.begin()))
        return not_a_swap(NotASwapCode::kUnknownSelector, tx.input.size() < 4 ? "calldata of " + std::to_string(tx.input.size()) + " bytes"
                                                                              : "selector " + cvex::to_hex(ByteView(tx.input.data(), 4)));
    auto call = pool_call(tx);
    if (!call) return Unexpected{call.error()};
    auto predicted = simulate_v3_swap(*pool, *call);
    if (!predicted) return Unexpected{predicted.error()};
    return PendingSwap{tx.hash, tx.from, pool_sig().name, false, {}, {*predicted}};  // a V3 pool computes its own input
}

}  // namespace cvex::bots
