// Byte strings and the one place cvex converts them to and from hex.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cvex {

using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;

/// Lower-case hex with a `0x` prefix (`prefix = false` omits it).
std::string to_hex(ByteView bytes, bool prefix = true);

/// Parses hex with or without `0x`; an odd length or a non-hex digit gives nullopt.
std::optional<Bytes> from_hex(std::string_view hex);

/// Parses hex into exactly `out.size()` bytes; false if the length or a digit is wrong.
bool from_hex_fixed(std::string_view hex, std::span<uint8_t> out);

inline ByteView as_view(std::string_view s) {
    return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

inline Bytes concat(ByteView a, ByteView b) {
    Bytes r(a.begin(), a.end());
    r.insert(r.end(), b.begin(), b.end());
    return r;
}

}  // namespace cvex
