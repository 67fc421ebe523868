// `cvex vrf fulfilments`: every fulfilment of a coordinator, re-verified from chain data alone
// (oracle/fulfilment_record.hpp), one JSON object per line — what `scripts/devnet.sh --json`
// prints, so anyone can check each proof with `cvex vrf verify` or any RFC 9381 implementation.
// A failed callback carries `callback` {out_of_gas, revert_data, reason (decoded)}.
//
// Never a silent answer: with --request-id and no fulfilment to print it says why on stderr —
// exit 3 "pending (ready at block N)", exit 1 "no such request" (or cancelled, or fulfilled outside
// the block range), exit 2 "not a cvex coordinator".
#include <iostream>
#include <ostream>

#include "cli/amount.hpp"
#include "cli/chain_args.hpp"
#include "cli/vrf_request_args.hpp"
#include "oracle/fulfilment_record.hpp"
#include "oracle/request_status.hpp"

namespace cvex::cli {
namespace {

constexpr int kPending = 3;  // the request exists but is not fulfilled yet

// Why request `id` has no fulfilment in the range, as an exit code (the message on stderr).
int explain_missing(chain::EthClient& client, const chain::Address& coordinator, const chain::U256& id) {
    auto status = oracle::read_request_status(client, coordinator, id);
    if (!status) {
        if (status.error().kind == oracle::StatusError::kNotCoordinator) throw UsageError("--coordinator: " + status.error().message());
        throw std::runtime_error(status.error().message());
    }
    std::cerr << "request " << id.dec() << ": " << status->summary();
    switch (status->state) {
        case oracle::RequestState::kPending: std::cerr << "\n"; return kPending;
        case oracle::RequestState::kNone:
        case oracle::RequestState::kCancelled: std::cerr << "\n"; return kFailed;
        default: std::cerr << " (outside --from-block/--to-block)\n"; return kFailed;
    }
}

int run_fulfilments(const Args& args, std::ostream& out) {
    const VrfRequestArgs a = parse_vrf_request_args(args, {}, "vrf fulfilments", /*id_required=*/false);
    auto client = rpc_client_from(a.rest);
    uint64_t to = 0;
    if (const std::string* t = flag_value(a.rest, "--to-block")) {
        to = parse_u64(*t, "--to-block");
    } else {
        auto head = client->block_number();
        if (!head) throw UsageError("--rpc-url: " + head.error().message());
        to = *head;
    }
    const std::string* from = flag_value(a.rest, "--from-block");
    std::vector<chain::U256> ids;
    if (a.request_id) ids.push_back(*a.request_id);
    if (!a.request_id) {
        auto code = client->code(a.coordinator);
        if (code && code->empty()) throw UsageError("--coordinator: not a cvex coordinator: no contract at " + a.coordinator.checksum_hex());
    }
    auto records = oracle::read_fulfilments(*client, a.coordinator, from ? parse_u64(*from, "--from-block") : 0, to, ids);
    if (!records) {
        std::cerr << "error: " << records.error().message() << "\n";
        return kFailed;
    }
    for (const auto& r : *records) out << oracle::to_json_line(r) << "\n";
    if (a.request_id && records->empty()) return explain_missing(*client, a.coordinator, *a.request_id);
    return kOk;
}

const CommandRegistrar fulfilments{
    {"vrf fulfilments", "--coordinator 0x… [--request-id N] [--from-block N] [--to-block N] [--abi FILE] [--rpc-url URL]",
     "Fulfilments read back from the chain, each proof re-verified: one JSON object per line. With --request-id and none to print: exit 3 "
     "pending (ready at block N), 1 no such request, 2 not a cvex coordinator",
     run_fulfilments}};

}  // namespace
}  // namespace cvex::cli
