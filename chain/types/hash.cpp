#include "chain/types/hash.hpp"

#include <algorithm>

namespace cvex::chain {

std::optional<Hash32> Hash32::from_hex(std::string_view hex) {
    Hash32 h;
    if (!from_hex_fixed(hex, h.bytes)) return std::nullopt;
    return h;
}

bool Hash32::is_zero() const {
    return std::all_of(bytes.begin(), bytes.end(), [](uint8_t b) { return b == 0; });
}

}  // namespace cvex::chain
