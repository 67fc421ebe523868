// `cvex vrf keygen|pk|prove|verify` as a user runs them: the built binary, its stdout, stderr and
// exit codes (0 valid, 1 invalid proof, 2 unusable input), against the shared vectors.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "support/process.hpp"
#include "support/vectors.hpp"

using cvex::test::run_process;

namespace {

const std::string kCvex = std::string(CVEX_BIN_DIR) + "/cvex";

const nlohmann::json& vector0() {
    static const nlohmann::json v = cvex::test::load_vectors("vectors/vrf/ecvrf_vectors.json")["secp256k1_sha256_tai"][1];
    return v;
}
std::string x(const char* field) { return "0x" + vector0()[field].get<std::string>(); }
std::vector<std::string> key_env() { return {"CVEX_VRF_KEY=" + x("sk")}; }

std::vector<std::string> lines(const std::string& s) {
    std::vector<std::string> out;
    size_t start = 0;
    for (size_t nl; (nl = s.find('\n', start)) != std::string::npos; start = nl + 1) out.push_back(s.substr(start, nl - start));
    return out;
}

}  // namespace

TEST_CASE("vrf pk prints the compressed public key of CVEX_VRF_KEY") {
    auto r = run_process({kCvex, "vrf", "pk"}, key_env());
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out == x("pk") + "\n");
}

TEST_CASE("vrf prove prints the vector's proof, then its beta") {
    auto r = run_process({kCvex, "vrf", "prove", "--alpha", x("alpha")}, key_env());
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(lines(r.out) == std::vector<std::string>{x("pi"), x("beta")});
}

TEST_CASE("vrf prove --json adds the key, alpha and the on-chain helpers") {
    auto r = run_process({kCvex, "vrf", "prove", "--alpha=" + x("alpha"), "--json"}, key_env());
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["pk"] == x("pk"));
    CHECK(j["alpha"] == x("alpha"));
    CHECK(j["proof"] == x("pi"));
    CHECK(j["beta"] == x("beta"));
    const auto& o = j["onchain"];
    for (const char* f : {"pk", "gamma", "c", "s", "h", "hCtr", "hNonResidue", "u", "uWitness", "v", "cGammaWitness",
                          "sHashWitness", "zInv", "abi"})
        CHECK(o.contains(f));
    CHECK(o["c"] == "0x00000000000000000000000000000000" + x("pi").substr(2 + 66, 32));
    CHECK(o["abi"].get<std::string>().rfind("0x0000000000000000000000000000000000000000000000000000000000000020", 0) == 0);
}

TEST_CASE("vrf verify prints beta and exits 0 for a valid proof") {
    auto r = run_process({kCvex, "vrf", "verify", "--pk", x("pk"), "--alpha", x("alpha"), "--proof", x("pi")});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out == x("beta") + "\n");
}

TEST_CASE("vrf verify exits 1 with the reason for a proof RFC 9381 rejects") {
    std::string tampered = x("pi");
    tampered[2 + 70] = tampered[2 + 70] == '0' ? '1' : '0';  // a digit of c
    auto r = run_process({kCvex, "vrf", "verify", "--pk", x("pk"), "--alpha", x("alpha"), "--proof", tampered});
    CHECK(r.exit_code == 1);
    CHECK(r.out.empty());
    CHECK_THAT(r.err, Catch::Contains("challenge"));
    auto short_proof = run_process({kCvex, "vrf", "verify", "--pk", x("pk"), "--alpha", x("alpha"), "--proof", x("pi").substr(0, 160)});
    CHECK(short_proof.exit_code == 1);
    CHECK_THAT(short_proof.err, Catch::Contains("81 bytes"));
    auto other_alpha = run_process({kCvex, "vrf", "verify", "--pk", x("pk"), "--alpha", "0x00", "--proof", x("pi")});
    CHECK(other_alpha.exit_code == 1);
}

TEST_CASE("vrf verify exits 2 for unusable input") {
    const std::vector<std::vector<std::string>> bad = {
        {kCvex, "vrf", "verify", "--pk", x("pk"), "--alpha", x("alpha")},                      // no --proof
        {kCvex, "vrf", "verify", "--pk", x("pk"), "--alpha", "73", "--proof", x("pi")},        // no 0x
        {kCvex, "vrf", "verify", "--pk", x("pk"), "--alpha", "0x7", "--proof", x("pi")},       // odd length
        {kCvex, "vrf", "verify", "--pk", "0x04" + x("pk").substr(4), "--alpha", "0x", "--proof", x("pi")},  // not a point
        {kCvex, "vrf", "verify", "--pk", x("pk"), "--alpha", "0x", "--proof", x("pi"), "extra"},
    };
    for (const auto& argv : bad) {
        auto r = run_process(argv);
        INFO(argv.back() << ": " << r.err);
        CHECK(r.exit_code == 2);
        CHECK(r.err.rfind("error: ", 0) == 0);
    }
}

TEST_CASE("vrf keygen prints a usable secret once, with a development warning on stderr") {
    auto gen = run_process({kCvex, "vrf", "keygen"});
    REQUIRE(gen.exit_code == 0);
    const auto out = lines(gen.out);
    REQUIRE(out.size() == 1);
    REQUIRE(out[0].size() == 66);
    CHECK_THAT(gen.err, Catch::Contains("DEVELOPMENT"));
    CHECK(gen.err.find(out[0].substr(2)) == std::string::npos);  // the secret is on stdout only

    const std::vector<std::string> env = {"CVEX_VRF_KEY=" + out[0]};
    auto pk = run_process({kCvex, "vrf", "pk"}, env);
    REQUIRE(pk.exit_code == 0);
    CHECK_THAT(gen.err, Catch::Contains(lines(pk.out).at(0)));
    auto proof = run_process({kCvex, "vrf", "prove", "--alpha", "0x1234"}, env);
    REQUIRE(proof.exit_code == 0);
    const auto pl = lines(proof.out);
    auto ok = run_process({kCvex, "vrf", "verify", "--pk", lines(pk.out).at(0), "--alpha", "0x1234", "--proof", pl.at(0)});
    CHECK(ok.exit_code == 0);
    CHECK(lines(ok.out).at(0) == pl.at(1));
}

TEST_CASE("vrf prove and pk without a usable CVEX_VRF_KEY exit 2 and never echo the key") {
    CHECK(run_process({kCvex, "vrf", "pk"}, {"CVEX_VRF_KEY="}).exit_code == 2);
    const std::string bad_key = "0x" + std::string(63, '7') + "z";
    auto r = run_process({kCvex, "vrf", "prove", "--alpha", "0x"}, {"CVEX_VRF_KEY=" + bad_key});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(bad_key.substr(2)) == std::string::npos);
    CHECK(r.out.find(bad_key.substr(2)) == std::string::npos);
    auto zero = run_process({kCvex, "vrf", "prove", "--alpha", "0x"}, {"CVEX_VRF_KEY=0x" + std::string(64, '0')});
    CHECK(zero.exit_code == 2);
    CHECK_THAT(zero.err, Catch::Contains("CVEX_VRF_KEY"));
}
