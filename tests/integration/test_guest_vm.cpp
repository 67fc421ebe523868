// The guest image booted for real: scripts/guest-image.sh builds it with the test's config baked
// in, `cvex measure` recomputes its launch MEASUREMENT from the files, the registry allow-lists
// exactly that, and scripts/guest-vm.sh boots it under qemu-system-x86_64 — direct kernel boot
// with QEMU's SeaBIOS, no SEV on this machine; KVM when it works, TCG otherwise. Inside,
// cvex-enclave runs with a SIMULATED platform that the host hands in through fw_cfg (outside the
// measured inputs, as firmware is) reporting that MEASUREMENT; it reaches Anvil only through QEMU's
// guestfwd, and its API only through hostfwd. A validator approves it against the image's
// manifest; it registers its VRF key and fulfils a request.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include <nlohmann/json.hpp>

#include "attest/registry/registry_client.hpp"
#include "chain/rpc/contract.hpp"
#include "chain/rpc/http_client.hpp"
#include "chain/crypto/local_key.hpp"
#include "oracle/coordinator_client.hpp"
#include "support/anvil.hpp"
#include "support/process.hpp"

using namespace cvex;
using cvex::test::Anvil;
using chain::AbiValue;
using chain::U256;
using Clock = std::chrono::steady_clock;

namespace {

const std::string kRoot = CVEX_SOURCE_DIR;
const std::string kBin = CVEX_BIN_DIR;
const std::string kOvmf = std::string(CVEX_SHARED_DIR) + "/vectors/sev/measure/ovmf_AmdSev_suffix.bin";
// Where QEMU's fw_cfg shows the platform file inside the guest (qemu_fw_cfg sysfs).
const std::string kPlatformInGuest = "/sys/firmware/qemu_fw_cfg/by_name/opt/cvex/sim-platform/raw";

std::string artifact(const std::string& name) { return kRoot + "/contracts/out/" + name + ".sol/" + name + ".json"; }

std::string slurp(const std::filesystem::path& p) {
    std::ifstream f(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), {});
}

std::optional<std::string> http_get(uint16_t port, const std::string& path) {
    chain::HttpClient http(*chain::Url::parse("http://127.0.0.1:" + std::to_string(port)),
                           chain::HttpTimeouts{std::chrono::milliseconds(500), std::chrono::milliseconds(1000), std::chrono::milliseconds(3000)});
    auto r = http.get(path);
    if (!r || r->status != 200) return std::nullopt;
    return r->body;
}

// The VM runner in its own process group, so that stopping it stops QEMU and its forwarders too.
class VmProcess {
public:
    VmProcess(const std::vector<std::string>& argv, const std::string& log) {
        pid_ = ::fork();
        if (pid_ == 0) {
            ::setpgid(0, 0);
            ::prctl(PR_SET_PDEATHSIG, SIGTERM);
            if (!std::freopen(log.c_str(), "w", stdout) || !std::freopen(log.c_str(), "a", stderr)) _exit(126);
            std::vector<char*> args;
            for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
            args.push_back(nullptr);
            ::execv(args[0], args.data());
            _exit(127);
        }
        ::setpgid(pid_, pid_);
    }
    ~VmProcess() {
        if (pid_ <= 0) return;
        ::kill(-pid_, SIGTERM);
        for (int i = 0; i < 50 && ::waitpid(pid_, nullptr, WNOHANG) == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
        ::kill(-pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }
    bool running() const { return ::waitpid(pid_, nullptr, WNOHANG) == 0; }

private:
    pid_t pid_ = -1;
};

}  // namespace

TEST_CASE("the guest image boots in QEMU, is approved for the measurement cvex measure computed, and fulfils a VRF request") {
    const auto dir = std::filesystem::temp_directory_path() / ("cvex-guest-vm-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string sim_root = "CVEX_SIM_ROOT_DIR=" + (dir / "sim-root").string();

    Anvil::Options ao;
    ao.block_time = 1;
    Anvil anvil(ao);
    auto eth = std::shared_ptr<chain::EthClient>(std::move(*chain::EthClient::connect(anvil.url())));
    auto sender = [&eth](size_t i) {
        auto key = std::make_shared<chain::LocalKey>(std::move(*chain::LocalKey::from_hex(Anvil::dev_key(i))));
        return std::shared_ptr<chain::Sender>(std::move(*chain::Sender::create(eth, key)));
    };
    auto owner = sender(0), user = sender(3);
    const uint64_t start_block = *eth->block_number();
    auto registry = chain::Contract::deploy(*chain::ContractArtifact::load(artifact("AttestationRegistry")),
                                            {AbiValue(owner->address()), AbiValue(AbiValue::List{AbiValue(*chain::Address::parse(Anvil::dev_address(1)))}),
                                             AbiValue(U256(1)), AbiValue(U256(3600))},
                                            eth, owner);
    REQUIRE(registry);
    auto coordinator = chain::Contract::deploy(*chain::ContractArtifact::load(artifact("VRFCoordinator")),
                                               {AbiValue(registry->address()), AbiValue(owner->address())},
                                               eth, owner);
    REQUIRE(coordinator);
    auto consumer = chain::Contract::deploy(*chain::ContractArtifact::load(artifact("VRFLoadConsumer")), {AbiValue(coordinator->address())}, eth, user);
    REQUIRE(consumer);

    // The config baked into the measured initrd: the RPC is the host's Anvil as QEMU forwards it.
    const auto config = dir / "enclave.json";
    std::ofstream(config) << nlohmann::json{{"rpc_url", "http://10.0.2.100:8545"},
                                            {"chain_id", 31337},
                                            {"contracts", {{"registry", registry->address().checksum_hex()}, {"coordinator", coordinator->address().checksum_hex()}}},
                                            {"provider", "simulated"},
                                            {"simulated_platform", kPlatformInGuest},
                                            {"http", {{"listen", "0.0.0.0"}, {"port", 9100}}},
                                            {"min_balance_wei", "100000000000000000"},
                                            {"attestation_timeout_s", 600},
                                            {"oracle", {{"start_block", start_block}, {"poll_ms", 200}}}}
                                 .dump(1);
    const auto image = dir / "image";
    auto built = cvex::test::run_process({kRoot + "/scripts/guest-image.sh", "--out", image.string(), "--ovmf", kOvmf, "--config", config.string()});
    INFO(built.err);
    REQUIRE(built.exit_code == 0);
    const auto manifest = nlohmann::json::parse(slurp(image / "manifest.json"));

    // The allow-listed MEASUREMENT is recomputed from the image's files, never read from the guest.
    auto measured = cvex::test::run_process({kBin + "/cvex", "measure", "--mode", "snp", "--vcpus", "1", "--vcpu-type", "EPYC-v4", "--vmm-type", "QEMU",
                                             "--guest-features", "0x1", "--ovmf", kOvmf, "--kernel", (image / "vmlinuz").string(), "--initrd",
                                             (image / "initrd.img").string(), "--append", slurp(image / "cmdline")});
    REQUIRE(measured.exit_code == 0);
    const std::string measurement = measured.out.substr(0, 96);
    REQUIRE(manifest["measurement"] == measurement);
    REQUIRE(registry->transact("allowMeasurement", {AbiValue(*cvex::from_hex(measurement))}));

    // The simulated platform: made by the host, reporting the computed MEASUREMENT.
    const auto platform = dir / "sim-platform.json";
    auto sim = cvex::test::run_process({kBin + "/cvex", "attest", "sim-platform", "--measurement", measurement, "--out", platform.string()}, {sim_root});
    REQUIRE(sim.exit_code == 0);

    const uint16_t http_port = cvex::test::free_loopback_port();
    const auto t0 = Clock::now();
    VmProcess vm({kRoot + "/scripts/guest-vm.sh", "--image", image.string(), "--rpc-port", std::to_string(anvil.port()), "--http-port",
                  std::to_string(http_port), "--sim-platform", platform.string()},
                 (dir / "vm.log").string());
    auto secs = [&t0] { return std::chrono::duration<double>(Clock::now() - t0).count(); };

    std::optional<chain::Address> enclave;
    while (!enclave && secs() < 240 && vm.running()) {
        if (auto body = http_get(http_port, "/health")) enclave = *chain::Address::parse(nlohmann::json::parse(*body)["enclave"].get<std::string>());
        else std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    const std::string vm_log = slurp(dir / "vm.log");
    const std::string accel = vm_log.find("booting under KVM") != std::string::npos ? "KVM" : "TCG";
    INFO(vm_log);
    REQUIRE(enclave);
    const double boot_s = secs();
    CHECK(nlohmann::json::parse(*http_get(http_port, "/health"))["simulated"] == true);
    REQUIRE(eth->anvil_set_balance(*enclave, U256(1'000'000'000'000'000'000ULL)));

    bool attested = false;
    while (!attested && secs() < 400) {
        auto v = cvex::test::run_process({kBin + "/cvex", "validator", "--registry", registry->address().checksum_hex(), "--image",
                                          (image / "manifest.json").string(), "--evidence-url",
                                          "http://127.0.0.1:" + std::to_string(http_port) + "/attestation", "--trust-sim-root", "--once"},
                                         {"ETH_RPC_URL=" + anvil.url(), "CVEX_PRIVATE_KEY=" + Anvil::dev_key(1), sim_root});
        INFO(v.out << v.err);
        REQUIRE(v.exit_code == 0);
        attested = *attest::RegistryClient(registry->address(), eth).is_attested(*enclave);
        if (!attested) std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    REQUIRE(attested);
    const double attested_s = secs();

    // What the guest publishes: evidence for the image's MEASUREMENT and the measured config.
    const auto ev = nlohmann::json::parse(*http_get(http_port, "/attestation"));
    CHECK(ev["simulated"] == true);
    CHECK(ev["report"].get<std::string>().substr(2 + 2 * 0x90, 96) == measurement);
    CHECK(ev["config_sha256"] == manifest["config"]["sha256"]);
    CHECK(ev["config"]["contracts"]["coordinator"] == coordinator->address().checksum_hex());

    std::string key_hash;
    while (key_hash.empty() && secs() < 500) {
        const auto h = nlohmann::json::parse(http_get(http_port, "/health").value_or("{}"));
        if (h.value("state", "") == "serving") key_hash = h["vrf_key_hash"].get<std::string>();
        else std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    REQUIRE(!key_hash.empty());

    oracle::CoordinatorClient coord(coordinator->address(), eth, user);
    const U256 price = *coord.request_price(*chain::Hash32::from_hex(key_hash), 100'000, 2);
    REQUIRE(consumer->transact("requestMany", {AbiValue(*chain::Hash32::from_hex(key_hash)), AbiValue(U256(1)), AbiValue(U256(100'000)),
                                               AbiValue(U256(2)), AbiValue(U256(1))},
                               price));
    bool fulfilled = false;
    while (!fulfilled && secs() < 600) {
        auto p = coord.pending_requests(U256(1), *coord.request_count());
        fulfilled = p && p->empty();
        if (!fulfilled) std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    CHECK(fulfilled);
    std::cout << "guest VM under " << accel << ": API up " << boot_s << " s after QEMU started, attested at " << attested_s
              << " s, a VRF request fulfilled at " << secs() << " s\n";
    std::filesystem::remove_all(dir);
}
