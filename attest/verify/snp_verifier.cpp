#include "attest/verify/snp_verifier.hpp"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "attest/provider/sim_platform.hpp"
#include "attest/cert/snp_cert_internal.hpp"
#include "attest/cert/snp_crl.hpp"

namespace cvex::attest {

using cvex::Bytes;
using cvex::ByteView;
using cvex::Expected;
using cvex::Unexpected;
using detail::ParsedCert;
using CertPtr = std::shared_ptr<const ParsedCert>;

namespace {

std::string hex(ByteView b) { return cvex::to_hex(b, false); }
template <size_t N>
std::string hex(const std::array<uint8_t, N>& a) { return cvex::to_hex(ByteView(a.data(), N), false); }

Expected<CertPtr, SnpInputError> get_cert(ByteView der, const std::string& role, SnpInputError::Code code, SnpCertCache* cache) {
    if (cache) {
        if (auto hit = cache->find(detail::sha256(der))) return hit;
    }
    auto c = detail::parse_cert(der, role);
    // SnpInputError names the input ("signer certificate: …"); the role is added only where it
    // tells more (which certificate of the chain).
    if (!c) return Unexpected{SnpInputError{code, role.rfind("chain ", 0) == 0 ? role.substr(6) + ": " + c.error().detail : c.error().detail}};
    if (cache) cache->put(*c);
    return *c;
}

// X509_verify with the issuer's key; the certificate's own PSS parameters drive the padding,
// which is why pss_profile_mismatch() checks them first.
bool signature_verifies(const ParsedCert& child, const ParsedCert& issuer, SnpCertCache* cache) {
    if (cache && cache->link_verified(child.der_sha256, issuer.der_sha256)) return true;
    EVP_PKEY* key = X509_get0_pubkey(issuer.x509.get());
    const bool ok = key && detail::pss_profile_mismatch(child.x509.get()).empty() && X509_verify(child.x509.get(), key) == 1;
    ERR_clear_error();
    if (ok && cache) cache->add_verified_link(child.der_sha256, issuer.der_sha256);
    return ok;
}

std::optional<std::string> find_sim_root(const ParsedCert& ark, const std::string& dir) {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind("ark-", 0) != 0 || entry.path().extension() != ".pem") continue;
        std::ifstream f(entry.path(), std::ios::binary);
        std::stringstream ss;
        ss << f.rdbuf();
        const std::string pem = ss.str();
        auto ders = load_certificates(cvex::as_view(pem));
        if (ders && ders->size() == 1 && (*ders)[0] == ark.der) return entry.path().string();
    }
    return std::nullopt;
}

bool report_signature_verifies(ByteView report, EVP_PKEY* key) {
    // r and s are little-endian and zero-extended to 72 bytes (SNP ABI, Table "ECDSA P-384 with
    // SHA-384 Signature"); OpenSSL wants a DER ECDSA-Sig-Value.
    BIGNUM* r = BN_lebin2bn(report.data() + kSnpSigROffset, kSnpSigComponentSize, nullptr);
    BIGNUM* s = BN_lebin2bn(report.data() + kSnpSigSOffset, kSnpSigComponentSize, nullptr);
    ECDSA_SIG* sig = ECDSA_SIG_new();
    if (!r || !s || !sig || ECDSA_SIG_set0(sig, r, s) != 1) {
        BN_free(r), BN_free(s), ECDSA_SIG_free(sig);
        return false;
    }
    unsigned char* der = nullptr;
    const int der_len = i2d_ECDSA_SIG(sig, &der);
    ECDSA_SIG_free(sig);
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    const bool ok = der_len > 0 && ctx && EVP_DigestVerifyInit(ctx, nullptr, EVP_sha384(), nullptr, key) == 1 &&
                    EVP_DigestVerify(ctx, der, static_cast<size_t>(der_len), report.data(), kSnpSignedSize) == 1;
    EVP_MD_CTX_free(ctx);
    OPENSSL_free(der);
    ERR_clear_error();
    return ok;
}

std::string validity_text(const ParsedCert& c) {
    return format_utc_time(c.not_before) + " .. " + format_utc_time(c.not_after);
}

class Checks {
public:
    explicit Checks(std::vector<SnpCheck>& out) : out_(out) {}
    void add(std::string name, bool pass, std::string expected, std::string actual) {
        out_.push_back({std::move(name), pass, std::move(expected), std::move(actual)});
    }

private:
    std::vector<SnpCheck>& out_;
};

void check_link(Checks& checks, const std::string& role, const ParsedCert& child, const ParsedCert& issuer,
                const std::string& issuer_role, SnpCertCache* cache) {
    const int issued = X509_check_issued(issuer.x509.get(), child.x509.get());
    checks.add(role + ".issued_by_" + issuer_role, issued == X509_V_OK, "issuer " + issuer.subject_cn,
               "issuer " + child.issuer_cn + (issued == X509_V_OK ? "" : std::string(" (") + X509_verify_cert_error_string(issued) + ")"));
    const std::string mismatch = detail::pss_profile_mismatch(child.x509.get());
    checks.add(role + ".signature_algorithm", mismatch.empty(), std::string(detail::kAmdPssProfile()),
               mismatch.empty() ? std::string(detail::kAmdPssProfile()) : mismatch);
    const bool ok = signature_verifies(child, issuer, cache);
    checks.add(role + ".signature", ok, "valid under the " + issuer_role + " key", ok ? "valid" : "invalid");
}

void check_validity(Checks& checks, const std::string& role, const ParsedCert& c, std::time_t at) {
    const bool ok = c.not_before <= at && at <= c.not_after;
    checks.add(role + ".validity", ok, "valid at " + format_utc_time(at), validity_text(c));
}

void check_tcb(Checks& checks, const std::string& role, const ParsedCert& leaf, const AttestationReport& report, TcbLayout layout) {
    if (!leaf.extensions) {
        checks.add(role + ".extensions", false, "well-formed AMD extensions", leaf.extensions_error);
        return;
    }
    const AmdCertExtensions& e = *leaf.extensions;
    const TcbParts want = decode_tcb(report.reported_tcb, layout);
    auto cmp = [&](const char* name, const std::optional<uint8_t>& got, uint8_t expected) {
        checks.add(role + ".tcb." + name, got && *got == expected, std::to_string(expected) + " (REPORTED_TCB)",
                   got ? std::to_string(*got) : "extension missing");
    };
    if (layout == TcbLayout::kTurin) cmp("fmc", e.fmc, want.fmc);
    cmp("bootloader", e.bootloader, want.bootloader);
    cmp("tee", e.tee, want.tee);
    cmp("snp", e.snp, want.snp);
    cmp("microcode", e.microcode, want.microcode);
    if (layout != TcbLayout::kTurin && e.fmc)
        checks.add(role + ".tcb.fmc", false, "absent (no FMC before Turin)", std::to_string(*e.fmc));
}

void check_hwid(Checks& checks, const ParsedCert& leaf, const AttestationReport& report, TcbLayout layout) {
    if (report.signer.mask_chip_key) {
        checks.add("vcek.hwid", true, "not compared: MASK_CHIP_KEY is set", "CHIP_ID masked");
        return;
    }
    const size_t n = layout == TcbLayout::kTurin ? 8 : 64;
    const ByteView chip(report.chip_id.data(), n);
    if (!leaf.extensions || !leaf.extensions->hwid) {
        checks.add("vcek.hwid", false, hex(chip), leaf.extensions ? "hwID extension missing" : leaf.extensions_error);
        return;
    }
    const Bytes& hw = *leaf.extensions->hwid;
    checks.add("vcek.hwid", hw.size() == n && std::equal(hw.begin(), hw.end(), chip.begin()),
               hex(chip) + " (CHIP_ID" + (n == 8 ? "[0:8], Turin" : "") + ")", hex(hw));
}

}  // namespace

const std::vector<PinnedArk>& pinned_amd_arks() {
    // SHA-256 of the DER of AMD's ARKs (kdsintf.amd.com/vcek/v1/<product>/cert_chain); the same
    // values are in ../shared/vectors/sev/manifest.json (amd_root_sha256_der).
    static const std::vector<PinnedArk> arks = {
        {SnpProduct::kMilan, "69d063b45344d26a2e94e1f4210de49ef555308287d4c174445c95639a540bcd"},
        {SnpProduct::kGenoa, "4c6598d19c18719c5dfd4a7d335f674e5bfe1d8f800cea2cf270c10d103db2f1"},
        {SnpProduct::kTurin, "1f084161a44bb6d93778a904877d4819cafa5d05ef4193b2ded9dd9c73dd3f6a"},
    };
    return arks;
}

std::string SnpInputError::message() const {
    switch (code) {
        case kReport: return "report: " + detail;
        case kSignerCert: return "signer certificate: " + detail;
        case kChain: return "certificate chain: " + detail;
        case kCrl: return "CRL: " + detail;
    }
    return detail;
}

Expected<SnpVerification, SnpInputError> verify_snp_report(ByteView report_bytes, ByteView signer_cert, ByteView chain_pem,
                                                           const SnpVerifyOptions& options) {
    auto parsed = parse_report(report_bytes);
    if (!parsed) return Unexpected{SnpInputError{SnpInputError::kReport, parsed.error().message()}};
    SnpVerification v;
    v.report = std::move(*parsed);
    const AttestationReport& report = v.report;

    auto leaf_ders = load_certificates(signer_cert);
    if (!leaf_ders) return Unexpected{SnpInputError{SnpInputError::kSignerCert, leaf_ders.error().message()}};
    if (leaf_ders->size() != 1)
        return Unexpected{SnpInputError{SnpInputError::kSignerCert, "expected one certificate, got " + std::to_string(leaf_ders->size())}};
    auto chain_ders = load_certificates(chain_pem);
    if (!chain_ders) return Unexpected{SnpInputError{SnpInputError::kChain, chain_ders.error().message()}};
    if (chain_ders->size() != 2)
        return Unexpected{SnpInputError{SnpInputError::kChain,
                                        "expected the ASK (or ASVK) and the ARK, got " + std::to_string(chain_ders->size()) + " certificates"}};
    auto leaf = get_cert((*leaf_ders)[0], "signer certificate", SnpInputError::kSignerCert, options.cache);
    if (!leaf) return Unexpected{leaf.error()};
    auto c0 = get_cert((*chain_ders)[0], "chain certificate 1", SnpInputError::kChain, options.cache);
    if (!c0) return Unexpected{c0.error()};
    auto c1 = get_cert((*chain_ders)[1], "chain certificate 2", SnpInputError::kChain, options.cache);
    if (!c1) return Unexpected{c1.error()};
    if ((*c0)->self_issued == (*c1)->self_issued)
        return Unexpected{SnpInputError{SnpInputError::kChain, "expected exactly one self-issued root (ARK) and one ASK/ASVK"}};
    const ParsedCert& ark = (*c0)->self_issued ? **c0 : **c1;
    const ParsedCert& ask = (*c0)->self_issued ? **c1 : **c0;
    const ParsedCert& vcek = **leaf;
    if (vcek.self_issued) return Unexpected{SnpInputError{SnpInputError::kSignerCert, "is self-issued; expected a VCEK or VLEK"}};
    v.signer_subject = vcek.subject_cn;

    const bool vlek = report.signer.signing_key == SigningKey::kVlek;
    const std::string leaf_role = vlek ? "vlek" : "vcek";
    const std::string mid_role = vlek ? "asvk" : "ask";
    Checks checks(v.checks);

    // 1. The root: pinned, or the simulated one when explicitly trusted. Never the chain's word.
    const std::string ark_hash = hex(ark.der_sha256);
    for (const PinnedArk& p : pinned_amd_arks())
        if (p.der_sha256_hex == ark_hash) v.product = p.product, v.root = "AMD ARK-" + std::string(to_string(p.product)) + " (pinned)";
    if (!v.product && options.trust_sim_root) {
        const std::string dir = options.sim_root_dir.empty() ? sim_root_dir() : options.sim_root_dir;
        if (auto safe = check_sim_root_dir(dir); !safe) {
            v.root = "simulated roots refused: " + safe.error().message();
        } else if (auto path = find_sim_root(ark, dir)) {
            v.simulated = true;
            v.root = "SIMULATED root " + *path;
            const std::string cn = ark.subject_cn;  // "ARK-<product>-SIMULATED"
            v.product = parse_snp_product(cn.rfind("ARK-", 0) == 0 ? std::string_view(cn).substr(4) : std::string_view(cn));
        }
    }
    checks.add("ark.trusted", v.product.has_value(),
               std::string("a pinned AMD ARK (Milan, Genoa, Turin)") + (options.trust_sim_root ? " or a published simulated root" : ""),
               "sha256 " + ark_hash + " (" + ark.subject_cn + ")" + (v.root.empty() ? "" : ": " + v.root));

    // 2. The chain, each link with AMD's PSS profile, each certificate valid at `at`.
    {
        const std::string mismatch = detail::pss_profile_mismatch(ark.x509.get());
        checks.add("ark.signature_algorithm", mismatch.empty(), std::string(detail::kAmdPssProfile()),
                   mismatch.empty() ? std::string(detail::kAmdPssProfile()) : mismatch);
        const bool ok = signature_verifies(ark, ark, options.cache);
        checks.add("ark.self_signature", ok, "valid under its own key", ok ? "valid" : "invalid");
    }
    check_link(checks, mid_role, ask, ark, "ark", options.cache);
    check_link(checks, leaf_role, vcek, ask, mid_role, options.cache);
    check_validity(checks, "ark", ark, options.at);
    check_validity(checks, mid_role, ask, options.at);
    check_validity(checks, leaf_role, vcek, options.at);

    // 3. The signer is the kind the report names (SIGNER_INFO.SIGNING_KEY), under the right intermediate.
    {
        const std::string want_leaf = vlek ? "SEV-VLEK" : "SEV-VCEK";
        const bool mid_is_vlek = ask.subject_cn.rfind("SEV-VLEK", 0) == 0;
        const bool ok = report.signer.signing_key != SigningKey::kNone && vcek.subject_cn.rfind(want_leaf, 0) == 0 && mid_is_vlek == vlek;
        checks.add("signer.key_type", ok,
                   std::string(to_string(report.signer.signing_key)) + " (" + want_leaf + " under " + (vlek ? "an ASVK" : "an ASK") + ")",
                   vcek.subject_cn + " under " + ask.subject_cn);
    }
    {
        EVP_PKEY* key = X509_get0_pubkey(vcek.x509.get());
        char group[64] = "";
        size_t glen = 0;
        const bool ec = key && EVP_PKEY_get_base_id(key) == EVP_PKEY_EC && EVP_PKEY_get_group_name(key, group, sizeof group, &glen) == 1;
        checks.add(leaf_role + ".key", ec && std::string(group) == "secp384r1", "EC secp384r1", ec ? group : "not an EC key");
    }

    // 4. The product the report names (CPUID, v3+) is the root's; it selects the TCB layout.
    const TcbLayout layout = report.layout(v.product);
    if (report.version >= 3) {
        const auto cpu = report.cpuid_product();
        char buf[64];
        std::snprintf(buf, sizeof buf, "CPUID family %02Xh model %02Xh stepping %u", report.cpuid_family, report.cpuid_model,
                      report.cpuid_stepping);
        checks.add("report.product", cpu && v.product && *cpu == *v.product,
                   v.product ? std::string(to_string(*v.product)) + " (the root's product)" : "the root's product",
                   std::string(buf) + (cpu ? " = " + std::string(to_string(*cpu)) : " (unknown)"));
    }
    checks.add("report.signature_algo", report.signature_algo == kSnpSigAlgoEcdsaP384Sha384, "1 (ECDSA P-384 with SHA-384)",
               std::to_string(report.signature_algo));

    // 5. The certificate was issued for this TCB and this chip.
    check_tcb(checks, leaf_role, vcek, report, layout);
    if (!vlek) check_hwid(checks, vcek, report, layout);

    // 6. Revocation: only a CRL the trusted ARK signed, and that is current, can clear the chain.
    if (!options.crl.empty()) {
        auto crl = SnpCrl::parse(options.crl);
        if (!crl) return Unexpected{SnpInputError{SnpInputError::kCrl, crl.error().detail}};
        detail::check_revocation(v.checks, *crl, ark, ask, vcek, mid_role, leaf_role, options.at);
    }

    // 7. The report signature.
    {
        EVP_PKEY* key = X509_get0_pubkey(vcek.x509.get());
        const bool ok = key && report_signature_verifies(report_bytes, key);
        checks.add("report.signature", ok, "ECDSA P-384 SHA-384 over 0x000-0x29F valid under the " + leaf_role + " key",
                   ok ? "valid" : "invalid");
    }
    return v;
}

std::optional<std::time_t> parse_utc_time(std::string_view text) {
    if (text.size() != 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':' || text[19] != 'Z')
        return std::nullopt;
    auto num = [&](size_t pos, size_t len) -> int {
        int v = 0;
        for (size_t i = pos; i < pos + len; ++i) {
            if (text[i] < '0' || text[i] > '9') return -1;
            v = v * 10 + (text[i] - '0');
        }
        return v;
    };
    std::tm tm{};
    tm.tm_year = num(0, 4) - 1900, tm.tm_mon = num(5, 2) - 1, tm.tm_mday = num(8, 2);
    tm.tm_hour = num(11, 2), tm.tm_min = num(14, 2), tm.tm_sec = num(17, 2);
    if (tm.tm_year < 0 || tm.tm_mon < 0 || tm.tm_mday < 0 || tm.tm_hour < 0 || tm.tm_min < 0 || tm.tm_sec < 0) return std::nullopt;
    const std::time_t t = timegm(&tm);
    if (format_utc_time(t) != text) return std::nullopt;  // rejects 2025-02-30 and friends
    return t;
}

std::string format_utc_time(std::time_t t) {
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

}  // namespace cvex::attest
