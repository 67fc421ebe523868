#include "bots/math/full_math.hpp"

#include <cmath>
#include <cstdint>

namespace cvex::bots {

using chain::U256;

std::optional<U256> div_rounding_up(const U256& x, const U256& y) {
    auto qr = div_mod(x, y);
    if (!qr) return std::nullopt;
    // x / y < 2^256 - 1 whenever y ≥ 2, and y = 1 leaves no remainder: the +1 cannot wrap.
    return qr->second.is_zero() ? qr->first : qr->first.wrapping_add(U256(1));
}

long double to_long_double(const U256& v) {
    long double r = 0;
    for (int i = 3; i >= 0; --i) r = r * 18446744073709551616.0L + static_cast<long double>(v.limb(static_cast<unsigned>(i)));
    return r;
}

U256 from_long_double(long double v) {
    if (!(v >= 1.0L)) return U256();  // also NaN
    if (v >= std::ldexp(1.0L, 256)) return U256::max();
    int exp = 0;
    const long double mant = std::frexp(v, &exp);  // v = mant × 2^exp, mant in [0.5, 1)
    // The 64-bit mantissa as an integer, then shifted into place (truncating below 2^0).
    const auto m = static_cast<uint64_t>(std::ldexp(mant, 64));
    const int shift = exp - 64;
    return shift >= 0 ? U256(m) << static_cast<unsigned>(shift) : U256(m >> static_cast<unsigned>(-shift));
}

}  // namespace cvex::bots
