// Uniswap V3's swap math (v3-core TickMath, SqrtPriceMath, SwapMath, TickBitmap), statement
// for statement: the same operations in the same order with the same rounding, so results match
// the pool to the wei. The `require`s and checked casts of the contracts become errors.
#include <algorithm>
#include <array>

#include "bots/math/full_math.hpp"
#include "bots/math/math.hpp"

namespace cvex::bots {

using chain::U256;
using cvex::Unexpected;

namespace {

const U256 kQ96 = U256(1) << 96;
const U256 kMaxU160 = (U256(1) << 160).wrapping_sub(U256(1));
const U256 kMaxU128 = (U256(1) << 128).wrapping_sub(U256(1));

bool fits_u160(const U256& v) { return v <= kMaxU160; }

// TickMath's constants: 2^128 / sqrt(1.0001^(2^i)) for i = 0..19, in Q128.128.
const std::array<U256, 20>& tick_ratios() {
    static const std::array<U256, 20> r = [] {
        const char* hex[20] = {
            "0xfffcb933bd6fad37aa2d162d1a594001", "0xfff97272373d413259a46990580e213a", "0xfff2e50f5f656932ef12357cf3c7fdcc",
            "0xffe5caca7e10e4e61c3624eaa0941cd0", "0xffcb9843d60f6159c9db58835c926644", "0xff973b41fa98c081472e6896dfb254c0",
            "0xff2ea16466c96a3843ec78b326b52861", "0xfe5dee046a99a2a811c461f1969c3053", "0xfcbe86c7900a88aedcffc83b479aa3a4",
            "0xf987a7253ac413176f2b074cf7815e54", "0xf3392b0822b70005940c7a398e4b70f3", "0xe7159475a2c29b7443b29c7fa6e889d9",
            "0xd097f3bdfd2022b8845ad8f792aa5825", "0xa9f746462d870fdf8a65dc1f90e061e5", "0x70d869a156d2a1b890bb3df62baf32f7",
            "0x31be135f97d08fd981231505542fcfa6", "0x9aa508b5b7a84e1c677de54f3e99bc9",  "0x5d6af8dedb81196699c329225ee604",
            "0x2216e584f5fa1ea926041bedfe98",     "0x48a170391f7dc42444e8fa2"};
        std::array<U256, 20> out;
        for (size_t i = 0; i < 20; ++i) out[i] = *U256::parse_hex(hex[i]);
        return out;
    }();
    return r;
}

// SqrtPriceMath.getNextSqrtPriceFromAmount0RoundingUp with add = true (the exact-input path).
MathResult<U256> next_from_amount0_up(const U256& sqrt_p, const U256& liquidity, const U256& amount) {
    // "we short circuit amount == 0 because the result is otherwise not guaranteed to equal the input price"
    if (amount.is_zero()) return sqrt_p;
    const U256 numerator1 = liquidity << 96;
    const U512 product = mul_wide(amount, sqrt_p);
    if (product.hi.is_zero()) {  // the contract's `product / amount == sqrtPX96`
        const U256 denominator = numerator1.wrapping_add(product.lo);
        if (denominator >= numerator1) {
            auto r = mul_div_rounding_up(numerator1, sqrt_p, denominator);
            if (!r) return Unexpected{BotMathError::kOverflow};
            return *r;  // "always fits in 160 bits"
        }
    }
    // liquidity / (liquidity / sqrtPX96 + amount), with LowGasSafeMath's checked add.
    auto sum = div_mod(numerator1, sqrt_p)->first.checked_add(amount);
    if (!sum) return Unexpected{BotMathError::kOverflow};
    return *div_rounding_up(numerator1, *sum);
}

// SqrtPriceMath.getNextSqrtPriceFromAmount1RoundingDown with add = true.
MathResult<U256> next_from_amount1_down(const U256& sqrt_p, const U256& liquidity, const U256& amount) {
    U256 quotient;
    if (amount <= kMaxU160) {
        quotient = div_mod(amount << 96, liquidity)->first;
    } else {
        auto q = mul_div(amount, kQ96, liquidity);
        if (!q) return Unexpected{BotMathError::kOverflow};
        quotient = *q;
    }
    auto next = sqrt_p.checked_add(quotient);
    if (!next) return Unexpected{BotMathError::kOverflow};
    if (!fits_u160(*next)) return Unexpected{BotMathError::kPriceOutOfRange};  // SafeCast.toUint160
    return *next;
}

// SqrtPriceMath.getNextSqrtPriceFromAmount0RoundingUp with add = false (the exact-output path):
// L·√P / (L − amount·√P), rounded up so that at least `amount` of token0 leaves.
MathResult<U256> next_from_amount0_up_removing(const U256& sqrt_p, const U256& liquidity, const U256& amount) {
    if (amount.is_zero()) return sqrt_p;
    const U256 numerator1 = liquidity << 96;
    const U512 product = mul_wide(amount, sqrt_p);
    // require((product = amount * sqrtPX96) / amount == sqrtPX96 && numerator1 > product): the
    // output must stay below the range's virtual reserve of token0.
    if (!product.hi.is_zero() || !(numerator1 > product.lo)) return Unexpected{BotMathError::kOutputTooLarge};
    auto r = mul_div_rounding_up(numerator1, sqrt_p, numerator1.wrapping_sub(product.lo));
    if (!r) return Unexpected{BotMathError::kOverflow};
    if (!fits_u160(*r)) return Unexpected{BotMathError::kPriceOutOfRange};  // SafeCast.toUint160
    return *r;
}

// SqrtPriceMath.getNextSqrtPriceFromAmount1RoundingDown with add = false: √P − ⌈amount/L⌉ (Q96).
MathResult<U256> next_from_amount1_down_removing(const U256& sqrt_p, const U256& liquidity, const U256& amount) {
    U256 quotient;
    if (amount <= kMaxU160) {
        quotient = *div_rounding_up(amount << 96, liquidity);  // UnsafeMath.divRoundingUp; liquidity > 0
    } else {
        auto q = mul_div_rounding_up(amount, kQ96, liquidity);
        if (!q) return Unexpected{BotMathError::kOverflow};
        quotient = *q;
    }
    if (!(sqrt_p > quotient)) return Unexpected{BotMathError::kOutputTooLarge};  // require(sqrtPX96 > quotient)
    return sqrt_p.wrapping_sub(quotient);
}

}  // namespace

MathResult<U256> sqrt_ratio_at_tick(int32_t tick) {
    const uint32_t abs_tick = tick < 0 ? static_cast<uint32_t>(-static_cast<int64_t>(tick)) : static_cast<uint32_t>(tick);
    if (abs_tick > static_cast<uint32_t>(kMaxTick)) return Unexpected{BotMathError::kTickOutOfRange};  // require 'T'
    const auto& k = tick_ratios();
    U256 ratio = (abs_tick & 1) ? k[0] : U256(1) << 128;
    for (unsigned i = 1; i < 20; ++i)
        if (abs_tick & (1u << i)) ratio = mul_wide(ratio, k[i]).lo >> 128;  // both < 2^129: the product fits
    if (tick > 0) ratio = div_mod(U256::max(), ratio)->first;
    // Q128.128 → Q64.96, rounding up so that getTickAtSqrtRatio(result) == tick.
    const bool remainder = ratio.limb(0) & 0xffffffffULL;
    return (ratio >> 32).wrapping_add(U256(remainder ? 1 : 0));
}

int32_t v3_step_bound_tick(int32_t tick, int32_t tick_spacing, bool zero_for_one, std::optional<int32_t> known_initialized) {
    // TickBitmap.nextInitializedTickWithinOneWord: compress, rounding towards negative infinity.
    int32_t compressed = tick / tick_spacing;
    if (tick < 0 && tick % tick_spacing != 0) --compressed;
    int64_t bound;
    if (zero_for_one) {
        // lte: words are 256 compressed ticks; position() is (compressed >> 8, compressed & 0xff).
        const int64_t word_start = static_cast<int64_t>(compressed >> 8) * 256 * tick_spacing;
        const int64_t nearest = known_initialized ? *known_initialized : static_cast<int64_t>(compressed) * tick_spacing;
        bound = std::max(word_start, nearest);
    } else {
        const int32_t next = compressed + 1;
        const int64_t word_end = (static_cast<int64_t>(next >> 8) * 256 + 255) * tick_spacing;
        const int64_t nearest = known_initialized ? *known_initialized : static_cast<int64_t>(next) * tick_spacing;
        bound = std::min(word_end, nearest);
    }
    // UniswapV3Pool.swap: "ensure that we do not overshoot the min/max tick".
    return static_cast<int32_t>(std::clamp<int64_t>(bound, kMinTick, kMaxTick));
}

MathResult<U256> next_sqrt_price_from_input(const U256& sqrt_price_x96, const U256& liquidity, const U256& amount_in, bool zero_for_one) {
    if (sqrt_price_x96.is_zero()) return Unexpected{BotMathError::kZeroPrice};
    if (liquidity.is_zero()) return Unexpected{BotMathError::kNoLiquidity};
    if (!fits_u160(sqrt_price_x96) || liquidity > kMaxU128) return Unexpected{BotMathError::kValueOutOfRange};
    return zero_for_one ? next_from_amount0_up(sqrt_price_x96, liquidity, amount_in)
                        : next_from_amount1_down(sqrt_price_x96, liquidity, amount_in);
}

MathResult<U256> next_sqrt_price_from_output(const U256& sqrt_price_x96, const U256& liquidity, const U256& amount_out, bool zero_for_one) {
    if (sqrt_price_x96.is_zero()) return Unexpected{BotMathError::kZeroPrice};  // require(sqrtPX96 > 0)
    if (liquidity.is_zero()) return Unexpected{BotMathError::kNoLiquidity};     // require(liquidity > 0)
    if (!fits_u160(sqrt_price_x96) || liquidity > kMaxU128) return Unexpected{BotMathError::kValueOutOfRange};
    return zero_for_one ? next_from_amount1_down_removing(sqrt_price_x96, liquidity, amount_out)
                        : next_from_amount0_up_removing(sqrt_price_x96, liquidity, amount_out);
}

MathResult<U256> amount0_delta(const U256& sqrt_a_x96, const U256& sqrt_b_x96, const U256& liquidity, bool round_up) {
    if (!fits_u160(sqrt_a_x96) || !fits_u160(sqrt_b_x96) || liquidity > kMaxU128) return Unexpected{BotMathError::kValueOutOfRange};
    const U256& lo = sqrt_a_x96 < sqrt_b_x96 ? sqrt_a_x96 : sqrt_b_x96;
    const U256& hi = sqrt_a_x96 < sqrt_b_x96 ? sqrt_b_x96 : sqrt_a_x96;
    if (lo.is_zero()) return Unexpected{BotMathError::kZeroPrice};
    const U256 numerator1 = liquidity << 96;
    const U256 numerator2 = hi.wrapping_sub(lo);
    if (round_up) {
        auto t = mul_div_rounding_up(numerator1, numerator2, hi);
        if (!t) return Unexpected{BotMathError::kOverflow};
        return *div_rounding_up(*t, lo);
    }
    auto t = mul_div(numerator1, numerator2, hi);
    if (!t) return Unexpected{BotMathError::kOverflow};
    return div_mod(*t, lo)->first;
}

MathResult<U256> amount1_delta(const U256& sqrt_a_x96, const U256& sqrt_b_x96, const U256& liquidity, bool round_up) {
    if (!fits_u160(sqrt_a_x96) || !fits_u160(sqrt_b_x96) || liquidity > kMaxU128) return Unexpected{BotMathError::kValueOutOfRange};
    const U256 diff = sqrt_a_x96 < sqrt_b_x96 ? sqrt_b_x96.wrapping_sub(sqrt_a_x96) : sqrt_a_x96.wrapping_sub(sqrt_b_x96);
    // < 2^128 · 2^160 / 2^96: never overflows.
    return round_up ? *mul_div_rounding_up(liquidity, diff, kQ96) : *mul_div(liquidity, diff, kQ96);
}

MathResult<SwapStep> compute_swap_step_exact_in(const U256& sqrt_current_x96, const U256& sqrt_target_x96, const U256& liquidity,
                                                const U256& amount_remaining, uint32_t fee_pips) {
    if (fee_pips >= kFeePipsDenominator) return Unexpected{BotMathError::kBadFee};
    if (amount_remaining > kMaxI256) return Unexpected{BotMathError::kValueOutOfRange};  // int256 amountRemaining
    const bool zero_for_one = sqrt_current_x96 >= sqrt_target_x96;
    SwapStep s;
    const U256 remaining_less_fee = *mul_div(amount_remaining, U256(kFeePipsDenominator - fee_pips), U256(kFeePipsDenominator));
    auto to_target = zero_for_one ? amount0_delta(sqrt_target_x96, sqrt_current_x96, liquidity, true)
                                  : amount1_delta(sqrt_current_x96, sqrt_target_x96, liquidity, true);
    if (!to_target) return Unexpected{to_target.error()};
    s.amount_in = *to_target;
    if (remaining_less_fee >= s.amount_in) {
        s.sqrt_price_next_x96 = sqrt_target_x96;
    } else {
        auto next = next_sqrt_price_from_input(sqrt_current_x96, liquidity, remaining_less_fee, zero_for_one);
        if (!next) return Unexpected{next.error()};
        s.sqrt_price_next_x96 = *next;
    }
    const bool max = sqrt_target_x96 == s.sqrt_price_next_x96;
    MathResult<U256> in = s.amount_in, out = U256();
    if (zero_for_one) {
        if (!max) in = amount0_delta(s.sqrt_price_next_x96, sqrt_current_x96, liquidity, true);
        out = amount1_delta(s.sqrt_price_next_x96, sqrt_current_x96, liquidity, false);
    } else {
        if (!max) in = amount1_delta(sqrt_current_x96, s.sqrt_price_next_x96, liquidity, true);
        out = amount0_delta(sqrt_current_x96, s.sqrt_price_next_x96, liquidity, false);
    }
    if (!in) return Unexpected{in.error()};
    if (!out) return Unexpected{out.error()};
    s.amount_in = *in;
    s.amount_out = *out;
    if (s.sqrt_price_next_x96 != sqrt_target_x96) {
        // "we didn't reach the target, so take the remainder of the maximum input as fee"
        s.fee_amount = amount_remaining.wrapping_sub(s.amount_in);
    } else {
        auto fee = mul_div_rounding_up(s.amount_in, U256(fee_pips), U256(kFeePipsDenominator - fee_pips));
        if (!fee) return Unexpected{BotMathError::kOverflow};
        s.fee_amount = *fee;
    }
    return s;
}

MathResult<SwapStep> compute_swap_step_exact_out(const U256& sqrt_current_x96, const U256& sqrt_target_x96, const U256& liquidity,
                                                 const U256& amount_remaining, uint32_t fee_pips) {
    if (fee_pips >= kFeePipsDenominator) return Unexpected{BotMathError::kBadFee};
    // int256 amountRemaining < 0: its magnitude uint256(-amountRemaining) is at most 2^255.
    if (amount_remaining > kMaxI256.wrapping_add(U256(1))) return Unexpected{BotMathError::kValueOutOfRange};
    const bool zero_for_one = sqrt_current_x96 >= sqrt_target_x96;
    SwapStep s;
    auto to_target = zero_for_one ? amount1_delta(sqrt_target_x96, sqrt_current_x96, liquidity, false)
                                  : amount0_delta(sqrt_current_x96, sqrt_target_x96, liquidity, false);
    if (!to_target) return Unexpected{to_target.error()};
    s.amount_out = *to_target;
    if (amount_remaining >= s.amount_out) {
        s.sqrt_price_next_x96 = sqrt_target_x96;
    } else {
        auto next = next_sqrt_price_from_output(sqrt_current_x96, liquidity, amount_remaining, zero_for_one);
        if (!next) return Unexpected{next.error()};
        s.sqrt_price_next_x96 = *next;
    }
    const bool max = sqrt_target_x96 == s.sqrt_price_next_x96;
    MathResult<U256> in = U256(), out = s.amount_out;
    if (zero_for_one) {
        in = amount0_delta(s.sqrt_price_next_x96, sqrt_current_x96, liquidity, true);
        if (!max) out = amount1_delta(s.sqrt_price_next_x96, sqrt_current_x96, liquidity, false);
    } else {
        in = amount1_delta(sqrt_current_x96, s.sqrt_price_next_x96, liquidity, true);
        if (!max) out = amount0_delta(sqrt_current_x96, s.sqrt_price_next_x96, liquidity, false);
    }
    if (!in) return Unexpected{in.error()};
    if (!out) return Unexpected{out.error()};
    s.amount_in = *in;
    // "cap the output amount to not exceed the remaining output amount"
    s.amount_out = std::min(*out, amount_remaining);
    // An exact output always pays the fee on top of the input, target reached or not.
    auto fee = mul_div_rounding_up(s.amount_in, U256(fee_pips), U256(kFeePipsDenominator - fee_pips));
    if (!fee) return Unexpected{BotMathError::kOverflow};
    s.fee_amount = *fee;
    return s;
}

namespace {

MathResult<bool> check_range(const V3Range& r, bool zero_for_one) {
    if (r.sqrt_price_x96.is_zero() || r.bound_sqrt_price_x96.is_zero()) return Unexpected{BotMathError::kZeroPrice};
    if (!fits_u160(r.sqrt_price_x96) || !fits_u160(r.bound_sqrt_price_x96) || r.liquidity > kMaxU128)
        return Unexpected{BotMathError::kValueOutOfRange};
    if (r.fee_pips >= kFeePipsDenominator) return Unexpected{BotMathError::kBadFee};
    if (zero_for_one ? r.bound_sqrt_price_x96 > r.sqrt_price_x96 : r.bound_sqrt_price_x96 < r.sqrt_price_x96)
        return Unexpected{BotMathError::kWrongDirection};
    return true;
}

}  // namespace

MathResult<V3SwapResult> v3_swap_exact_in(const V3Range& range, const U256& amount_in, bool zero_for_one) {
    if (auto ok = check_range(range, zero_for_one); !ok) return Unexpected{ok.error()};
    if (amount_in.is_zero()) return Unexpected{BotMathError::kZeroAmount};  // UniswapV3Pool.swap: require(amountSpecified != 0, 'AS')
    if (range.liquidity.is_zero()) return Unexpected{BotMathError::kNoLiquidity};
    auto step = compute_swap_step_exact_in(range.sqrt_price_x96, range.bound_sqrt_price_x96, range.liquidity, amount_in, range.fee_pips);
    if (!step) return Unexpected{step.error()};
    const bool at_bound = step->sqrt_price_next_x96 == range.bound_sqrt_price_x96;
    // Input left over at the bound would be swapped in the next step, with other liquidity.
    if (at_bound && step->amount_in.wrapping_add(step->fee_amount) < amount_in) return Unexpected{BotMathError::kCrossesBound};
    return V3SwapResult{step->amount_out, step->sqrt_price_next_x96, at_bound};
}

MathResult<U256> v3_max_input_in_range(const V3Range& range, bool zero_for_one) {
    if (auto ok = check_range(range, zero_for_one); !ok) return Unexpected{ok.error()};
    auto net = zero_for_one ? amount0_delta(range.bound_sqrt_price_x96, range.sqrt_price_x96, range.liquidity, true)
                            : amount1_delta(range.sqrt_price_x96, range.bound_sqrt_price_x96, range.liquidity, true);
    if (!net) return Unexpected{net.error()};
    // x = net + ⌈net·fee / (10^6 − fee)⌉ is the least input whose fee-less part reaches `net`
    // (⌊x·(10^6 − fee)/10^6⌋ ≥ net), and computeSwapStep then charges exactly x − net as fee.
    auto fee = mul_div_rounding_up(*net, U256(range.fee_pips), U256(kFeePipsDenominator - range.fee_pips));
    if (!fee) return Unexpected{BotMathError::kOverflow};
    auto total = net->checked_add(*fee);
    if (!total) return Unexpected{BotMathError::kOverflow};
    return *total;
}

}  // namespace cvex::bots
