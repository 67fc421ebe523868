// cvex-enclave end to end on Anvil with the simulated provider: it generates its keys, waits for
// funds, registers evidence binding them, serves it on /attestation, is approved by a validator
// (`cvex validator --evidence-url`), and reports itself attested on /health and /metrics.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "chain/rpc/contract.hpp"
#include "chain/rpc/http_client.hpp"
#include "chain/crypto/keccak.hpp"
#include "chain/crypto/local_key.hpp"
#include "chain/tx/transaction.hpp"
#include "attest/registry/registry_client.hpp"
#include "support/anvil.hpp"
#include "support/child_process.hpp"
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

// A registry (validator: dev account 1, quorum 1) and a cvex-enclave with the simulated provider.
struct Deployment {
    Anvil anvil;
    std::shared_ptr<chain::EthClient> eth;
    std::unique_ptr<chain::Contract> registry;
    std::filesystem::path dir;
    uint16_t port = 0;
    std::string sim_root;
    pid_t pid = -1;

    explicit Deployment(const std::string& name) {
        eth = std::shared_ptr<chain::EthClient>(std::move(*chain::EthClient::connect(anvil.url())));
        auto owner_key = std::make_shared<chain::LocalKey>(std::move(*chain::LocalKey::from_hex(Anvil::dev_key(0))));
        auto owner = std::shared_ptr<chain::Sender>(std::move(*chain::Sender::create(eth, owner_key)));
        auto deployed = chain::Contract::deploy(*chain::ContractArtifact::load(kRegistryArtifact),
                                                {chain::AbiValue(owner_key->address()),
                                                 chain::AbiValue(chain::AbiValue::List{chain::AbiValue(*chain::Address::parse(Anvil::dev_address(1)))}),
                                                 chain::AbiValue(chain::U256(1)), chain::AbiValue(chain::U256(3600))},
                                                eth, owner);
        REQUIRE(deployed);
        registry = std::make_unique<chain::Contract>(std::move(*deployed));
        REQUIRE(registry->transact("allowMeasurement", {chain::AbiValue(measurement())}));
        dir = std::filesystem::temp_directory_path() / ("cvex-enclave-test-" + std::to_string(::getpid()) + "-" + name);
        std::filesystem::create_directories(dir);
        port = cvex::test::free_loopback_port();
        sim_root = "CVEX_SIM_ROOT_DIR=" + (dir / "sim-root").string();
    }
    ~Deployment() {
        if (pid > 0) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
        }
        std::filesystem::remove_all(dir);
    }
    static cvex::Bytes measurement() { return cvex::Bytes(48, 0x3c); }

    void start_enclave(uint64_t attestation_timeout_s) {
        const std::string config = (dir / "enclave.json").string();
        std::ofstream(config) << nlohmann::json{{"rpc_url", anvil.url()},
                                                {"chain_id", 31337},
                                                {"contracts", {{"registry", registry->address().checksum_hex()}}},
                                                {"provider", "simulated"},
                                                {"simulated_measurement", cvex::to_hex(measurement())},
                                                {"http", {{"port", port}}},
                                                {"attestation_timeout_s", attestation_timeout_s},
                                                {"renew_before_s", 1800}}
                                     .dump();
        pid = fork();
        if (pid == 0) {
            ::putenv(const_cast<char*>(sim_root.c_str()));
            const std::string log = (dir / "enclave.log").string();
            freopen(log.c_str(), "w", stdout);
            execl((kBin + "/cvex-enclave").c_str(), "cvex-enclave", "--config", config.c_str(), nullptr);
            _exit(127);
        }
        REQUIRE(pid > 0);
    }
    std::string enclave_log() const {
        std::ifstream in(dir / "enclave.log");
        std::stringstream ss;
        ss << in.rdbuf();
        return ss.str();
    }
    // The guest announces its address on /health; the test (the operator) funds it.
    chain::Address wait_and_fund() {
        std::optional<chain::Address> enclave;
        for (int i = 0; i < 200 && !enclave; ++i) {
            if (auto body = http_get(port, "/health")) enclave = *chain::Address::parse(nlohmann::json::parse(*body)["enclave"].get<std::string>());
            else std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        REQUIRE(enclave);
        REQUIRE(eth->anvil_set_balance(*enclave, chain::U256(1'000'000'000'000'000'000ULL)));
        return *enclave;
    }
    cvex::test::ProcessResult validate_once() {
        return cvex::test::run_process({kBin + "/cvex", "validator", "--registry", registry->address().checksum_hex(), "--evidence-url",
                                        "http://127.0.0.1:" + std::to_string(port) + "/attestation", "--trust-sim-root", "--once"},
                                       {"ETH_RPC_URL=" + anvil.url(), "CVEX_PRIVATE_KEY=" + Anvil::dev_key(1), sim_root});
    }
};

// `count` registrations from fresh keys, each with the bond, none with evidence anywhere.
void spam_registrations(Deployment& d, size_t count) {
    const chain::U256 bond = (*d.registry->call("registrationBond", {}))[0].word();
    std::optional<chain::Hash32> last;
    for (size_t i = 0; i < count; ++i) {
        auto key = chain::LocalKey::from_hex(chain::keccak256(cvex::Bytes{0x5a, static_cast<uint8_t>(i >> 8), static_cast<uint8_t>(i)}).hex());
        REQUIRE(key);
        REQUIRE(d.eth->anvil_set_balance(key->address(), chain::U256(1'000'000'000'000'000'000ULL)));
        const chain::Hash32 report = chain::keccak256(cvex::ByteView(key->address().bytes.data(), key->address().bytes.size()));
        chain::Transaction tx;
        tx.type = chain::TxType::kDynamicFee;
        tx.chain_id = 31337;
        tx.to = d.registry->address();
        tx.value = bond;
        tx.data = *d.registry->calldata("register", {chain::AbiValue(report), chain::AbiValue(Deployment::measurement()), chain::AbiValue(report),
                                                     chain::AbiValue(chain::Hash32{})});
        tx.gas_limit = 400'000;
        tx.max_priority_fee_per_gas = chain::U256(1'000'000'000);
        tx.max_fee_per_gas = chain::U256(100'000'000'000ULL);
        auto signed_tx = chain::sign_transaction(tx, *key);
        REQUIRE(signed_tx);
        auto h = d.eth->send_raw_transaction(signed_tx->encode());
        REQUIRE(h);
        last = *h;
    }
    for (int i = 0; i < 100; ++i) {
        auto r = d.eth->transaction_receipt(*last);
        if (r && *r) {
            REQUIRE((*r)->status);
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    FAIL("the spam registrations were not mined");
}

}  // namespace

TEST_CASE("cvex-enclave registers, is attested by a validator, and serves health, attestation and metrics") {
    Deployment d("basic");
    auto& eth = d.eth;
    auto& registry = d.registry;
    const uint16_t port = d.port;
    d.start_enclave(60);
    const auto enclave = std::optional<chain::Address>(d.wait_and_fund());
    CHECK(nlohmann::json::parse(*http_get(port, "/health"))["simulated"] == true);

    bool attested = false;
    for (int i = 0; i < 60 && !attested; ++i) {
        auto v = d.validate_once();
        INFO(v.out << v.err);
        REQUIRE(v.exit_code == 0);
        attested = *cvex::attest::RegistryClient(registry->address(), eth).is_attested(*enclave);
        if (!attested) std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
    CHECK(attested);
    // The bond came back at attestation: the guest holds its funding less gas only.
    CHECK(*eth->balance(*enclave) > chain::U256(999'000'000'000'000'000ULL));

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
        auto v = d.validate_once();
        REQUIRE(v.exit_code == 0);
        const auto a = *cvex::attest::RegistryClient(registry->address(), eth).attestation_of(*enclave);
        CHECK(a.valid);  // never a gap
        renewed = a.registration_id > first.registration_id;
        if (renewed) CHECK(a.expires_at > first.expires_at);
        else std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
    INFO(d.enclave_log());
    CHECK(renewed);
    CHECK(nlohmann::json::parse(*http_get(port, "/attestation"))["registration_id"].get<uint64_t>() > first.registration_id);

    ::kill(d.pid, SIGTERM);
    int status = 0;
    ::waitpid(d.pid, &status, 0);
    d.pid = -1;
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("300 spam registrations without evidence: a real guest still attests within its timeout, and no reject is paid") {
    Deployment d("spam");
    spam_registrations(d, 300);
    // One validator running on its own, as in production; the guest gives it 30 s.
    cvex::test::ChildProcess validator({kBin + "/cvex", "validator", "--registry", d.registry->address().checksum_hex(), "--evidence-url",
                                        "http://127.0.0.1:" + std::to_string(d.port) + "/attestation", "--trust-sim-root"},
                                       {"ETH_RPC_URL=" + d.anvil.url(), "CVEX_PRIVATE_KEY=" + Anvil::dev_key(1), d.sim_root},
                                       (d.dir / "validator.log").string());
    d.start_enclave(30);
    const auto enclave = d.wait_and_fund();
    const auto started = std::chrono::steady_clock::now();
    bool attested = false;
    while (!attested && std::chrono::steady_clock::now() - started < std::chrono::seconds(35)) {
        attested = *attest::RegistryClient(d.registry->address(), d.eth).is_attested(enclave);
        if (!attested) std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    INFO(d.enclave_log() << validator.log());
    CHECK(attested);
    CHECK(d.enclave_log().find("not attested within") == std::string::npos);
    // Missing evidence is never rejected on-chain: the spam registrations simply expire, bond kept.
    CHECK(d.registry->logs("Rejected", 0, *d.eth->block_number())->empty());
    CHECK(validator.log().find("REJECT") == std::string::npos);
}
