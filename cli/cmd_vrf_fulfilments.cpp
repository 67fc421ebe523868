// `cvex vrf fulfilments`: every fulfilment of a coordinator, re-verified from chain data alone
// (oracle/fulfilment_record.hpp), one JSON object per line — what `scripts/devnet.sh --json`
// prints, so anyone can check each proof with `cvex vrf verify` or any RFC 9381 implementation.
#include <ostream>

#include "cli/amount.hpp"
#include "cli/chain_args.hpp"
#include "oracle/fulfilment_record.hpp"

namespace cvex::cli {
namespace {

int run_fulfilments(const Args& args, std::ostream& out) {
    check_flags(args, {"--rpc-url", "--coordinator", "--request-id", "--from-block", "--to-block"}, {}, "vrf fulfilments");
    const std::string* coord = flag_value(args, "--coordinator");
    if (!coord) throw UsageError("--coordinator is required");
    const chain::Address coordinator = parse_address_arg(*coord, "--coordinator");
    auto client = rpc_client_from(args);
    std::vector<chain::U256> ids;
    if (const std::string* id = flag_value(args, "--request-id")) ids.push_back(parse_amount(*id, "--request-id"));
    uint64_t to = 0;
    if (const std::string* t = flag_value(args, "--to-block")) {
        to = parse_u64(*t, "--to-block");
    } else {
        auto head = client->block_number();
        if (!head) throw UsageError("--rpc-url: " + head.error().text());
        to = *head;
    }
    const std::string* from = flag_value(args, "--from-block");
    auto records = oracle::read_fulfilments(*client, coordinator, from ? parse_u64(*from, "--from-block") : 0, to, ids);
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
