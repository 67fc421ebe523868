// U256: an unsigned 256-bit integer for amounts, fees, nonces and ABI words.
// Checked arithmetic reports overflow (fees and amounts must never wrap silently); the
// wrapping operators exist for modular ABI/EVM semantics and are named as such.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "base/bytes.hpp"
#include "base/expected.hpp"

namespace cvex::chain {

enum class U256Error {
    kEmpty,     // no digits
    kBadDigit,  // a character that is not a digit of the base
    kOverflow,  // the value does not fit in 256 bits
};

const char* to_string(U256Error e);

class U256 {
public:
    constexpr U256() = default;
    constexpr U256(uint64_t v) : limbs_{v, 0, 0, 0} {}  // NOLINT: implicit from small integers is intended
    static constexpr U256 from_limbs(uint64_t l0, uint64_t l1, uint64_t l2, uint64_t l3) {
        U256 r;
        r.limbs_ = {l0, l1, l2, l3};
        return r;
    }
    static constexpr U256 max() { return from_limbs(~0ULL, ~0ULL, ~0ULL, ~0ULL); }

    /// Decimal, or hex with a `0x` prefix.
    static Expected<U256, U256Error> parse(std::string_view text);
    static Expected<U256, U256Error> parse_dec(std::string_view text);
    static Expected<U256, U256Error> parse_hex(std::string_view text);  // with or without 0x
    /// Big-endian bytes, at most 32 (fewer are left-padded with zeros).
    static std::optional<U256> from_be(ByteView bytes);

    std::array<uint8_t, 32> to_be() const;
    /// Big-endian without leading zero bytes (empty for zero): RLP's integer form.
    Bytes to_be_minimal() const;
    std::string dec() const;
    /// `0x`-prefixed minimal hex, "0x0" for zero (the JSON-RPC QUANTITY form).
    std::string hex() const;

    bool is_zero() const { return (limbs_[0] | limbs_[1] | limbs_[2] | limbs_[3]) == 0; }
    bool fits_u64() const { return (limbs_[1] | limbs_[2] | limbs_[3]) == 0; }
    uint64_t low_u64() const { return limbs_[0]; }
    unsigned bit_length() const;
    bool bit(unsigned i) const { return i < 256 && (limbs_[i / 64] >> (i % 64)) & 1; }
    uint64_t limb(unsigned i) const { return limbs_[i]; }

    std::optional<U256> checked_add(const U256& o) const;
    std::optional<U256> checked_sub(const U256& o) const;
    std::optional<U256> checked_mul(const U256& o) const;
    /// Quotient and remainder; nullopt for division by zero.
    std::optional<std::pair<U256, U256>> divmod(const U256& d) const;

    U256 wrapping_add(const U256& o) const;
    U256 wrapping_sub(const U256& o) const;
    U256 wrapping_mul(const U256& o) const;
    U256 operator<<(unsigned s) const;
    U256 operator>>(unsigned s) const;
    U256 operator&(const U256& o) const;
    U256 operator|(const U256& o) const;
    U256 operator~() const;

    friend bool operator==(const U256& a, const U256& b) = default;
    friend std::strong_ordering operator<=>(const U256& a, const U256& b) {
        for (int i = 3; i >= 0; --i)
            if (a.limbs_[i] != b.limbs_[i]) return a.limbs_[i] <=> b.limbs_[i];
        return std::strong_ordering::equal;
    }

private:
    std::array<uint64_t, 4> limbs_{};  // little-endian limbs
};

}  // namespace cvex::chain
