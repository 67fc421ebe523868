// The V3 half of decode_pending_swap (mempool.hpp): SwapRouter.exactInputSingle and
// UniswapV3Pool.swap with an exact input, predicted within the pool's current range.
#include <algorithm>

#include "bots/collect/mempool.hpp"
#include "chain/encoding/abi_codec.hpp"

namespace cvex::bots {

using chain::AbiValue;
using chain::Address;
using chain::U256;

namespace {

Unexpected<NotASwap> not_a_swap(NotASwapCode code, std::string detail = {}) { return Unexpected{NotASwap{code, std::move(detail)}}; }

const chain::AbiSignature& router_sig() {  // v3-periphery ISwapRouter
    static const auto s = *chain::parse_abi_signature("exactInputSingle((address,address,uint24,address,uint256,uint256,uint256,uint160))");
    return s;
}
const chain::AbiSignature& pool_sig() {  // v3-core IUniswapV3PoolActions
    static const auto s = *chain::parse_abi_signature("swap(address,bool,int256,uint160,bytes)");
    return s;
}

bool has_selector(ByteView input, const chain::AbiSignature& sig) {
    const auto sel = sig.selector();
    return input.size() >= 4 && std::equal(sel.begin(), sel.end(), input.begin());
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

struct V3Call {
    const V3Pool* pool = nullptr;
    bool zero_for_one = true;
    U256 amount_in, min_out, price_limit;
};

// UniswapV3Pool.swap's loop while the liquidity stays constant: each step ends at the next tick
// the bitmap word may hold initialized (or the price limit), and a step that reaches a tick the
// pool does not have initialized crosses it without changing the liquidity, as the pool does
// (tick = tickNext − 1 going down). A step into an initialized tick or onto the price limit ends
// the prediction (kUnsupported): the liquidity would change, or the swap fill partly.
Expected<PredictedV3, NotASwap> predict_v3(const V3Call& c) {
    constexpr int kMaxSteps = 64;  // 64 bitmap words: far beyond any one swap between initialized ticks
    const bool zfo = c.zero_for_one;
    if (c.amount_in == U256(0)) return not_a_swap(NotASwapCode::kWouldRevert, "UniswapV3Pool: AS (zero amount)");
    U256 limit = c.price_limit;
    if (limit == U256(0)) limit = zfo ? *kMinSqrtRatio.checked_add(U256(1)) : *kMaxSqrtRatio.checked_sub(U256(1));  // SwapRouter's default
    V3Pool cur = *c.pool;
    if (zfo ? !(limit < cur.sqrt_price_x96 && limit > kMinSqrtRatio) : !(limit > cur.sqrt_price_x96 && limit < kMaxSqrtRatio))
        return not_a_swap(NotASwapCode::kWouldRevert, "UniswapV3Pool: SPL (price limit)");
    U256 remaining = c.amount_in, out;
    for (int step = 0; step < kMaxSteps; ++step) {
        auto range = cur.range(zfo);
        if (!range) return not_a_swap(NotASwapCode::kMath, to_string(range.error()));
        const std::optional<int32_t> known = zfo ? cur.initialized_below : cur.initialized_above;
        const int32_t bound_tick = v3_step_bound_tick(cur.tick, cur.tick_spacing, zfo, known);
        const bool at_limit = zfo ? limit >= range->bound_sqrt_price_x96 : limit <= range->bound_sqrt_price_x96;
        if (at_limit) range->bound_sqrt_price_x96 = limit;
        if (!at_limit && range->bound_sqrt_price_x96 == cur.sqrt_price_x96 && !(known && *known == bound_tick)) {
            cur.tick = zfo ? bound_tick - 1 : bound_tick;  // already on the boundary: an empty step, then the crossing
            continue;
        }
        auto swapped = v3_swap_exact_in(*range, remaining, zfo);
        if (swapped && !swapped->reached_bound) {
            auto tick = tick_at_sqrt_ratio(swapped->sqrt_price_after_x96);
            if (!tick) return not_a_swap(NotASwapCode::kMath, to_string(tick.error()));
            out = *out.checked_add(swapped->amount_out);
            if (out < c.min_out) return not_a_swap(NotASwapCode::kWouldRevert, "output " + out.dec() + " below amountOutMinimum " + c.min_out.dec());
            return PredictedV3{cur.address, zfo, c.amount_in, out, swapped->sqrt_price_after_x96, cur.liquidity, *tick};
        }
        if (!swapped && swapped.error() != BotMathError::kCrossesBound) return not_a_swap(NotASwapCode::kMath, to_string(swapped.error()));
        if (at_limit) return not_a_swap(NotASwapCode::kUnsupported, "the swap reaches its price limit (a partial fill)");
        if (known && *known == bound_tick) return not_a_swap(NotASwapCode::kUnsupported, "the swap crosses an initialized tick");
        // The whole step to the bound, as the pool takes it: its input with fee, then its output.
        auto step_in = v3_max_input_in_range(*range, zfo);
        if (!step_in) return not_a_swap(NotASwapCode::kMath, to_string(step_in.error()));
        auto full = v3_swap_exact_in(*range, *step_in, zfo);
        if (!full || *step_in > remaining) return not_a_swap(NotASwapCode::kMath, "a step to the bound does not reproduce");
        remaining = *remaining.checked_sub(*step_in);
        out = *out.checked_add(full->amount_out);
        cur.sqrt_price_x96 = range->bound_sqrt_price_x96;
        cur.tick = zfo ? bound_tick - 1 : bound_tick;
        if (remaining == U256(0)) return PredictedV3{cur.address, zfo, c.amount_in, out, cur.sqrt_price_x96, cur.liquidity, cur.tick};
    }
    return not_a_swap(NotASwapCode::kUnsupported, "the swap spans more than 64 bitmap words");
}

const V3Pool* pool_for(const MarketState& state, const Address& a, const Address& b, uint32_t fee) {
    for (const auto& p : state.v3_pools)
        if (p.fee_pips == fee && ((p.token0 == a && p.token1 == b) || (p.token0 == b && p.token1 == a))) return &p;
    return nullptr;
}

Expected<V3Call, NotASwap> router_call(const chain::TransactionInfo& tx, const MarketState& state) {
    auto args = chain::abi_decode(router_sig().input_types(), ByteView(tx.input).subspan(4));
    if (!args) return not_a_swap(NotASwapCode::kMalformed, "exactInputSingle: " + args.error().message());
    const auto& t = (*args)[0].list();
    const Address in = t[0].address(), out = t[1].address();
    const uint64_t fee = t[2].word().low_u64();
    const V3Pool* pool = pool_for(state, in, out, static_cast<uint32_t>(fee));
    if (!pool) return not_a_swap(NotASwapCode::kForeignHop, in.checksum_hex() + " → " + out.checksum_hex() + " at fee " + std::to_string(fee));
    // SwapRouter's checkDeadline: block.timestamp ≤ deadline, and the next block is later.
    if (state.block.timestamp != 0 && t[4].word() <= U256(state.block.timestamp))
        return not_a_swap(NotASwapCode::kWouldRevert, "deadline " + t[4].word().dec() + " has passed");
    return V3Call{pool, pool->token0 == in, t[5].word(), t[6].word(), t[7].word()};
}

Expected<V3Call, NotASwap> pool_call(const chain::TransactionInfo& tx, const V3Pool& pool) {
    auto args = chain::abi_decode(pool_sig().input_types(), ByteView(tx.input).subspan(4));
    if (!args) return not_a_swap(NotASwapCode::kMalformed, "swap: " + args.error().message());
    const U256& specified = (*args)[2].word();
    if (specified > *U256::parse_hex("7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"))
        return not_a_swap(NotASwapCode::kUnsupported, "an exact-output pool swap");
    // The caller pays in its callback: the pool takes exactly the input it computes.
    return V3Call{&pool, (*args)[1].boolean(), specified, U256(0), (*args)[3].word()};
}

}  // namespace

Expected<PendingSwap, NotASwap> decode_pending_v3_swap(const chain::TransactionInfo& tx, const MarketState& state, const MempoolRoutes& routes) {
    if (!tx.to) return not_a_swap(NotASwapCode::kNotOurs, "a contract creation");
    const V3Pool* pool = state.v3(*tx.to);
    const bool router = std::find(routes.v3_routers.begin(), routes.v3_routers.end(), *tx.to) != routes.v3_routers.end();
    if (!pool && !router) return not_a_swap(NotASwapCode::kNotOurs, tx.to->checksum_hex());
    const auto& sig = pool ? pool_sig() : router_sig();
    if (!has_selector(tx.input, sig))
        return not_a_swap(NotASwapCode::kUnknownSelector, tx.input.size() < 4 ? "calldata of " + std::to_string(tx.input.size()) + " bytes"
                                                                              : "selector " + cvex::to_hex(ByteView(tx.input.data(), 4)));
    auto call = pool ? pool_call(tx, *pool) : router_call(tx, state);
    if (!call) return Unexpected{call.error()};
    auto predicted = predict_v3(*call);
    if (!predicted) return Unexpected{predicted.error()};
    PendingSwap swap{tx.hash, tx.from, sig.name, false, {}, {*predicted}};  // a V3 pool computes its own input
    return swap;
}

}  // namespace cvex::bots
