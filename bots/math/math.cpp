// Errors of the bots' AMM math, and the round-trip sizing (bot_math.hpp).
#include <cmath>

#include "bots/math/math.hpp"

namespace cvex::bots {

const char* to_string(BotMathError e) {
    switch (e) {
        case BotMathError::kZeroAmount: return "amount is zero";
        case BotMathError::kNoLiquidity: return "no liquidity (zero reserve or zero V3 liquidity)";
        case BotMathError::kZeroPrice: return "sqrt price is zero";
        case BotMathError::kOutputTooLarge: return "amount out is not below the reserve";
        case BotMathError::kOverflow: return "intermediate overflows 256 bits";
        case BotMathError::kValueOutOfRange: return "argument exceeds its Solidity type";
        case BotMathError::kTickOutOfRange: return "tick outside [-887272, 887272]";
        case BotMathError::kPriceOutOfRange: return "next sqrt price outside uint160";
        case BotMathError::kBadFee: return "fee is not below 1e6 pips";
        case BotMathError::kWrongDirection: return "bound is on the wrong side of the price for this direction";
        case BotMathError::kCrossesBound: return "input moves the price past the range bound";
    }
    return "bot math error";
}

long double optimal_round_trip_input(const CpmmLeg& first, const CpmmLeg& second) {
    if (!(first.reserve_in > 0 && first.reserve_out > 0 && second.reserve_in > 0 && second.reserve_out > 0 && first.gamma > 0 &&
          second.gamma > 0))
        return 0;
    const long double a = first.gamma * second.gamma * first.reserve_out * second.reserve_out;
    const long double b = first.reserve_in * second.reserve_in;
    const long double c = first.gamma * (second.reserve_in + second.gamma * first.reserve_out);
    if (!(a > b)) return 0;  // the first unit already loses: no gap after fees
    // √(A·B) as √A·√B: the product of two ~2^240 values would still fit a long double, but
    // this keeps the rounding error to one ulp per factor.
    const long double x = (std::sqrt(a) * std::sqrt(b) - b) / c;
    return x > 0 ? x : 0;
}

}  // namespace cvex::bots
