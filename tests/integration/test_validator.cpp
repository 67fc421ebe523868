// `cvex validator` against a real Anvil and the real AttestationRegistry: a simulated guest
// registers, two validators verify its evidence and approve to quorum; evidence that is not
// what was registered, or fails policy, or is simulated without --trust-sim-root, is rejected.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "chain/rpc/contract.hpp"
#include "chain/crypto/keccak.hpp"
#include "chain/crypto/local_key.hpp"
#include "attest/registry/published_evidence.hpp"
#include "attest/registry/registry_client.hpp"
#include "attest/report/report_data.hpp"
#include "attest/provider/sim_platform.hpp"
#include "support/anvil.hpp"
#include "support/process.hpp"

using namespace cvex;
using cvex::test::Anvil;
using cvex::test::run_process;

namespace {

const std::string kCvex = std::string(CVEX_BIN_DIR) + "/cvex";
const std::string kRegistryArtifact = std::string(CVEX_SOURCE_DIR) + "/contracts/out/AttestationRegistry.sol/AttestationRegistry.json";

std::shared_ptr<chain::Sender> sender_of(std::shared_ptr<chain::EthClient> eth, int dev) {
    auto key = std::make_shared<chain::LocalKey>(std::move(*chain::LocalKey::from_hex(Anvil::dev_key(dev))));
    return std::shared_ptr<chain::Sender>(std::move(*chain::Sender::create(eth, key)));
}

chain::Hash32 random_nonce(int seed) {
    chain::Hash32 h = chain::keccak256(cvex::Bytes{static_cast<uint8_t>(seed), 0x42});
    return h;
}

struct World {
    Anvil anvil;
    std::shared_ptr<chain::EthClient> eth;
    std::unique_ptr<chain::Contract> registry;
    std::shared_ptr<cvex::attest::SimulatedSnpPlatform> platform;
    std::filesystem::path dir;
    std::string sim_roots;

    World() {
        eth = std::shared_ptr<chain::EthClient>(std::move(*chain::EthClient::connect(anvil.url())));
        auto art = chain::ContractArtifact::load(kRegistryArtifact);
        REQUIRE(art);
        auto owner = sender_of(eth, 0);
        auto deployed = chain::Contract::deploy(*art,
                                                {chain::AbiValue(*chain::Address::parse(Anvil::dev_address(0))),
                                                 chain::AbiValue(chain::AbiValue::List{chain::AbiValue(*chain::Address::parse(Anvil::dev_address(1))),
                                                                                       chain::AbiValue(*chain::Address::parse(Anvil::dev_address(2)))}),
                                                 chain::AbiValue(chain::U256(2)), chain::AbiValue(chain::U256(3600))},
                                                eth, owner);
        INFO((deployed ? "" : deployed.error().message()));
        REQUIRE(deployed);
        registry = std::make_unique<chain::Contract>(std::move(*deployed));
        cvex::attest::SimulatedGuest guest;
        guest.measurement.fill(0x5a);
        platform = std::shared_ptr<cvex::attest::SimulatedSnpPlatform>(std::move(*cvex::attest::SimulatedSnpPlatform::create(guest)));
        REQUIRE(registry->transact("allowMeasurement", {chain::AbiValue(cvex::Bytes(guest.measurement.begin(), guest.measurement.end()))}));
        dir = std::filesystem::temp_directory_path() / ("cvex-validator-" + std::to_string(::getpid()) + "-" + std::to_string(anvil.port()));
        std::filesystem::create_directories(dir / "evidence");
        sim_roots = (dir / "sim-root").string();
        ::setenv("CVEX_SIM_ROOT_DIR", sim_roots.c_str(), 1);
        REQUIRE(cvex::attest::publish_sim_root(*platform));
    }
    ~World() { std::filesystem::remove_all(dir); }

    // Registers enclave `dev` with a report whose REPORT_DATA binds `bound_registry` (the real
    // registry unless a test wants a replay from elsewhere), and publishes its evidence.
    std::pair<chain::Address, uint64_t> register_enclave(int dev, std::optional<chain::Address> bound_registry = std::nullopt, int attempt = 0) {
        auto sender = sender_of(eth, dev);
        cvex::attest::RegistryClient client(registry->address(), eth, sender);
        const chain::Hash32 nonce = random_nonce(dev + 16 * attempt);  // a renewal uses a fresh nonce
        cvex::attest::ReportDataBinding binding{31337, bound_registry.value_or(registry->address()), sender->address(), nonce, {}};
        const cvex::Bytes report = platform->make_report(cvex::attest::make_report_data(binding), 0);
        const auto& m = platform->guest().measurement;
        auto id = client.register_enclave(chain::keccak256(report), cvex::ByteView(m.data(), m.size()), nonce, {});
        INFO((id ? "" : id.error().message()));
        REQUIRE(id);
        cvex::attest::PublishedEvidence ev;
        ev.enclave = sender->address();
        ev.chain_id = 31337;
        ev.registry = registry->address();
        ev.nonce = nonce;
        ev.report = report;
        ev.signer_cert = platform->vcek_der();
        ev.chain_pem = platform->ask_ark_pem();
        ev.provider = "simulated";
        ev.simulated = true;
        ev.registration_id = *id;
        std::ofstream(dir / "evidence" / (sender->address().hex().substr(2) + ".json")) << cvex::attest::to_json(ev);
        return {sender->address(), *id};
    }

    cvex::test::ProcessResult validate(int dev, std::vector<std::string> extra = {"--trust-sim-root"}) {
        std::vector<std::string> argv = {kCvex, "validator", "--registry", registry->address().checksum_hex(), "--evidence-dir",
                                         (dir / "evidence").string(), "--once"};
        argv.insert(argv.end(), extra.begin(), extra.end());
        return run_process(argv, {"ETH_RPC_URL=" + anvil.url(), "CVEX_PRIVATE_KEY=" + Anvil::dev_key(dev), "CVEX_SIM_ROOT_DIR=" + sim_roots});
    }

    bool attested(const chain::Address& a) { return *cvex::attest::RegistryClient(registry->address(), eth).is_attested(a); }
};

}  // namespace

TEST_CASE("two validators verify a simulated guest's evidence and attest its key at quorum") {
    World w;
    auto [enclave, id] = w.register_enclave(5);
    auto first = w.validate(1);
    INFO(first.out << first.err);
    REQUIRE(first.exit_code == 0);
    CHECK(first.out.find("APPROVED") != std::string::npos);
    CHECK_FALSE(w.attested(enclave));  // one approval of a quorum of two
    auto second = w.validate(2);
    INFO(second.out << second.err);
    CHECK(second.out.find("APPROVED") != std::string::npos);
    CHECK(w.attested(enclave));
    auto a = *cvex::attest::RegistryClient(w.registry->address(), w.eth).attestation_of(enclave);
    CHECK(a.registration_id == id);
    CHECK(a.valid);
}

TEST_CASE("a validator refuses simulated evidence unless the simulated root is trusted") {
    World w;
    auto [enclave, id] = w.register_enclave(5);
    auto r = w.validate(1, {});
    INFO(r.out << r.err);
    CHECK(r.out.find("REJECT") != std::string::npos);
    CHECK(r.out.find("APPROVED") == std::string::npos);
    CHECK_FALSE(*cvex::attest::RegistryClient(w.registry->address(), w.eth).has_approved(id, *chain::Address::parse(Anvil::dev_address(1))));
}

TEST_CASE("a report whose REPORT_DATA binds another registry is rejected as a replay") {
    World w;
    auto [enclave, id] = w.register_enclave(6, *chain::Address::parse("0x000000000000000000000000000000000000bEEF"));
    auto r = w.validate(1);
    INFO(r.out << r.err);
    CHECK(r.out.find("REJECT: registration.report_data") != std::string::npos);
    CHECK_FALSE(*cvex::attest::RegistryClient(w.registry->address(), w.eth).has_approved(id, *chain::Address::parse(Anvil::dev_address(1))));
}

TEST_CASE("a report that fails the validator's policy is rejected naming the field") {
    World w;
    w.register_enclave(5);
    const auto policy = w.dir / "policy.json";
    std::ofstream(policy) << R"({"measurements": ["0x)" << std::string(96, '1') << R"("]})";
    auto r = w.validate(1, {"--trust-sim-root", "--policy", policy.string()});
    INFO(r.out << r.err);
    CHECK(r.out.find("REJECT: policy.measurement") != std::string::npos);
}

TEST_CASE("evidence that is not the registered report is rejected by its hash") {
    World w;
    auto [enclave, id] = w.register_enclave(5);
    // The guest publishes a different (validly signed) report than the one it registered.
    const auto path = w.dir / "evidence" / (enclave.hex().substr(2) + ".json");
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    auto ev = *cvex::attest::parse_published_evidence(ss.str());
    cvex::attest::ReportData other{};
    other[0] = 1;
    ev.report = w.platform->make_report(other, 0);
    std::ofstream(path) << cvex::attest::to_json(ev);
    auto r = w.validate(1);
    INFO(r.out << r.err);
    CHECK(r.out.find("REJECT: evidence.report_hash") != std::string::npos);
}

TEST_CASE("a validator given AMD's CRL rejects a guest whose VCEK it revokes, and a CRL with a bad signature") {
    World w;
    auto [enclave, id] = w.register_enclave(5);
    const std::time_t now = std::time(nullptr);
    const auto revoking = w.dir / "revoking.crl";
    const cvex::Bytes crl = w.platform->make_crl({w.platform->vcek_serial()}, now - 3600, now + 86400);
    std::ofstream(revoking, std::ios::binary).write(reinterpret_cast<const char*>(crl.data()), static_cast<std::streamsize>(crl.size()));
    auto r = w.validate(1, {"--trust-sim-root", "--crl", revoking.string()});
    INFO(r.out << r.err);
    CHECK(r.out.find("REJECT: vcek.not_revoked") != std::string::npos);
    cvex::Bytes forged = w.platform->make_crl({}, now - 3600, now + 86400);
    forged[forged.size() - 8] ^= 1;
    const auto bad = w.dir / "bad.crl";
    std::ofstream(bad, std::ios::binary).write(reinterpret_cast<const char*>(forged.data()), static_cast<std::streamsize>(forged.size()));
    // The other validator (the first has rejected this registration already: a validator votes once).
    auto b = w.validate(2, {"--trust-sim-root", "--crl", bad.string()});
    INFO(b.out << b.err);
    CHECK(b.out.find("REJECT: crl.signature") != std::string::npos);
    CHECK_FALSE(*attest::RegistryClient(w.registry->address(), w.eth).has_approved(id, *chain::Address::parse(Anvil::dev_address(1))));
}

TEST_CASE("a validator's options fail closed: an empty or repeated --policy, an empty CRL path, an unknown policy name") {
    const std::vector<std::string> base = {kCvex, "validator", "--registry", "0x000000000000000000000000000000000000bEEF", "--evidence-dir", "/tmp",
                                           "--once", "--rpc-url", "http://127.0.0.1:1"};
    for (const auto& extra : std::vector<std::vector<std::string>>{
             {"--policy", ""}, {"--policy", "default", "--policy", "permissive"}, {"--crl", ""}, {"--policy", "/nonexistent/policy.json"}}) {
        auto argv = base;
        argv.insert(argv.end(), extra.begin(), extra.end());
        auto r = run_process(argv, {"CVEX_PRIVATE_KEY=" + Anvil::dev_key(1)});
        INFO(extra[0] << " " << extra[1] << ": " << r.err);
        CHECK(r.exit_code == 2);
        CHECK(r.err.rfind("error: ", 0) == 0);
    }
}

TEST_CASE("a renewal whose evidence is not yet published waits: evidence naming an earlier registration is neither approved nor rejected") {
    World w;
    auto [enclave, first] = w.register_enclave(5);
    const auto path = w.dir / "evidence" / (enclave.hex().substr(2) + ".json");
    auto read = [&] {
        std::stringstream ss;
        ss << std::ifstream(path).rdbuf();
        return ss.str();
    };
    const std::string first_evidence = read();
    // The guest re-attests: a new registration is mined, but its URL still serves the first one.
    auto [same, second] = w.register_enclave(5, std::nullopt, 1);
    REQUIRE(second > first);
    const std::string second_evidence = read();
    std::ofstream(path) << first_evidence;
    auto r = w.validate(1);
    INFO(r.out << r.err);
    const auto validator = *chain::Address::parse(Anvil::dev_address(1));
    cvex::attest::RegistryClient client(w.registry->address(), w.eth);
    CHECK_FALSE(*client.has_approved(second, validator));
    CHECK_FALSE(*client.has_rejected(second, validator));
    // Once the guest publishes the renewal's evidence, it is approved.
    std::ofstream(path) << second_evidence;
    auto again = w.validate(1);
    INFO(again.out << again.err);
    CHECK(*client.has_approved(second, validator));
}
