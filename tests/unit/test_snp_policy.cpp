// The SEV-SNP policy engine (enclave-app/snp_policy.hpp): JSON with self-explaining keys, each
// failure naming the field and both values, against the real reports of the manifest.
#include <catch2/catch.hpp>

#include "attest/verify/snp_policy.hpp"
#include "support/vectors.hpp"

#include <nlohmann/json.hpp>

using namespace cvex::attest;
using cvex::Bytes;

namespace {

AttestationReport report_of(const std::string& case_name) {
    const auto m = cvex::test::load_vectors("vectors/sev/manifest.json");
    for (const auto& c : m["cases"])
        if (c["name"] == case_name) {
            const std::string s = cvex::test::read_file(cvex::test::shared_path("vectors/sev/" + c["report"].get<std::string>()));
            return *parse_report(Bytes(s.begin(), s.end()));
        }
    throw std::runtime_error("no case " + case_name);
}

// The engine's checks one at a time: a file over the permissive profile with debug and migration
// agents refused, so only the keys under test decide (the default policy's VMPL and TCB floors
// are tested in test_snp_policy_strict.cpp and against every report in test_attest_default_policy).
SnpPolicy policy(const std::string& text) {
    nlohmann::json j = nlohmann::json::parse(text);
    for (const auto& [k, v] : {std::pair<const char*, nlohmann::json>{"extends", "permissive"}, {"allow_debug", false},
                               {"allow_migration_agent", false}})
        if (!j.contains(k)) j[k] = v;
    auto p = parse_snp_policy(j.dump());
    if (!p) FAIL(p.error().message());
    return *p;
}

std::vector<SnpCheck> failures(const std::vector<SnpCheck>& checks) {
    std::vector<SnpCheck> out;
    for (const SnpCheck& c : checks)
        if (!c.pass) out.push_back(c);
    return out;
}

}  // namespace

TEST_CASE("the debug report fails a policy that forbids debug, naming the bit") {
    const auto checks = evaluate_snp_policy(policy("{}"), report_of("milan-debug-gosevguest"));
    const auto f = failures(checks);
    REQUIRE(f.size() == 1);
    CHECK(f[0].name == "policy.allow_debug");
    CHECK(f[0].expected == "DEBUG (policy bit 19) clear");
    CHECK(f[0].actual == "DEBUG set");
    CHECK(all_passed(evaluate_snp_policy(policy(R"({"allow_debug": true})"), report_of("milan-debug-gosevguest"))));
}

TEST_CASE("with debug and migration agents refused, every non-debug manifest report passes") {
    for (const char* name : {"milan-virtee", "milan-automata", "milan-v3-dstack", "milan-trustee", "milan-vlek-aws", "milan-vlek-aws2",
                             "milan-azure", "genoa-azure", "turin-v5"}) {
        INFO(name);
        CHECK(all_passed(evaluate_snp_policy(policy("{}"), report_of(name))));
    }
}

TEST_CASE("measurements: the report's must be in the list") {
    const AttestationReport r = report_of("milan-virtee");
    const std::string m = "7a1e5c266c0108dbc9bb94fa926951320940915d0aafb42464bd88b579ea158d3e1a0dc39b2c60bd95b9c480cd81841f";
    const std::string other(96, '0');
    CHECK(all_passed(evaluate_snp_policy(policy(R"({"measurements": [")" + other + R"(", "0x)" + m + R"("]})"), r)));
    const auto f = failures(evaluate_snp_policy(policy(R"({"measurements": [")" + std::string(96, 'a') + "\"]}"), r));
    REQUIRE(f.size() == 1);
    CHECK(f[0].name == "policy.measurements");
    CHECK(f[0].actual == m);
    CHECK_THAT(f[0].expected, Catch::Contains(std::string(96, 'a')));
}

TEST_CASE("min_tcb compares each component in the report's layout") {
    const AttestationReport turin = report_of("turin-v5");  // fmc 1, bl 3, tee 2, snp 5, ucode 0x61
    CHECK(all_passed(evaluate_snp_policy(policy(R"({"min_tcb": {"fmc": 1, "bootloader": 3, "tee": 2, "snp": 5, "microcode": 97}})"), turin)));
    const auto f = failures(evaluate_snp_policy(policy(R"({"min_tcb": {"snp": 6}})"), turin));
    REQUIRE(f.size() == 3);  // CURRENT, REPORTED and COMMITTED
    CHECK(f[1].name == "policy.min_tcb.snp (REPORTED_TCB)");
    CHECK(f[1].expected == ">= 6");
    CHECK(f[1].actual == "5");
}

TEST_CASE("the default policy holds Turin to AMD-SB-3023's SNP SPL 0x04") {
    AttestationReport turin = report_of("turin-v5");  // snp 5
    CHECK(all_passed(evaluate_snp_policy(default_snp_policy(), turin)));
    for (uint64_t* tcb : {&turin.current_tcb, &turin.reported_tcb, &turin.committed_tcb}) {
        TcbParts t = decode_tcb(*tcb, TcbLayout::kTurin);
        t.snp = 3;
        *tcb = encode_tcb(t, TcbLayout::kTurin);
    }
    const auto f = failures(evaluate_snp_policy(default_snp_policy(), turin));
    REQUIRE(f.size() == 3);  // CURRENT, REPORTED and COMMITTED
    CHECK_THAT(f[1].name, Catch::Contains("snp (REPORTED_TCB)"));
    CHECK(f[1].expected == ">= 4");
    CHECK(f[1].actual == "3");
}

TEST_CASE("min_tcb looks at REPORTED_TCB even when CURRENT_TCB is newer") {
    const AttestationReport r = report_of("milan-v3-dstack");  // current snp 0x18, reported 0x17
    const auto f = failures(evaluate_snp_policy(policy(R"({"min_tcb": {"snp": 24}})"), r));
    REQUIRE(f.size() == 1);
    CHECK(f[0].name == "policy.min_tcb.snp (REPORTED_TCB)");
}

TEST_CASE("min_firmware compares major.minor as a version and the build separately") {
    const AttestationReport r = report_of("genoa-azure");
    const std::string fw = std::to_string(r.current_fw.major) + "." + std::to_string(r.current_fw.minor);
    const auto f = failures(evaluate_snp_policy(policy(R"({"min_firmware": {"major": 99, "minor": 0, "build": 255}})"), r));
    REQUIRE_FALSE(f.empty());
    CHECK(f[0].name == "policy.min_firmware.version (CURRENT)");
    CHECK(f[0].actual == fw);
    CHECK(f[0].expected == ">= 99.0");
    CHECK(all_passed(evaluate_snp_policy(policy(R"({"min_firmware": {"major": 0, "minor": 0, "build": 0}})"), r)));
}

TEST_CASE("vmpl, guest svn, host data and report data must match") {
    const AttestationReport r = report_of("milan-vlek-aws");  // VMPL 1
    const auto f = failures(evaluate_snp_policy(policy(R"({"vmpl": 0})"), r));
    REQUIRE(f.size() == 1);
    CHECK((f[0].name == "policy.vmpl" && f[0].expected == "0" && f[0].actual == "1"));
    const AttestationReport g = report_of("genoa-azure");  // guest svn 65547
    CHECK(all_passed(evaluate_snp_policy(policy(R"({"min_guest_svn": 65547})"), g)));
    CHECK(failures(evaluate_snp_policy(policy(R"({"min_guest_svn": 65548})"), g))[0].actual == "65547");
    const AttestationReport d = report_of("milan-v3-dstack");
    CHECK(all_passed(evaluate_snp_policy(policy(R"({"host_data": "783f0057820acb99249af56cc3b07b4e8d80f65183167cba9cf437bb680f742f"})"), d)));
    const auto hd = failures(evaluate_snp_policy(policy(R"({"host_data": ")" + std::string(64, '0') + "\"}"), d));
    REQUIRE(hd.size() == 1);
    CHECK(hd[0].actual == "783f0057820acb99249af56cc3b07b4e8d80f65183167cba9cf437bb680f742f");
    const auto rd = failures(evaluate_snp_policy(policy(R"({"report_data": ")" + std::string(128, '0') + "\"}"), d));
    REQUIRE(rd.size() == 1);
    CHECK(rd[0].name == "policy.report_data");
}

TEST_CASE("ID and author key digests: one of the trusted must match") {
    const AttestationReport g = report_of("genoa-azure");  // has an ID block
    const std::string id = cvex::to_hex(cvex::ByteView(g.id_key_digest.data(), 48), false);
    CHECK(all_passed(evaluate_snp_policy(policy(R"({"id_key_digests": [")" + id + "\"]}"), g)));
    const auto f = failures(evaluate_snp_policy(policy(R"({"id_key_digests": [")" + std::string(96, '1') + "\"]}"), g));
    REQUIRE(f.size() == 1);
    CHECK(f[0].actual == id);
    const auto a = failures(evaluate_snp_policy(policy(R"({"require_author_key": true})"), g));
    REQUIRE(a.size() == 1);
    CHECK(a[0].name == "policy.require_author_key");
}

TEST_CASE("signing_keys restricts VCEK or VLEK") {
    const auto f = failures(evaluate_snp_policy(policy(R"({"signing_keys": ["VCEK"]})"), report_of("milan-vlek-aws")));
    REQUIRE(f.size() == 1);
    CHECK((f[0].expected == "one of VCEK" && f[0].actual == "VLEK"));
}

TEST_CASE("migration agents are refused unless allowed") {
    AttestationReport r = report_of("milan-virtee");
    r.policy.raw |= 1u << 18;
    CHECK(failures(evaluate_snp_policy(policy("{}"), r))[0].name == "policy.allow_migration_agent");
    CHECK(all_passed(evaluate_snp_policy(policy(R"({"allow_migration_agent": true})"), r)));
}

TEST_CASE("unknown keys and bad values are errors naming the key") {
    struct Bad {
        const char* json;
        const char* key;
    };
    for (const Bad& b : {Bad{R"({"allow_debugging": true})", "allow_debugging"}, Bad{R"({"allow_debug": "no"})", "allow_debug"},
                         Bad{R"({"vmpl": 4})", "vmpl"}, Bad{R"({"min_tcb": {"snp": 256}})", "min_tcb.snp"},
                         Bad{R"({"min_tcb": {"sev": 1}})", "min_tcb.sev"}, Bad{R"({"measurements": ["abcd"]})", "measurements[0]"},
                         Bad{R"({"host_data": 5})", "host_data"}, Bad{R"({"signing_keys": ["ASK"]})", "signing_keys[0]"},
                         Bad{R"({"min_firmware": {"patch": 1}})", "min_firmware.patch"}, Bad{"[1]", "(file)"}, Bad{"{", "(file)"}}) {
        INFO(b.json);
        auto p = parse_snp_policy(b.json);
        REQUIRE_FALSE(p);
        CHECK(p.error().key == b.key);
    }
}

TEST_CASE("a missing policy file is an error") {
    auto p = load_snp_policy("/nonexistent/cvex-policy.json");
    REQUIRE_FALSE(p);
    CHECK_THAT(p.error().message(), Catch::Contains("no such file"));
}
