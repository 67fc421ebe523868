#include "attest/cert/snp_cert.hpp"

#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>
#include <openssl/x509v3.h>

#include <cstring>

#include "attest/cert/snp_cert_internal.hpp"

namespace cvex::attest {

using cvex::Bytes;
using cvex::ByteView;
using cvex::Expected;
using cvex::Unexpected;

namespace {

constexpr std::string_view kAmdArc = "1.3.6.1.4.1.3704.1.";

// A minimal, non-negative DER INTEGER holding 0–255 (X.690 §8.3: no redundant leading byte).
std::optional<uint8_t> der_small_uint(ByteView v) {
    if (v.size() == 3 && v[0] == 0x02 && v[1] == 1 && v[2] < 0x80) return v[2];
    if (v.size() == 4 && v[0] == 0x02 && v[1] == 2 && v[2] == 0 && v[3] >= 0x80) return v[3];
    return std::nullopt;
}

std::optional<std::string> der_ia5(ByteView v) {
    if (v.size() < 2 || v[0] != 0x16 || v[1] >= 0x80 || v[1] != v.size() - 2) return std::nullopt;
    for (size_t i = 2; i < v.size(); ++i)
        if (v[i] >= 0x80) return std::nullopt;
    return std::string(v.begin() + 2, v.end());
}

std::string cn_of(const X509_NAME* name) {
    const int i = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
    if (i < 0) return "";
    const ASN1_STRING* s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));
    return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)), static_cast<size_t>(ASN1_STRING_length(s)));
}

std::optional<std::time_t> to_time_t(const ASN1_TIME* t) {
    std::tm tm{};
    if (ASN1_TIME_to_tm(t, &tm) != 1) return std::nullopt;
    return timegm(&tm);
}

CertError extension_error(const std::string& name, const std::string& oid, const std::string& why) {
    return CertError{name + " (" + oid + ")", why};
}

// A security patch level: a minimal DER INTEGER in 0..255, at most once per certificate.
std::optional<CertError> read_spl(std::optional<uint8_t>& slot, const char* name, const std::string& oid, ByteView v) {
    if (slot) return extension_error(name, oid, "extension appears twice");
    auto value = der_small_uint(v);
    if (!value) return extension_error(name, oid, "not a minimal DER INTEGER in 0..255 (value bytes " + cvex::to_hex(v, false) + ")");
    slot = value;
    return std::nullopt;
}

// One extension under AMD's arc (`sub` is its OID past the arc, `v` its value) into `e`.
std::optional<CertError> read_amd_extension(const std::string& oid, const std::string& sub, ByteView v, AmdCertExtensions& e) {
    if (sub == "1") {
        if (v.size() < 3 || v[0] != 0x02 || v[1] != v.size() - 2 || v.size() > 6) return extension_error("structVersion", oid, "not a DER INTEGER");
        long val = 0;
        for (size_t k = 2; k < v.size(); ++k) val = (val << 8) | v[k];
        e.struct_version = val;
    } else if (sub == "2") {
        auto s = der_ia5(v);
        if (!s) return extension_error("productName", oid, "not a DER IA5String");
        e.product_name = *s;
    } else if (sub == "3.1") {
        return read_spl(e.bootloader, "blSPL", oid, v);
    } else if (sub == "3.2") {
        return read_spl(e.tee, "teeSPL", oid, v);
    } else if (sub == "3.3") {
        return read_spl(e.snp, "snpSPL", oid, v);
    } else if (sub == "3.8") {
        return read_spl(e.microcode, "ucodeSPL", oid, v);
    } else if (sub == "3.9") {
        return read_spl(e.fmc, "fmcSPL", oid, v);
    } else if (sub == "3.4" || sub == "3.5" || sub == "3.6" || sub == "3.7") {
        std::optional<uint8_t> reserved;
        return read_spl(reserved, "reserved SPL", oid, v);
    } else if (sub == "4") {
        // AMD writes the chip id's raw bytes as the OCTET STRING's content: 64 bytes, 8 on Turin.
        if (e.hwid) return extension_error("hwID", oid, "extension appears twice");
        if (v.size() != 64 && v.size() != 8)
            return extension_error("hwID", oid, std::to_string(v.size()) + " bytes; AMD's VCEK carries the raw CHIP_ID, 64 bytes (8 on Turin)");
        e.hwid = Bytes(v.begin(), v.end());
    } else if (sub == "5") {
        auto s = der_ia5(v);
        if (!s) return extension_error("cspId", oid, "not a DER IA5String");
        e.csp_id = *s;
    }
    return std::nullopt;
}

Expected<AmdCertExtensions, CertError> parse_extensions(const X509* x) {
    AmdCertExtensions e;
    const int n = X509_get_ext_count(x);
    for (int i = 0; i < n; ++i) {
        const X509_EXTENSION* ext = X509_get_ext(x, i);
        char oid_buf[80];
        OBJ_obj2txt(oid_buf, sizeof oid_buf, X509_EXTENSION_get_object(const_cast<X509_EXTENSION*>(ext)), 1);
        const std::string oid = oid_buf;
        if (oid.rfind(kAmdArc, 0) != 0) continue;
        const ASN1_OCTET_STRING* os = X509_EXTENSION_get_data(const_cast<X509_EXTENSION*>(ext));
        const ByteView v(ASN1_STRING_get0_data(os), static_cast<size_t>(ASN1_STRING_length(os)));
        if (auto err = read_amd_extension(oid, oid.substr(kAmdArc.size()), v, e)) return Unexpected{*err};
    }
    return e;
}

}  // namespace

namespace detail {

Sha256 sha256(ByteView data) {
    Sha256 out{};
    SHA256(data.data(), data.size(), out.data());
    return out;
}

Expected<std::shared_ptr<const ParsedCert>, CertError> parse_cert(ByteView der, const std::string& role) {
    const unsigned char* p = der.data();
    X509Ptr x(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
    if (!x) return Unexpected{CertError{role, "not a DER X.509 certificate"}};
    if (p != der.data() + der.size()) return Unexpected{CertError{role, "trailing bytes after the certificate"}};
    auto c = std::make_shared<ParsedCert>();
    c->der.assign(der.begin(), der.end());
    c->der_sha256 = sha256(der);
    c->subject_cn = cn_of(X509_get_subject_name(x.get()));
    c->issuer_cn = cn_of(X509_get_issuer_name(x.get()));
    c->self_issued = X509_NAME_cmp(X509_get_subject_name(x.get()), X509_get_issuer_name(x.get())) == 0;
    auto nb = to_time_t(X509_get0_notBefore(x.get()));
    auto na = to_time_t(X509_get0_notAfter(x.get()));
    if (!nb || !na) return Unexpected{CertError{role, "unreadable validity period"}};
    c->not_before = *nb;
    c->not_after = *na;
    auto ext = parse_extensions(x.get());
    if (ext) c->extensions = std::move(*ext);
    else c->extensions_error = ext.error().message();
    c->x509 = std::move(x);
    return std::shared_ptr<const ParsedCert>(std::move(c));
}

std::string_view kAmdPssProfile() { return "RSASSA-PSS SHA-384 MGF1-SHA-384 salt 48 trailer 1"; }

std::string pss_profile_mismatch(const X509* cert) {
    const ASN1_BIT_STRING* sig = nullptr;
    const X509_ALGOR* alg = nullptr;
    X509_get0_signature(&sig, &alg, cert);
    return pss_params_mismatch(alg);
}

std::string pss_params_mismatch(const X509_ALGOR* alg) {
    const ASN1_OBJECT* oid = nullptr;
    int ptype = 0;
    const void* pval = nullptr;
    X509_ALGOR_get0(&oid, &ptype, &pval, alg);
    if (OBJ_obj2nid(oid) != NID_rsassaPss) return std::string("algorithm ") + OBJ_nid2sn(OBJ_obj2nid(oid));
    if (ptype != V_ASN1_SEQUENCE) return "RSASSA-PSS without parameters (defaults: SHA-1, salt 20)";
    const ASN1_STRING* seq = static_cast<const ASN1_STRING*>(pval);
    const unsigned char* p = ASN1_STRING_get0_data(seq);
    RSA_PSS_PARAMS* pss = d2i_RSA_PSS_PARAMS(nullptr, &p, ASN1_STRING_length(seq));
    if (!pss) return "unparsable RSASSA-PSS parameters";
    std::string bad;
    // RFC 4055 §3.1: absent hashAlgorithm means SHA-1, absent saltLength 20, absent trailer 1.
    const int hash_nid = pss->hashAlgorithm ? OBJ_obj2nid(pss->hashAlgorithm->algorithm) : NID_sha1;
    if (hash_nid != NID_sha384) bad += std::string("hash ") + OBJ_nid2sn(hash_nid) + " ";
    int mgf_hash = NID_undef;
    if (pss->maskGenAlgorithm && OBJ_obj2nid(pss->maskGenAlgorithm->algorithm) == NID_mgf1) {
        X509_ALGOR* mh = pss->maskHash;
        if (mh) mgf_hash = OBJ_obj2nid(mh->algorithm);
        else if (pss->maskGenAlgorithm->parameter && pss->maskGenAlgorithm->parameter->type == V_ASN1_SEQUENCE) {
            const unsigned char* q = pss->maskGenAlgorithm->parameter->value.sequence->data;
            X509_ALGOR* a = d2i_X509_ALGOR(nullptr, &q, pss->maskGenAlgorithm->parameter->value.sequence->length);
            if (a) mgf_hash = OBJ_obj2nid(a->algorithm);
            X509_ALGOR_free(a);
        }
    } else if (!pss->maskGenAlgorithm) {
        mgf_hash = NID_sha1;
    }
    if (mgf_hash != NID_sha384) bad += "MGF1 hash " + std::string(mgf_hash == NID_undef ? "?" : OBJ_nid2sn(mgf_hash)) + " ";
    const long salt = pss->saltLength ? ASN1_INTEGER_get(pss->saltLength) : 20;
    if (salt != 48) bad += "salt " + std::to_string(salt) + " ";
    const long trailer = pss->trailerField ? ASN1_INTEGER_get(pss->trailerField) : 1;
    if (trailer != 1) bad += "trailer " + std::to_string(trailer) + " ";
    RSA_PSS_PARAMS_free(pss);
    if (!bad.empty()) bad.pop_back();
    return bad;
}

}  // namespace detail

Expected<std::vector<Bytes>, CertError> load_certificates(ByteView input) {
    static constexpr std::string_view kPemTag = "-----BEGIN CERTIFICATE-----";
    const std::string_view text(reinterpret_cast<const char*>(input.data()), input.size());
    std::vector<Bytes> out;
    if (text.find(kPemTag) == std::string_view::npos) {
        if (input.empty()) return Unexpected{CertError{"certificate", "empty input"}};
        out.emplace_back(input.begin(), input.end());  // DER; parse_cert validates it
        return out;
    }
    // PEM_read_bio only decodes the base64 (RFC 7468); parse_cert() parses the DER later, once,
    // and the cache can skip even that for a certificate it has seen.
    BIO* bio = BIO_new_mem_buf(input.data(), static_cast<int>(input.size()));
    for (;;) {
        char* name = nullptr;
        char* header = nullptr;
        unsigned char* data = nullptr;
        long len = 0;
        if (PEM_read_bio(bio, &name, &header, &data, &len) != 1) break;
        const bool is_cert = std::strcmp(name, "CERTIFICATE") == 0;
        if (is_cert && len > 0) out.emplace_back(data, data + len);
        OPENSSL_free(name);
        OPENSSL_free(header);
        OPENSSL_free(data);
    }
    BIO_free(bio);
    ERR_clear_error();  // PEM_read_bio leaves "no start line" on the queue at the end
    // Count the PEM blocks: a block that did not decode is an error, not something to skip.
    size_t blocks = 0;
    for (size_t pos = 0; (pos = text.find(kPemTag, pos)) != std::string_view::npos; pos += kPemTag.size()) ++blocks;
    if (out.size() != blocks)
        return Unexpected{CertError{"certificate", "PEM block " + std::to_string(out.size() + 1) + " of " + std::to_string(blocks) + " does not decode"}};
    return out;
}

Expected<AmdCertExtensions, CertError> parse_amd_extensions(ByteView der) {
    auto c = detail::parse_cert(der, "certificate");
    if (!c) return Unexpected{c.error()};
    const detail::ParsedCert& pc = **c;
    if (!pc.extensions) return Unexpected{CertError{"certificate", pc.extensions_error}};
    return *pc.extensions;
}

}  // namespace cvex::attest
