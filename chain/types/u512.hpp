// U512: the full product of two U256 and the divisions that need a 512-bit intermediate —
// Uniswap V3's FullMath (mulDiv, mulDivRoundingUp: a × b / d without overflow of the product),
// a fast 256-bit division, and a 512-by-256-bit division. U256's own division is bit-serial for
// divisors above 2^64 (fine for fees, too slow for a sub-millisecond decision path), so these
// use Knuth's Algorithm D (TAOCP vol. 2, §4.3.1) on 64-bit limbs. Shared by the bots' AMM math
// and the DEX deployer's sqrtPriceX96.
#pragma once

#include <compare>
#include <optional>
#include <utility>

#include "chain/types/u256.hpp"

namespace cvex::chain {

/// An unsigned 512-bit integer as its high and low 256-bit halves.
struct U512 {
    U256 hi;
    U256 lo;

    friend bool operator==(const U512& a, const U512& b) = default;
    friend std::strong_ordering operator<=>(const U512& a, const U512& b) {
        if (auto c = a.hi <=> b.hi; c != 0) return c;
        return a.lo <=> b.lo;
    }
};

/// The full 512-bit product of two U256.
U512 mul_wide(const U256& a, const U256& b);

/// Quotient and remainder of a / d; nullopt when d is zero.
std::optional<std::pair<U256, U256>> div_mod(const U256& a, const U256& d);

/// Quotient (up to 512 bits) and remainder of num / d; nullopt when d is zero.
std::optional<std::pair<U512, U256>> divmod(const U512& num, const U256& d);

/// floor(a × b / d) with a 512-bit intermediate (FullMath.mulDiv); nullopt when d is zero or the
/// quotient does not fit in 256 bits (where FullMath reverts).
std::optional<U256> mul_div(const U256& a, const U256& b, const U256& d);

/// ceil(a × b / d) (FullMath.mulDivRoundingUp); nullopt where FullMath reverts.
std::optional<U256> mul_div_rounding_up(const U256& a, const U256& b, const U256& d);

}  // namespace cvex::chain
