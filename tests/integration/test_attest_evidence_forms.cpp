// The forms in which validators receive evidence (issue 19): an extended report carrying its
// certificate table (so the VCEK comes with it), the firmware's MSG_REPORT_RSP, Azure's HCL
// report, standard input; simulated evidence gets its own verdict and exit code, and the
// simulated chain's CRL is honoured on the command line.
#include <catch2/catch.hpp>

#include <openssl/sha.h>

#include "attest/report/cert_table.hpp"
#include "attest/provider/sim_platform.hpp"
#include "attest/cert/snp_cert.hpp"
#include "support/attest_cli.hpp"

using namespace cvex::test;
using cvex::Bytes;

namespace {

Bytes bytes_of(const std::string& s) { return Bytes(s.begin(), s.end()); }
std::string text_of(const Bytes& b) { return std::string(b.begin(), b.end()); }

void put_u32(Bytes& b, size_t off, uint32_t v) {
    for (int i = 0; i < 4; ++i) b[off + i] = static_cast<uint8_t>(v >> (8 * i));
}

}  // namespace

TEST_CASE("an extended report brings its VCEK and chain: no --cert or --chain needed") {
    ScratchDir tmp("attest-ext");
    const auto c = sev_case("milan-virtee");
    const auto chain = cvex::attest::load_certificates(bytes_of(read_file(sev_path(c["ask_ark"]))));
    REQUIRE(chain);
    REQUIRE(chain->size() == 2);
    const cvex::attest::CertTable table = {{cvex::attest::kGuidVcek, bytes_of(read_file(sev_path(c["signer_cert"])))},
                                            {cvex::attest::kGuidAsk, (*chain)[0]},
                                            {cvex::attest::kGuidArk, (*chain)[1]}};
    const std::string ext = read_file(sev_path(c["report"])) + text_of(cvex::attest::serialize_cert_table(table));
    auto r = run_process({kCvexBin, "attest", "verify", tmp.file("ext.bin", ext), "--policy", "permissive"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("extended report (report + certificate table)"));
    CHECK_THAT(r.out, Catch::Contains("PASS report.signature"));
    CHECK_THAT(r.out, Catch::Contains("PASS ark.trusted"));
    // Without a table, --cert is required and the message says so.
    auto bare = run_process({kCvexBin, "attest", "verify", sev_path(c["report"])});
    CHECK(bare.exit_code == 2);
    CHECK_THAT(bare.err, Catch::Contains("--cert is required"));
}

TEST_CASE("the firmware's MSG_REPORT_RSP is unwrapped") {
    ScratchDir tmp("attest-rsp");
    const auto c = sev_case("genoa-azure");
    Bytes rsp(32, 0);
    put_u32(rsp, 4, 1184);
    const Bytes report = bytes_of(read_file(sev_path(c["report"])));
    rsp.insert(rsp.end(), report.begin(), report.end());
    rsp.resize(4000, 0);  // the response page's zero padding
    auto a = attest_verify_args(c);
    a[3] = tmp.file("rsp.bin", text_of(rsp));
    auto r = run_process(a);
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("firmware response (MSG_REPORT_RSP)"));
}

TEST_CASE("Azure's HCL report is unwrapped and its runtime data binding checked") {
    ScratchDir tmp("attest-hcl");
    const std::vector<std::string> env = {"CVEX_SIM_ROOT_DIR=" + (tmp.path / "root").string()};
    ::setenv("CVEX_SIM_ROOT_DIR", (tmp.path / "root").string().c_str(), 1);
    auto platform = cvex::attest::SimulatedSnpPlatform::create({});
    REQUIRE(platform);
    REQUIRE(cvex::attest::publish_sim_root(**platform));
    const std::string var = R"({"keys":[{"kid":"HCLAkPub","kty":"RSA"}],"vm-configuration":{}})";
    cvex::attest::ReportData rd{};
    SHA256(reinterpret_cast<const uint8_t*>(var.data()), var.size(), rd.data());
    auto hcl_of = [&](const std::string& vardata) {
        Bytes b(32, 0);
        b[0] = 'H', b[1] = 'C', b[2] = 'L', b[3] = 'A';
        put_u32(b, 4, 2);
        const Bytes report = (*platform)->make_report(rd, 0);
        b.insert(b.end(), report.begin(), report.end());
        Bytes req(20, 0);
        put_u32(req, 0, static_cast<uint32_t>(20 + vardata.size()));
        put_u32(req, 4, 1);
        put_u32(req, 8, 2);  // SNP
        put_u32(req, 12, 1);  // SHA-256
        put_u32(req, 16, static_cast<uint32_t>(vardata.size()));
        b.insert(b.end(), req.begin(), req.end());
        b.insert(b.end(), vardata.begin(), vardata.end());
        return text_of(b);
    };
    const std::string vcek = tmp.file("vcek.pem", (*platform)->vcek_pem());
    const std::string chain = tmp.file("chain.pem", (*platform)->ask_ark_pem());
    auto good = run_process({kCvexBin, "attest", "verify", tmp.file("hcl.bin", hcl_of(var)), "--cert", vcek, "--chain", chain, "--trust-sim-root"}, env);
    INFO(good.out << good.err);
    CHECK(good.exit_code == 3);
    CHECK_THAT(good.out, Catch::StartsWith("verdict: PASS (SIMULATED)"));
    CHECK_THAT(good.out, Catch::Contains("Azure HCL report"));
    CHECK_THAT(good.out, Catch::Contains("PASS hcl.report_data_binding"));
    std::string other = var;
    other[2] = 'K';
    auto bad = run_process({kCvexBin, "attest", "verify", tmp.file("hcl2.bin", hcl_of(other)), "--cert", vcek, "--chain", chain, "--trust-sim-root"}, env);
    CHECK(bad.exit_code == 1);
    CHECK_THAT(bad.out, Catch::Contains("FAIL hcl.report_data_binding"));
}

TEST_CASE("trusted simulated evidence is PASS (SIMULATED), exit 3; a CRL revoking its VCEK fails it") {
    ScratchDir tmp("attest-simcrl");
    const std::vector<std::string> env = {"CVEX_SIM_ROOT_DIR=" + (tmp.path / "root").string()};
    const std::string rd = "0x" + std::string(128, '0');
    const std::string dir = (tmp.path / "ev").string();
    auto sim = run_process({kCvexBin, "attest", "simulate", "--report-data", rd, "--out", dir}, env);
    REQUIRE(sim.exit_code == 0);
    const std::vector<std::string> verify = {kCvexBin, "attest", "verify", dir + "/report.bin", "--cert", dir + "/vcek.pem", "--chain",
                                             dir + "/ask_ark.pem", "--trust-sim-root", "--crl", dir + "/crl.der"};
    auto r = run_process(verify, env);
    INFO(r.out << r.err);
    CHECK(r.exit_code == 3);
    CHECK_THAT(r.out, Catch::StartsWith("verdict: PASS (SIMULATED)"));
    CHECK_THAT(r.out, Catch::Contains("PASS vcek.not_revoked"));
    CHECK_THAT(r.err, Catch::Contains("SIMULATED evidence"));
    auto j = run_process([&] { auto a = verify; a.push_back("--json"); return a; }(), env);
    CHECK(nlohmann::json::parse(j.out)["verdict"] == "PASS (SIMULATED)");
    CHECK(nlohmann::json::parse(j.out)["exit_code"] == 3);

    const std::string revoked_dir = (tmp.path / "revoked").string();
    REQUIRE(run_process({kCvexBin, "attest", "simulate", "--report-data", rd, "--out", revoked_dir, "--revoke", "vcek"}, env).exit_code == 0);
    auto rv = run_process({kCvexBin, "attest", "verify", revoked_dir + "/report.bin", "--cert", revoked_dir + "/vcek.pem", "--chain",
                           revoked_dir + "/ask_ark.pem", "--trust-sim-root", "--crl", revoked_dir + "/crl.der"},
                          env);
    CHECK(rv.exit_code == 1);
    CHECK_THAT(rv.out, Catch::Contains("FAIL vcek.not_revoked"));
    // The same CRL with its signature altered.
    std::string crl = read_file(dir + "/crl.der");
    crl[crl.size() - 5] ^= 1;
    auto bad = verify;
    bad.back() = tmp.file("bad-crl.der", crl);
    auto b = run_process(bad, env);
    CHECK(b.exit_code == 1);
    CHECK_THAT(b.out, Catch::Contains("FAIL crl.signature"));
}
