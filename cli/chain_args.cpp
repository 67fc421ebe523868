#include "cli/chain_args.hpp"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

#include "chain/crypto/local_key.hpp"

namespace cvex::cli {

chain::LocalKey key_from_env();  // cmd_tx.cpp

void check_flags(const Args& args, std::initializer_list<std::string_view> valued, std::initializer_list<std::string_view> switches,
                 const std::string& command) {
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        const std::string name = a.substr(0, a.find('='));
        if (std::find(switches.begin(), switches.end(), a) != switches.end()) continue;
        if (std::find(valued.begin(), valued.end(), name) == valued.end())
            throw UsageError(command + ": unexpected argument '" + (a.rfind("--", 0) == 0 ? name : a) + "' (see `cvex help`)");
        if (name == a) ++i;  // "--flag value"; flag_value reports a missing value
    }
}

std::shared_ptr<chain::EthClient> rpc_client_from(const Args& args) { return rpc_client_from(flag_value(args, "--rpc-url")); }

std::shared_ptr<chain::EthClient> rpc_client_from(const std::string* rpc_url_flag) {
    std::string url;
    if (rpc_url_flag) url = *rpc_url_flag;
    else if (const char* env = std::getenv("ETH_RPC_URL"); env && *env) url = env;
    else throw UsageError("no RPC URL: pass --rpc-url or set ETH_RPC_URL");
    auto c = chain::EthClient::connect(url);
    if (!c) throw UsageError("--rpc-url: " + c.error().message());
    return std::shared_ptr<chain::EthClient>(std::move(*c));
}

std::shared_ptr<chain::Sender> sender_from_env(std::shared_ptr<chain::EthClient> client, std::vector<chain::AbiSignature> known_errors) {
    auto key = std::make_shared<chain::LocalKey>(key_from_env());
    chain::SenderOptions options;
    options.known_errors = std::move(known_errors);
    auto s = chain::Sender::create(std::move(client), std::move(key), std::move(options));
    if (!s) throw std::runtime_error(s.error().message());
    return std::shared_ptr<chain::Sender>(std::move(*s));
}

chain::Address parse_address_arg(const std::string& text, const std::string& what) {
    auto a = chain::Address::parse(text);
    if (!a) throw UsageError(what + " '" + text + "': " + chain::to_string(a.error()));
    return *a;
}

}  // namespace cvex::cli
