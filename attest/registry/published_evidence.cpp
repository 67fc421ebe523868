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

// The evidence's keys as they came: each present (or empty when optional) and of its JSON type.
struct RawEvidence {
    std::string enclave, registry, nonce, bound_data, report, signer_cert, chain_pem, provider, vrf_public_key;
    uint64_t chain_id = 0, registration_id = 0;
};

cvex::Expected<std::string, EvidenceError> string_field(const json& j, const char* key, bool required) {
    if (!j.contains(key)) {
        if (required) return evidence_failure(std::string("evidence: missing \"") + key + "\"");
        return std::string();
    }
    if (!j[key].is_string()) return evidence_failure(std::string("evidence: \"") + key + "\" must be a string");
    return j[key].get<std::string>();
}

cvex::Expected<uint64_t, EvidenceError> uint_field(const json& j, const char* key, bool required) {
    if (!j.contains(key)) {
        if (required) return evidence_failure(std::string("evidence: missing \"") + key + "\"");
        return uint64_t{0};
    }
    if (!j[key].is_number_unsigned()) return evidence_failure(std::string("evidence: \"") + key + "\" must be an unsigned integer");
    return j[key].get<uint64_t>();
}

cvex::Expected<RawEvidence, EvidenceError> read_fields(const json& j) {
    struct StringKey {
        const char* key;
        bool required;
        std::string RawEvidence::*field;
    };
    static constexpr StringKey kStrings[] = {
        {"enclave", true, &RawEvidence::enclave},          {"registry", true, &RawEvidence::registry},
        {"nonce", true, &RawEvidence::nonce},              {"bound_data", true, &RawEvidence::bound_data},
        {"report", true, &RawEvidence::report},            {"signer_cert", true, &RawEvidence::signer_cert},
        {"chain_pem", false, &RawEvidence::chain_pem},     {"provider", false, &RawEvidence::provider},
        {"vrf_public_key", false, &RawEvidence::vrf_public_key},
    };
    RawEvidence raw;
    for (const auto& k : kStrings) {
        CVEX_TRY(v, string_field(j, k.key, k.required));
        raw.*k.field = std::move(*v);
    }
    CVEX_TRY(chain_id, uint_field(j, "chain_id", true));
    CVEX_TRY(registration_id, uint_field(j, "registration_id", false));
    raw.chain_id = *chain_id;
    raw.registration_id = *registration_id;
    return raw;
}

cvex::Expected<chain::Address, EvidenceError> address_value(const std::string& s, const char* key) {
    auto a = chain::Address::parse(s);
    if (!a) return evidence_failure(std::string("evidence: \"") + key + "\": " + chain::to_string(a.error()));
    return *a;
}

cvex::Expected<chain::Hash32, EvidenceError> hash_value(const std::string& s, const char* key) {
    auto h = chain::Hash32::from_hex(s);
    if (!h) return evidence_failure(std::string("evidence: \"") + key + "\" must be 32 bytes of 0x-hex");
    return *h;
}

cvex::Expected<cvex::Bytes, EvidenceError> bytes_value(const std::string& s, const char* key) {
    auto v = cvex::from_hex(s);
    if (!v) return evidence_failure(std::string("evidence: \"") + key + "\" is not 0x-hex");
    return std::move(*v);
}

cvex::Expected<PublishedEvidence, EvidenceError> decode_fields(const RawEvidence& raw) {
    PublishedEvidence e;
    CVEX_TRY(enclave, address_value(raw.enclave, "enclave"));
    CVEX_TRY(registry, address_value(raw.registry, "registry"));
    CVEX_TRY(nonce, hash_value(raw.nonce, "nonce"));
    CVEX_TRY(bound, hash_value(raw.bound_data, "bound_data"));
    CVEX_TRY(report, bytes_value(raw.report, "report"));
    CVEX_TRY(cert, bytes_value(raw.signer_cert, "signer_cert"));
    e.enclave = *enclave;
    e.registry = *registry;
    e.nonce = *nonce;
    e.bound_data = *bound;
    e.report = std::move(*report);
    e.signer_cert = std::move(*cert);
    if (!raw.vrf_public_key.empty()) {
        CVEX_TRY(vrf_pk, bytes_value(raw.vrf_public_key, "vrf_public_key"));
        e.vrf_public_key = std::move(*vrf_pk);
    }
    e.chain_pem = raw.chain_pem;
    e.provider = raw.provider;
    e.chain_id = raw.chain_id;
    e.registration_id = raw.registration_id;
    return e;
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
    // Every key's presence and JSON type first, then each value's content: with several faults
    // the message names the first missing or mistyped key.
    CVEX_TRY(raw, read_fields(j));
    CVEX_TRY(e, decode_fields(*raw));
    // Not json::value(): it throws when "simulated" is there but not a boolean.
    if (j.contains("simulated") && !j["simulated"].is_boolean())
        return evidence_failure("evidence: \"simulated\" must be true or false");
    e->simulated = j.contains("simulated") && j["simulated"].get<bool>();
    return std::move(*e);
}

}  // namespace cvex::attest
