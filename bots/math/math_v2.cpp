// Uniswap V2's exact-amount formulas (v2-periphery UniswapV2Library), with SafeMath's checks:
// where the library reverts, these return the error.
#include "bots/math/full_math.hpp"
#include "bots/math/math.hpp"

namespace cvex::bots {

using chain::U256;
using cvex::Unexpected;

namespace {

// SafeMath.mul: the product must fit in 256 bits.
std::optional<U256> checked_mul(const U256& a, const U256& b) {
    const U512 p = mul_wide(a, b);
    if (!p.hi.is_zero()) return std::nullopt;
    return p.lo;
}

}  // namespace

MathResult<U256> v2_amount_out(const U256& amount_in, const U256& reserve_in, const U256& reserve_out) {
    if (amount_in.is_zero()) return Unexpected{BotMathError::kZeroAmount};  // INSUFFICIENT_INPUT_AMOUNT
    if (reserve_in.is_zero() || reserve_out.is_zero()) return Unexpected{BotMathError::kNoLiquidity};  // INSUFFICIENT_LIQUIDITY
    auto in_with_fee = checked_mul(amount_in, U256(997));
    if (!in_with_fee) return Unexpected{BotMathError::kOverflow};
    auto numerator = checked_mul(*in_with_fee, reserve_out);
    if (!numerator) return Unexpected{BotMathError::kOverflow};
    auto scaled_in = checked_mul(reserve_in, U256(1000));
    if (!scaled_in) return Unexpected{BotMathError::kOverflow};
    auto denominator = scaled_in->checked_add(*in_with_fee);
    if (!denominator) return Unexpected{BotMathError::kOverflow};
    return div_mod(*numerator, *denominator)->first;
}

MathResult<U256> v2_amount_in(const U256& amount_out, const U256& reserve_in, const U256& reserve_out) {
    if (amount_out.is_zero()) return Unexpected{BotMathError::kZeroAmount};  // INSUFFICIENT_OUTPUT_AMOUNT
    if (reserve_in.is_zero() || reserve_out.is_zero()) return Unexpected{BotMathError::kNoLiquidity};
    // reserveOut.sub(amountOut) reverts at amountOut > reserveOut; at equality the library
    // divides by zero (reverts too): no amount buys the whole reserve.
    if (amount_out >= reserve_out) return Unexpected{BotMathError::kOutputTooLarge};
    auto numerator = checked_mul(reserve_in, amount_out);
    if (numerator) numerator = checked_mul(*numerator, U256(1000));
    if (!numerator) return Unexpected{BotMathError::kOverflow};
    auto denominator = checked_mul(reserve_out.wrapping_sub(amount_out), U256(997));
    if (!denominator) return Unexpected{BotMathError::kOverflow};
    auto amount_in = div_mod(*numerator, *denominator)->first.checked_add(U256(1));
    if (!amount_in) return Unexpected{BotMathError::kOverflow};
    return *amount_in;
}

}  // namespace cvex::bots
