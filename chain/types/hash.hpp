// Hash32: a 32-byte value (hashes, storage words, topics).
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/bytes.hpp"

namespace cvex::chain {

struct Hash32 {
    std::array<uint8_t, 32> bytes{};

    static std::optional<Hash32> from_hex(std::string_view hex);
    std::string hex() const { return to_hex(bytes); }
    ByteView view() const { return bytes; }
    bool is_zero() const;

    auto operator<=>(const Hash32&) const = default;
};

}  // namespace cvex::chain
