// `cvex dex deploy` and `cvex dex swap`: a real Uniswap V2 + V3 DEX on a development chain, and
// one swap through it. As the other chain commands: the RPC URL from --rpc-url or ETH_RPC_URL,
// the signing key from CVEX_PRIVATE_KEY (never printed).
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <ostream>

#include "chain/cli/amount.hpp"
#include "chain/cli/command.hpp"
#include "chain/cli/dex_deployer.hpp"
#include "chain/cli/dex_swap.hpp"
#include "chain/local_key.hpp"

namespace cvex::cli {

chain::LocalKey key_from_env();  // cmd_tx.cpp

namespace {

const std::initializer_list<std::string_view> kDeployFlags = {"--rpc-url",     "--out",         "--root", "--amount-a",   "--amount-b",
                                                              "--v3-amount-a", "--v3-amount-b", "--fund", "--fund-amount"};
const std::initializer_list<std::string_view> kSwapFlags = {"--rpc-url", "--deployment", "--venue", "--token-in", "--amount", "--min-out",
                                                            "--recipient"};

// Every argument must be one of `flags` followed by its value: a mistyped option is an error,
// not silently a default.
void check_args(const Args& args, std::initializer_list<std::string_view> flags, const std::string& command) {
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        const std::string name = a.substr(0, a.find('='));
        if (std::find(flags.begin(), flags.end(), name) == flags.end())
            throw UsageError(command + ": unexpected argument '" + (a.rfind("--", 0) == 0 ? name : a) + "' (see `cvex help`)");
        if (name == a) ++i;  // "--flag value"; flag_value reports a missing value
    }
}

std::shared_ptr<chain::EthClient> client_from(const Args& args) {
    std::string url;
    if (const std::string* u = flag_value(args, "--rpc-url")) url = *u;
    else if (const char* env = std::getenv("ETH_RPC_URL"); env && *env) url = env;
    else throw UsageError("no RPC URL: pass --rpc-url or set ETH_RPC_URL");
    auto c = chain::EthClient::connect(url);
    if (!c) throw UsageError("--rpc-url: " + c.error());
    return std::shared_ptr<chain::EthClient>(std::move(*c));
}

std::shared_ptr<chain::Sender> sender_from(std::shared_ptr<chain::EthClient> client) {
    auto key = std::make_shared<chain::LocalKey>(key_from_env());
    auto s = chain::Sender::create(std::move(client), std::move(key));
    if (!s) throw std::runtime_error(s.error().text());
    return std::shared_ptr<chain::Sender>(std::move(*s));
}

chain::Address address_arg(const std::string& text, const std::string& what) {
    auto a = chain::Address::parse(text);
    if (!a) throw UsageError(what + " '" + text + "': " + chain::to_string(a.error()));
    return *a;
}

int run_deploy(const Args& args, std::ostream& out) {
    check_args(args, kDeployFlags, "dex deploy");
    DexOptions o;
    if (const std::string* root = flag_value(args, "--root")) o.root = *root;
    if (const std::string* v = flag_value(args, "--amount-a")) o.v2_amount_a = o.v3_amount_a = parse_amount(*v, "--amount-a");
    if (const std::string* v = flag_value(args, "--amount-b")) o.v2_amount_b = o.v3_amount_b = parse_amount(*v, "--amount-b");
    if (const std::string* v = flag_value(args, "--v3-amount-a")) o.v3_amount_a = parse_amount(*v, "--v3-amount-a");
    if (const std::string* v = flag_value(args, "--v3-amount-b")) o.v3_amount_b = parse_amount(*v, "--v3-amount-b");
    if (const std::string* v = flag_value(args, "--fund-amount")) o.fund_amount = parse_amount(*v, "--fund-amount");
    for (size_t i = 0; i < args.size(); ++i) {  // --fund repeats
        if (args[i] == "--fund" && i + 1 < args.size()) o.funded.push_back(address_arg(args[i + 1], "--fund"));
        else if (args[i].rfind("--fund=", 0) == 0) o.funded.push_back(address_arg(args[i].substr(7), "--fund"));
    }
    const std::string* out_path = flag_value(args, "--out");
    if (auto valid = validate_dex_options(o); !valid) throw UsageError("dex deploy: " + valid.error());

    auto client = client_from(args);
    auto deployed = deploy_dex(client, sender_from(client), o);
    if (!deployed) {
        std::cerr << "error: dex deploy: " << deployed.error() << "\n";
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
    check_args(args, kSwapFlags, "dex swap");
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
    if (const std::string* v = flag_value(args, "--recipient")) req.recipient = address_arg(*v, "--recipient");
    auto deployment = load_dex_deployment(need("--deployment"));
    if (!deployment) throw UsageError("--deployment " + deployment.error());

    auto client = client_from(args);
    auto swapped = dex_swap(client, sender_from(client), *deployment, req);
    if (!swapped) {
        std::cerr << "error: dex swap: " << swapped.error() << "\n";
        return kFailed;
    }
    out << dex_swap_to_json(req, *swapped).dump(2) << "\n";
    return kOk;
}

const CommandRegistrar deploy{{"dex deploy",
                               "[--out FILE] [--root DIR] [--amount-a N --amount-b N] [--v3-amount-a N] [--v3-amount-b N] [--fund ADDR]… "
                               "[--fund-amount N] [--rpc-url URL]",
                               "Deploy WETH, Uniswap V2 + V3 and two test tokens with pools and liquidity (CVEX_PRIVATE_KEY); prints the "
                               "deployment JSON",
                               run_deploy}};
const CommandRegistrar swap{{"dex swap", "--deployment FILE --venue v2|v3 --token-in A|B --amount N [--min-out N] [--recipient ADDR] [--rpc-url URL]",
                             "Swap through the V2 or V3 router of a deployment (approving first); prints gas used and amount out",
                             run_swap}};

}  // namespace
}  // namespace cvex::cli
