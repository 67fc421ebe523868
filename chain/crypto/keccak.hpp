// Keccak-256 as Ethereum uses it: the original Keccak padding (0x01), not FIPS-202 SHA3's (0x06).
// A port of tiny-keccak (rate 136 bytes, keccak-f[1600] with 24 rounds).
#pragma once

#include <array>
#include <cstdint>

#include "base/bytes.hpp"
#include "chain/types/hash.hpp"

namespace cvex::chain {

/// Incremental Keccak-256.
class Keccak256 {
public:
    static constexpr size_t kRate = 136;  // 1600 - 2*256 bits, in bytes

    void update(ByteView data);
    Hash32 finalize();  // The hasher is spent afterwards.

private:
    std::array<uint64_t, 25> state_{};
    size_t offset_ = 0;  // bytes absorbed into the current block
};

Hash32 keccak256(ByteView data);

/// keccak-f[1600] on a 25-lane state (exposed for tests and benchmarks).
void keccakf(std::array<uint64_t, 25>& a);

}  // namespace cvex::chain
