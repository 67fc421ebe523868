// What the on-chain verifier needs besides (Gamma, c, s) to check an ECVRF-SECP256K1-SHA256-TAI
// proof without expensive arithmetic — no square roots, no inversions, no general scalar
// multiplications — in the style of Chainlink's VRF.sol and witnet's vrf-solidity, adapted to
// RFC 9381. Every helper is a function of public data (key, alpha, proof) and every one can be
// checked cheaply; the contract must check all of them, so helpers make verification cheaper,
// never weaker. make_onchain_proof() also verifies the proof (RFC 9381 §5.3) before it helps.
//
// ABI layout (abi.encode of one tuple, fields in this order; P = field prime, n = group order,
// "address(Q)" = the last 20 bytes of keccak256(Q.x || Q.y) as 32-byte words):
//
//   struct Proof {
//       uint256[2] pk;             // Y = x·B, affine (x, y)
//       uint256[2] gamma;          // Gamma, affine
//       uint256 c;                 // the challenge, < 2^128 (proof bytes [33, 49))
//       uint256 s;                 // < n (proof bytes [49, 81))
//       uint256[2] h;              // H = encode_to_curve(PK_string, alpha), y even
//       uint8 hCtr;                // the TAI counter that produced H
//       uint256[] hNonResidue;     // one per ctr' < hCtr, proving candidate ctr' was no point
//       uint256[2] u;              // U = s·B − c·Y
//       address uWitness;          // address(U)
//       uint256[2] v;              // V = s·H − c·Gamma
//       uint256[2] cGammaWitness;  // c·Gamma
//       uint256[2] sHashWitness;   // s·H
//       uint256 zInv;              // see check 8
//   }
//
// The checks a contract must make (PK_string etc. are the compressed encodings, 0x02 | y&1 || x):
//  1. pk, gamma, h, u, v, cGammaWitness, sHashWitness: both coordinates < P and y² = x³ + 7 (mod P).
//     (No affine pair is the identity; cofactor 1, so that is RFC 9381 §5.4.5 key validation.)
//  2. c < 2^128 and s < n (§5.4.4 step 6).
//  3. Hash to curve (§5.4.1.1): for ctr' < hCtr, x' = sha256(0xFE || 0x01 || PK_string || alpha ||
//     uint8(ctr') || 0x00) must be no point: x' >= P, or hNonResidue[ctr'] = w with
//     w² ≡ P − (x'³ + 7) (mod P) — since P ≡ 3 (mod 4), −1 is a non-residue, so x'³ + 7 is one too.
//     hNonResidue.length == hCtr; h.x = sha256(… uint8(hCtr) …) < P; h.y even; h on the curve.
//  4. U by ecrecover (Chainlink's _verifyLinearCombinationWithGenerator, signs adapted): with
//     r = pk.x (< n required), v = 27 + (pk.y & 1),
//        ecrecover(bytes32((n − mulmod(s, r, n)) % n), v, bytes32(r), bytes32(n − mulmod(c, r, n)))
//     returns address(r⁻¹·(−c·r·Y + s·r·B)) = address(s·B − c·Y); it must equal uWitness, which
//     must equal address(u) and be non-zero (ecrecover returns 0 on failure).
//  5. c·Gamma by ecrecover (Chainlink's _ecmulVerify): ecrecover(0, 27 + (gamma.y & 1),
//     bytes32(gamma.x), bytes32(mulmod(c, gamma.x, n))) == address(cGammaWitness) (gamma.x < n).
//  6. s·H likewise: ecrecover(0, 27 + (h.y & 1), bytes32(h.x), bytes32(mulmod(s, h.x, n)))
//     == address(sHashWitness) (h.x < n, s != 0).
//  7. cGammaWitness.x != sHashWitness.x (the sum below is then an ordinary addition).
//  8. V = sHashWitness + (−cGammaWitness), −(x, y) = (x, P − y). Either check the given v by
//     collinearity of (sH, −cGamma, −v): (v.x + x1 + x2)·(x2 − x1)² ≡ (y2 − y1)² and
//     (y2 − y1)·(x1 − v.x) ≡ (v.y + y1)·(x2 − x1), or compute it as VRF.sol's
//     _affineECAdd(sHashWitness, (cGamma.x, P − cGamma.y), zInv): its _projectiveECAdd(p, q) gives
//     z = (q.x − p.x)⁵, so zInv = ((cGammaWitness.x − sHashWitness.x)⁵)⁻¹ mod P.
//  9. c == uint256(sha256(0xFE || 0x02 || PK_string || H_string || Gamma_string || U_string ||
//     V_string || 0x00)) >> 128 (§5.4.3, cLen 16).
// 10. beta = sha256(0xFE || 0x03 || Gamma_string || 0x00) (§5.2).
//
// ecrecover cannot check a point whose x is >= n, nor a zero scalar; an honest proof meets one of
// those with probability about 2^-126 (kNotOnchainVerifiable below): the proof is still valid
// RFC 9381, only this on-chain path cannot accept it.
#pragma once

#include <array>
#include <vector>

#include "chain/encoding/abi_type.hpp"
#include "chain/encoding/abi_value.hpp"
#include "chain/types/address.hpp"
#include "base/expected.hpp"
#include "chain/types/hash.hpp"
#include "chain/types/u256.hpp"
#include "vrf/ecvrf.hpp"

namespace cvex::vrf {

struct AffinePoint {
    chain::U256 x;
    chain::U256 y;
    bool operator==(const AffinePoint&) const = default;
};

struct OnchainProof {
    AffinePoint pk;
    AffinePoint gamma;
    chain::U256 c;
    chain::U256 s;
    AffinePoint h;
    uint8_t h_ctr = 0;
    std::vector<chain::U256> h_non_residue;  // size h_ctr; 0 marks a candidate x' >= P
    AffinePoint u;
    chain::Address u_witness;
    AffinePoint v;
    AffinePoint c_gamma_witness;
    AffinePoint s_hash_witness;
    chain::U256 z_inv;
    chain::Hash32 beta;  // not part of the ABI struct: the contract derives it (check 10)
};

enum class OnchainError {
    kInvalidProof,          // RFC 9381 verify rejects (key, alpha, proof): see `vrf_error`
    kNotOnchainVerifiable,  // valid, but a coordinate >= n or a zero scalar defeats ecrecover
    kInternal,              // a library call failed
};

struct OnchainProofError {
    OnchainError code;
    VrfError vrf_error = VrfError::kInternal;  // meaningful for kInvalidProof
    std::string message() const;
};

/// Verifies (public_key, alpha, pi) per RFC 9381 and computes the helpers.
cvex::Expected<OnchainProof, OnchainProofError> make_onchain_proof(cvex::ByteView public_key, cvex::ByteView alpha,
                                                                    cvex::ByteView pi);

/// The ABI type of the struct above, as a tuple.
const chain::AbiType& onchain_proof_abi_type();
/// The struct as an ABI value (for embedding in a call's arguments).
chain::AbiValue to_abi_value(const OnchainProof& p);
/// abi.encode(proof): one dynamic tuple (a 0x20 offset word, then the tuple). The value always
/// matches the type; an error would mean the two fell out of step.
cvex::Expected<cvex::Bytes, chain::AbiError> abi_encode(const OnchainProof& p);

}  // namespace cvex::vrf
