// Attested key handover between guests on Anvil (issue 14 §2 and §3), four cvex-enclave processes
// with the simulated provider and one validator:
//   - the holder (measurement A) attests with its own VRF key: that key hash is the key set;
//   - the key set's owner allows measurements A and B for it (KeyHandover's timelock, delay 0);
//   - a replica under A attests a fresh transport key, asks, and receives the VRF key alone; it
//     serves the key set under its own Ethereum address;
//   - a guest under measurement C asks too and is refused: on chain (HandoverRefused) and in
//     its log;
//   - an upgrade under B is the successor: it receives the Ethereum key too, becomes the holder's
//     address (so a vault or a balance needs no change), and the holder retires; SIGKILLed and
//     restarted, the successor unseals the same address and key set and asks nobody.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <thread>

#include <nlohmann/json.hpp>

#include "attest/registry/registry_client.hpp"
#include "chain/crypto/keccak.hpp"
#include "chain/crypto/local_key.hpp"
#include "chain/rpc/contract.hpp"
#include "support/anvil.hpp"
#include "support/child_process.hpp"
#include "support/guest_api.hpp"
#include "support/process.hpp"

using namespace cvex;
using cvex::test::Anvil;
using cvex::test::ChildProcess;
using cvex::test::eventually;
using cvex::test::guest_health;
using cvex::test::guest_state;
namespace fs = std::filesystem;

namespace {

const std::string kBin = std::string(CVEX_BIN_DIR);
const std::string kOut = std::string(CVEX_SOURCE_DIR) + "/contracts/out/";

chain::Contract deploy(const std::string& name, const std::vector<chain::AbiValue>& args, std::shared_ptr<chain::EthClient> eth,
                       std::shared_ptr<chain::Sender> owner) {
    auto c = chain::Contract::deploy(*chain::ContractArtifact::load(kOut + name + ".sol/" + name + ".json"), args, eth, owner);
    REQUIRE(c);
    return std::move(*c);
}

struct Net {
    Anvil anvil;
    std::shared_ptr<chain::EthClient> eth;
    std::shared_ptr<chain::Sender> owner;
    std::unique_ptr<chain::Contract> registry, handover;
    fs::path dir;
    std::string sim_root;  // CVEX_SIM_ROOT_DIR=…, for the validator

    Net() {
        eth = std::shared_ptr<chain::EthClient>(std::move(*chain::EthClient::connect(anvil.url())));
        auto owner_key = std::make_shared<chain::LocalKey>(std::move(*chain::LocalKey::from_hex(Anvil::dev_key(0))));
        owner = std::shared_ptr<chain::Sender>(std::move(*chain::Sender::create(eth, owner_key)));
        registry = std::make_unique<chain::Contract>(
            deploy("AttestationRegistry",
                   {chain::AbiValue(owner_key->address()), chain::AbiValue(chain::AbiValue::List{chain::AbiValue(*chain::Address::parse(Anvil::dev_address(1)))}),
                    chain::AbiValue(chain::U256(1)), chain::AbiValue(chain::U256(3600))},
                   eth, owner));
        handover = std::make_unique<chain::Contract>(
            deploy("KeyHandover", {chain::AbiValue(registry->address()), chain::AbiValue(owner_key->address()), chain::AbiValue(chain::U256(0))}, eth, owner));
        for (uint8_t m : {0xa1, 0xb2, 0xc3}) REQUIRE(registry->transact("allowMeasurement", {chain::AbiValue(measurement(m))}));
        dir = fs::temp_directory_path() / ("cvex-handover-test-" + std::to_string(::getpid()));
        fs::remove_all(dir);
        fs::create_directories(dir);
        sim_root = "CVEX_SIM_ROOT_DIR=" + (dir / "sim-root").string();
    }
    ~Net() { fs::remove_all(dir); }

    static cvex::Bytes measurement(uint8_t fill) { return cvex::Bytes(48, fill); }
    static chain::Hash32 measurement_id(uint8_t fill) { return chain::keccak256(measurement(fill)); }

    /// A guest named `name` under measurement `fill`, asking for `receive` when set.
    std::unique_ptr<ChildProcess> guest(const std::string& name, uint8_t fill, uint16_t port, const std::optional<chain::Hash32>& receive) {
        nlohmann::json config{{"rpc_url", anvil.url()},
                              {"chain_id", 31337},
                              {"contracts", {{"registry", registry->address().checksum_hex()}, {"key_handover", handover->address().checksum_hex()}}},
                              {"provider", "simulated"},
                              {"simulated_measurement", cvex::to_hex(measurement(fill))},
                              {"http", {{"port", port}}},
                              {"attestation_timeout_s", 60}};
        if (receive) config["handover"] = {{"receive", receive->hex()}, {"timeout_s", 60}};
        return cvex::test::start_guest(dir / name, config, (dir / "sim-root").string());
    }

    /// The operator funds the address a guest announces on /health.
    chain::Address fund(uint16_t port) {
        nlohmann::json h;
        REQUIRE(eventually(30, [&] { return !(h = guest_health(port)).is_null(); }));
        const auto a = *chain::Address::parse(h["enclave"].get<std::string>());
        REQUIRE(eth->anvil_set_balance(a, chain::U256(1'000'000'000'000'000'000ULL)));
        return a;
    }

    size_t event_count(const std::string& event, const chain::Address& newcomer) {
        auto logs = handover->logs(event, 0, *eth->block_number());
        REQUIRE(logs);
        size_t n = 0;
        for (const auto& l : *logs) n += l.topics.size() > 2 && chain::Address::parse("0x" + l.topics[2].hex().substr(26)) == newcomer;
        return n;
    }
};

}  // namespace

TEST_CASE("a key set goes over the chain only to allowed measurements: the VRF key to a replica, the whole set to a successor, which the holder hands its address to and retires") {
    Net net;
    const uint16_t port_a = cvex::test::free_loopback_port(), port_r = cvex::test::free_loopback_port(),
                   port_b = cvex::test::free_loopback_port(), port_c = cvex::test::free_loopback_port();
    std::vector<std::string> validator_argv{kBin + "/cvex", "validator", "--registry", net.registry->address().checksum_hex(), "--trust-sim-root"};
    for (uint16_t p : {port_a, port_r, port_b, port_c})
        for (const char* arg : {"--evidence-url", ""}) validator_argv.push_back(*arg ? arg : "http://127.0.0.1:" + std::to_string(p) + "/attestation");
    ChildProcess validator(validator_argv, {"ETH_RPC_URL=" + net.anvil.url(), "CVEX_PRIVATE_KEY=" + Anvil::dev_key(1), net.sim_root},
                           (net.dir / "validator.log").string());
    attest::RegistryClient registry(net.registry->address(), net.eth);

    // The holder (measurement A): its own VRF key is the key set.
    auto holder = net.guest("holder", 0xa1, port_a, std::nullopt);
    const chain::Address a = net.fund(port_a);
    INFO(holder->log() << validator.log());
    REQUIRE(eventually(60, [&] { return guest_state(port_a) == "serving"; }));
    const chain::Hash32 key_set = *chain::Hash32::from_hex(guest_health(port_a)["vrf_key_hash"].get<std::string>());
    CHECK(registry.attestation_of(a)->bound_data == key_set);

    // Governance allows measurements A (replicas of the same image) and B (an upgrade), only those.
    for (uint8_t m : {0xa1, 0xb2})
        for (const char* step : {"queueAllowance", "executeAllowance"})
            REQUIRE(net.handover->transact(step, {chain::AbiValue(key_set), chain::AbiValue(Net::measurement_id(m)), chain::AbiValue(true)}));

    // A replica (A again) receives the VRF key only: it serves the key set under its own address.
    auto replica = net.guest("replica", 0xa1, port_r, key_set);
    const chain::Address r = net.fund(port_r);
    INFO(replica->log());
    REQUIRE(eventually(90, [&] { return guest_state(port_r) == "serving"; }));
    const auto hr = guest_health(port_r);
    CHECK(hr["vrf_key_hash"] == key_set.hex());
    CHECK(hr["keys"] == "handed-over");
    CHECK(hr["enclave"] == r.checksum_hex());  // its own Ethereum key: two running guests never share an address
    CHECK(registry.attestation_of(r)->bound_data == key_set);
    CHECK(net.event_count("HandoverRequested", r) == 1);
    CHECK(net.event_count("KeysDelivered", r) == 1);
    CHECK(holder->running());  // a replica takes nothing from the holder
    std::smatch took;
    const std::string replica_log = replica->log();
    REQUIRE(std::regex_search(replica_log, took, std::regex("handover complete: serving key set 0x[0-9a-f]+, ([0-9]+) ms after")));
    std::cout << "handover time (transport key attested -> serving the key set): " << took[1] << " ms\n";

    // Measurement C is not allowed: refused on chain and in the guest's log; it never gets the key.
    auto stranger = net.guest("stranger", 0xc3, port_c, key_set);
    const chain::Address c = net.fund(port_c);
    REQUIRE(eventually(90, [&] { return !stranger->running(); }));
    INFO(stranger->log());
    CHECK(stranger->log().find("handover REFUSED on chain: measurement " + Net::measurement_id(0xc3).hex()) != std::string::npos);
    CHECK(net.event_count("HandoverRefused", c) == 1);
    CHECK(net.event_count("KeysDelivered", c) == 0);

    // The upgrade (B) is the successor: it receives the Ethereum key too and becomes the holder's
    // address, attested under B; the holder retires; the boot key's funds follow. With several
    // holders running, whichever delivers first is the one succeeded (the replica, also a holder
    // now, would race the holder here), so the replica stops first.
    replica->stop(SIGTERM);
    auto successor = net.guest("successor", 0xb2, port_b, key_set);
    const chain::Address boot = net.fund(port_b);
    INFO(successor->log());
    REQUIRE(eventually(90, [&] { return guest_state(port_b) == "serving"; }));
    const auto hb = guest_health(port_b);
    CHECK(hb["enclave"] == a.checksum_hex());
    CHECK(hb["vrf_key_hash"] == key_set.hex());
    CHECK(hb["keys"] == "handed-over");
    REQUIRE(eventually(30, [&] { return !holder->running(); }));
    CHECK(WIFEXITED(holder->exit_status()));
    CHECK(WEXITSTATUS(holder->exit_status()) == 0);
    CHECK(holder->log().find("retired: " + boot.checksum_hex()) != std::string::npos);
    const auto att = *registry.attestation_of(a);
    CHECK(att.valid);
    CHECK(att.measurement_id == Net::measurement_id(0xb2));
    CHECK(att.bound_data == key_set);
    CHECK(*net.eth->balance(boot) < chain::U256(1'000'000'000'000'000ULL));  // swept: under 0.001 ether left
    CHECK(net.event_count("KeysDelivered", boot) == 1);

    // The successor, killed and restarted, unseals the holder's address and key set and asks nobody.
    successor->stop(SIGKILL);
    successor->restart();
    REQUIRE(eventually(90, [&] { return guest_state(port_b) == "serving"; }));
    CHECK(guest_health(port_b)["keys"] == "unsealed");
    CHECK(guest_health(port_b)["vrf_key_hash"] == key_set.hex());
    CHECK(guest_health(port_b)["enclave"] == a.checksum_hex());
    CHECK(net.event_count("HandoverRequested", boot) == 1);
}
