// 512-bit-intermediate integer arithmetic for the bots' exact AMM math: Uniswap V3's FullMath
// (mulDiv, mulDivRoundingUp: a × b / d without overflow of the product) and UnsafeMath
// (divRoundingUp), plus a fast 256-bit division. chain::U256's own division is bit-serial for
// divisors above 2^64 (fine for fees, too slow for a sub-millisecond decision path), so these
// use Knuth's Algorithm D (TAOCP vol. 2, §4.3.1) on 64-bit limbs.
#pragma once

#include <optional>
#include <utility>

#include "chain/types/u256.hpp"

namespace cvex::bots {

/// The full 512-bit product of two U256 (high and low halves).
struct U512 {
    chain::U256 hi;
    chain::U256 lo;
};

U512 mul_wide(const chain::U256& a, const chain::U256& b);

/// Quotient and remainder of a / d; nullopt when d is zero.
std::optional<std::pair<chain::U256, chain::U256>> div_mod(const chain::U256& a, const chain::U256& d);

/// floor(a × b / d) with a 512-bit intermediate (FullMath.mulDiv); nullopt when d is zero or the
/// quotient does not fit in 256 bits (where FullMath reverts).
std::optional<chain::U256> mul_div(const chain::U256& a, const chain::U256& b, const chain::U256& d);

/// ceil(a × b / d) (FullMath.mulDivRoundingUp); nullopt where FullMath reverts.
std::optional<chain::U256> mul_div_rounding_up(const chain::U256& a, const chain::U256& b, const chain::U256& d);

/// ceil(x / y) (UnsafeMath.divRoundingUp); nullopt for y = 0 (the EVM would return 0 there,
/// which no caller of ours may rely on).
std::optional<chain::U256> div_rounding_up(const chain::U256& x, const chain::U256& y);

/// A U256 as a long double (x87 extended: 64-bit mantissa, so relative error ≤ 2^-64), and back
/// (truncating; negative or NaN → 0, ≥ 2^256 → U256::max()). For sizing estimates only: every
/// amount that goes on chain is recomputed exactly.
long double to_long_double(const chain::U256& v);
chain::U256 from_long_double(long double v);

}  // namespace cvex::bots
