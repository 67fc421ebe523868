#include "chain/types/address.hpp"

#include <algorithm>
#include <cctype>

#include "chain/crypto/keccak.hpp"

namespace cvex::chain {

const char* to_string(AddressError e) {
    switch (e) {
        case AddressError::kBadLength: return "address must be 0x followed by 40 hex digits";
        case AddressError::kBadHex: return "address has a non-hex character";
        case AddressError::kBadChecksum: return "address has a wrong EIP-55 checksum";
    }
    return "bad address";
}

std::string Address::checksum_hex() const {
    // EIP-55: upper-case the i-th hex letter when the i-th nibble of keccak(lowercase hex) >= 8.
    const std::string lower = to_hex(bytes, false);
    const Hash32 h = keccak256(as_view(lower));
    std::string out = "0x";
    for (size_t i = 0; i < lower.size(); ++i) {
        const uint8_t nib = (h.bytes[i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0xf;
        const char c = lower[i];
        out.push_back(c >= 'a' && nib >= 8 ? static_cast<char>(c - 'a' + 'A') : c);
    }
    return out;
}

Expected<Address, AddressError> Address::parse(std::string_view hex) {
    if (hex.size() >= 2 && hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X')) hex.remove_prefix(2);
    if (hex.size() != 40) return Unexpected{AddressError::kBadLength};
    Address a;
    if (!from_hex_fixed(hex, a.bytes)) return Unexpected{AddressError::kBadHex};
    const bool has_lower = std::any_of(hex.begin(), hex.end(), [](char c) { return c >= 'a' && c <= 'f'; });
    const bool has_upper = std::any_of(hex.begin(), hex.end(), [](char c) { return c >= 'A' && c <= 'F'; });
    if (has_lower && has_upper && a.checksum_hex().substr(2) != hex) return Unexpected{AddressError::kBadChecksum};
    return a;
}

bool Address::is_zero() const {
    return std::all_of(bytes.begin(), bytes.end(), [](uint8_t b) { return b == 0; });
}

}  // namespace cvex::chain
