// `cvex validator`: verifies every registration in the AttestationRegistry and approves on-chain
// only what passes (enclave-app/validator.hpp). The validator's key comes from CVEX_PRIVATE_KEY.
#include <atomic>
#include <csignal>
#include <iostream>

#include "base/bounded_read.hpp"
#include "attest/cert/snp_crl.hpp"
#include "cli/chain_args.hpp"
#include "cli/command.hpp"
#include "cli/strict_args.hpp"
#include "chain/crypto/local_key.hpp"
#include "base/log_line.hpp"
#include "attest/validator/validator.hpp"
#include "attest/verify/image_manifest.hpp"

namespace cvex::cli {

chain::LocalKey key_from_env();  // cmd_tx.cpp

namespace {

std::atomic<bool> g_stop{false};

constexpr const char* kUsage =
    "cvex validator --registry <addr> [--policy default|permissive|FILE] [--crl crl.der] [--evidence-url URL]… [--evidence-dir DIR] "
    "[--image manifest.json]… [--chain ask_ark.pem] [--trust-sim-root] [--from-block N] [--once] [--rpc-url URL]";

std::string read_small(const std::string& path, const char* flag) {
    auto r = read_bounded(path, kMaxSmallInput, flag);
    if (!r) throw UsageError(r.error().message());
    return std::move(*r);
}

chain::Address parse_registry(const ParsedArgs& a) {
    const std::string* registry_text = a.get("--registry");
    if (!registry_text) throw UsageError(std::string("--registry is required\nusage: ") + kUsage);
    auto registry = chain::Address::parse(*registry_text);
    if (!registry) throw UsageError("--registry '" + *registry_text + "': " + chain::to_string(registry.error()));
    return *registry;
}

// What the validator trusts and where it reads evidence from, from the flags.
attest::ValidatorOptions parse_validator_options(const ParsedArgs& a) {
    attest::ValidatorOptions o;
    // No --policy is the default policy (VMPL 0, no debug, AMD's TCB floors), never none.
    auto policy = attest::resolve_snp_policy(a.get("--policy") ? *a.get("--policy") : "default");
    if (!policy) throw UsageError("--policy: " + policy.error().message());
    o.policy = *policy;
    // Trust decision: an --image adds the MEASUREMENT its manifest computed from the image's files
    // to the allowed ones (and makes the allow-list binding), never one a guest reports.
    for (const std::string& path : a.all("--image")) {
        auto manifest = attest::load_image_manifest(path);
        if (!manifest) throw UsageError("--image: " + manifest.error().message());
        o.policy.measurements.push_back(manifest->measurement);
    }
    o.evidence_urls = a.all("--evidence-url");
    if (const std::string* d = a.get("--evidence-dir")) o.evidence_dir = *d;
    if (o.evidence_urls.empty() && o.evidence_dir.empty()) throw UsageError("no evidence source: pass --evidence-url or --evidence-dir");
    if (const std::string* c = a.get("--chain")) o.chain_pem = read_small(*c, "--chain");
    if (const std::string* c = a.get("--crl")) {
        o.crl = read_small(*c, "--crl");
        auto parsed = attest::SnpCrl::parse(cvex::as_view(o.crl));
        if (!parsed) throw UsageError("--crl " + printable_path(*c) + ": " + parsed.error().message());
    }
    o.trust_sim_root = a.has("--trust-sim-root");
    if (const std::string* f = a.get("--from-block")) {
        auto n = chain::U256::parse(*f);
        if (!n || !n->fits_u64()) throw UsageError("--from-block: not a block number: " + *f);
        o.from_block = n->low_u64();
    }
    return o;
}

// Says on stderr what would make this validator's approvals revert or weaker than AMD's defaults.
void warn_about_setup(attest::RegistryClient& reg, const chain::Address& registry, const chain::Address& validator_address,
                      const attest::ValidatorOptions& o) {
    auto is_validator = reg.is_validator(validator_address);
    if (!is_validator) throw UsageError("registry " + registry.checksum_hex() + ": " + is_validator.error().message());
    if (!*is_validator) std::cerr << "warning: " << validator_address.checksum_hex() << " is not a validator of this registry; approvals will revert\n";
    if (o.trust_sim_root) std::cerr << "warning: --trust-sim-root: SIMULATED attestation roots are trusted (development only)\n";
    if (o.policy.permissive) std::cerr << "WARNING: policy 'permissive' is the development profile: any VMPL, debug guests and any TCB are approved\n";
    else if (o.policy.allow_debug) std::cerr << "WARNING: the policy in force ALLOWS DEBUG guests: the host can read their memory\n";
}

// One pass over the registrations with --once, else until SIGINT or SIGTERM.
int run_until_done(attest::Validator& validator, bool once) {
    if (once) {
        auto n = validator.poll_once();
        if (!n) {
            std::cerr << "error: " << n.error().message() << "\n";
            return kFailed;
        }
        return kOk;
    }
    std::signal(SIGINT, [](int) { g_stop = true; });
    std::signal(SIGTERM, [](int) { g_stop = true; });
    validator.run([] { return g_stop.load(); });
    return kOk;
}

int run_validator(const Args& args, std::ostream& out) {
    // Strict options (cli/strict_args.hpp): a validator's decision must not hinge on which of two
    // --policy values, or on an empty one, was meant.
    const ParsedArgs a = parse_args(args, {{"--registry", "--policy", "--crl", "--evidence-dir", "--chain", "--from-block", "--rpc-url"},
                                           {"--evidence-url", "--image"},
                                           {"--trust-sim-root", "--once"},
                                           0,
                                           0,
                                           kUsage});
    const chain::Address registry = parse_registry(a);
    const attest::ValidatorOptions o = parse_validator_options(a);

    std::shared_ptr<chain::EthClient> client = rpc_client_from(a.get("--rpc-url"));
    auto key = std::make_shared<chain::LocalKey>(key_from_env());
    auto sender = chain::Sender::create(client, key);
    if (!sender) throw UsageError("validator key/chain: " + sender.error().message());
    std::shared_ptr<chain::Sender> shared_sender(std::move(*sender));

    attest::RegistryClient reg(registry, client, shared_sender);
    warn_about_setup(reg, registry, key->address(), o);
    auto log = [&out](const std::string& line) { cvex::write_log_line(out, "validator", line); };
    attest::Validator validator(reg, o, log);
    log(key->address().checksum_hex() + " watching " + registry.checksum_hex() + " from block " + std::to_string(o.from_block) +
        " with policy " + o.policy.name + (o.policy.permissive ? " (PERMISSIVE: development only)" : "") + (o.crl.empty() ? "" : ", with a CRL"));
    return run_until_done(validator, a.has("--once"));
}

const CommandRegistrar validator{{"validator",
                                  "--registry <addr> [--policy default|permissive|FILE] [--crl FILE] [--image manifest.json]… [--evidence-url URL]… [--evidence-dir DIR] "
                                  "[--chain FILE] [--trust-sim-root] [--from-block N] [--once] [--rpc-url URL]",
                                  "Verify every attestation registration and approve on-chain only what passes (key: CVEX_PRIVATE_KEY)",
                                  run_validator}};

}  // namespace
}  // namespace cvex::cli
