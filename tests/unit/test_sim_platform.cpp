// The simulated SEV-SNP platform produces AMD-format evidence under its own, clearly named
// chain. (That verifiers refuse it unless told to trust it is tested with the verifier.)
#include <catch2/catch.hpp>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "attest/provider/sim_platform.hpp"

using namespace cvex::attest;
using cvex::Bytes;

namespace {

const SimulatedSnpPlatform& platform() {
    static const auto p = [] {
        SimulatedGuest g;
        g.measurement.fill(0x42);
        auto created = SimulatedSnpPlatform::create(g);
        REQUIRE(created);
        return std::shared_ptr<SimulatedSnpPlatform>(std::move(*created));
    }();
    return *p;
}

X509* parse(const Bytes& der) {
    const unsigned char* p = der.data();
    return d2i_X509(nullptr, &p, static_cast<long>(der.size()));
}

ReportData rd() {
    ReportData r;
    for (size_t i = 0; i < 64; ++i) r[i] = static_cast<uint8_t>(i);
    return r;
}

}  // namespace

TEST_CASE("the simulated chain links ARK to ASK to VCEK with RSASSA-PSS") {
    X509* ark = parse(platform().ark_der());
    X509* ask = parse(platform().ask_der());
    X509* vcek = parse(platform().vcek_der());
    REQUIRE((ark && ask && vcek));
    CHECK(X509_verify(ark, X509_get0_pubkey(ark)) == 1);
    CHECK(X509_verify(ask, X509_get0_pubkey(ark)) == 1);
    CHECK(X509_verify(vcek, X509_get0_pubkey(ask)) == 1);
    CHECK(X509_get_signature_nid(vcek) == NID_rsassaPss);
    CHECK(EVP_PKEY_get_bits(X509_get0_pubkey(ark)) == 4096);
    CHECK(EVP_PKEY_get_bits(X509_get0_pubkey(vcek)) == 384);
    X509_free(ark), X509_free(ask), X509_free(vcek);
}

TEST_CASE("every simulated certificate names itself SIMULATED") {
    for (const auto& pem : {platform().ark_pem(), platform().ask_pem(), platform().vcek_pem()}) {
        BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
        X509* x = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
        REQUIRE(x);
        char buf[512];
        X509_NAME_oneline(X509_get_subject_name(x), buf, sizeof buf);
        CHECK_THAT(std::string(buf), Catch::Contains("SIMULATED"));
        X509_free(x);
        BIO_free(bio);
    }
}

TEST_CASE("a simulated report is 1184 bytes, carries REPORT_DATA and the measurement, and its VCEK signature verifies") {
    const Bytes report = platform().make_report(rd(), 0);
    REQUIRE(report.size() == 1184);
    CHECK(std::equal(report.begin() + 0x50, report.begin() + 0x90, rd().begin()));
    CHECK(report[0x90] == 0x42);
    CHECK(std::equal(report.begin() + 0x1A0, report.begin() + 0x1E0, platform().chip_id().begin()));

    // r and s are 72-byte little-endian at 0x2A0 and 0x2E8 (SNP ABI Table 134, ECDSA P-384).
    ECDSA_SIG* sig = ECDSA_SIG_new();
    ECDSA_SIG_set0(sig, BN_lebin2bn(report.data() + 0x2A0, 72, nullptr), BN_lebin2bn(report.data() + 0x2E8, 72, nullptr));
    unsigned char* der = nullptr;
    const int der_len = i2d_ECDSA_SIG(sig, &der);
    X509* vcek = parse(platform().vcek_der());
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_DigestVerifyInit(ctx, nullptr, EVP_sha384(), nullptr, X509_get0_pubkey(vcek));
    CHECK(EVP_DigestVerify(ctx, der, static_cast<size_t>(der_len), report.data(), 0x2A0) == 1);
    Bytes tampered = report;
    tampered[0x90] ^= 1;
    EVP_DigestVerifyInit(ctx, nullptr, EVP_sha384(), nullptr, X509_get0_pubkey(vcek));
    CHECK(EVP_DigestVerify(ctx, der, static_cast<size_t>(der_len), tampered.data(), 0x2A0) != 1);
    EVP_MD_CTX_free(ctx);
    X509_free(vcek);
    OPENSSL_free(der);
    ECDSA_SIG_free(sig);
}

TEST_CASE("simulated evidence says it is simulated and carries the whole chain") {
    SimulatedProvider provider(std::shared_ptr<const SimulatedSnpPlatform>(&platform(), [](const SimulatedSnpPlatform*) {}));
    auto ev = provider.get_evidence(rd(), 1);
    REQUIRE(ev);
    CHECK(ev->simulated);
    CHECK(ev->provider == "simulated");
    CHECK(find_cert(ev->certs, kGuidVcek));
    CHECK(find_cert(ev->certs, kGuidArk));
    CHECK(ev->report[0x30] == 1);  // VMPL
}

TEST_CASE("simulated derived keys are stable and bound to the selected fields") {
    SimulatedProvider provider(std::shared_ptr<const SimulatedSnpPlatform>(&platform(), [](const SimulatedSnpPlatform*) {}));
    DerivedKeyRequest req;
    std::array<uint8_t, 32> a{}, b{}, c{};
    REQUIRE(provider.derive_key(req, a));
    REQUIRE(provider.derive_key(req, b));
    CHECK(a == b);
    req.guest_field_select |= kFieldGuestSvn;
    req.guest_svn = 1;
    REQUIRE(provider.derive_key(req, c));
    CHECK(c != a);
}

TEST_CASE("a simulated chip from a seed derives the same keys in every process; another seed, others") {
    SimulatedGuest g;
    g.measurement.fill(0x42);
    std::array<uint8_t, 32> seed{};
    seed.fill(7);
    auto p1 = SimulatedSnpPlatform::create(g, seed), p2 = SimulatedSnpPlatform::create(g, seed);
    seed[0] = 8;
    auto p3 = SimulatedSnpPlatform::create(g, seed);
    REQUIRE((p1 && p2 && p3));
    CHECK((*p1)->chip_id() == (*p2)->chip_id());
    CHECK((*p1)->chip_id() != (*p3)->chip_id());
    SimulatedProvider s1(std::move(*p1)), s2(std::move(*p2)), s3(std::move(*p3));
    std::array<uint8_t, 32> k1{}, k2{}, k3{};
    const auto req = sealing_key_request(g.tcb);
    REQUIRE((s1.derive_key(req, k1) && s2.derive_key(req, k2) && s3.derive_key(req, k3)));
    CHECK(k1 == k2);
    CHECK(k1 != k3);
}

TEST_CASE("the simulated firmware refuses a TCB_VERSION above its committed TCB, as MSG_KEY_REQ requires") {
    SimulatedProvider provider(std::shared_ptr<const SimulatedSnpPlatform>(&platform(), [](const SimulatedSnpPlatform*) {}));
    std::array<uint8_t, 32> k{};
    CHECK(provider.derive_key(sealing_key_request(platform().guest().tcb), k));
    auto above = provider.derive_key(sealing_key_request(platform().guest().tcb + (uint64_t{1} << 48)), k);  // SNP SPL + 1
    REQUIRE_FALSE(above);
    CHECK(above.error().code == ProviderErrc::kFirmware);
    CHECK_THAT(above.error().message(), Catch::Contains("TCB_VERSION"));
}

TEST_CASE("a platform exported for a guest signs the same way once imported, and carries no ARK or ASK key") {
    const std::string file = platform().export_for_guest();
    // One private key only: the VCEK's. The ARK and ASK keys stay with the host process.
    size_t keys = 0;
    for (size_t at = file.find("PRIVATE KEY-----"); at != std::string::npos; at = file.find("PRIVATE KEY-----", at + 1)) ++keys;
    CHECK(keys == 2);  // its BEGIN and END lines
    CHECK(file.find("SIMULATED") != std::string::npos);

    auto imported = SimulatedSnpPlatform::import_for_guest(file);
    REQUIRE(imported);
    const SimulatedSnpPlatform& p = **imported;
    CHECK(p.vcek_der() == platform().vcek_der());
    CHECK(p.ask_ark_pem() == platform().ask_ark_pem());
    CHECK(p.chip_id() == platform().chip_id());
    CHECK(p.guest().measurement == platform().guest().measurement);
    CHECK(p.derivation_secret() == platform().derivation_secret());

    const Bytes report = p.make_report(rd(), 0);
    ECDSA_SIG* sig = ECDSA_SIG_new();
    ECDSA_SIG_set0(sig, BN_lebin2bn(report.data() + 0x2A0, 72, nullptr), BN_lebin2bn(report.data() + 0x2E8, 72, nullptr));
    unsigned char* der = nullptr;
    const int der_len = i2d_ECDSA_SIG(sig, &der);
    X509* vcek = parse(platform().vcek_der());
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_DigestVerifyInit(ctx, nullptr, EVP_sha384(), nullptr, X509_get0_pubkey(vcek));
    CHECK(EVP_DigestVerify(ctx, der, static_cast<size_t>(der_len), report.data(), 0x2A0) == 1);
    EVP_MD_CTX_free(ctx);
    X509_free(vcek);
    OPENSSL_free(der);
    ECDSA_SIG_free(sig);
}

TEST_CASE("an imported platform is refused when it is not one, or its VCEK key does not match the VCEK") {
    CHECK_FALSE(SimulatedSnpPlatform::import_for_guest("{}"));
    CHECK_FALSE(SimulatedSnpPlatform::import_for_guest("not json"));
    SimulatedGuest g;
    auto other = SimulatedSnpPlatform::create(g);
    REQUIRE(other);
    std::string mixed = platform().export_for_guest();
    const std::string theirs = (*other)->export_for_guest();
    auto key_block = [](const std::string& s) {
        const size_t b = s.find("-----BEGIN PRIVATE KEY-----"), e = s.find("-----END PRIVATE KEY-----");
        return std::pair{b, e - b};
    };
    const auto [mb, ml] = key_block(mixed);
    const auto [tb, tl] = key_block(theirs);
    mixed.replace(mb, ml, theirs.substr(tb, tl));
    auto refused = SimulatedSnpPlatform::import_for_guest(mixed);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message().find("not the VCEK's key") != std::string::npos);
}

TEST_CASE("the simulated root directory is trusted only if it is ours and writable by no one else") {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("cvex-sim-root-test-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    CHECK_FALSE(check_sim_root_dir(dir.string()));  // missing
    fs::create_directories(dir);
    fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace);
    CHECK(check_sim_root_dir(dir.string()));
    fs::permissions(dir, fs::perms::owner_all | fs::perms::others_write | fs::perms::others_exec, fs::perm_options::replace);
    auto world = check_sim_root_dir(dir.string());
    REQUIRE_FALSE(world);
    CHECK(world.error().message().find("writable by its group or by others") != std::string::npos);
    fs::permissions(dir, fs::perms::owner_all | fs::perms::group_write, fs::perm_options::replace);
    CHECK_FALSE(check_sim_root_dir(dir.string()));
    fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace);
    if (::geteuid() == 0) {  // only root can hand the directory to someone else
        REQUIRE(::chown(dir.c_str(), 65534, 65534) == 0);
        auto other = check_sim_root_dir(dir.string());
        REQUIRE_FALSE(other);
        CHECK(other.error().message().find("not by this user") != std::string::npos);
    }
    fs::remove_all(dir);
}

TEST_CASE("without CVEX_SIM_ROOT_DIR and HOME there is no simulated root directory (no shared /tmp fallback)") {
    const char* saved_dir = std::getenv("CVEX_SIM_ROOT_DIR");
    const char* saved_home = std::getenv("HOME");
    const std::string d = saved_dir ? saved_dir : "", h = saved_home ? saved_home : "";
    ::unsetenv("CVEX_SIM_ROOT_DIR");
    ::unsetenv("HOME");
    CHECK(sim_root_dir().empty());
    CHECK_FALSE(check_sim_root_dir(sim_root_dir()));
    CHECK_FALSE(publish_sim_root(platform()));
    if (saved_dir) ::setenv("CVEX_SIM_ROOT_DIR", d.c_str(), 1);
    if (saved_home) ::setenv("HOME", h.c_str(), 1);
}
