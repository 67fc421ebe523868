// ECVRF_nonce_generation_RFC6979, RFC 9381 §5.4.2.1: k per RFC 6979 §3.2 with SHA-256, the
// secret x and m = h_string. Both suites have qlen = hlen = 256, so bits2int is the identity on
// 32 bytes and bits2octets is one conditional subtraction of q.
#pragma once

#include <span>

#include "vrf/group.hpp"
#include "vrf/p256_group.hpp"
#include "vrf/secp256k1_group.hpp"

namespace cvex::vrf {

/// Writes k into `k_out`, which should be locked memory (k reveals x given a proof). Every
/// secret-derived intermediate (RFC 6979's V and K) lives in this thread's locked scratch and is
/// wiped before returning. False only if locked memory or OpenSSL fails.
template <EcvrfGroup G>
bool generate_nonce(ScalarView secret, cvex::ByteView h_string, std::span<uint8_t, 32> k_out);

extern template bool generate_nonce<Secp256k1Group>(ScalarView, cvex::ByteView, std::span<uint8_t, 32>);
extern template bool generate_nonce<P256Group>(ScalarView, cvex::ByteView, std::span<uint8_t, 32>);

}  // namespace cvex::vrf
