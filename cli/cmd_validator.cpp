// `cvex validator`: verifies every registration in the AttestationRegistry and approves on-chain
// only what passes (enclave-app/validator.hpp). The validator's key comes from CVEX_PRIVATE_KEY.
#include <atomic>
#include <csignal>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/command.hpp"
#include "chain/crypto/local_key.hpp"
#include "base/log_line.hpp"
#include "attest/validator/validator.hpp"

namespace cvex::cli {

chain::LocalKey key_from_env();  // cmd_tx.cpp

namespace {

std::atomic<bool> g_stop{false};

std::string read_file(const std::string& path, const char* flag) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw UsageError(std::string(flag) + ": cannot read " + path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

int run_validator(const Args& args, std::ostream& out) {
    const std::string* registry_text = flag_value(args, "--registry");
    if (!registry_text) throw UsageError("usage: cvex validator --registry <addr> [--policy policy.json] [--evidence-url URL]… [--evidence-dir DIR] "
                                         "[--chain ask_ark.pem] [--trust-sim-root] [--from-block N] [--once] [--rpc-url URL]");
    auto registry = chain::Address::parse(*registry_text);
    if (!registry) throw UsageError("--registry '" + *registry_text + "': " + chain::to_string(registry.error()));

    cvex::attest::ValidatorOptions o;
    if (const std::string* p = flag_value(args, "--policy")) {
        auto policy = cvex::attest::load_snp_policy(*p);
        if (!policy) throw UsageError("--policy: " + policy.error().message());
        o.policy = *policy;
    }
    for (size_t i = 0; i + 1 < args.size(); ++i)
        if (args[i] == "--evidence-url") o.evidence_urls.push_back(args[i + 1]);
    if (const std::string* d = flag_value(args, "--evidence-dir")) o.evidence_dir = *d;
    if (o.evidence_urls.empty() && o.evidence_dir.empty()) throw UsageError("no evidence source: pass --evidence-url or --evidence-dir");
    if (const std::string* c = flag_value(args, "--chain")) o.chain_pem = read_file(*c, "--chain");
    o.trust_sim_root = has_flag(args, "--trust-sim-root");
    if (const std::string* f = flag_value(args, "--from-block")) {
        auto n = chain::U256::parse(*f);
        if (!n || !n->fits_u64()) throw UsageError("--from-block: not a block number: " + *f);
        o.from_block = n->low_u64();
    }

    std::string url;
    if (const std::string* u = flag_value(args, "--rpc-url")) url = *u;
    else if (const char* env = std::getenv("ETH_RPC_URL"); env && *env) url = env;
    else throw UsageError("no RPC URL: pass --rpc-url or set ETH_RPC_URL");
    auto eth = chain::EthClient::connect(url);
    if (!eth) throw UsageError("--rpc-url: " + eth.error());
    std::shared_ptr<chain::EthClient> client(std::move(*eth));
    auto key = std::make_shared<chain::LocalKey>(key_from_env());
    auto sender = chain::Sender::create(client, key);
    if (!sender) throw UsageError("validator key/chain: " + sender.error().text());
    std::shared_ptr<chain::Sender> shared_sender(std::move(*sender));

    cvex::attest::RegistryClient reg(*registry, client, shared_sender);
    auto is_validator = reg.is_validator(key->address());
    if (!is_validator) throw UsageError("registry " + registry->checksum_hex() + ": " + is_validator.error().what);
    if (!*is_validator) std::cerr << "warning: " << key->address().checksum_hex() << " is not a validator of this registry; approvals will revert\n";
    if (o.trust_sim_root) std::cerr << "warning: --trust-sim-root: SIMULATED attestation roots are trusted (development only)\n";

    auto log = [&out](const std::string& line) { cvex::write_log_line(out, "validator", line); };
    cvex::attest::Validator validator(reg, o, log);
    log(key->address().checksum_hex() + " watching " + registry->checksum_hex() + " from block " + std::to_string(o.from_block));
    if (has_flag(args, "--once")) {
        auto n = validator.poll_once();
        if (!n) {
            std::cerr << "error: " << n.error() << "\n";
            return kFailed;
        }
        return kOk;
    }
    std::signal(SIGINT, [](int) { g_stop = true; });
    std::signal(SIGTERM, [](int) { g_stop = true; });
    validator.run([] { return g_stop.load(); });
    return kOk;
}

const CommandRegistrar validator{{"validator", "--registry <addr> [--policy FILE] [--evidence-url URL]… [--evidence-dir DIR] [--trust-sim-root] [--once]",
                                  "Verify every attestation registration and approve on-chain only what passes (key: CVEX_PRIVATE_KEY)",
                                  run_validator}};

}  // namespace
}  // namespace cvex::cli
