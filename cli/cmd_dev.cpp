// `cvex dev attest --registry A --measurement 0x<48 bytes>`: DEVELOPMENT ONLY. Registers the key
// in CVEX_PRIVATE_KEY in an AttestationRegistry and has the validator keys in CVEX_VALIDATOR_KEY
// (comma-separated, enough for the registry's quorum) approve it — with no SEV-SNP report at all.
// It exists so a team can run `cvex bot run` against its own vault on a local chain; it refuses
// any chain id but Anvil's and Hardhat's (31337, 1337) and says what it is doing on every run.
// On a real chain a key is attested only by a guest's evidence that the validators verified.
#include <iostream>
#include <ostream>
#include <sstream>
#include <chrono>
#include <optional>

#include <nlohmann/json.hpp>

#include "cli/chain_args.hpp"
#include "cli/command.hpp"
#include "chain/crypto/keccak.hpp"
#include "chain/crypto/local_key.hpp"
#include "attest/registry/registry_client.hpp"

namespace cvex::cli {
namespace {

const chain::ContractAbi& views_abi() {
    static const chain::ContractAbi a = *chain::ContractAbi::from_signatures(
        "RegistryViews", {"isMeasurementAllowed(bytes32)(bool)", "quorum()(uint256)", "isAttestedFor(address,bytes32)(bool)"});
    return a;
}

std::shared_ptr<chain::Sender> sender_for(std::shared_ptr<chain::EthClient> client, const std::string& hex, const std::string& what) {
    auto key = chain::LocalKey::from_hex(hex);
    if (!key) throw UsageError(what + ": not a valid secp256k1 secret key");
    auto s = chain::Sender::create(std::move(client), std::make_shared<chain::LocalKey>(std::move(*key)));
    if (!s) throw std::runtime_error(s.error().message());
    return std::shared_ptr<chain::Sender>(std::move(*s));
}

chain::Hash32 text_hash(const std::string& text) { return chain::keccak256(cvex::Bytes(text.begin(), text.end())); }

std::vector<std::string> split_keys(const std::string& text) {
    std::vector<std::string> out;
    std::stringstream in(text);
    for (std::string k; std::getline(in, k, ',');)
        if (!k.empty()) out.push_back(k);
    return out;
}

// The registry and the measurement to attest, from the flags.
struct AttestTarget {
    chain::Address registry;
    std::string measurement_text;  // as given, to quote back
    std::array<uint8_t, 48> measurement{};
    chain::Hash32 measurement_id;
};

AttestTarget parse_attest_target(const Args& args) {
    check_flags(args, {"--rpc-url", "--registry", "--measurement"}, {}, "dev attest");
    const std::string* r = flag_value(args, "--registry");
    if (!r) throw UsageError("dev attest: --registry is required");
    AttestTarget t;
    t.registry = parse_address_arg(*r, "--registry");
    const std::string* m = flag_value(args, "--measurement");
    if (!m || !cvex::from_hex_fixed(*m, t.measurement)) throw UsageError("dev attest: --measurement 0x<48 bytes> (the launch MEASUREMENT the vault allows) is required");
    t.measurement_text = *m;
    t.measurement_id = chain::keccak256(t.measurement);
    return t;
}

// Development only: never on a chain where an attestation could guard real money.
uint64_t require_development_chain(chain::EthClient& client) {
    auto chain_id = client.chain_id();
    if (!chain_id) throw std::runtime_error(chain_id.error().message());
    if (*chain_id != 31337 && *chain_id != 1337)
        throw UsageError("dev attest: chain id " + std::to_string(*chain_id) + " is not a local development chain (31337 Anvil, 1337 Hardhat); "
                         "a real key is attested by a guest's SEV-SNP evidence and the validators");
    return *chain_id;
}

// The registry must be an AttestationRegistry that allows the measurement, and CVEX_VALIDATOR_KEY
// must hold enough keys for its quorum; returns those keys.
std::vector<std::string> check_registry(const std::shared_ptr<chain::EthClient>& client, const chain::Contract& views, const AttestTarget& t) {
    const std::string registry = t.registry.checksum_hex();
    auto code = client->code(t.registry);
    if (!code || code->empty()) throw UsageError("dev attest: --registry: no contract at " + registry);
    auto allowed = views.call("isMeasurementAllowed", {chain::AbiValue(t.measurement_id)});
    if (!allowed) throw UsageError("dev attest: --registry " + registry + " is not an AttestationRegistry: " + allowed.error().message());
    if (!(*allowed)[0].boolean())
        throw UsageError("dev attest: registry " + registry + " does not allow this measurement; its owner allows it with `cvex send " + registry +
                         " \"allowMeasurement(bytes)\" " + t.measurement_text + "`");
    auto quorum = views.call("quorum", {});
    if (!quorum) throw std::runtime_error(quorum.error().message());
    auto validator_keys = split_keys(require_env("CVEX_VALIDATOR_KEY"));
    if (validator_keys.size() < (*quorum)[0].word().low_u64())
        throw UsageError("dev attest: the registry's quorum is " + (*quorum)[0].word().dec() + " but CVEX_VALIDATOR_KEY holds " +
                         std::to_string(validator_keys.size()) + " key(s) (comma-separated)");
    return validator_keys;
}

// No report exists: the report hash names that.
chain::Hash32 no_report_hash() { return text_hash("cvex dev attest: no SEV-SNP report"); }

// Registers `enclave` with the registry; the registration id, or nothing after printing why not.
std::optional<uint64_t> register_without_evidence(attest::RegistryClient& as_enclave, const chain::Address& enclave, const AttestTarget& t) {
    // The nonce only has to be fresh.
    std::ostringstream nonce_text;
    nonce_text << "cvex dev attest " << enclave.checksum_hex() << " " << std::chrono::system_clock::now().time_since_epoch().count();
    const chain::Hash32 nonce = text_hash(nonce_text.str());
    auto id = as_enclave.register_enclave(no_report_hash(), t.measurement, nonce, chain::Hash32{});
    if (!id) {
        std::cerr << "error: dev attest: register: " << id.error().message() << "\n";
        return std::nullopt;
    }
    return *id;
}

// Has every validator key approve registration `id`; false after printing why one could not.
bool approve_by_validators(const std::shared_ptr<chain::EthClient>& client, const AttestTarget& t, const chain::Address& enclave, uint64_t id,
                           const std::vector<std::string>& validator_keys) {
    for (const auto& k : validator_keys) {
        auto v = sender_for(client, k, "CVEX_VALIDATOR_KEY");
        attest::RegistryClient as_validator(t.registry, client, v);
        auto ok = as_validator.is_validator(v->address());
        if (!ok || !*ok) throw UsageError("dev attest: CVEX_VALIDATOR_KEY: " + v->address().checksum_hex() + " is not a validator of the registry");
        // The registry checks the approval against the registration itself: its REPORT_DATA and measurement.
        auto reg = as_validator.registration(id);
        if (!reg) {
            std::cerr << "error: dev attest: registration " << id << ": " << reg.error().message() << "\n";
            return false;
        }
        if (auto a = as_validator.approve(enclave, id, no_report_hash(), reg->report_data, t.measurement_id); !a) {
            std::cerr << "error: dev attest: approve by " << v->address().checksum_hex() << ": " << a.error().message() << "\n";
            return false;
        }
    }
    return true;
}

int run_attest(const Args& args, std::ostream& out) {
    const AttestTarget t = parse_attest_target(args);
    auto client = rpc_client_from(args);
    const uint64_t chain_id = require_development_chain(*client);
    chain::Contract views(views_abi(), t.registry, client);
    const auto validator_keys = check_registry(client, views, t);

    auto enclave = sender_for(client, require_env("CVEX_PRIVATE_KEY"), "CVEX_PRIVATE_KEY");
    std::cerr << "DEVELOPMENT ONLY: attesting " << enclave->address().checksum_hex() << " in registry " << t.registry.checksum_hex()
              << " on chain " << chain_id << " WITHOUT any SEV-SNP evidence; a vault that allows this measurement lets this key trade\n";
    attest::RegistryClient as_enclave(t.registry, client, enclave);
    const auto id = register_without_evidence(as_enclave, enclave->address(), t);
    if (!id || !approve_by_validators(client, t, enclave->address(), *id, validator_keys)) return kFailed;
    auto att = as_enclave.attestation_of(enclave->address());
    auto attested = views.call("isAttestedFor", {chain::AbiValue(enclave->address()), chain::AbiValue(t.measurement_id)});
    if (!att || !attested || !(*attested)[0].boolean()) {
        std::cerr << "error: dev attest: registration " << *id << " is not attested after the approvals\n";
        return kFailed;
    }
    out << nlohmann::ordered_json{{"development", true},
                                  {"enclave", enclave->address().checksum_hex()},
                                  {"registry", t.registry.checksum_hex()},
                                  {"measurement_id", t.measurement_id.hex()},
                                  {"registration_id", *id},
                                  {"expires_at", att->expires_at}}
               .dump(2)
        << "\n";
    return kOk;
}

const CommandRegistrar attest{{"dev attest", "--registry A --measurement 0x<48 bytes> [--rpc-url URL]",
                               "DEVELOPMENT ONLY (chain 31337/1337): attest CVEX_PRIVATE_KEY's address without SEV-SNP evidence, "
                               "approved by the validator keys in CVEX_VALIDATOR_KEY",
                               run_attest}};

}  // namespace
}  // namespace cvex::cli
