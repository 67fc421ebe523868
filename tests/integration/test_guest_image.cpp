// scripts/guest-image.sh as a specification: two builds from the same checkout and config are
// byte-identical; `cvex measure` over the built files reproduces the manifest's MEASUREMENT; the
// kernel is the pinned Debian package; a trust-relevant setting changed in the config changes the
// MEASUREMENT; unusable input is refused with one error line and exit 2.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "support/process.hpp"

namespace {

namespace fs = std::filesystem;
const std::string kRoot = CVEX_SOURCE_DIR;
const std::string kBin = CVEX_BIN_DIR;
const std::string kOvmf = std::string(CVEX_SHARED_DIR) + "/vectors/sev/measure/ovmf_AmdSev_suffix.bin";

std::string slurp(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), {});
}

std::string config_with_registry(const std::string& registry) {
    return nlohmann::json{{"rpc_url", "http://10.0.2.100:8545"},
                          {"chain_id", 31337},
                          {"contracts", {{"registry", registry}}},
                          {"provider", "simulated"},
                          {"simulated_platform", "/sys/firmware/qemu_fw_cfg/by_name/opt/cvex/sim-platform/raw"},
                          {"http", {{"listen", "0.0.0.0"}, {"port", 9100}}}}
        .dump(1);
}

cvex::test::ProcessResult build(const fs::path& out, const fs::path& config, std::vector<std::string> extra = {}) {
    std::vector<std::string> argv = {kRoot + "/scripts/guest-image.sh", "--out", out.string(), "--ovmf", kOvmf, "--config", config.string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return cvex::test::run_process(argv);
}

std::map<std::string, std::string> pin() {
    std::map<std::string, std::string> kv;
    std::ifstream f(kRoot + "/enclave-app/guest/kernel.pin");
    for (std::string line; std::getline(f, line);)
        if (!line.empty() && line[0] != '#' && line.find('=') != std::string::npos) kv[line.substr(0, line.find('='))] = line.substr(line.find('=') + 1);
    return kv;
}

}  // namespace

TEST_CASE("two image builds are byte-identical and cvex measure over the files reproduces the manifest") {
    const fs::path dir = fs::temp_directory_path() / ("cvex-guest-image-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::ofstream(dir / "a.json") << config_with_registry("0x5FbDB2315678afecb367f032d93F642f64180aa3");
    std::ofstream(dir / "b.json") << config_with_registry("0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512");

    auto one = build(dir / "one", dir / "a.json");
    INFO(one.err);
    REQUIRE(one.exit_code == 0);
    auto two = build(dir / "two", dir / "a.json");
    REQUIRE(two.exit_code == 0);
    for (const char* f : {"vmlinuz", "initrd.img", "cmdline", "manifest.json"}) {
        INFO(f);
        CHECK(slurp(dir / "one" / f) == slurp(dir / "two" / f));
        CHECK(!slurp(dir / "one" / f).empty());
    }

    const auto manifest = nlohmann::json::parse(slurp(dir / "one" / "manifest.json"));
    auto measured = cvex::test::run_process({kBin + "/cvex", "measure", "--mode", "snp", "--vcpus", "1", "--vcpu-type", "EPYC-v4", "--vmm-type", "QEMU",
                                             "--guest-features", "0x1", "--ovmf", kOvmf, "--kernel", (dir / "one" / "vmlinuz").string(), "--initrd",
                                             (dir / "one" / "initrd.img").string(), "--append", slurp(dir / "one" / "cmdline")});
    INFO(measured.err);
    REQUIRE(measured.exit_code == 0);
    CHECK(measured.out.substr(0, 96) == manifest["measurement"].get<std::string>());
    CHECK(one.out == manifest["measurement"].get<std::string>() + "\n");

    // The kernel is the pinned package, and the manifest says which; no build path leaks in.
    const auto kv = pin();
    CHECK(manifest["kernel"]["package"] == kv.at("KERNEL_PACKAGE"));
    CHECK(manifest["kernel"]["version"] == kv.at("KERNEL_VERSION"));
    CHECK(manifest["kernel"]["deb_sha256"] == kv.at("KERNEL_DEB_SHA256"));
    CHECK(slurp(dir / "one" / "manifest.json").find(dir.string()) == std::string::npos);
    bool has_config = false, has_enclave = false;
    for (const auto& e : manifest["initrd"]) {
        has_config |= e["path"] == "/etc/cvex/enclave.json" && e["sha256"] == manifest["config"]["sha256"];
        has_enclave |= e["path"] == "/usr/bin/cvex-enclave";
    }
    CHECK(has_config);
    CHECK(has_enclave);

    // Another registry in the config: another initrd, another MEASUREMENT to allow-list.
    auto other = build(dir / "other", dir / "b.json");
    REQUIRE(other.exit_code == 0);
    const auto m2 = nlohmann::json::parse(slurp(dir / "other" / "manifest.json"));
    CHECK(m2["measurement"] != manifest["measurement"]);
    CHECK(m2["files"]["vmlinuz"] == manifest["files"]["vmlinuz"]);
    CHECK(m2["files"]["initrd.img"] != manifest["files"]["initrd.img"]);
    fs::remove_all(dir);
}

TEST_CASE("guest-image.sh refuses unusable input with one error line and exit 2") {
    const fs::path dir = fs::temp_directory_path() / ("cvex-guest-image-bad-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::ofstream(dir / "typo.json") << R"({"rpc_url": "http://10.0.2.100:8545", "chain_id": 1, "contracts": {"registry": "0x5FbDB2315678afecb367f032d93F642f64180aa3"}, "providr": "simulated"})";
    struct Case {
        std::vector<std::string> argv;
        std::string says;
    };
    const std::vector<Case> cases = {
        {{"--out", (dir / "x").string(), "--ovmf", kOvmf}, "--config is required"},
        {{"--out", (dir / "x").string(), "--ovmf", (dir / "none.fd").string(), "--config", (dir / "typo.json").string()}, "--ovmf"},
        {{"--out", (dir / "x").string(), "--ovmf", kOvmf, "--config", (dir / "typo.json").string()}, "providr"},
        {{"--out", (dir / "x").string(), "--ovmf", kOvmf, "--config", (dir / "typo.json").string(), "--vcpus", "0"}, "--vcpus"},
    };
    for (const auto& c : cases) {
        std::vector<std::string> argv = {kRoot + "/scripts/guest-image.sh"};
        argv.insert(argv.end(), c.argv.begin(), c.argv.end());
        auto r = cvex::test::run_process(argv);
        INFO(c.says << ": " << r.err);
        CHECK(r.exit_code == 2);
        CHECK(r.err.find(c.says) != std::string::npos);
        CHECK(!fs::exists(dir / "x"));
    }
    fs::remove_all(dir);
}

TEST_CASE("attest verify --image passes only a report whose MEASUREMENT is the manifest's") {
    const fs::path dir = fs::temp_directory_path() / ("cvex-guest-image-verify-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const std::vector<std::string> env = {"CVEX_SIM_ROOT_DIR=" + (dir / "sim-root").string()};
    // A simulated report with an all-zero MEASUREMENT (what `attest simulate` reports).
    auto sim = cvex::test::run_process({kBin + "/cvex", "attest", "simulate", "--report-data", "0x" + std::string(128, '0'), "--out",
                                        (dir / "ev").string()},
                                       env);
    REQUIRE(sim.exit_code == 0);
    auto manifest = [&dir](const std::string& name, char digit) {
        std::ofstream(dir / name) << nlohmann::json{{"format", "cvex-guest-image/1"}, {"measurement", std::string(96, digit)}}.dump();
        return (dir / name).string();
    };
    auto verify = [&](const std::string& image) {
        return cvex::test::run_process({kBin + "/cvex", "attest", "verify", (dir / "ev" / "report.bin").string(), "--cert", (dir / "ev" / "vcek.pem").string(),
                                        "--chain", (dir / "ev" / "ask_ark.pem").string(), "--trust-sim-root", "--image", image},
                                       env);
    };
    auto same = verify(manifest("same.json", '0'));
    INFO(same.out << same.err);
    CHECK(same.exit_code == 3);  // PASS (SIMULATED)
    CHECK(same.out.find("PASS image.measurement") != std::string::npos);
    auto other = verify(manifest("other.json", '7'));
    CHECK(other.exit_code == 1);
    CHECK(other.out.find("FAIL image.measurement") != std::string::npos);
    std::ofstream(dir / "bad.json") << R"({"format": "cvex-guest-image/1", "measurement": "12"})";
    auto bad = verify((dir / "bad.json").string());
    CHECK(bad.exit_code == 2);
    CHECK(bad.err.find("measurement must be 48 bytes") != std::string::npos);
    fs::remove_all(dir);
}
