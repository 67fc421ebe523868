#include "attest/provider/sim_platform.hpp"
#include "attest/provider/sim_platform_keys.hpp"

#include "attest/report/snp_report.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace cvex::attest {

using cvex::Bytes;
using cvex::Expected;
using cvex::Unexpected;

namespace {

using sim_detail::Deleter;
using sim_detail::PkeyPtr;
using sim_detail::X509Ptr;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, sim_detail::Deleter<EVP_MD_CTX, EVP_MD_CTX_free>>;

struct Cpuid {
    uint8_t family, model, stepping;
};
Cpuid cpuid_of(const std::string& product) {
    if (product == "Genoa") return {0x19, 0x11, 0x01};
    if (product == "Turin") return {0x1A, 0x02, 0x00};
    return {0x19, 0x01, 0x01};  // Milan
}

// SPL bytes of a TCB_VERSION (Milan/Genoa: boot loader 0, TEE 1, SNP 6, microcode 7;
// Turin: FMC 0, boot loader 1, TEE 2, SNP 3, microcode 7).
struct Spl {
    int fmc = -1, bl, tee, snp, ucode;
};
Spl spl_of(const std::string& product, uint64_t tcb) {
    auto b = [tcb](int i) { return static_cast<int>((tcb >> (8 * i)) & 0xff); };
    if (product == "Turin") return {b(0), b(1), b(2), b(3), b(7)};
    return {-1, b(0), b(1), b(6), b(7)};
}

Bytes der_integer(long v) {
    ASN1_INTEGER* i = ASN1_INTEGER_new();
    ASN1_INTEGER_set(i, v);
    unsigned char* out = nullptr;
    const int n = i2d_ASN1_INTEGER(i, &out);
    Bytes b(out, out + n);
    OPENSSL_free(out);
    ASN1_INTEGER_free(i);
    return b;
}

Bytes der_ia5(const std::string& s) {
    ASN1_IA5STRING* a = ASN1_IA5STRING_new();
    ASN1_STRING_set(a, s.data(), static_cast<int>(s.size()));
    unsigned char* out = nullptr;
    const int n = i2d_ASN1_IA5STRING(a, &out);
    Bytes b(out, out + n);
    OPENSSL_free(out);
    ASN1_IA5STRING_free(a);
    return b;
}

bool add_raw_extension(X509* x, const char* oid, const Bytes& value) {
    ASN1_OBJECT* obj = OBJ_txt2obj(oid, 1);
    ASN1_OCTET_STRING* os = ASN1_OCTET_STRING_new();
    ASN1_OCTET_STRING_set(os, value.data(), static_cast<int>(value.size()));
    X509_EXTENSION* ext = X509_EXTENSION_create_by_OBJ(nullptr, obj, 0, os);
    const bool ok = ext != nullptr && X509_add_ext(x, ext, -1) == 1;
    X509_EXTENSION_free(ext);
    ASN1_OCTET_STRING_free(os);
    ASN1_OBJECT_free(obj);
    return ok;
}

bool add_v3_extension(X509* x, X509* issuer, int nid, const char* value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, x, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    const bool ok = ext != nullptr && X509_add_ext(x, ext, -1) == 1;
    X509_EXTENSION_free(ext);
    return ok;
}

void set_name(X509_NAME* name, const std::string& cn) {
    // AMD's order (OU, C, L, ST, O, CN), with an organisation that cannot be mistaken for AMD's.
    X509_NAME_add_entry_by_txt(name, "OU", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("Engineering"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "C", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("US"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "L", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("Nowhere"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "ST", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("CA"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("cvex SIMULATED SEV-SNP (not AMD)"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
}

// RSASSA-PSS, SHA-384, MGF1-SHA-384, salt 48: AMD's signature scheme for ARK, ASK and VCEK.
bool sign_pss(X509* x, EVP_PKEY* key) {
    MdCtxPtr ctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX* pctx = nullptr;
    if (EVP_DigestSignInit(ctx.get(), &pctx, EVP_sha384(), nullptr, key) != 1) return false;
    if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1) return false;
    if (EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 48) != 1) return false;
    if (EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha384()) != 1) return false;
    return X509_sign_ctx(x, ctx.get()) > 0;
}

X509Ptr make_cert(const std::string& subject_cn, EVP_PKEY* subject_key, X509* issuer, long days, bool ca) {
    X509Ptr x(X509_new());
    X509_set_version(x.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x.get()), ca ? 1 : 0);
    set_name(X509_get_subject_name(x.get()), subject_cn);
    X509_set_issuer_name(x.get(), issuer ? X509_get_subject_name(issuer) : X509_get_subject_name(x.get()));
    X509_gmtime_adj(X509_getm_notBefore(x.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(x.get()), days * 86400L);
    X509_set_pubkey(x.get(), subject_key);
    if (ca) {
        add_v3_extension(x.get(), issuer ? issuer : x.get(), NID_basic_constraints, "critical,CA:TRUE");
        add_v3_extension(x.get(), issuer ? issuer : x.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
        add_v3_extension(x.get(), issuer ? issuer : x.get(), NID_subject_key_identifier, "hash");
    }
    return x;
}

Bytes to_der(X509* x) {
    unsigned char* out = nullptr;
    const int n = i2d_X509(x, &out);
    Bytes b(out, out + (n > 0 ? n : 0));
    OPENSSL_free(out);
    return b;
}

std::string to_pem(X509* x) {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(bio, x);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    std::string s(data, static_cast<size_t>(n));
    BIO_free(bio);
    return s;
}

// RSASSA-PSS as sign_pss, for a CRL.
bool sign_crl_pss(X509_CRL* crl, EVP_PKEY* key) {
    MdCtxPtr ctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX* pctx = nullptr;
    if (EVP_DigestSignInit(ctx.get(), &pctx, EVP_sha384(), nullptr, key) != 1) return false;
    if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1) return false;
    if (EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 48) != 1) return false;
    if (EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha384()) != 1) return false;
    return X509_CRL_sign_ctx(crl, ctx.get()) > 0;
}

Bytes serial_bytes(const X509* x) {
    BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), nullptr);
    Bytes s(static_cast<size_t>(BN_num_bytes(bn)));
    BN_bn2bin(bn, s.data());
    BN_free(bn);
    return s;
}
}  // namespace

SimulatedSnpPlatform::SimulatedSnpPlatform(SimulatedGuest guest, std::unique_ptr<Keys> keys)
    : guest_(std::move(guest)), keys_(std::move(keys)) {}

SimulatedSnpPlatform::~SimulatedSnpPlatform() = default;

Expected<std::unique_ptr<SimulatedSnpPlatform>, SimPlatformError> SimulatedSnpPlatform::create(SimulatedGuest guest,
                                                                                                std::optional<std::array<uint8_t, 32>> chip_seed) {
    if (guest.product != "Milan" && guest.product != "Genoa" && guest.product != "Turin")
        return sim_platform_failure(std::string("simulated product must be Milan, Genoa or Turin, not '") + guest.product + "'");
    auto keys = std::make_unique<Keys>();
    keys->ark_key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{4096}));
    keys->ask_key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{4096}));
    keys->vcek_key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384"));
    if (!keys->ark_key || !keys->ask_key || !keys->vcek_key) return sim_platform_failure("key generation failed");
    if (chip_seed) {
        static constexpr char kSecretLabel[] = "cvex simulated chip: derivation secret";
        unsigned int n = 0;
        HMAC(EVP_sha256(), chip_seed->data(), 32, reinterpret_cast<const unsigned char*>(kSecretLabel), sizeof kSecretLabel - 1,
             keys->derivation_secret.data(), &n);
    } else if (RAND_priv_bytes(keys->derivation_secret.data(), 32) != 1) {
        return sim_platform_failure("RAND_priv_bytes failed");
    }

    const std::string product = guest.product;
    keys->ark = make_cert("ARK-" + product + "-SIMULATED", keys->ark_key.get(), nullptr, 25 * 365, true);
    if (!sign_pss(keys->ark.get(), keys->ark_key.get())) return sim_platform_failure("signing the simulated ARK failed");
    keys->ask = make_cert("SEV-" + product + "-SIMULATED", keys->ask_key.get(), keys->ark.get(), 25 * 365, true);
    if (!sign_pss(keys->ask.get(), keys->ark_key.get())) return sim_platform_failure("signing the simulated ASK failed");

    std::unique_ptr<SimulatedSnpPlatform> p(new SimulatedSnpPlatform(std::move(guest), std::move(keys)));
    if (chip_seed) {
        static constexpr char kChipLabel[] = "cvex simulated chip: chip id";
        unsigned int n = 0;
        HMAC(EVP_sha512(), chip_seed->data(), 32, reinterpret_cast<const unsigned char*>(kChipLabel), sizeof kChipLabel - 1,
             p->chip_id_.data(), &n);
    } else {
        RAND_bytes(p->chip_id_.data(), static_cast<int>(p->chip_id_.size()));
    }
    Keys& k = *p->keys_;
    k.vcek = make_cert("SEV-VCEK-SIMULATED", k.vcek_key.get(), k.ask.get(), 7 * 365, false);
    // AMD's VCEK extensions (VCEK spec §3): structVersion, productName, the SPLs of REPORTED_TCB, hwID.
    const Spl spl = spl_of(product, p->guest_.tcb);
    bool ok = add_raw_extension(k.vcek.get(), "1.3.6.1.4.1.3704.1.1", der_integer(0)) &&
              add_raw_extension(k.vcek.get(), "1.3.6.1.4.1.3704.1.2", der_ia5(product + "-B0")) &&
              add_raw_extension(k.vcek.get(), "1.3.6.1.4.1.3704.1.3.1", der_integer(spl.bl)) &&
              add_raw_extension(k.vcek.get(), "1.3.6.1.4.1.3704.1.3.2", der_integer(spl.tee)) &&
              add_raw_extension(k.vcek.get(), "1.3.6.1.4.1.3704.1.3.3", der_integer(spl.snp));
    for (const char* oid : {"1.3.6.1.4.1.3704.1.3.4", "1.3.6.1.4.1.3704.1.3.5", "1.3.6.1.4.1.3704.1.3.6", "1.3.6.1.4.1.3704.1.3.7"})
        ok = ok && add_raw_extension(k.vcek.get(), oid, der_integer(0));
    ok = ok && add_raw_extension(k.vcek.get(), "1.3.6.1.4.1.3704.1.3.8", der_integer(spl.ucode));
    if (spl.fmc >= 0) ok = ok && add_raw_extension(k.vcek.get(), "1.3.6.1.4.1.3704.1.3.9", der_integer(spl.fmc));
    // hwID: the raw chip id (64 bytes; Turin's VCEKs carry only the first 8).
    const size_t hwid_len = product == "Turin" ? 8 : 64;
    ok = ok && add_raw_extension(k.vcek.get(), "1.3.6.1.4.1.3704.1.4", Bytes(p->chip_id_.begin(), p->chip_id_.begin() + hwid_len));
    if (!ok || !sign_pss(k.vcek.get(), k.ask_key.get())) return sim_platform_failure("building the simulated VCEK failed");
    return p;
}

Bytes SimulatedSnpPlatform::make_report(const ReportData& report_data, unsigned vmpl) const {
    // The fields the firmware fills (SNP ABI, Table "ATTESTATION_REPORT Structure"), laid out by
    // the same serialiser the verifier's parser inverts.
    const SimulatedGuest& g = guest_;
    AttestationReport a;
    a.version = g.report_version;
    a.guest_svn = g.guest_svn;
    a.policy.raw = g.policy;
    a.family_id = g.family_id;
    a.image_id = g.image_id;
    a.vmpl = vmpl;
    a.signature_algo = kSnpSigAlgoEcdsaP384Sha384;
    a.current_tcb = a.reported_tcb = a.committed_tcb = a.launch_tcb = g.tcb;
    a.platform_info.raw = g.platform_info;
    a.signer = {};  // VCEK, chip id not masked, no author key
    a.report_data = report_data;
    a.measurement = g.measurement;
    a.host_data = g.host_data;
    RAND_bytes(a.report_id.data(), static_cast<int>(a.report_id.size()));
    a.report_id_ma.fill(0xff);  // no migration agent
    if (g.report_version >= 3) {
        const Cpuid c = cpuid_of(g.product);
        a.cpuid_family = c.family, a.cpuid_model = c.model, a.cpuid_stepping = c.stepping;
    }
    a.chip_id = chip_id_;
    a.current_fw = a.committed_fw = FirmwareVersion{g.fw_build, g.fw_minor, g.fw_major};
    Bytes r = serialize_report(a);

    // ECDSA P-384 over SHA-384 of the signed part; r and s stored little-endian in 72 bytes each.
    MdCtxPtr ctx(EVP_MD_CTX_new());
    size_t sig_len = 0;
    EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha384(), nullptr, keys_->vcek_key.get());
    EVP_DigestSign(ctx.get(), nullptr, &sig_len, r.data(), kSnpSignedSize);
    Bytes der(sig_len);
    EVP_DigestSign(ctx.get(), der.data(), &sig_len, r.data(), kSnpSignedSize);
    const unsigned char* p = der.data();
    ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig_len));
    const BIGNUM* sr = nullptr;
    const BIGNUM* ss = nullptr;
    ECDSA_SIG_get0(sig, &sr, &ss);
    BN_bn2lebinpad(sr, r.data() + kSnpSigROffset, kSnpSigComponentSize);
    BN_bn2lebinpad(ss, r.data() + kSnpSigSOffset, kSnpSigComponentSize);
    ECDSA_SIG_free(sig);
    return r;
}

const std::array<uint8_t, 32>& SimulatedSnpPlatform::derivation_secret() const { return keys_->derivation_secret; }

Bytes SimulatedSnpPlatform::ark_der() const { return to_der(keys_->ark.get()); }
Bytes SimulatedSnpPlatform::ask_der() const { return to_der(keys_->ask.get()); }
Bytes SimulatedSnpPlatform::vcek_der() const { return to_der(keys_->vcek.get()); }
std::string SimulatedSnpPlatform::ark_pem() const { return to_pem(keys_->ark.get()); }
std::string SimulatedSnpPlatform::ask_pem() const { return to_pem(keys_->ask.get()); }
std::string SimulatedSnpPlatform::vcek_pem() const { return to_pem(keys_->vcek.get()); }

Bytes SimulatedSnpPlatform::vcek_serial() const { return serial_bytes(keys_->vcek.get()); }
Bytes SimulatedSnpPlatform::ask_serial() const { return serial_bytes(keys_->ask.get()); }

Bytes SimulatedSnpPlatform::make_crl(const std::vector<Bytes>& revoked_serials, std::time_t this_update, std::time_t next_update) const {
    // An X.509 v2 CRL (RFC 5280 §5) as AMD's KDS serves it: issued and signed by the ARK.
    std::unique_ptr<X509_CRL, Deleter<X509_CRL, X509_CRL_free>> crl(X509_CRL_new());
    X509_CRL_set_version(crl.get(), 1);
    X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(keys_->ark.get()));
    auto set_time = [&](int (*set)(X509_CRL*, const ASN1_TIME*), std::time_t t) {
        ASN1_TIME* a = ASN1_TIME_set(nullptr, t);
        set(crl.get(), a);
        ASN1_TIME_free(a);
    };
    set_time(X509_CRL_set1_lastUpdate, this_update);
    set_time(X509_CRL_set1_nextUpdate, next_update);
    for (const Bytes& serial : revoked_serials) {
        X509_REVOKED* r = X509_REVOKED_new();
        BIGNUM* bn = BN_bin2bn(serial.data(), static_cast<int>(serial.size()), nullptr);
        ASN1_INTEGER* n = BN_to_ASN1_INTEGER(bn, nullptr);
        ASN1_TIME* when = ASN1_TIME_set(nullptr, this_update);
        X509_REVOKED_set_serialNumber(r, n);
        X509_REVOKED_set_revocationDate(r, when);
        X509_CRL_add0_revoked(crl.get(), r);
        ASN1_TIME_free(when);
        ASN1_INTEGER_free(n);
        BN_free(bn);
    }
    X509_CRL_sort(crl.get());
    if (!sign_crl_pss(crl.get(), keys_->ark_key.get())) return {};
    unsigned char* out = nullptr;
    const int len = i2d_X509_CRL(crl.get(), &out);
    Bytes der(out, out + (len > 0 ? len : 0));
    OPENSSL_free(out);
    return der;
}

Expected<Evidence, ProviderError> SimulatedProvider::get_evidence(const ReportData& report_data, unsigned vmpl) {
    if (vmpl > 3) return Unexpected{ProviderError{ProviderErrc::kInvalidArgument, "vmpl " + std::to_string(vmpl) + " is above 3"}};
    Evidence ev;
    ev.report = platform_->make_report(report_data, vmpl);
    ev.certs = {{kGuidVcek, platform_->vcek_der()}, {kGuidAsk, platform_->ask_der()}, {kGuidArk, platform_->ark_der()}};
    ev.provider = "simulated";
    ev.simulated = true;
    return ev;
}

Expected<void, ProviderError> SimulatedProvider::derive_key(const DerivedKeyRequest& request, DerivedKeyOut out) {
    if (request.vmpl > 3) return Unexpected{ProviderError{ProviderErrc::kInvalidArgument, "vmpl above 3"}};
    const SimulatedGuest& g = platform_->guest();
    // MSG_KEY_REQ (SNP ABI Table 19): TCB_VERSION must not exceed CommittedTcb — per SPL byte, so
    // a firmware rolled back below a sealing TCB cannot derive that TCB's key.
    for (int i = 0; i < 8; ++i)
        if (((request.tcb_version >> (8 * i)) & 0xff) > ((g.tcb >> (8 * i)) & 0xff))
            return Unexpected{ProviderError{ProviderErrc::kFirmware, "MSG_KEY_RSP INVALID_PARAM (0x16): TCB_VERSION above the committed TCB"}};
    // Mix the selected fields as the firmware does (SNP ABI §7.2: the key depends on them).
    Bytes msg;
    auto add = [&msg](const void* p, size_t n) { msg.insert(msg.end(), static_cast<const uint8_t*>(p), static_cast<const uint8_t*>(p) + n); };
    add(&request.root_key, 4);
    add(&request.guest_field_select, 8);
    add(&request.vmpl, 4);
    if (request.guest_field_select & kFieldPolicy) add(&g.policy, 8);
    if (request.guest_field_select & kFieldImageId) add(g.image_id.data(), 16);
    if (request.guest_field_select & kFieldFamilyId) add(g.family_id.data(), 16);
    if (request.guest_field_select & kFieldMeasurement) add(g.measurement.data(), 48);
    if (request.guest_field_select & kFieldGuestSvn) add(&request.guest_svn, 4);
    if (request.guest_field_select & kFieldTcbVersion) add(&request.tcb_version, 8);
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    const auto& secret = platform_->derivation_secret();
    HMAC(EVP_sha384(), secret.data(), static_cast<int>(secret.size()), msg.data(), msg.size(), mac, &mac_len);
    std::memcpy(out.data(), mac, out.size());
    OPENSSL_cleanse(mac, sizeof mac);
    return {};
}

}  // namespace cvex::attest
