// A port of tiny-keccak's sponge (public domain) with the Keccak team's register-resident
// keccak-f[1600] round: the 25 lanes stay in locals, which is what makes it fast.
#include "chain/crypto/keccak.hpp"

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

inline uint64_t rotl(uint64_t x, unsigned s) { return (x << s) | (x >> (64 - s)); }

inline uint64_t load_le(const uint8_t* p) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    return v;  // x86-64 and every platform we ship on are little-endian
}

}  // namespace

void keccakf(std::array<uint64_t, 25>& st) {
    // Lanes in registers, one round written out (lane names after the Keccak team's
    // "Keccak-simple": A<row><column>, rows b g k m s, columns a e i o u); rho offsets and the
    // pi permutation are folded into the B assignments (FIPS 202 §3.2).
    uint64_t* a = st.data();
    uint64_t Aba = a[0], Abe = a[1], Abi = a[2], Abo = a[3], Abu = a[4];
    uint64_t Aga = a[5], Age = a[6], Agi = a[7], Ago = a[8], Agu = a[9];
    uint64_t Aka = a[10], Ake = a[11], Aki = a[12], Ako = a[13], Aku = a[14];
    uint64_t Ama = a[15], Ame = a[16], Ami = a[17], Amo = a[18], Amu = a[19];
    uint64_t Asa = a[20], Ase = a[21], Asi = a[22], Aso = a[23], Asu = a[24];
    for (int round = 0; round < 24; ++round) {
        const uint64_t Ca = Aba ^ Aga ^ Aka ^ Ama ^ Asa, Ce = Abe ^ Age ^ Ake ^ Ame ^ Ase;
        const uint64_t Ci = Abi ^ Agi ^ Aki ^ Ami ^ Asi, Co = Abo ^ Ago ^ Ako ^ Amo ^ Aso;
        const uint64_t Cu = Abu ^ Agu ^ Aku ^ Amu ^ Asu;
        const uint64_t Da = Cu ^ rotl(Ce, 1), De = Ca ^ rotl(Ci, 1), Di = Ce ^ rotl(Co, 1);
        const uint64_t Do = Ci ^ rotl(Cu, 1), Du = Co ^ rotl(Ca, 1);

        uint64_t B0 = Aba ^ Da, B1 = rotl(Age ^ De, 44), B2 = rotl(Aki ^ Di, 43), B3 = rotl(Amo ^ Do, 21), B4 = rotl(Asu ^ Du, 14);
        const uint64_t Eba = B0 ^ (~B1 & B2) ^ kRoundConstants[round], Ebe = B1 ^ (~B2 & B3), Ebi = B2 ^ (~B3 & B4),
                       Ebo = B3 ^ (~B4 & B0), Ebu = B4 ^ (~B0 & B1);
        B0 = rotl(Abo ^ Do, 28), B1 = rotl(Agu ^ Du, 20), B2 = rotl(Aka ^ Da, 3), B3 = rotl(Ame ^ De, 45), B4 = rotl(Asi ^ Di, 61);
        const uint64_t Ega = B0 ^ (~B1 & B2), Ege = B1 ^ (~B2 & B3), Egi = B2 ^ (~B3 & B4), Ego = B3 ^ (~B4 & B0), Egu = B4 ^ (~B0 & B1);
        B0 = rotl(Abe ^ De, 1), B1 = rotl(Agi ^ Di, 6), B2 = rotl(Ako ^ Do, 25), B3 = rotl(Amu ^ Du, 8), B4 = rotl(Asa ^ Da, 18);
        const uint64_t Eka = B0 ^ (~B1 & B2), Eke = B1 ^ (~B2 & B3), Eki = B2 ^ (~B3 & B4), Eko = B3 ^ (~B4 & B0), Eku = B4 ^ (~B0 & B1);
        B0 = rotl(Abu ^ Du, 27), B1 = rotl(Aga ^ Da, 36), B2 = rotl(Ake ^ De, 10), B3 = rotl(Ami ^ Di, 15), B4 = rotl(Aso ^ Do, 56);
        const uint64_t Ema = B0 ^ (~B1 & B2), Eme = B1 ^ (~B2 & B3), Emi = B2 ^ (~B3 & B4), Emo = B3 ^ (~B4 & B0), Emu = B4 ^ (~B0 & B1);
        B0 = rotl(Abi ^ Di, 62), B1 = rotl(Ago ^ Do, 55), B2 = rotl(Aku ^ Du, 39), B3 = rotl(Ama ^ Da, 41), B4 = rotl(Ase ^ De, 2);
        const uint64_t Esa = B0 ^ (~B1 & B2), Ese = B1 ^ (~B2 & B3), Esi = B2 ^ (~B3 & B4), Eso = B3 ^ (~B4 & B0), Esu = B4 ^ (~B0 & B1);

        Aba = Eba, Abe = Ebe, Abi = Ebi, Abo = Ebo, Abu = Ebu;
        Aga = Ega, Age = Ege, Agi = Egi, Ago = Ego, Agu = Egu;
        Aka = Eka, Ake = Eke, Aki = Eki, Ako = Eko, Aku = Eku;
        Ama = Ema, Ame = Eme, Ami = Emi, Amo = Emo, Amu = Emu;
        Asa = Esa, Ase = Ese, Asi = Esi, Aso = Eso, Asu = Esu;
    }
    a[0] = Aba, a[1] = Abe, a[2] = Abi, a[3] = Abo, a[4] = Abu;
    a[5] = Aga, a[6] = Age, a[7] = Agi, a[8] = Ago, a[9] = Agu;
    a[10] = Aka, a[11] = Ake, a[12] = Aki, a[13] = Ako, a[14] = Aku;
    a[15] = Ama, a[16] = Ame, a[17] = Ami, a[18] = Amo, a[19] = Amu;
    a[20] = Asa, a[21] = Ase, a[22] = Asi, a[23] = Aso, a[24] = Asu;
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
