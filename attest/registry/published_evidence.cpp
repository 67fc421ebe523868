#include "attest/registry/published_evidence.hpp"

#include <nlohmann/json.hpp>
#include <openssl/pem.h>
#include <openssl/x509.h>

namespace cvex::attest {

using nlohmann::json;

namespace {

// DER → PEM, so the chain travels as AMD's KDS serves it. Entries already in PEM pass through.
std::string to_pem(const cvex::Bytes& der) {
    if (der.size() > 10 && std::string_view(reinterpret_cast<const char*>(der.data()), 10) == "-----BEGIN")
        return std::string(der.begin(), der.end());
    const unsigned char* p = der.data();
    X509* cert = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
    if (!cert) return {};
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(bio, cert);
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio, &data);
    std::string out(data, static_cast<size_t>(len));
    BIO_free(bio);
    X509_free(cert);
    return out;
}


}  // namespace

std::string_view report_data_layout_text() {
    return "REPORT_DATA[0:32] = keccak256(abi.encode(bytes32 keccak256(\"cvex.attestation.v1\"), uint256 chain_id, address registry, "
           "address enclave, bytes32 nonce)); REPORT_DATA[32:64] = bound_data (the VRF key's keyHash = keccak256(abi.encode(x, y)), "
           "or zero)";
}

PublishedEvidence published_from(const Evidence& evidence) {
    PublishedEvidence p;
    p.report = evidence.report;
    p.provider = evidence.provider;
    p.simulated = evidence.simulated;
    if (const auto* vcek = find_cert(evidence.certs, kGuidVcek)) p.signer_cert = vcek->data;
    else if (const auto* vlek = find_cert(evidence.certs, kGuidVlek)) p.signer_cert = vlek->data;
    if (const auto* ask = find_cert(evidence.certs, kGuidAsk)) p.chain_pem += to_pem(ask->data);
    if (const auto* ark = find_cert(evidence.certs, kGuidArk)) p.chain_pem += to_pem(ark->data);
    return p;
}

std::string to_json(const PublishedEvidence& e) {
    json j = {
        {"enclave", e.enclave.checksum_hex()},
        {"chain_id", e.chain_id},
        {"registry", e.registry.checksum_hex()},
        {"nonce", e.nonce.hex()},
        {"bound_data", e.bound_data.hex()},
        {"report_data_layout", std::string(report_data_layout_text())},
        {"report", cvex::to_hex(e.report)},
        {"signer_cert", cvex::to_hex(e.signer_cert)},
        {"chain_pem", e.chain_pem},
        {"provider", e.provider},
        {"simulated", e.simulated},
        {"registration_id", e.registration_id},
    };
    if (!e.vrf_public_key.empty()) j["vrf_public_key"] = cvex::to_hex(e.vrf_public_key);
    return j.dump(2);
}

cvex::Expected<PublishedEvidence, EvidenceError> parse_published_evidence(std::string_view text) {
    const json j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return evidence_failure("evidence: not a JSON object");
    auto str = [&](const char* key, bool required) -> cvex::Expected<std::string, EvidenceError> {
        if (!j.contains(key)) {
            if (required) return evidence_failure(std::string("evidence: missing \"") + key + "\"");
            return std::string();
        }
        if (!j[key].is_string()) return evidence_failure(std::string("evidence: \"") + key + "\" must be a string");
        return j[key].get<std::string>();
    };
    auto num = [&](const char* key, bool required) -> cvex::Expected<uint64_t, EvidenceError> {
        if (!j.contains(key)) {
            if (required) return evidence_failure(std::string("evidence: missing \"") + key + "\"");
            return uint64_t{0};
        }
        if (!j[key].is_number_unsigned()) return evidence_failure(std::string("evidence: \"") + key + "\" must be an unsigned integer");
        return j[key].get<uint64_t>();
    };
    PublishedEvidence e;
    CVEX_TRY(enclave, str("enclave", true));
    CVEX_TRY(registry, str("registry", true));
    CVEX_TRY(nonce, str("nonce", true));
    CVEX_TRY(bound, str("bound_data", true));
    CVEX_TRY(report, str("report", true));
    CVEX_TRY(cert, str("signer_cert", true));
    CVEX_TRY(chain_pem, str("chain_pem", false));
    CVEX_TRY(provider, str("provider", false));
    CVEX_TRY(vrf_pk, str("vrf_public_key", false));
    CVEX_TRY(chain_id, num("chain_id", true));
    CVEX_TRY(reg_id, num("registration_id", false));
#undef CVEX_TRY
    auto a = chain::Address::parse(*enclave);
    if (!a) return evidence_failure(std::string("evidence: \"enclave\": ") + chain::to_string(a.error()));
    e.enclave = *a;
    auto r = chain::Address::parse(*registry);
    if (!r) return evidence_failure(std::string("evidence: \"registry\": ") + chain::to_string(r.error()));
    e.registry = *r;
    auto hash = [](const std::string& s, const char* key) -> cvex::Expected<chain::Hash32, EvidenceError> {
        auto h = chain::Hash32::from_hex(s);
        if (!h) return evidence_failure(std::string("evidence: \"") + key + "\" must be 32 bytes of 0x-hex");
        return *h;
    };
    auto n = hash(*nonce, "nonce");
    if (!n) return cvex::Unexpected{n.error()};
    e.nonce = *n;
    auto b = hash(*bound, "bound_data");
    if (!b) return cvex::Unexpected{b.error()};
    e.bound_data = *b;
    auto bytes = [](const std::string& s, const char* key) -> cvex::Expected<cvex::Bytes, EvidenceError> {
        auto v = cvex::from_hex(s);
        if (!v) return evidence_failure(std::string("evidence: \"") + key + "\" is not 0x-hex");
        return *v;
    };
    auto rep = bytes(*report, "report");
    if (!rep) return cvex::Unexpected{rep.error()};
    e.report = *rep;
    auto c = bytes(*cert, "signer_cert");
    if (!c) return cvex::Unexpected{c.error()};
    e.signer_cert = *c;
    if (!vrf_pk->empty()) {
        auto v = bytes(*vrf_pk, "vrf_public_key");
        if (!v) return cvex::Unexpected{v.error()};
        e.vrf_public_key = *v;
    }
    e.chain_pem = *chain_pem;
    e.provider = *provider;
    e.chain_id = *chain_id;
    e.registration_id = *reg_id;
    // Not json::value(): it throws when "simulated" is there but not a boolean.
    if (j.contains("simulated") && !j["simulated"].is_boolean())
        return evidence_failure("evidence: \"simulated\" must be true or false");
    e.simulated = j.contains("simulated") && j["simulated"].get<bool>();
    return e;
}

}  // namespace cvex::attest
