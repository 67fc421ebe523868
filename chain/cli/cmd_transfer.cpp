// `cvex transfer <to> <amount>`: a plain ether transfer signed with CVEX_PRIVATE_KEY — how an
// operator funds a guest's freshly born key (scripts/devnet.sh does this for cvex-enclave).
#include <cstdlib>
#include <ostream>

#include "chain/cli/amount.hpp"
#include "chain/cli/command.hpp"
#include "chain/local_key.hpp"
#include "chain/sender.hpp"

namespace cvex::cli {
namespace {

int run_transfer(const Args& args, std::ostream& out) {
    const Args pos = positional(args, {"--rpc-url"});
    if (pos.size() != 2) throw UsageError("usage: cvex transfer <to> <amount> [--rpc-url URL]  (amount: wei, or e.g. 1.5ether, 20gwei)");
    auto to = chain::Address::parse(pos[0]);
    if (!to) throw UsageError("to '" + pos[0] + "': " + chain::to_string(to.error()));
    const chain::U256 value = parse_amount(pos[1], "amount");
    std::string url;
    if (const std::string* u = flag_value(args, "--rpc-url")) url = *u;
    else if (const char* env = std::getenv("ETH_RPC_URL"); env && *env) url = env;
    else throw UsageError("no RPC URL: pass --rpc-url or set ETH_RPC_URL");
    auto client = chain::EthClient::connect(url);
    if (!client) throw UsageError("--rpc-url: " + client.error());
    auto key = chain::LocalKey::from_hex(require_env("CVEX_PRIVATE_KEY"));
    if (!key) throw UsageError("CVEX_PRIVATE_KEY: not a valid secp256k1 secret key");
    auto sender = chain::Sender::create(std::shared_ptr<chain::EthClient>(std::move(*client)),
                                        std::make_shared<chain::LocalKey>(std::move(*key)));
    if (!sender) throw std::runtime_error(sender.error().text());
    // Estimated: 21,000 to an account without code, more if `to` is a contract that runs on receipt.
    auto r = (*sender)->send_and_wait(chain::TxRequest{*to, value, {}, std::nullopt});
    if (!r) {
        out << "error: " << r.error().text() << "\n";
        return kFailed;
    }
    out << "Transferred " << value.dec() << " wei to " << to->checksum_hex() << " in " << r->transaction_hash.hex() << "\n";
    return kOk;
}

const CommandRegistrar transfer{{"transfer", "<to> <amount> [--rpc-url URL]", "Send ether with CVEX_PRIVATE_KEY (amount in wei, or 1.5ether, 20gwei)",
                                 run_transfer}};

}  // namespace
}  // namespace cvex::cli
