// cvex-enclave keeps its keys across restarts (issue 14 §1): with a state directory and the
// simulated provider on a persistent simulated chip, a guest killed with SIGKILL comes back with
// the same Ethereum address and VRF key hash; a guest with another measurement refuses the blob,
// says so, keeps it aside and starts fresh; an older blob the host puts back is harmless.
#include <catch2/catch.hpp>

#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "base/bytes.hpp"
#include "chain/rpc/http_client.hpp"
#include "support/anvil.hpp"
#include "support/child_process.hpp"
#include "support/process.hpp"

using namespace cvex;
using cvex::test::Anvil;
using cvex::test::ChildProcess;
namespace fs = std::filesystem;

namespace {

const std::string kBin = std::string(CVEX_BIN_DIR);

struct Health {
    std::string enclave, keys, vrf_key_hash;
};

std::optional<Health> health(uint16_t port) {
    chain::HttpClient http(*chain::Url::parse("http://127.0.0.1:" + std::to_string(port)),
                           chain::HttpTimeouts{std::chrono::milliseconds(500), std::chrono::milliseconds(500), std::chrono::milliseconds(2000)});
    auto r = http.get("/health");
    if (!r || r->status != 200) return std::nullopt;
    const auto j = nlohmann::json::parse(r->body);
    return Health{j["enclave"], j["keys"], j["vrf_key_hash"]};
}

/// Starts a guest, waits for /health, returns what it says, and SIGKILLs it (no clean shutdown).
Health boot(const fs::path& dir, const std::string& rpc, const std::string& measurement_hex) {
    const uint16_t port = cvex::test::free_loopback_port();
    const std::string config = (dir / "enclave.json").string();
    std::ofstream(config) << nlohmann::json{{"rpc_url", rpc},
                                            {"chain_id", 31337},
                                            {"contracts", {{"registry", "0x00000000000000000000000000000000000000aa"}}},
                                            {"provider", "simulated"},
                                            {"simulated_measurement", measurement_hex},
                                            {"simulated_chip", (dir / "chip.seed").string()},
                                            {"state_dir", (dir / "state").string()},
                                            {"http", {{"port", port}}}}
                                 .dump();
    ChildProcess guest({kBin + "/cvex-enclave", "--config", config}, {"CVEX_SIM_ROOT_DIR=" + (dir / "sim-root").string()},
                       (dir / "enclave.log").string());
    std::optional<Health> h;
    for (int i = 0; i < 600 && !h && guest.running(); ++i) {
        h = health(port);
        if (!h) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    INFO(guest.log());
    REQUIRE(h);
    guest.stop(SIGKILL);
    return *h;
}

cvex::Bytes read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return cvex::Bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

size_t rejected_blobs(const fs::path& state) {
    size_t n = 0;
    for (const auto& e : fs::directory_iterator(state)) n += e.path().filename().string().find("keys.sealed.rejected-") == 0;
    return n;
}

}  // namespace

TEST_CASE("a guest killed and restarted on the same chip unseals the same keys; another measurement starts fresh") {
    Anvil anvil;
    const fs::path dir = fs::temp_directory_path() / ("cvex-sealing-test-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir / "state");
    const std::string m1 = "0x" + std::string(96, 'a'), m2 = "0x" + std::string(96, 'b');

    const Health first = boot(dir, anvil.url(), m1);
    CHECK(first.keys == "generated");
    const cvex::Bytes blob = read_file(dir / "state" / "keys.sealed");
    REQUIRE(blob.size() > 100);

    const Health again = boot(dir, anvil.url(), m1);
    CHECK(again.keys == "unsealed");
    CHECK(again.enclave == first.enclave);
    CHECK(again.vrf_key_hash == first.vrf_key_hash);

    // Another measurement on the same chip: the firmware derives another key; the blob is
    // refused by name, moved aside (not deleted), and fresh keys are sealed in its place.
    const Health upgraded = boot(dir, anvil.url(), m2);
    CHECK(upgraded.keys == "generated");
    CHECK(upgraded.enclave != first.enclave);
    CHECK(upgraded.vrf_key_hash != first.vrf_key_hash);
    CHECK(rejected_blobs(dir / "state") == 1);
    const auto log_bytes = read_file(dir / "enclave.log");
    const std::string log(log_bytes.begin(), log_bytes.end());
    CHECK(log.find("were refused: the sealed keys do not open here (another measurement") != std::string::npos);

    // The host replays the first blob to the first measurement: the first keys come back, and
    // nothing else changes (nonces and the oracle's requests come from the chain).
    std::ofstream(dir / "state" / "keys.sealed", std::ios::binary | std::ios::trunc)
        .write(reinterpret_cast<const char*>(blob.data()), static_cast<std::streamsize>(blob.size()));
    const Health replayed = boot(dir, anvil.url(), m1);
    CHECK(replayed.keys == "unsealed");
    CHECK(replayed.enclave == first.enclave);
    fs::remove_all(dir);
}
