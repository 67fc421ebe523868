// Revocation (issue 15 §5): AMD's CRL, signed by the ARK with RSASSA-PSS, checked for its
// issuer, signature and dates; a revoked ASK or VCEK fails the verification by name. The
// simulated platform issues CRLs like AMD's KDS, so both outcomes are exercised.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <unistd.h>

#include "attest/provider/sim_platform.hpp"
#include "attest/cert/snp_crl.hpp"
#include "attest/verify/snp_verifier.hpp"

using namespace cvex::attest;
using cvex::Bytes;

namespace {

struct Sim {
    std::unique_ptr<SimulatedSnpPlatform> platform;
    Bytes report, vcek;
    std::string chain;
    std::string root_dir;
};

Sim& sim() {
    static Sim s = [] {
        Sim x;
        x.root_dir = (std::filesystem::temp_directory_path() / ("cvex-crl-" + std::to_string(::getpid()))).string();
        ::setenv("CVEX_SIM_ROOT_DIR", x.root_dir.c_str(), 1);
        auto p = SimulatedSnpPlatform::create({});
        if (!p) throw std::runtime_error(p.error().message());
        x.platform = std::move(*p);
        if (!publish_sim_root(*x.platform)) throw std::runtime_error("publish");
        x.report = x.platform->make_report(ReportData{}, 0);
        x.vcek = x.platform->vcek_der();
        x.chain = x.platform->ask_ark_pem();
        return x;
    }();
    return s;
}

const SnpCheck* find(const SnpVerification& v, const std::string& name) {
    for (const auto& c : v.checks)
        if (c.name == name) return &c;
    return nullptr;
}

cvex::Expected<SnpVerification, SnpInputError> verify_with(const Bytes& crl, std::time_t at = std::time(nullptr)) {
    SnpVerifyOptions o;
    o.at = at;
    o.trust_sim_root = true;
    o.sim_root_dir = sim().root_dir;
    o.crl = crl;
    return verify_snp_report(sim().report, sim().vcek, cvex::as_view(sim().chain), o);
}

const std::time_t kNow = std::time(nullptr);

}  // namespace

TEST_CASE("a current CRL from the ARK that lists neither certificate passes every revocation check") {
    const Bytes crl = sim().platform->make_crl({}, kNow - 3600, kNow + 86400);
    auto v = verify_with(crl);
    REQUIRE(v);
    INFO((v->ok() ? "" : "fails"));
    CHECK(v->ok());
    for (const char* name : {"crl.issuer", "crl.signature_algorithm", "crl.signature", "crl.validity", "ask.not_revoked", "vcek.not_revoked"}) {
        INFO(name);
        REQUIRE(find(*v, name));
        CHECK(find(*v, name)->pass);
    }
}

TEST_CASE("a revoked VCEK fails, named with its serial and date") {
    const Bytes crl = sim().platform->make_crl({sim().platform->vcek_serial()}, kNow - 3600, kNow + 86400);
    auto v = verify_with(crl);
    REQUIRE(v);
    CHECK_FALSE(v->ok());
    REQUIRE(find(*v, "vcek.not_revoked"));
    CHECK_FALSE(find(*v, "vcek.not_revoked")->pass);
    CHECK_THAT(find(*v, "vcek.not_revoked")->actual, Catch::StartsWith("REVOKED on "));
    CHECK(find(*v, "ask.not_revoked")->pass);
}

TEST_CASE("a revoked ASK fails") {
    const Bytes crl = sim().platform->make_crl({sim().platform->ask_serial()}, kNow - 3600, kNow + 86400);
    auto v = verify_with(crl);
    REQUIRE(v);
    CHECK_FALSE(find(*v, "ask.not_revoked")->pass);
}

TEST_CASE("a CRL with a bad signature fails: another ARK's, or altered") {
    auto other = SimulatedSnpPlatform::create({});  // same names, different keys
    REQUIRE(other);
    auto v = verify_with((*other)->make_crl({}, kNow - 3600, kNow + 86400));
    REQUIRE(v);
    CHECK(find(*v, "crl.issuer")->pass);  // the name alone proves nothing
    CHECK_FALSE(find(*v, "crl.signature")->pass);
    CHECK_FALSE(v->ok());
    Bytes altered = sim().platform->make_crl({}, kNow - 3600, kNow + 86400);
    altered[altered.size() - 10] ^= 1;  // inside the signature value
    auto w = verify_with(altered);
    REQUIRE(w);
    CHECK_FALSE(find(*w, "crl.signature")->pass);
}

TEST_CASE("an expired or not yet valid CRL fails its dates") {
    auto expired = verify_with(sim().platform->make_crl({}, kNow - 86400 * 40, kNow - 86400 * 10));
    REQUIRE(expired);
    CHECK_FALSE(find(*expired, "crl.validity")->pass);
    auto future = verify_with(sim().platform->make_crl({}, kNow + 86400, kNow + 86400 * 30));
    REQUIRE(future);
    CHECK_FALSE(find(*future, "crl.validity")->pass);
}

TEST_CASE("a CRL that does not parse is unusable input, named") {
    auto v = verify_with(Bytes{0x30, 0x03, 0x02, 0x01, 0x00});
    REQUIRE_FALSE(v);
    CHECK(v.error().code == SnpInputError::kCrl);
    CHECK_THAT(v.error().message(), Catch::Contains("CRL"));
    auto cert_as_crl = verify_with(sim().vcek);
    REQUIRE_FALSE(cert_as_crl);
    CHECK(cert_as_crl.error().code == SnpInputError::kCrl);
}

TEST_CASE("without a CRL no revocation check is reported") {
    auto v = verify_with({});
    REQUIRE(v);
    CHECK(v->ok());
    CHECK(find(*v, "crl.signature") == nullptr);
}
