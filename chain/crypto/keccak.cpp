// A port of tiny-keccak's sponge (public domain) with the Keccak team's register-resident
// keccak-f[1600] ("KeccakP-1600-opt64" shape): the 25 lanes stay in locals, two rounds are
// written out per loop step so the round's output lanes become the next round's input without
// copies, and whole blocks are XORed straight into the register-resident lanes.
#include "chain/crypto/keccak.hpp"

#include <cstring>

namespace cvex::chain {

namespace {

// FIPS 202 §3.2.5 (iota): the 24 round constants of keccak-f[1600].
constexpr uint64_t kRoundConstants[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
    0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
    0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};

constexpr size_t kRateLanes = Keccak256::kRate / 8;

inline uint64_t rotl(uint64_t x, unsigned s) { return (x << s) | (x >> (64 - s)); }

inline uint64_t load_le(const uint8_t* p) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    return v;  // x86-64 and every platform we ship on are little-endian
}

// One round from lanes A.. into lanes E.. (names after the Keccak team's "Keccak-simple":
// <prefix><row><column>, rows b g k m s, columns a e i o u). theta's column parities C and D,
// then rho offsets and the pi permutation folded into the B inputs of chi, then iota on Eba
// (FIPS 202 §3.2). A macro so that both directions (A->E, E->A) stay in registers.
#define CVEX_KECCAK_ROUND(A, E, rc)                                                            \
    do {                                                                                       \
        const uint64_t Ca = A##ba ^ A##ga ^ A##ka ^ A##ma ^ A##sa;                             \
        const uint64_t Ce = A##be ^ A##ge ^ A##ke ^ A##me ^ A##se;                             \
        const uint64_t Ci = A##bi ^ A##gi ^ A##ki ^ A##mi ^ A##si;                             \
        const uint64_t Co = A##bo ^ A##go ^ A##ko ^ A##mo ^ A##so;                             \
        const uint64_t Cu = A##bu ^ A##gu ^ A##ku ^ A##mu ^ A##su;                             \
        const uint64_t Da = Cu ^ rotl(Ce, 1), De = Ca ^ rotl(Ci, 1), Di = Ce ^ rotl(Co, 1);    \
        const uint64_t Do = Ci ^ rotl(Cu, 1), Du = Co ^ rotl(Ca, 1);                           \
        uint64_t B0 = A##ba ^ Da, B1 = rotl(A##ge ^ De, 44), B2 = rotl(A##ki ^ Di, 43);        \
        uint64_t B3 = rotl(A##mo ^ Do, 21), B4 = rotl(A##su ^ Du, 14);                         \
        E##ba = B0 ^ (~B1 & B2) ^ (rc), E##be = B1 ^ (~B2 & B3), E##bi = B2 ^ (~B3 & B4);      \
        E##bo = B3 ^ (~B4 & B0), E##bu = B4 ^ (~B0 & B1);                                      \
        B0 = rotl(A##bo ^ Do, 28), B1 = rotl(A##gu ^ Du, 20), B2 = rotl(A##ka ^ Da, 3);        \
        B3 = rotl(A##me ^ De, 45), B4 = rotl(A##si ^ Di, 61);                                  \
        E##ga = B0 ^ (~B1 & B2), E##ge = B1 ^ (~B2 & B3), E##gi = B2 ^ (~B3 & B4);             \
        E##go = B3 ^ (~B4 & B0), E##gu = B4 ^ (~B0 & B1);                                      \
        B0 = rotl(A##be ^ De, 1), B1 = rotl(A##gi ^ Di, 6), B2 = rotl(A##ko ^ Do, 25);         \
        B3 = rotl(A##mu ^ Du, 8), B4 = rotl(A##sa ^ Da, 18);                                   \
        E##ka = B0 ^ (~B1 & B2), E##ke = B1 ^ (~B2 & B3), E##ki = B2 ^ (~B3 & B4);             \
        E##ko = B3 ^ (~B4 & B0), E##ku = B4 ^ (~B0 & B1);                                      \
        B0 = rotl(A##bu ^ Du, 27), B1 = rotl(A##ga ^ Da, 36), B2 = rotl(A##ke ^ De, 10);       \
        B3 = rotl(A##mi ^ Di, 15), B4 = rotl(A##so ^ Do, 56);                                  \
        E##ma = B0 ^ (~B1 & B2), E##me = B1 ^ (~B2 & B3), E##mi = B2 ^ (~B3 & B4);             \
        E##mo = B3 ^ (~B4 & B0), E##mu = B4 ^ (~B0 & B1);                                      \
        B0 = rotl(A##bi ^ Di, 62), B1 = rotl(A##go ^ Do, 55), B2 = rotl(A##ku ^ Du, 39);       \
        B3 = rotl(A##ma ^ Da, 41), B4 = rotl(A##se ^ De, 2);                                   \
        E##sa = B0 ^ (~B1 & B2), E##se = B1 ^ (~B2 & B3), E##si = B2 ^ (~B3 & B4);             \
        E##so = B3 ^ (~B4 & B0), E##su = B4 ^ (~B0 & B1);                                      \
    } while (0)

// XORs `blocks` whole rate-sized blocks from `in` into the state, permuting after each, with the
// lanes loaded once and stored once; blocks == 0 with in == nullptr is a bare keccak-f[1600].
// Built twice: portable x86-64, and x86-64-v3 where chi's ~x & y is one ANDN and rotations are
// RORX (BMI1/BMI2); glibc's ifunc picks the clone once at load time.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__linux__)
__attribute__((target_clones("default", "arch=x86-64-v3")))
#endif
void permute_blocks(uint64_t* st, const uint8_t* in, size_t blocks) {
    uint64_t Aba = st[0], Abe = st[1], Abi = st[2], Abo = st[3], Abu = st[4];
    uint64_t Aga = st[5], Age = st[6], Agi = st[7], Ago = st[8], Agu = st[9];
    uint64_t Aka = st[10], Ake = st[11], Aki = st[12], Ako = st[13], Aku = st[14];
    uint64_t Ama = st[15], Ame = st[16], Ami = st[17], Amo = st[18], Amu = st[19];
    uint64_t Asa = st[20], Ase = st[21], Asi = st[22], Aso = st[23], Asu = st[24];
    uint64_t Eba, Ebe, Ebi, Ebo, Ebu, Ega, Ege, Egi, Ego, Egu, Eka, Eke, Eki, Eko, Eku;
    uint64_t Ema, Eme, Emi, Emo, Emu, Esa, Ese, Esi, Eso, Esu;
    size_t left = blocks == 0 ? 1 : blocks;
    for (; left > 0; --left) {
        if (in != nullptr) {
            // The rate is 17 lanes (136 bytes): rows b, g, k fully and Ama, Ame.
            Aba ^= load_le(in), Abe ^= load_le(in + 8), Abi ^= load_le(in + 16);
            Abo ^= load_le(in + 24), Abu ^= load_le(in + 32), Aga ^= load_le(in + 40);
            Age ^= load_le(in + 48), Agi ^= load_le(in + 56), Ago ^= load_le(in + 64);
            Agu ^= load_le(in + 72), Aka ^= load_le(in + 80), Ake ^= load_le(in + 88);
            Aki ^= load_le(in + 96), Ako ^= load_le(in + 104), Aku ^= load_le(in + 112);
            Ama ^= load_le(in + 120), Ame ^= load_le(in + 128);
            in += Keccak256::kRate;
        }
        for (int round = 0; round < 24; round += 2) {
            CVEX_KECCAK_ROUND(A, E, kRoundConstants[round]);
            CVEX_KECCAK_ROUND(E, A, kRoundConstants[round + 1]);
        }
    }
    st[0] = Aba, st[1] = Abe, st[2] = Abi, st[3] = Abo, st[4] = Abu;
    st[5] = Aga, st[6] = Age, st[7] = Agi, st[8] = Ago, st[9] = Agu;
    st[10] = Aka, st[11] = Ake, st[12] = Aki, st[13] = Ako, st[14] = Aku;
    st[15] = Ama, st[16] = Ame, st[17] = Ami, st[18] = Amo, st[19] = Amu;
    st[20] = Asa, st[21] = Ase, st[22] = Asi, st[23] = Aso, st[24] = Asu;
}

#undef CVEX_KECCAK_ROUND

static_assert(kRateLanes == 17, "permute_blocks absorbs exactly the 17 lanes of Keccak-256's rate");

}  // namespace

void keccakf(std::array<uint64_t, 25>& st) { permute_blocks(st.data(), nullptr, 0); }

void Keccak256::update(ByteView data) {
    const uint8_t* p = data.data();
    size_t n = data.size();
    // Finish a partial block byte by byte, then absorb whole blocks straight into the lanes.
    while (n > 0 && offset_ != 0) {
        state_[offset_ / 8] ^= uint64_t{*p} << (8 * (offset_ % 8));
        ++p, --n;
        if (++offset_ == kRate) keccakf(state_), offset_ = 0;
    }
    if (const size_t blocks = n / kRate; blocks > 0) {
        permute_blocks(state_.data(), p, blocks);
        p += blocks * kRate, n -= blocks * kRate;
    }
    for (; n >= 8; p += 8, n -= 8, offset_ += 8) state_[offset_ / 8] ^= load_le(p);  // offset_ is a lane boundary here
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
