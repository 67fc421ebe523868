#include "chain/types/u256.hpp"

#include <algorithm>

namespace cvex::chain {

using u128 = unsigned __int128;

const char* to_string(U256Error e) {
    switch (e) {
        case U256Error::kEmpty: return "empty number";
        case U256Error::kBadDigit: return "invalid digit in number";
        case U256Error::kOverflow: return "number does not fit in 256 bits";
    }
    return "bad number";
}

namespace {
// r = a * m + add, false when the result needs more than 256 bits.
bool mul_small_add(U256& r, const U256& a, uint64_t m, uint64_t add) {
    uint64_t out[4];
    u128 carry = add;
    for (unsigned i = 0; i < 4; ++i) {
        const u128 t = static_cast<u128>(a.limb(i)) * m + carry;
        out[i] = static_cast<uint64_t>(t);
        carry = t >> 64;
    }
    r = U256::from_limbs(out[0], out[1], out[2], out[3]);
    return carry == 0;
}

// Divides in place by a small divisor, returning the remainder.
uint64_t div_small(U256& a, uint64_t d) {
    uint64_t q[4];
    u128 rem = 0;
    for (int i = 3; i >= 0; --i) {
        const u128 cur = (rem << 64) | a.limb(i);
        q[i] = static_cast<uint64_t>(cur / d);
        rem = cur % d;
    }
    a = U256::from_limbs(q[0], q[1], q[2], q[3]);
    return static_cast<uint64_t>(rem);
}
}  // namespace

Expected<U256, U256Error> U256::parse_dec(std::string_view s) {
    if (s.empty()) return Unexpected{U256Error::kEmpty};
    U256 r;
    for (char c : s) {
        if (c < '0' || c > '9') return Unexpected{U256Error::kBadDigit};
        if (!mul_small_add(r, r, 10, static_cast<uint64_t>(c - '0'))) return Unexpected{U256Error::kOverflow};
    }
    return r;
}

Expected<U256, U256Error> U256::parse_hex(std::string_view s) {
    if (s.size() >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) s.remove_prefix(2);
    if (s.empty()) return Unexpected{U256Error::kEmpty};
    U256 r;
    for (char c : s) {
        int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (v < 0) return Unexpected{U256Error::kBadDigit};
        if (r.limbs_[3] >> 60) return Unexpected{U256Error::kOverflow};
        r = (r << 4) | U256(static_cast<uint64_t>(v));
    }
    return r;
}

Expected<U256, U256Error> U256::parse(std::string_view s) {
    if (s.size() >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) return parse_hex(s);
    return parse_dec(s);
}

std::optional<U256> U256::from_be(ByteView b) {
    if (b.size() > 32) return std::nullopt;
    U256 r;
    for (uint8_t byte : b) r = (r << 8) | U256(byte);
    return r;
}

std::array<uint8_t, 32> U256::to_be() const {
    std::array<uint8_t, 32> out{};
    for (unsigned i = 0; i < 32; ++i) out[31 - i] = static_cast<uint8_t>(limbs_[i / 8] >> (8 * (i % 8)));
    return out;
}

Bytes U256::to_be_minimal() const {
    const auto full = to_be();
    auto first = std::find_if(full.begin(), full.end(), [](uint8_t b) { return b != 0; });
    return Bytes(first, full.end());
}

std::string U256::dec() const {
    if (is_zero()) return "0";
    std::string out;
    U256 v = *this;
    while (!v.is_zero()) out.push_back(static_cast<char>('0' + div_small(v, 10)));
    std::reverse(out.begin(), out.end());
    return out;
}

std::string U256::hex() const {
    std::string h = to_hex(to_be(), false);
    const size_t nz = h.find_first_not_of('0');
    return "0x" + (nz == std::string::npos ? std::string("0") : h.substr(nz));
}

unsigned U256::bit_length() const {
    for (int i = 3; i >= 0; --i)
        if (limbs_[i]) return static_cast<unsigned>(64 * i + 64 - __builtin_clzll(limbs_[i]));
    return 0;
}

U256 U256::wrapping_add(const U256& o) const {
    U256 r;
    u128 carry = 0;
    for (unsigned i = 0; i < 4; ++i) {
        const u128 t = static_cast<u128>(limbs_[i]) + o.limbs_[i] + carry;
        r.limbs_[i] = static_cast<uint64_t>(t);
        carry = t >> 64;
    }
    return r;
}

U256 U256::wrapping_sub(const U256& o) const { return wrapping_add((~o).wrapping_add(U256(1))); }

U256 U256::wrapping_mul(const U256& o) const {
    uint64_t out[4] = {0, 0, 0, 0};
    for (unsigned i = 0; i < 4; ++i) {
        u128 carry = 0;
        for (unsigned j = 0; i + j < 4; ++j) {
            const u128 t = static_cast<u128>(limbs_[i]) * o.limbs_[j] + out[i + j] + carry;
            out[i + j] = static_cast<uint64_t>(t);
            carry = t >> 64;
        }
    }
    return from_limbs(out[0], out[1], out[2], out[3]);
}

std::optional<U256> U256::checked_add(const U256& o) const {
    U256 r = wrapping_add(o);
    if (r < *this) return std::nullopt;
    return r;
}

std::optional<U256> U256::checked_sub(const U256& o) const {
    if (o > *this) return std::nullopt;
    return wrapping_sub(o);
}

std::optional<U256> U256::checked_mul(const U256& o) const {
    if (bit_length() + o.bit_length() > 257) return std::nullopt;
    U256 r = wrapping_mul(o);
    // bit lengths summing to 257 may or may not overflow: check by division.
    if (!is_zero() && (r.divmod(*this)->first != o)) return std::nullopt;
    return r;
}

std::optional<std::pair<U256, U256>> U256::divmod(const U256& d) const {
    if (d.is_zero()) return std::nullopt;
    if (d.fits_u64()) {
        U256 q = *this;
        const uint64_t r = div_small(q, d.low_u64());
        return std::pair{q, U256(r)};
    }
    // Shift-subtract long division: only reached with divisors above 2^64, which fee and
    // amount arithmetic almost never needs.
    U256 q, r;
    for (int i = static_cast<int>(bit_length()) - 1; i >= 0; --i) {
        r = (r << 1) | U256(bit(static_cast<unsigned>(i)) ? 1 : 0);
        if (r >= d) {
            r = r.wrapping_sub(d);
            q.limbs_[i / 64] |= 1ULL << (i % 64);
        }
    }
    return std::pair{q, r};
}

U256 U256::operator<<(unsigned s) const {
    if (s >= 256) return {};
    U256 r;
    const unsigned limb = s / 64, bits = s % 64;
    for (int i = 3; i >= static_cast<int>(limb); --i) {
        uint64_t v = limbs_[i - limb] << bits;
        if (bits && i - static_cast<int>(limb) - 1 >= 0) v |= limbs_[i - limb - 1] >> (64 - bits);
        r.limbs_[i] = v;
    }
    return r;
}

U256 U256::operator>>(unsigned s) const {
    if (s >= 256) return {};
    U256 r;
    const unsigned limb = s / 64, bits = s % 64;
    for (unsigned i = 0; i + limb < 4; ++i) {
        uint64_t v = limbs_[i + limb] >> bits;
        if (bits && i + limb + 1 < 4) v |= limbs_[i + limb + 1] << (64 - bits);
        r.limbs_[i] = v;
    }
    return r;
}

U256 U256::operator&(const U256& o) const {
    return from_limbs(limbs_[0] & o.limbs_[0], limbs_[1] & o.limbs_[1], limbs_[2] & o.limbs_[2], limbs_[3] & o.limbs_[3]);
}
U256 U256::operator|(const U256& o) const {
    return from_limbs(limbs_[0] | o.limbs_[0], limbs_[1] | o.limbs_[1], limbs_[2] | o.limbs_[2], limbs_[3] | o.limbs_[3]);
}
U256 U256::operator~() const { return from_limbs(~limbs_[0], ~limbs_[1], ~limbs_[2], ~limbs_[3]); }

}  // namespace cvex::chain
