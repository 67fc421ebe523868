// The arguments `cvex vrf status` and `cvex vrf fulfilments` share: the coordinator, a request id
// (positional or --request-id), and `--abi FILE` whose custom errors are registered so a
// consumer's own revert reasons decode too.
#pragma once

#include <initializer_list>
#include <optional>
#include <string_view>

#include "chain/types/address.hpp"
#include "chain/types/u256.hpp"
#include "cli/command.hpp"

namespace cvex::cli {

struct VrfRequestArgs {
    chain::Address coordinator;
    std::optional<chain::U256> request_id;
    Args rest;  // the arguments without the positional request id
};

/// Parses and checks them (UsageError on anything unexpected); `switches` are extra flags the
/// command accepts besides --coordinator, --request-id, --abi, --rpc-url, --from-block, --to-block.
VrfRequestArgs parse_vrf_request_args(const Args& args, std::initializer_list<std::string_view> switches, const std::string& command,
                                      bool id_required);

}  // namespace cvex::cli
