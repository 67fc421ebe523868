// `cvex vrf status <requestId>`: where one request stands, from the chain alone
// (oracle/request_status.hpp) — waiting for confirmations, its key's oracle not attested or silent
// since block N, fulfilled with its callback's outcome decoded, cancelled — as one line, or as JSON.
// Exit codes: 0 the request exists (any state), 1 no such request, 2 unusable input (including an
// address that is not a cvex coordinator).
#include <iostream>
#include <ostream>

#include "cli/chain_args.hpp"
#include "cli/vrf_request_args.hpp"
#include "oracle/request_status.hpp"

namespace cvex::cli {
namespace {

int run_status(const Args& args, std::ostream& out) {
    const VrfRequestArgs a = parse_vrf_request_args(args, {"--json"}, "vrf status", /*id_required=*/true);
    auto client = rpc_client_from(a.rest);
    auto status = oracle::read_request_status(*client, a.coordinator, *a.request_id);
    if (!status) {
        if (status.error().kind == oracle::StatusError::kRpc) throw std::runtime_error(status.error().message());
        if (status.error().kind == oracle::StatusError::kNotCoordinator) throw UsageError("--coordinator: " + status.error().message());
        std::cerr << "error: request " << a.request_id->dec() << ": " << status.error().message() << "\n";
        return kFailed;
    }
    if (has_flag(a.rest, "--json")) out << status->to_json() << "\n";
    else out << "request " << a.request_id->dec() << ": " << status->summary() << "\n";
    return status->state == oracle::RequestState::kNone ? kFailed : kOk;
}

const CommandRegistrar status{{"vrf status",
                               "<requestId> --coordinator 0x… [--json] [--abi FILE] [--rpc-url URL]",
                               "Where a request stands: pending (ready at block N), its key's oracle and its last fulfilment, fulfilled "
                               "with the callback's decoded outcome, or cancelled. Exit 0 the request exists, 1 no such request, 2 not a "
                               "cvex coordinator or bad input",
                               run_status}};

}  // namespace
}  // namespace cvex::cli
