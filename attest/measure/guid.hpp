// EFI GUIDs as firmware stores them: the first three fields little-endian, the last eight bytes
// in order (UEFI Specification 2.10, Appendix A "EFI_GUID"), so "96b582de-1fb2-45f7-baea-…" is
// the bytes de 82 b5 96 b2 1f f7 45 ba ea …. Written here in their text form, converted at
// compile time.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace cvex::attest::measure {

using Guid = std::array<uint8_t, 16>;

namespace detail {
// Not constexpr: reaching it in a consteval call is a compile error, which is the point.
inline int bad_guid_text() { return 0; }

consteval uint8_t hex_nibble(char c) {
    if (c >= '0' && c <= '9') return static_cast<uint8_t>(c - '0');
    if (c >= 'a' && c <= 'f') return static_cast<uint8_t>(c - 'a' + 10);
    if (c >= 'A' && c <= 'F') return static_cast<uint8_t>(c - 'A' + 10);
    return static_cast<uint8_t>(bad_guid_text());
}
}  // namespace detail

/// "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" → the 16 bytes of its EFI_GUID in memory.
consteval Guid guid(std::string_view text) {
    if (text.size() != 36 || text[8] != '-' || text[13] != '-' || text[18] != '-' || text[23] != '-') detail::bad_guid_text();
    std::array<uint8_t, 16> be{};  // the bytes in text order
    size_t n = 0;
    for (size_t i = 0; i < text.size(); i += (text[i] == '-') ? 1 : 2) {
        if (text[i] == '-') continue;
        be[n++] = static_cast<uint8_t>(detail::hex_nibble(text[i]) << 4 | detail::hex_nibble(text[i + 1]));
    }
    return Guid{be[3], be[2], be[1], be[0], be[5], be[4], be[7], be[6],
                be[8], be[9], be[10], be[11], be[12], be[13], be[14], be[15]};
}

}  // namespace cvex::attest::measure
