// Integer arithmetic for the bots' exact AMM math: Uniswap V3's FullMath (mulDiv,
// mulDivRoundingUp) from chain/types/u512.hpp, UnsafeMath (divRoundingUp), and long double
// conversions for sizing estimates.
#pragma once

#include <optional>

#include "chain/types/u256.hpp"
#include "chain/types/u512.hpp"

namespace cvex::bots {

// The 512-bit arithmetic lives beside U256 (chain/types/u512.hpp); the bots use it by these names.
using chain::div_mod;
using chain::mul_div;
using chain::mul_div_rounding_up;
using chain::mul_wide;
using chain::U512;

/// ceil(x / y) (UnsafeMath.divRoundingUp); nullopt for y = 0 (the EVM would return 0 there,
/// which no caller of ours may rely on).
std::optional<chain::U256> div_rounding_up(const chain::U256& x, const chain::U256& y);

/// A U256 as a long double (x87 extended: 64-bit mantissa, so relative error ≤ 2^-64), and back
/// (truncating; negative or NaN → 0, ≥ 2^256 → U256::max()). For sizing estimates only: every
/// amount that goes on chain is recomputed exactly.
long double to_long_double(const chain::U256& v);
chain::U256 from_long_double(long double v);

}  // namespace cvex::bots
