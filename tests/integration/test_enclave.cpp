// cvex-enclave end to end on Anvil with the simulated provider: it generates its keys, waits for
// funds, registers evidence binding them, serves it on /attestation, is approved by a validator
// (`cvex validator --evidence-url`), and reports itself attested on /health and /metrics.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "chain/rpc/contract.hpp"
#include "chain/rpc/http_client.hpp"
#include "chain/crypto/local_key.hpp"
#include "attest/registry/registry_client.hpp"
#include "support/anvil.hpp"
#include "support/process.hpp"

using namespace cvex;
using cvex::test::Anvil;

namespace {

const std::string kBin = std::string(CVEX_BIN_DIR);
const std::string kRegistryArtifact = std::string(CVEX_SOURCE_DIR) + "/contracts/out/AttestationRegistry.sol/AttestationRegistry.json";

std::optional<std::string> http_get(uint16_t port, const std::string& path) {
    chain::HttpClient http(*chain::Url::parse("http://127.0.0.1:" + std::to_string(port)),
                           chain::HttpTimeouts{std::chrono::milliseconds(500), std::chrono::milliseconds(500), std::chrono::milliseconds(2000)});
    auto r = http.get(path);
    if (!r || r->status != 200) return std::nullopt;
    return r->body;
}

}  // namespace

TEST_CASE("cvex-enclave registers, is attested by a validator, and serves health, attestation and metrics") {
    Anvil anvil;
    auto eth = std::shared_ptr<chain::EthClient>(std::move(*chain::EthClient::connect(anvil.url())));
    auto owner_key = std::make_shared<chain::LocalKey>(std::move(*chain::LocalKey::from_hex(Anvil::dev_key(0))));
    auto owner = std::shared_ptr<chain::Sender>(std::move(*chain::Sender::create(eth, owner_key)));
    auto registry = chain::Contract::deploy(*chain::ContractArtifact::load(kRegistryArtifact),
                                            {chain::AbiValue(owner_key->address()),
                                             chain::AbiValue(chain::AbiValue::List{chain::AbiValue(*chain::Address::parse(Anvil::dev_address(1)))}),
                                             chain::AbiValue(chain::U256(1)), chain::AbiValue(chain::U256(3600))},
                                            eth, owner);
    REQUIRE(registry);
    const cvex::Bytes measurement(48, 0x3c);
    REQUIRE(registry->transact("allowMeasurement", {chain::AbiValue(measurement)}));

    const auto dir = std::filesystem::temp_directory_path() / ("cvex-enclave-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const uint16_t port = cvex::test::free_loopback_port();
    const std::string config = (dir / "enclave.json").string();
    std::ofstream(config) << nlohmann::json{{"rpc_url", anvil.url()},
                                            {"chain_id", 31337},
                                            {"contracts", {{"registry", registry->address().checksum_hex()}}},
                                            {"provider", "simulated"},
                                            {"simulated_measurement", cvex::to_hex(measurement)},
                                            {"http", {{"port", port}}},
                                            {"attestation_timeout_s", 60},
                                            {"renew_before_s", 1800}}
                                 .dump();
    const std::string sim_root = "CVEX_SIM_ROOT_DIR=" + (dir / "sim-root").string();

    const pid_t pid = fork();
    if (pid == 0) {
        ::putenv(const_cast<char*>(sim_root.c_str()));
        const std::string log = (dir / "enclave.log").string();
        freopen(log.c_str(), "w", stdout);
        execl((kBin + "/cvex-enclave").c_str(), "cvex-enclave", "--config", config.c_str(), nullptr);
        _exit(127);
    }
    REQUIRE(pid > 0);

    // The guest announces its address on /health; the test (the operator) funds it.
    std::optional<chain::Address> enclave;
    for (int i = 0; i < 200 && !enclave; ++i) {
        if (auto body = http_get(port, "/health")) enclave = *chain::Address::parse(nlohmann::json::parse(*body)["enclave"].get<std::string>());
        else std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    REQUIRE(enclave);
    CHECK(nlohmann::json::parse(*http_get(port, "/health"))["simulated"] == true);
    REQUIRE(eth->anvil_set_balance(*enclave, chain::U256(1'000'000'000'000'000'000ULL)));

    bool attested = false;
    for (int i = 0; i < 60 && !attested; ++i) {
        auto v = cvex::test::run_process({kBin + "/cvex", "validator", "--registry", registry->address().checksum_hex(), "--evidence-url",
                                          "http://127.0.0.1:" + std::to_string(port) + "/attestation", "--trust-sim-root", "--once"},
                                         {"ETH_RPC_URL=" + anvil.url(), "CVEX_PRIVATE_KEY=" + Anvil::dev_key(1), sim_root});
        INFO(v.out << v.err);
        REQUIRE(v.exit_code == 0);
        attested = *cvex::attest::RegistryClient(registry->address(), eth).is_attested(*enclave);
        if (!attested) std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
    CHECK(attested);

    // The published evidence binds the guest's VRF key and names the registration.
    auto ev = nlohmann::json::parse(*http_get(port, "/attestation"));
    CHECK(ev["enclave"] == enclave->checksum_hex());
    CHECK(ev["simulated"] == true);
    CHECK(ev["vrf_public_key"].get<std::string>().size() == 2 + 130);
    CHECK(ev["registration_id"].get<uint64_t>() > 0);

    std::string metrics;
    for (int i = 0; i < 40 && metrics.find("cvex_attested 1") == std::string::npos; ++i) {
        metrics = http_get(port, "/metrics").value_or("");
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    CHECK(metrics.find("cvex_attested 1") != std::string::npos);
    CHECK(metrics.find("cvex_balance_wei ") != std::string::npos);
    CHECK_FALSE(http_get(port, "/sign"));  // nothing but the three read-only endpoints

    // Renewal: with less than renew_before_s left (block time moved on), the guest registers fresh
    // evidence, publishes it, and the validators' approval extends the attestation without a gap.
    const auto first = *cvex::attest::RegistryClient(registry->address(), eth).attestation_of(*enclave);
    REQUIRE(eth->rpc().call("evm_increaseTime", {2000}, chain::Idempotency::kUnsafe));
    REQUIRE(eth->evm_mine());
    bool renewed = false;
    for (int i = 0; i < 60 && !renewed; ++i) {
        auto v = cvex::test::run_process({kBin + "/cvex", "validator", "--registry", registry->address().checksum_hex(), "--evidence-url",
                                          "http://127.0.0.1:" + std::to_string(port) + "/attestation", "--trust-sim-root", "--once"},
                                         {"ETH_RPC_URL=" + anvil.url(), "CVEX_PRIVATE_KEY=" + Anvil::dev_key(1), sim_root});
        REQUIRE(v.exit_code == 0);
        const auto a = *cvex::attest::RegistryClient(registry->address(), eth).attestation_of(*enclave);
        CHECK(a.valid);  // never a gap
        renewed = a.registration_id > first.registration_id;
        if (renewed) CHECK(a.expires_at > first.expires_at);
        else std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
    CHECK(renewed);
    CHECK(nlohmann::json::parse(*http_get(port, "/attestation"))["registration_id"].get<uint64_t>() > first.registration_id);

    ::kill(pid, SIGTERM);
    int status = 0;
    ::waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    std::filesystem::remove_all(dir);
}
