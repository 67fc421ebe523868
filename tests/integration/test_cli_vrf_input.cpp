// `cvex vrf verify|prove` for a validator's scripts (issue 19): alpha from a file or standard
// input (a 65,537-byte alpha does not fit an argument list), --json, strict options.
#include <catch2/catch.hpp>

#include "support/attest_cli.hpp"

using namespace cvex::test;

namespace {

// The atikayda vector whose alpha is 65,537 bytes.
const nlohmann::json& long_vector() {
    static const nlohmann::json v = [] {
        const nlohmann::json doc = load_vectors("vectors/vrf/ecvrf_secp256k1_atikayda.json");
        for (const auto& c : doc["vectors"])
            if (c["alpha"].get<std::string>().size() == 2 * 65537) return c;
        throw std::runtime_error("no 65,537-byte alpha in the atikayda vectors");
    }();
    return v;
}

std::string hex0x(const char* field) {
    const std::string s = long_vector()[field].get<std::string>();
    return s.rfind("0x", 0) == 0 ? s : "0x" + s;
}

std::string alpha_bytes() {
    const std::string h = long_vector()["alpha"].get<std::string>();
    std::string out;
    for (size_t i = 0; i + 1 < h.size(); i += 2) out.push_back(static_cast<char>(std::stoi(h.substr(i, 2), nullptr, 16)));
    return out;
}

}  // namespace

TEST_CASE("a 65,537-byte alpha verifies from --alpha-file and from standard input") {
    ScratchDir tmp("vrf-alpha");
    const std::string file = tmp.file("alpha.bin", alpha_bytes());
    auto r = run_process({kCvexBin, "vrf", "verify", "--pk", hex0x("pk"), "--alpha-file", file, "--proof", hex0x("pi")});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out == hex0x("beta") + "\n");
    auto s = run_shell_timed(shell_quote(kCvexBin) + " vrf verify --pk " + hex0x("pk") + " --alpha-file - --proof " + hex0x("pi") + " < " +
                             shell_quote(file));
    INFO(s.r.err);
    CHECK(s.r.exit_code == 0);
    CHECK(s.r.out == hex0x("beta") + "\n");
}

TEST_CASE("vrf verify --json: one object, also for an invalid proof and for unusable input") {
    ScratchDir tmp("vrf-json");
    const std::string file = tmp.file("alpha.bin", alpha_bytes());
    auto ok = run_process({kCvexBin, "vrf", "verify", "--pk", hex0x("pk"), "--alpha-file", file, "--proof", hex0x("pi"), "--json"});
    REQUIRE(ok.exit_code == 0);
    const auto j = nlohmann::json::parse(ok.out);
    CHECK(j["schema"] == "cvex.vrf.verify/1");
    CHECK(j["valid"] == true);
    CHECK(j["beta"] == hex0x("beta"));
    CHECK(j["alpha_length"] == 65537);
    auto bad = run_process({kCvexBin, "vrf", "verify", "--pk", hex0x("pk"), "--alpha", "0x00", "--proof", hex0x("pi"), "--json"});
    CHECK(bad.exit_code == 1);
    CHECK(nlohmann::json::parse(bad.out)["valid"] == false);
    auto unusable = run_process({kCvexBin, "vrf", "verify", "--pk", hex0x("pk"), "--alpha", "0x7", "--proof", hex0x("pi"), "--json"});
    CHECK(unusable.exit_code == 2);
    CHECK_THAT(nlohmann::json::parse(unusable.out)["error"].get<std::string>(), Catch::Contains("--alpha"));
}

TEST_CASE("vrf verify refuses a repeated or empty option and two alphas") {
    const std::string pk = hex0x("pk"), pi = hex0x("pi");
    for (const auto& argv : std::vector<std::vector<std::string>>{
             {kCvexBin, "vrf", "verify", "--pk", pk, "--pk", pk, "--alpha", "0x", "--proof", pi},
             {kCvexBin, "vrf", "verify", "--pk", pk, "--alpha", "0x", "--alpha", "0x01", "--proof", pi},
             {kCvexBin, "vrf", "verify", "--pk", "", "--alpha", "0x", "--proof", pi},
             {kCvexBin, "vrf", "verify", "--pk", pk, "--alpha", "0x", "--alpha-file", "/dev/null", "--proof", pi},
             {kCvexBin, "vrf", "verify", "--pk", pk, "--alpha-file", "/dev/zero", "--proof", pi}}) {
        auto r = run_process(argv);
        INFO(r.err);
        CHECK(r.exit_code == 2);
    }
    auto twice = run_process({kCvexBin, "vrf", "verify", "--pk", pk, "--pk", pk, "--alpha", "0x", "--proof", pi});
    CHECK_THAT(twice.err, Catch::Contains("--pk is given twice"));
}

TEST_CASE("vrf prove takes --alpha-file too") {
    ScratchDir tmp("vrf-prove");
    const std::string file = tmp.file("alpha.bin", alpha_bytes());
    auto r = run_process({kCvexBin, "vrf", "prove", "--alpha-file", file}, {"CVEX_VRF_KEY=" + hex0x("sk")});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out == hex0x("pi") + "\n" + hex0x("beta") + "\n");
}
