#include "attest/report/report_data.hpp"

#include <cstring>

#include "chain/crypto/keccak.hpp"

namespace cvex::attest {

chain::Hash32 attestation_domain_tag() { return chain::keccak256(cvex::as_view("cvex.attestation.v1")); }

chain::Hash32 registration_digest(const ReportDataBinding& b) {
    // abi.encode of five static values: five 32-byte words, integers and addresses left-padded.
    uint8_t words[5 * 32] = {};
    std::memcpy(words, attestation_domain_tag().bytes.data(), 32);
    for (int i = 0; i < 8; ++i) words[32 + 31 - i] = static_cast<uint8_t>(b.chain_id >> (8 * i));
    std::memcpy(words + 64 + 12, b.registry.bytes.data(), 20);
    std::memcpy(words + 96 + 12, b.enclave.bytes.data(), 20);
    std::memcpy(words + 128, b.nonce.bytes.data(), 32);
    return chain::keccak256(cvex::ByteView(words, sizeof words));
}

ReportData make_report_data(const ReportDataBinding& b) {
    ReportData rd{};
    const chain::Hash32 first = registration_digest(b);
    std::memcpy(rd.data(), first.bytes.data(), 32);
    std::memcpy(rd.data() + 32, b.bound_data.bytes.data(), 32);
    return rd;
}

chain::Hash32 point_key_hash(const std::array<uint8_t, 64>& xy) { return chain::keccak256(xy); }

}  // namespace cvex::attest
