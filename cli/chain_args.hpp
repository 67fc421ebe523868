// Arguments every chain-writing command shares (`cvex dex …`, `cvex vault …`): a strict flag
// check, the node from --rpc-url or ETH_RPC_URL, the signing key from CVEX_PRIVATE_KEY (never
// printed), and addresses given on the command line.
#pragma once

#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "chain/encoding/abi_type.hpp"
#include "chain/types/address.hpp"
#include "cli/command.hpp"
#include "chain/rpc/eth_client.hpp"
#include "chain/rpc/sender.hpp"

namespace cvex::cli {

/// Every argument must be one of `valued` followed by its value ("--flag v" or "--flag=v") or one
/// of `switches`: a mistyped option is a UsageError naming it, never silently a default.
void check_flags(const Args& args, std::initializer_list<std::string_view> valued, std::initializer_list<std::string_view> switches,
                 const std::string& command);

/// The node of --rpc-url, else ETH_RPC_URL; UsageError when neither is given or the URL is bad.
std::shared_ptr<chain::EthClient> rpc_client_from(const Args& args);
/// The same for a command with its own option parser: `rpc_url_flag` is --rpc-url's value or null.
std::shared_ptr<chain::EthClient> rpc_client_from(const std::string* rpc_url_flag);

/// A Sender for CVEX_PRIVATE_KEY on `client`'s chain; `known_errors` decode reverts.
std::shared_ptr<chain::Sender> sender_from_env(std::shared_ptr<chain::EthClient> client, std::vector<chain::AbiSignature> known_errors = {});

/// An address argument (EIP-55 checked when mixed case); UsageError naming `what` otherwise.
chain::Address parse_address_arg(const std::string& text, const std::string& what);

}  // namespace cvex::cli
