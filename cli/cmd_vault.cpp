// `cvex vault deploy` and `cvex vault status`: a GuardedVault over a `cvex dex deploy` deployment,
// configured through its timelock, and its state as JSON. As the other chain commands: the RPC URL
// from --rpc-url or ETH_RPC_URL, the owner's key from CVEX_PRIVATE_KEY (never printed).
#include <fstream>
#include <iostream>
#include <limits>
#include <ostream>

#include "cli/amount.hpp"
#include "cli/chain_args.hpp"
#include "cli/command.hpp"
#include "cli/deploy/vault_deployer.hpp"
#include "cli/deploy/vault_status.hpp"
#include "chain/rpc/contract.hpp"

namespace cvex::cli {

namespace {

const std::initializer_list<std::string_view> kDeployFlags = {
    "--rpc-url",         "--root",     "--out",      "--dex",           "--registry",        "--measurement",     "--guardian",
    "--deposit-a",       "--deposit-b", "--refill-a", "--refill-b",      "--refill-period",   "--max-per-trade-a", "--max-per-trade-b",
    "--max-slippage-bps", "--min-twap-window", "--max-twap-window"};
const std::initializer_list<std::string_view> kStatusFlags = {"--rpc-url", "--root", "--vault", "--from-block"};

template <class Int>
Int small_int(const std::string& text, const char* flag) {
    const uint64_t v = parse_u64(text, flag);
    if (v > std::numeric_limits<Int>::max()) throw UsageError(std::string(flag) + ": " + text + " is too large");
    return static_cast<Int>(v);
}

int run_deploy(const Args& args, std::ostream& out) {
    check_flags(args, kDeployFlags, {}, "vault deploy");
    auto need = [&](const char* flag) -> const std::string& {
        const std::string* v = flag_value(args, flag);
        if (!v) throw UsageError(std::string("vault deploy: ") + flag + " is required");
        return *v;
    };
    auto amount = [&](const char* flag, chain::U256& into) {
        if (const std::string* v = flag_value(args, flag)) into = parse_amount(*v, flag);
    };
    VaultOptions o;
    if (const std::string* root = flag_value(args, "--root")) o.root = *root;
    o.registry = parse_address_arg(need("--registry"), "--registry");
    auto measurement = cvex::from_hex(need("--measurement"));
    if (!measurement) throw UsageError("--measurement: not valid hex");
    o.measurement = std::move(*measurement);
    if (const std::string* g = flag_value(args, "--guardian")) o.guardian = parse_address_arg(*g, "--guardian");
    amount("--deposit-a", o.deposit_a);
    amount("--deposit-b", o.deposit_b);
    amount("--max-per-trade-a", o.limits_a.max_per_trade);
    amount("--max-per-trade-b", o.limits_b.max_per_trade);
    // One epoch's allowance: it refills by refill_amount per period and never holds more.
    amount("--refill-a", o.limits_a.refill_amount);
    amount("--refill-b", o.limits_b.refill_amount);
    o.limits_a.max_balance = o.limits_a.refill_amount;
    o.limits_b.max_balance = o.limits_b.refill_amount;
    if (const std::string* v = flag_value(args, "--refill-period"))
        o.limits_a.refill_period = o.limits_b.refill_period = small_int<uint32_t>(*v, "--refill-period");
    if (const std::string* v = flag_value(args, "--max-slippage-bps")) o.max_slippage_bps = small_int<uint16_t>(*v, "--max-slippage-bps");
    if (const std::string* v = flag_value(args, "--min-twap-window")) o.min_twap_window = small_int<uint32_t>(*v, "--min-twap-window");
    if (const std::string* v = flag_value(args, "--max-twap-window")) o.max_twap_window = small_int<uint32_t>(*v, "--max-twap-window");
    if (auto valid = validate_vault_options(o); !valid) throw UsageError("vault deploy: " + valid.error().message());
    auto dex = load_dex_deployment(need("--dex"));
    if (!dex) throw UsageError("--dex " + dex.error().message());
    const std::string* out_path = flag_value(args, "--out");

    auto artifact = load_vault_artifact(o.root);
    if (!artifact) throw UsageError("vault deploy: " + artifact.error().message());
    auto client = rpc_client_from(args);
    // The Sender decodes the vault's custom errors in any revert (ChangeNotReady(…), …).
    auto sender = sender_from_env(client, artifact->errors);
    // Unusable input (a short owner, a wrong chain or registry) is found before the first transaction.
    if (auto ready = check_vault_prerequisites(client, sender->address(), sender->chain_id(), *dex, o); !ready)
        throw UsageError("vault deploy: " + ready.error().message());
    auto deployed = deploy_vault(client, sender, *dex, o);
    if (!deployed) {
        std::cerr << "error: vault deploy: " << deployed.error().message() << "\n";
        return kFailed;
    }
    const std::string text = vault_deployment_to_json(*deployed).dump(2) + "\n";
    if (out_path) {
        std::ofstream f(*out_path, std::ios::trunc);
        if (!(f << text) || !f.flush()) {
            std::cerr << "error: vault deploy: cannot write " << *out_path << "\n";
            return kFailed;
        }
    }
    out << text;
    return kOk;
}

int run_status(const Args& args, std::ostream& out) {
    check_flags(args, kStatusFlags, {}, "vault status");
    const std::string* vault = flag_value(args, "--vault");
    if (!vault) throw UsageError("vault status: --vault is required");
    const chain::Address address = parse_address_arg(*vault, "--vault");
    const std::string* root = flag_value(args, "--root");
    auto artifact = load_vault_artifact(root ? *root : ".");
    if (!artifact) throw UsageError("vault status: " + artifact.error().message());
    const uint64_t from = flag_value(args, "--from-block") ? parse_u64(*flag_value(args, "--from-block"), "--from-block") : 0;

    auto status = vault_status(rpc_client_from(args), chain::ContractAbi::from_artifact(*artifact), address, from);
    if (!status) {
        std::cerr << "error: vault status: " << status.error().message() << "\n";
        return kFailed;
    }
    out << status->dump(2) << "\n";
    return kOk;
}

const CommandRegistrar deploy{
    {"vault deploy",
     "--dex FILE --registry ADDR --measurement 0x<48 bytes> [--guardian ADDR] [--deposit-a N] [--deposit-b N] [--max-per-trade-a N "
     "--max-per-trade-b N] [--refill-a N --refill-b N] [--refill-period S] [--max-slippage-bps N] [--min-twap-window S] "
     "[--max-twap-window S] [--out FILE] [--root DIR] [--rpc-url URL]",
     "Deploy a GuardedVault over a DEX deployment and configure it through its timelock (owner: CVEX_PRIVATE_KEY); prints the "
     "deployment JSON",
     run_deploy}};
const CommandRegistrar status{{"vault status", "--vault ADDR [--from-block N] [--root DIR] [--rpc-url URL]",
                               "A GuardedVault's balances, pause state, allowances left and minimum outs for 1-token trades, as JSON",
                               run_status}};

}  // namespace
}  // namespace cvex::cli
