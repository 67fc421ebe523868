// Chainlink's VRF, as its contracts verify it: a prover and a checker for `VRF.Proof` of
// @chainlink/contracts (src/v0.8/vrf/VRF.sol, used by VRFCoordinatorV2_5), so that tests can
// fulfil requests on Chainlink's own coordinator beside cvex's and compare what each costs
// (issue 16 §3). Written from the scheme VRF.sol documents — not RFC 9381, which cvex proves:
//
//   actualSeed = uint256(keccak256(abi.encodePacked(proof.seed, blockHash)))   (the coordinator)
//   H          = _hashToCurve(pk, actualSeed): x = fieldHash(keccak256(uint256(1) ‖ pk ‖ seed)),
//                then x = fieldHash(keccak256(x)) until x³ + 7 is a square; y = its even root
//   fieldHash  = keccak256, re-hashed (of its own 32 bytes) while ≥ the field prime
//   gamma      = sk·H
//   u = k·G, v = k·H;  c = uint256(keccak256(uint256(2) ‖ H ‖ pk ‖ gamma ‖ v ‖ address(u)))
//   s          = (k − c·sk) mod n        so that u = c·pk + s·G and v = c·gamma + s·H
//   witnesses  : uWitness = address(u), cGammaWitness = c·gamma, sHashWitness = s·H,
//                zInv = ((sHashWitness.x − cGammaWitness.x)⁵)⁻¹ mod P (_projectiveECAdd's z)
//   randomness = uint256(keccak256(abi.encode(uint256(3), gamma)))
//
// Test support only: the secret key is a test key and nothing here is constant-time.
#pragma once

#include <array>
#include <optional>

#include "chain/encoding/abi_type.hpp"
#include "chain/encoding/abi_value.hpp"
#include "chain/types/address.hpp"
#include "chain/types/hash.hpp"
#include "chain/types/u256.hpp"

namespace cvex::test {

using ChainlinkPoint = std::array<chain::U256, 2>;

/// VRF.Proof, field for field.
struct ChainlinkProof {
    ChainlinkPoint pk;
    ChainlinkPoint gamma;
    chain::U256 c;
    chain::U256 s;
    chain::U256 seed;  // the request's preSeed; the coordinator mixes the block hash in
    chain::Address u_witness;
    ChainlinkPoint c_gamma_witness;
    ChainlinkPoint s_hash_witness;
    chain::U256 z_inv;
};

/// keccak256(abi.encodePacked(preSeed, blockHash)): the seed the proof is made for.
chain::U256 chainlink_actual_seed(const chain::U256& pre_seed, const chain::Hash32& block_hash);

/// sk·G, affine; nullopt unless 0 < sk < n.
std::optional<ChainlinkPoint> chainlink_public_key(const chain::U256& secret_key);

/// keccak256(abi.encode(pk)): the key hash VRFCoordinatorV2_5 registers a key under.
chain::Hash32 chainlink_key_hash(const ChainlinkPoint& pk);

/// _hashToCurve(pk, actualSeed).
std::optional<ChainlinkPoint> chainlink_hash_to_curve(const ChainlinkPoint& pk, const chain::U256& actual_seed);

/// A proof for the request (pre_seed, block_hash) under secret_key. The nonce is derived from
/// the key and the seed (Chainlink's node draws it at random; either verifies). nullopt for a
/// key out of range or the ~2⁻¹²⁶ cases VRF.sol's ecrecover tricks cannot check.
std::optional<ChainlinkProof> chainlink_prove(const chain::U256& secret_key, const chain::U256& pre_seed,
                                              const chain::Hash32& block_hash);

/// VRF.sol's _verifyVRFProof(proof, actualSeed), check for check.
bool chainlink_verify(const ChainlinkProof& proof, const chain::U256& actual_seed);

/// _randomValueFromVRFProof's output: keccak256(abi.encode(3, gamma)).
chain::U256 chainlink_randomness(const ChainlinkProof& proof);

/// The ABI type of VRF.Proof (a static tuple) and a proof as its value.
const chain::AbiType& chainlink_proof_abi_type();
chain::AbiValue to_abi_value(const ChainlinkProof& proof);

}  // namespace cvex::test
