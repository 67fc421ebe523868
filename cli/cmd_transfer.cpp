// `cvex transfer <to> <amount>`: a plain ether transfer signed with CVEX_PRIVATE_KEY — how an
// operator funds a guest's freshly born key (scripts/devnet.sh does this for cvex-enclave).
#include <ostream>

#include "cli/amount.hpp"
#include "cli/chain_args.hpp"

namespace cvex::cli {
namespace {

int run_transfer(const Args& args, std::ostream& out) {
    const Args pos = positional(args, {"--rpc-url"});
    if (pos.size() != 2) throw UsageError("usage: cvex transfer <to> <amount> [--rpc-url URL]  (amount: wei, or e.g. 1.5ether, 20gwei)");
    const chain::Address to = parse_address_arg(pos[0], "to");
    const chain::U256 value = parse_amount(pos[1], "amount");
    auto sender = sender_from_env(rpc_client_from(args));
    // Estimated: 21,000 to an account without code, more if `to` is a contract that runs on receipt.
    auto r = sender->send_and_wait(chain::TxRequest{to, value, {}, std::nullopt});
    if (!r) {
        out << "error: " << r.error().message() << "\n";
        return kFailed;
    }
    out << "Transferred " << value.dec() << " wei to " << to.checksum_hex() << " in " << r->transaction_hash.hex() << "\n";
    return kOk;
}

const CommandRegistrar transfer{{"transfer", "<to> <amount> [--rpc-url URL]", "Send ether with CVEX_PRIVATE_KEY (amount in wei, or 1.5ether, 20gwei)",
                                 run_transfer}};

}  // namespace
}  // namespace cvex::cli
