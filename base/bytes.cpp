#include "base/bytes.hpp"

namespace cvex {

namespace {
constexpr char kDigits[] = "0123456789abcdef";

int nibble(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string_view strip_prefix(std::string_view hex) {
    if (hex.size() >= 2 && hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X')) hex.remove_prefix(2);
    return hex;
}
}  // namespace

std::string to_hex(ByteView bytes, bool prefix) {
    std::string out;
    out.reserve(bytes.size() * 2 + 2);
    if (prefix) out = "0x";
    for (uint8_t b : bytes) {
        out.push_back(kDigits[b >> 4]);
        out.push_back(kDigits[b & 0xf]);
    }
    return out;
}

bool from_hex_fixed(std::string_view hex, std::span<uint8_t> out) {
    hex = strip_prefix(hex);
    if (hex.size() != out.size() * 2) return false;
    for (size_t i = 0; i < out.size(); ++i) {
        int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) return false;
        out[i] = static_cast<uint8_t>(hi << 4 | lo);
    }
    return true;
}

std::optional<Bytes> from_hex(std::string_view hex) {
    hex = strip_prefix(hex);
    if (hex.size() % 2 != 0) return std::nullopt;
    Bytes out(hex.size() / 2);
    if (!from_hex_fixed(hex, out)) return std::nullopt;
    return out;
}

}  // namespace cvex
