// What a guest publishes (GET /attestation) so that anyone — validators first — can verify it:
// the raw report, the signer certificate and chain, and every input of REPORT_DATA.
//
// JSON, all binary values 0x-hex:
//   { "enclave": "0x…" (EIP-55), "chain_id": 31337, "registry": "0x…", "nonce": "0x…32",
//     "bound_data": "0x…32", "report_data_layout": "<text>", "report": "0x…1184",
//     "signer_cert": "0x…DER" (VCEK or VLEK), "chain_pem": "-----BEGIN…" (ASK+ARK, may be empty),
//     "provider": "configfs-tsm" | "sev-guest-ioctl" | "simulated", "simulated": bool,
//     "registration_id": 7 (0 until registered), "vrf_public_key": "0x…33" (optional) }
#pragma once

#include <optional>
#include <string>

#include "chain/types/address.hpp"
#include "base/bytes.hpp"
#include "base/expected.hpp"
#include "attest/registry/evidence_error.hpp"
#include "chain/types/hash.hpp"
#include "attest/provider/attestation_provider.hpp"

namespace cvex::attest {

struct PublishedEvidence {
    chain::Address enclave;
    uint64_t chain_id = 0;
    chain::Address registry;
    chain::Hash32 nonce;
    chain::Hash32 bound_data;
    cvex::Bytes report;
    cvex::Bytes signer_cert;
    std::string chain_pem;
    std::string provider;
    bool simulated = false;
    uint64_t registration_id = 0;
    cvex::Bytes vrf_public_key;
};

/// Fills report, certificates and provider from the provider's evidence (VCEK, else VLEK; the
/// ASK/ASVK and ARK as PEM when the host supplied them).
PublishedEvidence published_from(const Evidence& evidence);

std::string to_json(const PublishedEvidence& evidence);
/// Errors name the key that is missing or malformed.
cvex::Expected<PublishedEvidence, EvidenceError> parse_published_evidence(std::string_view json_text);

/// The REPORT_DATA layout, in words, served beside the evidence.
std::string_view report_data_layout_text();

}  // namespace cvex::attest
