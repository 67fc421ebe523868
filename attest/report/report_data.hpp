// REPORT_DATA: how a guest binds its keys to its attestation report, so that a report cannot be
// replayed for another key, chain or registry. The 64 bytes are:
//   [0, 32)  keccak256(abi.encode(bytes32 DOMAIN_TAG, uint256 chainId, address registry,
//                                 address enclave, bytes32 nonce))
//            DOMAIN_TAG = keccak256("cvex.attestation.v1"); `enclave` is the Ethereum address of
//            the guest's signing key; `nonce` is chosen per registration (the registry refuses reuse).
//   [32, 64) boundData: a digest of the guest's other keys. For the VRF oracle it is the VRF key's
//            keyHash, keccak256(abi.encode(uint256 x, uint256 y)) of its public point, which the
//            coordinator checks when the key is registered. Zero when nothing else is bound.
// AttestationRegistry.sol computes the first half the same way (expectedReportData).
#pragma once

#include <array>
#include <cstdint>

#include "chain/types/address.hpp"
#include "chain/types/hash.hpp"
#include "attest/provider/attestation_provider.hpp"

namespace cvex::attest {

struct ReportDataBinding {
    uint64_t chain_id = 0;
    chain::Address registry;
    chain::Address enclave;
    chain::Hash32 nonce;
    chain::Hash32 bound_data;
};

/// keccak256("cvex.attestation.v1")
chain::Hash32 attestation_domain_tag();

/// The first half of REPORT_DATA (what the registry recomputes on-chain).
chain::Hash32 registration_digest(const ReportDataBinding& binding);

ReportData make_report_data(const ReportDataBinding& binding);

/// keyHash of a secp256k1 public point given as 64 bytes X || Y: keccak256(abi.encode(x, y)).
chain::Hash32 point_key_hash(const std::array<uint8_t, 64>& xy);

}  // namespace cvex::attest
