// Comparisons of 32-byte big-endian scalars that take the same time whatever the bytes, for
// checks on secrets (x in [1, q−1], the RFC 6979 candidate k < q): an early-exit comparison
// would reveal where a secret first differs from q. Private to cvex_vrf.
#pragma once

#include <cstdint>
#include <span>

namespace cvex::vrf::detail {

inline bool ct_is_zero(std::span<const uint8_t, 32> a) {
    uint32_t acc = 0;
    for (uint8_t b : a) acc |= b;
    return acc == 0;
}

/// a < b: the final borrow of a − b, computed over every byte.
inline bool ct_less_than(std::span<const uint8_t, 32> a, std::span<const uint8_t, 32> b) {
    uint32_t borrow = 0;
    for (int i = 31; i >= 0; --i) {
        const uint32_t d = uint32_t{a[i]} - uint32_t{b[i]} - borrow;
        borrow = (d >> 31) & 1;
    }
    return borrow == 1;
}

/// 1 <= a < q: a valid secret scalar or nonce.
inline bool ct_in_scalar_range(std::span<const uint8_t, 32> a, std::span<const uint8_t, 32> q) {
    return !ct_is_zero(a) & ct_less_than(a, q);
}

}  // namespace cvex::vrf::detail
