// `cvex dex deploy` and `cvex dex swap`: a real Uniswap V2 + V3 DEX on a development chain, and
// one swap through it. As the other chain commands: the RPC URL from --rpc-url or ETH_RPC_URL,
// the signing key from CVEX_PRIVATE_KEY (never printed).
#include <fstream>
#include <iostream>
#include <ostream>

#include "cli/amount.hpp"
#include "cli/chain_args.hpp"
#include "cli/command.hpp"
#include "cli/deploy/dex_deployer.hpp"
#include "cli/deploy/dex_swap.hpp"

namespace cvex::cli {

namespace {

const std::initializer_list<std::string_view> kDeployFlags = {"--rpc-url",     "--out",         "--root", "--amount-a",    "--amount-b",
                                                              "--v3-amount-a", "--v3-amount-b", "--fund", "--fund-amount", "--fund-amount-a"};
const std::initializer_list<std::string_view> kSwapFlags = {"--rpc-url", "--deployment", "--venue", "--token-in", "--amount", "--min-out",
                                                            "--recipient"};

int run_deploy(const Args& args, std::ostream& out) {
    check_flags(args, kDeployFlags, {"--weth-as-a", "--no-fund-deployer"}, "dex deploy");
    DexOptions o;
    if (const std::string* root = flag_value(args, "--root")) o.root = *root;
    if (const std::string* v = flag_value(args, "--amount-a")) o.v2_amount_a = o.v3_amount_a = parse_amount(*v, "--amount-a");
    if (const std::string* v = flag_value(args, "--amount-b")) o.v2_amount_b = o.v3_amount_b = parse_amount(*v, "--amount-b");
    if (const std::string* v = flag_value(args, "--v3-amount-a")) o.v3_amount_a = parse_amount(*v, "--v3-amount-a");
    if (const std::string* v = flag_value(args, "--v3-amount-b")) o.v3_amount_b = parse_amount(*v, "--v3-amount-b");
    if (const std::string* v = flag_value(args, "--fund-amount")) o.fund_amount = parse_amount(*v, "--fund-amount");
    if (const std::string* v = flag_value(args, "--fund-amount-a")) o.fund_amount_a = parse_amount(*v, "--fund-amount-a");
    o.weth_as_a = has_flag(args, "--weth-as-a");
    o.fund_deployer = !has_flag(args, "--no-fund-deployer");
    for (size_t i = 0; i < args.size(); ++i) {  // --fund repeats
        if (args[i] == "--fund" && i + 1 < args.size()) o.funded.push_back(parse_address_arg(args[i + 1], "--fund"));
        else if (args[i].rfind("--fund=", 0) == 0) o.funded.push_back(parse_address_arg(args[i].substr(7), "--fund"));
    }
    const std::string* out_path = flag_value(args, "--out");
    if (auto valid = validate_dex_options(o); !valid) throw UsageError("dex deploy: " + valid.error().message());

    auto client = rpc_client_from(args);
    auto deployed = deploy_dex(client, sender_from_env(client), o);
    if (!deployed) {
        std::cerr << "error: dex deploy: " << deployed.error().message() << "\n";
        return kFailed;
    }
    const std::string text = dex_deployment_to_json(*deployed).dump(2) + "\n";
    if (out_path) {
        std::ofstream f(*out_path, std::ios::trunc);
        if (!(f << text) || !f.flush()) {
            std::cerr << "error: dex deploy: cannot write " << *out_path << "\n";
            return kFailed;
        }
    }
    out << text;
    return kOk;
}

int run_swap(const Args& args, std::ostream& out) {
    check_flags(args, kSwapFlags, {}, "dex swap");
    auto need = [&](const char* flag) -> const std::string& {
        const std::string* v = flag_value(args, flag);
        if (!v) throw UsageError(std::string("dex swap: ") + flag + " is required");
        return *v;
    };
    DexSwapRequest req;
    const std::string& venue = need("--venue");
    if (venue == "v2") req.venue = DexVenue::kV2;
    else if (venue == "v3") req.venue = DexVenue::kV3;
    else throw UsageError("--venue '" + venue + "': expected v2 or v3");
    const std::string& token = need("--token-in");
    if (token == "A" || token == "a") req.a_to_b = true;
    else if (token == "B" || token == "b") req.a_to_b = false;
    else throw UsageError("--token-in '" + token + "': expected A or B");
    req.amount_in = parse_amount(need("--amount"), "--amount");
    if (const std::string* v = flag_value(args, "--min-out")) req.min_out = parse_amount(*v, "--min-out");
    if (const std::string* v = flag_value(args, "--recipient")) req.recipient = parse_address_arg(*v, "--recipient");
    auto deployment = load_dex_deployment(need("--deployment"));
    if (!deployment) throw UsageError("--deployment " + deployment.error().message());

    auto client = rpc_client_from(args);
    auto swapped = dex_swap(client, sender_from_env(client), *deployment, req);
    if (!swapped) {
        std::cerr << "error: dex swap: " << swapped.error().message() << "\n";
        return kFailed;
    }
    out << dex_swap_to_json(req, *swapped).dump(2) << "\n";
    return kOk;
}

const CommandRegistrar deploy{{"dex deploy",
                               "[--out FILE] [--root DIR] [--amount-a N --amount-b N] [--v3-amount-a N] [--v3-amount-b N] [--fund ADDR]… "
                               "[--fund-amount N] [--fund-amount-a N] [--weth-as-a] [--no-fund-deployer] [--rpc-url URL]",
                               "Deploy WETH, Uniswap V2 + V3 and two test tokens (token A = WETH with --weth-as-a) with pools and "
                               "liquidity (CVEX_PRIVATE_KEY, funded with the test tokens unless --no-fund-deployer); prints the deployment JSON",
                               run_deploy}};
const CommandRegistrar swap{{"dex swap", "--deployment FILE --venue v2|v3 --token-in A|B --amount N [--min-out N] [--recipient ADDR] [--rpc-url URL]",
                             "Swap through the V2 or V3 router of a deployment (approving first); prints gas used and amount out",
                             run_swap}};

}  // namespace
}  // namespace cvex::cli
