// A port of tiny-keccak's keccak-f[1600] (public domain, after the Keccak team's reference),
// with the round loop of theta / rho-pi / chi / iota unrolled over lanes.
#include "chain/keccak.hpp"

#include <cstring>

namespace cvex::chain {

namespace {

constexpr uint64_t kRoundConstants[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
    0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
    0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};

constexpr unsigned kRho[24] = {1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 2, 14,
                               27, 41, 56, 8, 25, 43, 62, 18, 39, 61, 20, 44};
constexpr unsigned kPi[24] = {10, 7, 11, 17, 18, 3, 5, 16, 8, 21, 24, 4,
                              15, 23, 19, 13, 12, 2, 20, 14, 22, 9, 6, 1};

inline uint64_t rotl(uint64_t x, unsigned s) { return (x << s) | (x >> (64 - s)); }

inline uint64_t load_le(const uint8_t* p) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    return v;  // x86-64 and every platform we ship on are little-endian
}

}  // namespace

void keccakf(std::array<uint64_t, 25>& st) {
    uint64_t* a = st.data();
    for (int round = 0; round < 24; ++round) {
        uint64_t c[5];
        for (int x = 0; x < 5; ++x) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
        for (int x = 0; x < 5; ++x) {
            const uint64_t d = c[(x + 4) % 5] ^ rotl(c[(x + 1) % 5], 1);
            for (int y = 0; y < 25; y += 5) a[y + x] ^= d;
        }
        uint64_t last = a[1];
        for (int i = 0; i < 24; ++i) {
            const unsigned j = kPi[i];
            const uint64_t tmp = a[j];
            a[j] = rotl(last, kRho[i]);
            last = tmp;
        }
        for (int y = 0; y < 25; y += 5) {
            const uint64_t b0 = a[y], b1 = a[y + 1], b2 = a[y + 2], b3 = a[y + 3], b4 = a[y + 4];
            a[y] = b0 ^ (~b1 & b2);
            a[y + 1] = b1 ^ (~b2 & b3);
            a[y + 2] = b2 ^ (~b3 & b4);
            a[y + 3] = b3 ^ (~b4 & b0);
            a[y + 4] = b4 ^ (~b0 & b1);
        }
        a[0] ^= kRoundConstants[round];
    }
}

void Keccak256::update(ByteView data) {
    const uint8_t* p = data.data();
    size_t n = data.size();
    // Finish a partial block byte by byte, then absorb whole blocks lane by lane.
    while (n > 0 && offset_ != 0) {
        state_[offset_ / 8] ^= uint64_t{*p} << (8 * (offset_ % 8));
        ++p, --n;
        if (++offset_ == kRate) keccakf(state_), offset_ = 0;
    }
    while (n >= kRate) {
        for (size_t i = 0; i < kRate / 8; ++i) state_[i] ^= load_le(p + 8 * i);
        keccakf(state_);
        p += kRate, n -= kRate;
    }
    for (; n > 0; ++p, --n, ++offset_) state_[offset_ / 8] ^= uint64_t{*p} << (8 * (offset_ % 8));
}

Hash32 Keccak256::finalize() {
    state_[offset_ / 8] ^= uint64_t{0x01} << (8 * (offset_ % 8));
    state_[(kRate - 1) / 8] ^= uint64_t{0x80} << (8 * ((kRate - 1) % 8));
    keccakf(state_);
    Hash32 h;
    std::memcpy(h.bytes.data(), state_.data(), 32);
    return h;
}

Hash32 keccak256(ByteView data) {
    Keccak256 k;
    k.update(data);
    return k.finalize();
}

}  // namespace cvex::chain
