// `cvex attest verify|simulate` as a user runs them: the built binary against the real reports of
// ../shared/vectors/sev/manifest.json and a simulated platform. Exit codes: 0 every check passes,
// 1 the evidence fails, 2 unusable input.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "support/process.hpp"
#include "support/vectors.hpp"

using cvex::test::run_process;

namespace {

const std::string kCvex = std::string(CVEX_BIN_DIR) + "/cvex";

std::string sev(const std::string& name) { return cvex::test::shared_path("vectors/sev/" + name); }

std::vector<std::string> verify_args(const nlohmann::json& c) {
    std::vector<std::string> a = {kCvex, "attest", "verify", sev(c["report"]), "--cert", sev(c["signer_cert"]), "--chain", sev(c["ask_ark"])};
    if (!c["verify_at"].is_null()) a.insert(a.end(), {"--at", c["verify_at"].get<std::string>()});
    return a;
}

const nlohmann::json& manifest() {
    static const nlohmann::json m = cvex::test::load_vectors("vectors/sev/manifest.json");
    return m;
}

nlohmann::json case_named(const std::string& name) {
    for (const auto& c : manifest()["cases"])
        if (c["name"] == name) return c;
    throw std::runtime_error("no case " + name);
}

struct TempDir {
    std::filesystem::path path;
    explicit TempDir(const std::string& tag)
        : path(std::filesystem::temp_directory_path() / ("cvex-" + tag + "-" + std::to_string(::getpid()))) {
        std::filesystem::create_directories(path);
    }
    ~TempDir() { std::filesystem::remove_all(path); }
    std::string file(const std::string& name, const std::string& content) const {
        const std::string p = (path / name).string();
        std::ofstream(p) << content;
        return p;
    }
};

}  // namespace

TEST_CASE("attest verify: every manifest case's chain and signature pass, and the permissive profile passes them") {
    for (const auto& c : manifest()["cases"]) {
        INFO(c["name"].get<std::string>());
        auto args = verify_args(c);
        args.insert(args.end(), {"--policy", "permissive"});
        auto r = run_process(args);
        INFO(r.out << r.err);
        CHECK(r.exit_code == 0);
        CHECK(r.out.rfind("verdict: PASS", 0) == 0);
        CHECK_THAT(r.out, Catch::Contains("measurement: " + c["expect"]["measurement"].get<std::string>()));
        CHECK_THAT(r.out, Catch::Contains("PASS report.signature"));
        CHECK(r.out.find("FAIL ") == std::string::npos);
    }
}

TEST_CASE("attest verify --json lists every field and every check") {
    const auto c = case_named("turin-v5");
    auto args = verify_args(c);
    args.push_back("--json");
    auto r = run_process(args);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["schema"] == "cvex.attest.verify/1");
    CHECK(j["verdict"] == "PASS");
    CHECK(j["simulated"] == false);
    CHECK(j["product"] == "Turin");
    CHECK(j["report"]["report_data"] == c["expect"]["report_data"]);
    CHECK(j["report"]["chip_id"] == c["expect"]["chip_id"]);
    const auto& tcb = j["report"]["reported_tcb"];
    CHECK((tcb["fmc"] == 1 && tcb["bootloader"] == 3 && tcb["tee"] == 2 && tcb["snp"] == 5 && tcb["microcode"] == 97));
    CHECK(tcb["raw"] == "0x6100000005020301");
    CHECK(j["report"].contains("launch_mit_vector"));
    REQUIRE(j["checks"].size() > 15);
    for (const auto& check : j["checks"]) {
        INFO(check.dump());
        CHECK(check["pass"] == true);
        CHECK(check.contains("expected"));
        CHECK(check.contains("actual"));
    }
}

TEST_CASE("attest verify exits 1 when a no-debug policy meets the debug report") {
    TempDir tmp("attest-policy");
    const std::string policy = tmp.file("policy.json", R"({"allow_debug": false, "vmpl": 0})");
    auto args = verify_args(case_named("milan-debug-gosevguest"));
    args.insert(args.end(), {"--policy", policy});
    auto r = run_process(args);
    CHECK(r.exit_code == 1);
    CHECK(r.out.rfind("verdict: FAIL", 0) == 0);
    CHECK_THAT(r.out, Catch::Contains("FAIL policy.allow_debug: expected DEBUG (policy bit 19) clear; actual DEBUG set"));
    CHECK_THAT(r.out, Catch::Contains("PASS policy.vmpl"));
}

TEST_CASE("attest verify exits 1 for an expired certificate") {
    auto args = verify_args(case_named("milan-vlek-aws"));
    args.back() = "2026-06-01T00:00:00Z";
    auto r = run_process(args);
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Catch::Contains("FAIL vlek.validity"));
}

TEST_CASE("attest verify exits 1 for a tampered report") {
    TempDir tmp("attest-tamper");
    const auto c = case_named("milan-virtee");
    std::string report = cvex::test::read_file(sev(c["report"]));
    report[0x50] ^= 1;  // REPORT_DATA
    auto args = verify_args(c);
    args[3] = tmp.file("report.bin", report);
    auto r = run_process(args);
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Catch::Contains("FAIL report.signature"));
}

TEST_CASE("attest verify exits 2 for unusable input, naming it") {
    TempDir tmp("attest-bad");
    const auto c = case_named("milan-virtee");
    auto base = verify_args(c);
    auto with = [&](size_t i, const std::string& v) {
        auto a = base;
        a[i] = v;
        return run_process(a);
    };
    auto missing = with(3, "/nonexistent/report.bin");
    CHECK(missing.exit_code == 2);
    CHECK_THAT(missing.err, Catch::Contains("report /nonexistent/report.bin: no such file"));
    auto short_report = with(3, tmp.file("short.bin", std::string(100, '\0')));
    CHECK(short_report.exit_code == 2);
    CHECK_THAT(short_report.err, Catch::Contains("1184"));
    auto bad_cert = with(5, tmp.file("cert.der", "not a certificate"));
    CHECK(bad_cert.exit_code == 2);
    CHECK_THAT(bad_cert.err, Catch::Contains("signer certificate"));
    auto a = base;
    a.insert(a.end(), {"--at", "yesterday"});
    CHECK(run_process(a).exit_code == 2);
    auto p = base;
    p.insert(p.end(), {"--policy", tmp.file("p.json", R"({"allow_debugging": true})")});
    auto unknown_key = run_process(p);
    CHECK(unknown_key.exit_code == 2);
    CHECK_THAT(unknown_key.err, Catch::Contains("allow_debugging"));
    auto np = base;
    np.insert(np.end(), {"--policy", "/nonexistent/policy.json"});
    CHECK(run_process(np).exit_code == 2);
    CHECK(run_process({kCvex, "attest", "verify", sev(c["report"])}).exit_code == 2);
    auto unknown_flag = base;
    unknown_flag.push_back("--trust-everything");
    CHECK(run_process(unknown_flag).exit_code == 2);
}

TEST_CASE("attest simulate writes SIMULATED evidence that verifies only with --trust-sim-root") {
    TempDir tmp("attest-sim");
    const std::vector<std::string> env = {"CVEX_SIM_ROOT_DIR=" + (tmp.path / "sim-root").string()};
    const std::string rd = "0x" + std::string(126, '0') + "2a";
    const std::string out = (tmp.path / "evidence").string();
    auto sim = run_process({kCvex, "attest", "simulate", "--report-data", rd, "--out", out}, env);
    INFO(sim.err);
    REQUIRE(sim.exit_code == 0);
    CHECK_THAT(sim.out, Catch::Contains("SIMULATED"));
    CHECK_THAT(sim.out, Catch::Contains((tmp.path / "sim-root").string()));
    for (const char* f : {"report.bin", "vcek.pem", "ask_ark.pem", "crl.der"}) CHECK(std::filesystem::exists(out + "/" + f));

    const std::vector<std::string> verify = {kCvex, "attest", "verify", out + "/report.bin", "--cert", out + "/vcek.pem", "--chain", out + "/ask_ark.pem"};
    auto untrusted = run_process(verify, env);
    CHECK(untrusted.exit_code == 1);
    CHECK_THAT(untrusted.out, Catch::Contains("FAIL ark.trusted"));
    auto trusted_args = verify;
    trusted_args.insert(trusted_args.end(), {"--trust-sim-root", "--json"});
    auto trusted = run_process(trusted_args, env);
    INFO(trusted.out << trusted.err);
    REQUIRE(trusted.exit_code == 3);  // PASS (SIMULATED): never 0, which means hardware evidence
    const auto j = nlohmann::json::parse(trusted.out);
    CHECK(j["simulated"] == true);
    CHECK_THAT(j["root"].get<std::string>(), Catch::Contains("SIMULATED"));
    CHECK(j["report"]["report_data"] == rd.substr(2));
    auto text = run_process({verify[0], verify[1], verify[2], verify[3], verify[4], verify[5], verify[6], verify[7], "--trust-sim-root"}, env);
    CHECK(text.exit_code == 3);
    CHECK_THAT(text.out, Catch::StartsWith("verdict: PASS (SIMULATED)"));
}

TEST_CASE("attest simulate refuses report data that is not 64 bytes") {
    auto r = run_process({kCvex, "attest", "simulate", "--report-data", "0x1234", "--out", "/tmp/never"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("64 bytes"));
}
