// What a GuardedVault holds and would accept now, read from the chain alone (`cvex vault
// status`): its roles and pause state, each token it was ever configured for (its
// TokenLimitsSet events) with balance, limits and the allowance left, and for each oracle pair
// (its OracleSet events) the minimum out it would accept for a 1-token trade both ways.
#pragma once

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "chain/rpc/contract.hpp"
#include "cli/deploy/deploy_error.hpp"

namespace cvex::cli {

/// Everything is read at one block (the latest when called) so the figures agree; events are
/// scanned from `from_block`. A minAmountOutFor that reverts (the TWAP window is still too short,
/// or stale) is reported as {"error": "TwapWindowTooShort(…)"}, not as a failure.
cvex::Expected<nlohmann::ordered_json, DeployError> vault_status(std::shared_ptr<chain::EthClient> client, const chain::ContractAbi& vault_abi,
                                                                  const chain::Address& vault, uint64_t from_block = 0);

}  // namespace cvex::cli
