// SEV-SNP report verification (enclave-app/snp_verifier.hpp): AMD's pinned roots, the PSS chain,
// the VCEK's TCB and hwID extensions and the report signature, with the real reports of
// ../shared/vectors/sev/manifest.json and a simulated platform.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>

#include "base/bytes.hpp"
#include "attest/provider/sim_platform.hpp"
#include "attest/cert/snp_cert.hpp"
#include "attest/verify/snp_verifier.hpp"
#include "support/sev_vectors.hpp"

using namespace cvex::attest;
using cvex::Bytes;
using cvex::ByteView;
using cvex::test::sev_manifest;
using cvex::test::sev_vector;

namespace {


struct Case {
    std::string name;
    Bytes report, cert, chain;
    std::time_t at;
};

std::time_t at_of(const nlohmann::json& c) {
    if (c["verify_at"].is_null()) return std::time(nullptr);
    return *parse_utc_time(c["verify_at"].get<std::string>());
}

std::vector<Case> cases() {
    std::vector<Case> out;
    for (const auto& c : sev_manifest()["cases"])
        out.push_back({c["name"], sev_vector(c["report"]), sev_vector(c["signer_cert"]), sev_vector(c["ask_ark"]), at_of(c)});
    return out;
}

Case case_named(const std::string& name) {
    for (Case& c : cases())
        if (c.name == name) return c;
    throw std::runtime_error("no case " + name);
}

SnpVerification verify(const Case& c, SnpVerifyOptions options = {}) {
    if (options.at == 0) options.at = c.at;
    auto v = verify_snp_report(c.report, c.cert, c.chain, options);
    if (!v) FAIL(v.error().message());
    return *v;
}

const SnpCheck* find_check(const SnpVerification& v, const std::string& name) {
    for (const SnpCheck& c : v.checks)
        if (c.name == name) return &c;
    return nullptr;
}

std::vector<std::string> failed(const SnpVerification& v) {
    std::vector<std::string> out;
    for (const SnpCheck& c : v.checks)
        if (!c.pass) out.push_back(c.name + ": expected " + c.expected + ", got " + c.actual);
    return out;
}

bool has_failure(const SnpVerification& v, const std::string& name) {
    const SnpCheck* c = find_check(v, name);
    return c && !c->pass;
}

}  // namespace

TEST_CASE("every manifest case passes chain and signature verification at its verify_at time") {
    for (const Case& c : cases()) {
        INFO(c.name);
        const SnpVerification v = verify(c);
        CAPTURE(failed(v));
        CHECK(v.ok());
        CHECK_FALSE(v.simulated);
        REQUIRE(v.product);
        CHECK(v.root.find("pinned") != std::string::npos);
        for (const char* name : {"ark.trusted", "ark.self_signature", "report.signature"}) CHECK(find_check(v, name) != nullptr);
    }
}

TEST_CASE("each case is anchored in its own product's pinned ARK") {
    for (const auto& c : sev_manifest()["cases"]) {
        INFO(c["name"].get<std::string>());
        const SnpVerification v = verify(case_named(c["name"]));
        REQUIRE(v.product);
        CHECK(to_string(*v.product) == c["product"].get<std::string>());
    }
}

TEST_CASE("the pinned ARK hashes are the manifest's") {
    const auto& pins = sev_manifest()["amd_root_sha256_der"];
    REQUIRE(pinned_amd_arks().size() == 3);
    for (const PinnedArk& p : pinned_amd_arks())
        CHECK(pins["ARK_" + std::string(to_string(p.product))].get<std::string>() == p.der_sha256_hex);
}

TEST_CASE("Turin checks the FMC SPL and an 8-byte hwID; VLEKs skip hwID") {
    const SnpVerification turin = verify(case_named("turin-v5"));
    REQUIRE(find_check(turin, "vcek.tcb.fmc"));
    CHECK(find_check(turin, "vcek.tcb.fmc")->actual == "1");
    CHECK(find_check(turin, "vcek.hwid")->actual == "0910b4f884ff4ba9");
    const SnpVerification vlek = verify(case_named("milan-vlek-aws"));
    CHECK(find_check(vlek, "vcek.hwid") == nullptr);
    CHECK(find_check(vlek, "asvk.signature")->pass);
    CHECK(find_check(vlek, "vlek.tcb.snp")->pass);
}

TEST_CASE("the VCEK matches REPORTED_TCB, not CURRENT_TCB") {
    const SnpVerification v = verify(case_named("milan-v3-dstack"));  // current snp 0x18, reported 0x17
    CHECK(v.ok());
    CHECK(find_check(v, "vcek.tcb.snp")->actual == "23");
}

TEST_CASE("an expired certificate fails the validity check") {
    const Case c = case_named("milan-vlek-aws");  // the VLEK expired on 2025-12-10
    SnpVerifyOptions later;
    later.at = *parse_utc_time("2026-06-01T00:00:00Z");
    const SnpVerification v = verify(c, later);
    CHECK_FALSE(v.ok());
    CHECK(has_failure(v, "vlek.validity"));
    SnpVerifyOptions before;
    before.at = *parse_utc_time("2000-01-01T00:00:00Z");
    const SnpVerification early = verify(case_named("milan-virtee"), before);
    CHECK(has_failure(early, "vcek.validity"));
    CHECK(has_failure(early, "ark.validity"));
}

TEST_CASE("a chain of another product does not sign the report") {
    Case c = case_named("milan-virtee");
    c.chain = sev_vector("amd-roots/ask_ark_genoa.pem");
    const SnpVerification v = verify(c);
    CHECK_FALSE(v.ok());
    CHECK(has_failure(v, "vcek.issued_by_ask"));
    CHECK(has_failure(v, "vcek.signature"));
}

TEST_CASE("the signer kind must be the one SIGNER_INFO names") {
    Case c = case_named("milan-vlek-aws");
    c.chain = sev_vector("amd-roots/ask_ark_milan.pem");  // an ASK where the VLEK needs the ASVK
    const SnpVerification v = verify(c);
    CHECK(has_failure(v, "signer.key_type"));
    CHECK(has_failure(v, "vlek.signature"));
}

TEST_CASE("the malformed VCEK with a wrapped 66-byte hwID is rejected naming the extension") {
    auto e = parse_amd_extensions(sev_vector("invalid-extension-new.vcek.der"));
    REQUIRE_FALSE(e);
    CHECK_THAT(e.error().message(), Catch::Contains("hwID") && Catch::Contains("1.3.6.1.4.1.3704.1.4") && Catch::Contains("66 bytes"));
    Case c = case_named("milan-virtee");
    c.cert = sev_vector("invalid-extension-new.vcek.der");
    const SnpVerification v = verify(c);
    CHECK_FALSE(v.ok());
    REQUIRE(has_failure(v, "vcek.extensions"));
    CHECK_THAT(find_check(v, "vcek.extensions")->actual, Catch::Contains("66 bytes"));
    CHECK(has_failure(v, "vcek.signature"));
}

TEST_CASE("the malformed legacy VCEK is rejected: its signature and TCB do not hold") {
    Case c = case_named("milan-virtee");
    c.cert = sev_vector("invalid-extension-legacy.vcek.der");
    const SnpVerification v = verify(c);
    CHECK_FALSE(v.ok());
    CHECK(has_failure(v, "vcek.signature"));
    CHECK(has_failure(v, "vcek.tcb.snp"));  // snpSPL 10 where REPORTED_TCB says 8
    CHECK(has_failure(v, "vcek.hwid"));
    CHECK(has_failure(v, "report.signature"));
}

TEST_CASE("malformed SPL extensions are errors naming the OID") {
    // The automata VCEK's microcode SPL 0xd1 is the two-byte INTEGER 02 02 00 d1: accepted.
    auto ok = parse_amd_extensions(sev_vector("milan-automata.vcek.der"));
    REQUIRE(ok);
    CHECK(ok->microcode == 0xd1);
    // Re-encoded as a non-minimal INTEGER it must be refused (bytes patched in the DER).
    Bytes der = sev_vector("milan-virtee.vcek.der");
    const Bytes needle = {0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x9c, 0x78, 0x01, 0x03, 0x03, 0x04, 0x03, 0x02, 0x01, 0x08};
    auto it = std::search(der.begin(), der.end(), needle.begin(), needle.end());
    REQUIRE(it != der.end());
    *(it + needle.size() - 1) = 0x88;  // INTEGER 02 01 88 is negative
    auto bad = parse_amd_extensions(der);
    REQUIRE_FALSE(bad);
    CHECK_THAT(bad.error().message(), Catch::Contains("snpSPL (1.3.6.1.4.1.3704.1.3.3)"));
}

TEST_CASE("flipping any bit of the signed part of a report fails verification") {
    SnpCertCache cache;
    for (const char* name : {"milan-virtee", "turin-v5"}) {
        const Case c = case_named(name);
        SnpVerifyOptions options;
        options.at = c.at;
        options.cache = &cache;
        size_t still_valid = 0;
        for (size_t bit = 0; bit < kSnpSignedSize * 8; ++bit) {
            Bytes r = c.report;
            r[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
            auto v = verify_snp_report(r, c.cert, c.chain, options);
            if (v && v->ok()) ++still_valid;
        }
        INFO(name);
        CHECK(still_valid == 0);
    }
}

TEST_CASE("flipping any byte of the signed part fails for every manifest case") {
    SnpCertCache cache;
    for (const Case& c : cases()) {
        SnpVerifyOptions options;
        options.at = c.at;
        options.cache = &cache;
        size_t still_valid = 0;
        for (size_t i = 0; i < kSnpSignedSize; ++i) {
            Bytes r = c.report;
            r[i] ^= 0xA5;
            auto v = verify_snp_report(r, c.cert, c.chain, options);
            if (v && v->ok()) ++still_valid;
        }
        INFO(c.name);
        CHECK(still_valid == 0);
    }
}

TEST_CASE("a tampered signature fails the report signature check") {
    Case c = case_named("genoa-azure");
    c.report[kSnpSigSOffset] ^= 1;
    const SnpVerification v = verify(c);
    CHECK(has_failure(v, "report.signature"));
    for (const SnpCheck& check : v.checks)
        if (check.name != "report.signature") CHECK(check.pass);
}

TEST_CASE("the cache returns the same verdict and holds the parsed certificates") {
    SnpCertCache cache;
    const Case c = case_named("milan-azure");
    SnpVerifyOptions options;
    options.cache = &cache;
    const SnpVerification first = verify(c, options);
    const SnpVerification second = verify(c, options);
    CHECK(first.ok());
    CHECK(second.ok());
    CHECK(cache.size() == 3);
    Case tampered = c;
    tampered.report[0x90] ^= 1;
    CHECK(has_failure(verify(tampered, options), "report.signature"));
}

TEST_CASE("unusable input is an input error, not a verdict") {
    const Case c = case_named("milan-virtee");
    SnpVerifyOptions options;
    options.at = c.at;
    CHECK(verify_snp_report(Bytes(100), c.cert, c.chain, options).error().code == SnpInputError::kReport);
    CHECK(verify_snp_report(c.report, Bytes{1, 2, 3}, c.chain, options).error().code == SnpInputError::kSignerCert);
    const std::string ask_only = cvex::test::read_file(cvex::test::shared_path("vectors/sev/amd-roots/ask_ark_milan.pem"));
    const std::string first_pem = ask_only.substr(0, ask_only.find("-----END CERTIFICATE-----") + 26);
    auto e = verify_snp_report(c.report, c.cert, cvex::as_view(first_pem), options);
    REQUIRE_FALSE(e);
    CHECK(e.error().code == SnpInputError::kChain);
}

TEST_CASE("UTC times parse strictly") {
    CHECK(parse_utc_time("2025-06-01T00:00:00Z") == std::time_t{1748736000});
    CHECK_FALSE(parse_utc_time("2025-02-30T00:00:00Z"));
    CHECK_FALSE(parse_utc_time("2025-06-01 00:00:00"));
    CHECK(format_utc_time(1748736000) == "2025-06-01T00:00:00Z");
}

TEST_CASE("a simulated platform's reports verify only when the simulated root is trusted") {
    SimulatedGuest guest;
    guest.product = "Milan";
    auto platform = SimulatedSnpPlatform::create(guest);
    REQUIRE(platform);
    const std::string dir = (std::filesystem::temp_directory_path() / ("cvex-sim-root-test-" + std::to_string(::getpid()))).string();
    ::setenv("CVEX_SIM_ROOT_DIR", dir.c_str(), 1);
    REQUIRE(publish_sim_root(**platform));
    ReportData rd{};
    rd[0] = 0x42;
    const Bytes report = (*platform)->make_report(rd, 0);
    const Bytes vcek = (*platform)->vcek_der();
    const std::string chain = (*platform)->ask_ark_pem();
    SnpVerifyOptions options;
    options.at = std::time(nullptr);
    auto untrusted = verify_snp_report(report, vcek, cvex::as_view(chain), options);
    REQUIRE(untrusted);
    CHECK_FALSE(untrusted->ok());
    CHECK(has_failure(*untrusted, "ark.trusted"));
    options.trust_sim_root = true;
    auto trusted = verify_snp_report(report, vcek, cvex::as_view(chain), options);
    REQUIRE(trusted);
    CAPTURE(failed(*trusted));
    CHECK(trusted->ok());
    CHECK(trusted->simulated);
    CHECK_THAT(trusted->root, Catch::Contains("SIMULATED"));
    // Trusting simulated roots does not make any other root trusted: a second platform's is not published.
    auto other = SimulatedSnpPlatform::create(guest);
    REQUIRE(other);
    const Bytes other_report = (*other)->make_report(rd, 0);
    auto stranger = verify_snp_report(other_report, (*other)->vcek_der(), cvex::as_view((*other)->ask_ark_pem()), options);
    REQUIRE(stranger);
    CHECK(has_failure(*stranger, "ark.trusted"));
    std::filesystem::remove_all(dir);
}
