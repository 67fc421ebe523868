// ECVRF per RFC 9381 §5, written once over a group (vrf/group.hpp) and instantiated for
//   Secp256k1Group: ECVRF-SECP256K1-SHA256-TAI, suite_string 0xFE (production), and
//   P256Group:      ECVRF-P256-SHA256-TAI, suite_string 0x01 (RFC 9381 Appendix B.1).
// Both suites: TAI encode_to_curve with salt = PK_string (§5.4.1.1), RFC 6979 nonces
// (§5.4.2.1), the 5-point challenge (§5.4.3) with cLen = 16, compressed SEC1 points, and
// 81-byte proofs pi = point_to_string(Gamma) || c (16) || s (32).
//
//   auto key = VrfKey<Secp256k1Group>::generate();
//   auto out = prove<Secp256k1Group>(key->public_key(), *key, alpha);       // pi and beta
//   auto beta = verify<Secp256k1Group>(key->public_key(), alpha, out->pi);  // the same beta, or why not
#pragma once

#include <array>
#include <optional>

#include "base/expected.hpp"
#include "chain/types/hash.hpp"
#include "vrf/encode_to_curve.hpp"
#include "vrf/error.hpp"
#include "vrf/group.hpp"
#include "vrf/p256_group.hpp"
#include "vrf/secp256k1_group.hpp"
#include "vrf/secret_key.hpp"

namespace cvex::vrf {

inline constexpr size_t kProofLen = kPtLen + kCLen + kQLen;  // 81
using ProofBytes = std::array<uint8_t, kProofLen>;
using Challenge = std::array<uint8_t, kCLen>;

/// pi's parts after ECVRF_decode_proof (§5.4.4).
template <EcvrfGroup G>
struct DecodedProof {
    typename G::Point gamma;
    PointBytes gamma_string;  // proof bytes [0, 33)
    Challenge c;              // proof bytes [33, 49)
    Scalar s;                 // proof bytes [49, 81), below q
    /// c as a 32-byte scalar (left-padded), for the group's multiplications.
    Scalar c_scalar() const {
        Scalar out{};
        std::copy(c.begin(), c.end(), out.begin() + (kQLen - kCLen));
        return out;
    }
};

struct ProveResult {
    ProofBytes pi;
    chain::Hash32 beta;  // proof_to_hash(pi)
};

/// §5.4.4: exactly 81 bytes, Gamma a valid point, s < q.
template <EcvrfGroup G>
cvex::Expected<DecodedProof<G>, VrfError> decode_proof(cvex::ByteView pi);

/// §5.4.3 ECVRF_challenge_generation: the first cLen bytes of
/// SHA-256(suite || 0x02 || P1 || P2 || P3 || P4 || P5 || 0x00). nullopt only if OpenSSL fails.
std::optional<Challenge> challenge(uint8_t suite, const PointBytes& p1, const PointBytes& p2, const PointBytes& p3,
                                   const PointBytes& p4, const PointBytes& p5);

/// §5.2 ECVRF_proof_to_hash: SHA-256(suite || 0x03 || point_to_string(Gamma) || 0x00) (cofactor 1).
/// Decodes pi first, so an invalid proof gives its decoding error, never a hash.
template <EcvrfGroup G>
cvex::Expected<chain::Hash32, VrfError> proof_to_hash(cvex::ByteView pi);

/// §5.1 ECVRF_prove. `public_key` must be the compressed point of `secret` (VrfKey provides it,
/// custody callers compress KeyCustody::public_key); it is hashed as PK_string, never decoded.
/// Secret-dependent work is constant time: x·H, k·B, k·H and s = k + c·x (group.hpp).
template <EcvrfGroup G>
cvex::Expected<ProveResult, VrfError> prove(const PointBytes& public_key, const SecretKey& secret,
                                             cvex::ByteView alpha);

/// §5.3 ECVRF_verify with validate_key = TRUE (§5.4.5: with cofactor 1 only the identity has low
/// order, and no 33-byte string decodes to it). Returns beta when valid, else why not.
/// An intermediate U or V at the identity is rejected (kIdentityPoint): point_to_string is not
/// defined for it in these suites and an honest prover never produces it.
template <EcvrfGroup G>
cvex::Expected<chain::Hash32, VrfError> verify(cvex::ByteView public_key, cvex::ByteView alpha, cvex::ByteView pi);

#define CVEX_VRF_EXTERN(G)                                                                                          \
    extern template cvex::Expected<DecodedProof<G>, VrfError> decode_proof<G>(cvex::ByteView);                    \
    extern template cvex::Expected<chain::Hash32, VrfError> proof_to_hash<G>(cvex::ByteView);                     \
    extern template cvex::Expected<ProveResult, VrfError> prove<G>(const PointBytes&, const SecretKey&,             \
                                                                    cvex::ByteView);                                \
    extern template cvex::Expected<chain::Hash32, VrfError> verify<G>(cvex::ByteView, cvex::ByteView,             \
                                                                       cvex::ByteView);
CVEX_VRF_EXTERN(Secp256k1Group)
CVEX_VRF_EXTERN(P256Group)
#undef CVEX_VRF_EXTERN

}  // namespace cvex::vrf
