// The SEV-SNP ATTESTATION_REPORT codec (AMD SEV-SNP ABI, Table "ATTESTATION_REPORT Structure")
// against the real reports of ../shared/vectors/sev/manifest.json.
#include <catch2/catch.hpp>

#include <openssl/sha.h>

#include "base/bytes.hpp"
#include "attest/report/snp_report.hpp"
#include "support/sev_vectors.hpp"

using namespace cvex::attest;
using cvex::Bytes;
using cvex::ByteView;
using cvex::test::sev_manifest;
using cvex::test::sev_vector;
using cvex::to_hex;

namespace {

Bytes report_of(const std::string& case_name) {
    for (const auto& c : sev_manifest()["cases"])
        if (c["name"] == case_name) return sev_vector(c["report"]);
    throw std::runtime_error("no case " + case_name);
}

template <size_t N>
std::string hex(const std::array<uint8_t, N>& a) { return to_hex(ByteView(a.data(), N), false); }

ReportError parse_error(const Bytes& b) {
    auto r = parse_report(b);
    REQUIRE_FALSE(r);
    return r.error();
}

}  // namespace

TEST_CASE("every manifest report parses and its fields equal the manifest's expect") {
    for (const auto& c : sev_manifest()["cases"]) {
        const std::string name = c["name"];
        INFO(name);
        const Bytes bytes = sev_vector(c["report"]);
        std::array<uint8_t, 32> digest{};
        SHA256(bytes.data(), bytes.size(), digest.data());
        const auto& e = c["expect"];
        CHECK(hex(digest) == e["report_sha256"]);
        auto r = parse_report(bytes);
        REQUIRE(r);
        CHECK(r->version == e["version"].get<uint32_t>());
        CHECK(r->guest_svn == e["guest_svn"].get<uint32_t>());
        CHECK(std::stoull(e["policy"].get<std::string>(), nullptr, 16) == r->policy.raw);
        CHECK(r->policy.debug() == e["debug_allowed"].get<bool>());
        CHECK(r->vmpl == e["vmpl"].get<uint32_t>());
        CHECK(to_string(r->signer.signing_key) == e["signing_key"].get<std::string>());
        CHECK(tcb_hex(r->current_tcb) == e["current_tcb"]);
        CHECK(tcb_hex(r->reported_tcb) == e["reported_tcb"]);
        CHECK(tcb_hex(r->launch_tcb) == e["launch_tcb"]);
        CHECK(tcb_hex(r->committed_tcb) == e["committed_tcb"]);
        CHECK(std::stoull(e["platform_info"].get<std::string>(), nullptr, 16) == r->platform_info.raw);
        CHECK(hex(r->report_data) == e["report_data"]);
        CHECK(hex(r->measurement) == e["measurement"]);
        CHECK(hex(r->host_data) == e["host_data"]);
        CHECK(hex(r->chip_id) == e["chip_id"]);
        CHECK(r->signature_algo == kSnpSigAlgoEcdsaP384Sha384);
    }
}

TEST_CASE("serialize_report(parse_report(x)) == x for every manifest report") {
    for (const auto& c : sev_manifest()["cases"]) {
        INFO(c["name"].get<std::string>());
        const Bytes bytes = sev_vector(c["report"]);
        auto r = parse_report(bytes);
        REQUIRE(r);
        CHECK(serialize_report(*r) == bytes);
        auto again = parse_report(serialize_report(*r));
        REQUIRE(again);
        CHECK(*again == *r);
    }
}

TEST_CASE("a report that is not 1184 bytes is a size error") {
    const Bytes good = report_of("milan-virtee");
    for (size_t size : {size_t{0}, size_t{1183}, size_t{1185}, size_t{0x2A0}}) {
        Bytes b(good.begin(), good.begin() + std::min(size, good.size()));
        b.resize(size, 0);
        const ReportError e = parse_error(b);
        CHECK(e.code == ReportError::kBadSize);
        CHECK_THAT(e.message(), Catch::Contains(std::to_string(size) + " bytes; an SEV-SNP report is 1184 bytes"));
        CHECK(e.message().find("offset") == std::string::npos);  // a size is not a position
    }
}

TEST_CASE("report versions other than 2, 3 and 5 are refused naming VERSION at 0x000") {
    for (uint8_t v : {0, 1, 4, 6, 0xff}) {
        Bytes b = report_of("milan-virtee");
        b[0] = v;
        const ReportError e = parse_error(b);
        CHECK(e.code == ReportError::kUnsupportedVersion);
        CHECK(e.field == "VERSION");
        CHECK(e.offset == 0);
    }
}

TEST_CASE("a non-zero reserved byte is an error naming its offset") {
    struct Case {
        const char* report;
        size_t offset;
    };
    // 0x04C after SIGNER_INFO; 0x188 is reserved in version 2 only; 0x18B after CPUID_STEP;
    // 0x1EB and 0x1EF after the firmware versions; 0x1F8 before version 5; 0x208 in version 5;
    // 0x330–0x49F after S.
    for (const Case& c : {Case{"milan-virtee", 0x04C}, Case{"milan-virtee", 0x188}, Case{"milan-v3-dstack", 0x18B},
                          Case{"milan-virtee", 0x1EB}, Case{"genoa-azure", 0x1EF}, Case{"milan-v3-dstack", 0x1F8},
                          Case{"turin-v5", 0x208}, Case{"turin-v5", 0x29F}, Case{"milan-virtee", 0x330}, Case{"milan-virtee", 0x49F}}) {
        INFO(c.report << " offset " << c.offset);
        Bytes b = report_of(c.report);
        b[c.offset] ^= 0x01;
        const ReportError e = parse_error(b);
        CHECK(e.code == ReportError::kReservedNonZero);
        CHECK(e.offset == c.offset);
        CHECK_THAT(e.message(), Catch::Contains("RESERVED") || Catch::Contains("reserved"));
    }
}

TEST_CASE("version 5 defines the mitigation vectors where earlier versions reserve bytes") {
    Bytes b = report_of("turin-v5");
    b[0x1F8] = 0x05;  // LAUNCH_MIT_VECTOR
    b[0x200] = 0x03;  // CURRENT_MIT_VECTOR
    auto r = parse_report(b);
    REQUIRE(r);
    CHECK(r->launch_mit_vector == 5);
    CHECK(r->current_mit_vector == 3);
    CHECK(serialize_report(*r) == b);
}

TEST_CASE("reserved policy and signer-info bits, and reserved signing keys, are refused") {
    Bytes policy = report_of("milan-virtee");
    policy[0x08 + 3] |= 0x04;  // policy bit 26
    CHECK(parse_error(policy).offset == 0x008);
    Bytes signer = report_of("milan-virtee");
    signer[0x48] |= 0x20;  // signer info bit 5
    CHECK(parse_error(signer).field == "SIGNER_INFO bits 31:5");
    Bytes key = report_of("milan-virtee");
    key[0x48] = 3 << 2;  // SIGNING_KEY 3 is reserved
    const ReportError e = parse_error(key);
    CHECK(e.code == ReportError::kBadValue);
    CHECK(e.field == "SIGNER_INFO.SIGNING_KEY");
}

TEST_CASE("signer info decodes VLEK and a masked chip id") {
    auto vlek = parse_report(report_of("milan-vlek-aws"));
    REQUIRE(vlek);
    CHECK(vlek->signer.signing_key == SigningKey::kVlek);
    Bytes masked = report_of("milan-virtee");
    masked[0x48] |= 0x02;
    auto r = parse_report(masked);
    REQUIRE(r);
    CHECK(r->signer.mask_chip_key);
    CHECK_FALSE(r->signer.author_key_en);
}

TEST_CASE("policy bits decode per the GUEST_POLICY table") {
    auto dbg = parse_report(report_of("milan-debug-gosevguest"));  // 0xb0000
    REQUIRE(dbg);
    CHECK(dbg->policy.debug());
    CHECK(dbg->policy.smt_allowed());
    CHECK(dbg->policy.reserved_must_be_one());
    CHECK_FALSE(dbg->policy.migrate_ma());
    auto trustee = parse_report(report_of("milan-trustee"));  // 0x3001f: ABI minor 31
    REQUIRE(trustee);
    CHECK(trustee->policy.abi_minor() == 0x1f);
    CHECK(trustee->policy.abi_major() == 0);
    CHECK_FALSE(trustee->policy.debug());
}

TEST_CASE("the TCB layout follows CPUID in v3+ reports: Turin puts FMC first") {
    auto turin = parse_report(report_of("turin-v5"));
    REQUIRE(turin);
    CHECK(turin->cpuid_product() == SnpProduct::kTurin);
    const TcbParts t = decode_tcb(turin->reported_tcb, turin->layout());
    CHECK(t == TcbParts{1, 3, 2, 5, 0x61});
    auto genoa = parse_report(report_of("genoa-azure"));
    REQUIRE(genoa);
    CHECK(genoa->cpuid_product() == SnpProduct::kGenoa);
    auto milan = parse_report(report_of("milan-v3-dstack"));
    REQUIRE(milan);
    CHECK(milan->cpuid_product() == SnpProduct::kMilan);
    CHECK(decode_tcb(milan->reported_tcb, milan->layout()) == TcbParts{0, 4, 0, 0x17, 0xd5});
}

TEST_CASE("a v2 report has no CPUID: the layout comes from the product given") {
    auto r = parse_report(report_of("milan-virtee"));
    REQUIRE(r);
    CHECK_FALSE(r->cpuid_product());
    CHECK(r->layout() == TcbLayout::kMilanGenoa);
    CHECK(r->layout(SnpProduct::kTurin) == TcbLayout::kTurin);
    CHECK(decode_tcb(0x7308000000000003, TcbLayout::kMilanGenoa) == TcbParts{0, 3, 0, 8, 0x73});
}

TEST_CASE("encode_tcb inverts decode_tcb in both layouts") {
    for (uint64_t raw : {uint64_t{0x6100000005020301}, uint64_t{0x480000000a0b0c0d}})
        CHECK(encode_tcb(decode_tcb(raw, TcbLayout::kTurin), TcbLayout::kTurin) == raw);
    CHECK(encode_tcb(decode_tcb(0xd518000000000004, TcbLayout::kMilanGenoa), TcbLayout::kMilanGenoa) == 0xd518000000000004);
}

TEST_CASE("product names and CPUID map to product lines") {
    CHECK(parse_snp_product("Milan-B0") == SnpProduct::kMilan);
    CHECK(parse_snp_product("Genoa") == SnpProduct::kGenoa);
    CHECK(parse_snp_product("Turin") == SnpProduct::kTurin);
    CHECK_FALSE(parse_snp_product("Rome"));
    CHECK(product_from_cpuid(0x19, 0x01) == SnpProduct::kMilan);
    CHECK(product_from_cpuid(0x19, 0x11) == SnpProduct::kGenoa);
    CHECK(product_from_cpuid(0x19, 0xA0) == SnpProduct::kGenoa);
    CHECK(product_from_cpuid(0x1A, 0x02) == SnpProduct::kTurin);
    CHECK_FALSE(product_from_cpuid(0x17, 0x31));
}
