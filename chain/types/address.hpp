// Address: a 20-byte Ethereum account address, written with the EIP-55 mixed-case checksum.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/bytes.hpp"
#include "base/expected.hpp"

namespace cvex::chain {

enum class AddressError {
    kBadLength,    // not 40 hex digits
    kBadHex,       // a character that is not a hex digit
    kBadChecksum,  // mixed case that is not the EIP-55 checksum
};

const char* to_string(AddressError e);

struct Address {
    std::array<uint8_t, 20> bytes{};

    /// Accepts `0x` + 40 hex digits: all lower case, all upper case, or the exact EIP-55 form.
    static Expected<Address, AddressError> parse(std::string_view hex);
    /// The EIP-55 checksummed form, `0x`-prefixed.
    std::string checksum_hex() const;
    std::string hex() const { return to_hex(bytes); }
    ByteView view() const { return bytes; }
    bool is_zero() const;

    auto operator<=>(const Address&) const = default;
};

}  // namespace cvex::chain
