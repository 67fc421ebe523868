// `cvex vrf fulfilments`: every fulfilment of a coordinator, re-verified from chain data alone
// (oracle/fulfilment_record.hpp), one JSON object per line — what `scripts/devnet.sh --json`
// prints, so anyone can check each proof with `cvex vrf verify` or any RFC 9381 implementation.
#include <cstdlib>
#include <ostream>

#include "chain/cli/command.hpp"
#include "oracle/fulfilment_record.hpp"

namespace cvex::cli {
namespace {

uint64_t block_arg(const Args& args, std::string_view flag, uint64_t fallback) {
    const std::string* v = flag_value(args, flag);
    if (!v) return fallback;
    if (v->empty() || v->size() > 19 || v->find_first_not_of("0123456789") != std::string::npos)
        throw UsageError(std::string(flag) + ": not a block number: '" + *v + "'");
    return std::stoull(*v);
}

int run_fulfilments(const Args& args, std::ostream& out) {
    std::string url;
    if (const std::string* u = flag_value(args, "--rpc-url")) url = *u;
    else if (const char* env = std::getenv("ETH_RPC_URL"); env && *env) url = env;
    else throw UsageError("no RPC URL: pass --rpc-url or set ETH_RPC_URL");
    const std::string* coord = flag_value(args, "--coordinator");
    if (!coord) throw UsageError("--coordinator is required");
    auto address = chain::Address::parse(*coord);
    if (!address) throw UsageError("--coordinator '" + *coord + "': " + chain::to_string(address.error()));
    auto client = chain::EthClient::connect(url);
    if (!client) throw UsageError("--rpc-url: " + client.error());
    std::vector<chain::U256> ids;
    if (const std::string* id = flag_value(args, "--request-id")) {
        auto v = chain::U256::parse(*id);
        if (!v) throw UsageError("--request-id: not a number: '" + *id + "'");
        ids.push_back(*v);
    }
    uint64_t to = 0;
    if (flag_value(args, "--to-block")) {
        to = block_arg(args, "--to-block", 0);
    } else {
        auto head = (*client)->block_number();
        if (!head) throw UsageError("--rpc-url: " + head.error().text());
        to = *head;
    }
    auto records = oracle::read_fulfilments(**client, *address, block_arg(args, "--from-block", 0), to, ids);
    if (!records) {
        out << "error: " << records.error() << "\n";
        return kFailed;
    }
    for (const auto& r : *records) out << oracle::to_json_line(r) << "\n";
    return kOk;
}

const CommandRegistrar fulfilments{{"vrf fulfilments", "--coordinator 0x… [--request-id N] [--from-block N] [--to-block N] [--rpc-url URL]",
                                    "Fulfilments read back from the chain, each proof re-verified: one JSON object per line",
                                    run_fulfilments}};

}  // namespace
}  // namespace cvex::cli
