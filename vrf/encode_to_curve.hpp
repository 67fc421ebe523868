// ECVRF_encode_to_curve_try_and_increment, RFC 9381 §5.4.1.1, with encode_to_curve_salt =
// PK_string (§5.5 for both TAI suites):
//   H = string_to_point(0x02 || SHA-256(suite_string || 0x01 || PK_string || alpha || ctr || 0x00))
// for the first ctr in 0, 1, …, 255 that gives a point (the cofactor is 1 for both suites).
#pragma once

#include <optional>

#include "base/expected.hpp"
#include "vrf/error.hpp"
#include "vrf/group.hpp"
#include "vrf/p256_group.hpp"
#include "vrf/secp256k1_group.hpp"

namespace cvex::vrf {

template <EcvrfGroup G>
struct HashToCurve {
    typename G::Point point;
    PointBytes encoded;  // h_string = point_to_string(H)
    uint8_t ctr = 0;     // the counter that produced H (the on-chain verifier is told it)
};

/// The hash behind candidate `ctr`: SHA-256(suite || 0x01 || salt || alpha || ctr || 0x00).
/// nullopt only if OpenSSL fails.
std::optional<std::array<uint8_t, 32>> tai_candidate_hash(uint8_t suite, cvex::ByteView salt, cvex::ByteView alpha,
                                                          uint8_t ctr);

/// Fails with kHashToCurveFailed after 256 candidates (probability 2^-256 on these curves).
template <EcvrfGroup G>
cvex::Expected<HashToCurve<G>, VrfError> encode_to_curve(cvex::ByteView salt, cvex::ByteView alpha);

extern template cvex::Expected<HashToCurve<Secp256k1Group>, VrfError> encode_to_curve<Secp256k1Group>(cvex::ByteView,
                                                                                                      cvex::ByteView);
extern template cvex::Expected<HashToCurve<P256Group>, VrfError> encode_to_curve<P256Group>(cvex::ByteView,
                                                                                            cvex::ByteView);

}  // namespace cvex::vrf
