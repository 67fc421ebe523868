// One swap through a deployed DEX's routers (see dex_deployer.hpp): Uniswap V2's
// swapExactTokensForTokens or V3's SwapRouter.exactInputSingle, approving the router first when
// the allowance is short. Tests measure gas with it; the devnet uses it to open price gaps
// between the two pools.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "cli/deploy/dex_deployer.hpp"
#include "chain/types/hash.hpp"

namespace cvex::cli {

enum class DexVenue { kV2, kV3 };

struct DexSwapRequest {
    DexVenue venue = DexVenue::kV2;
    bool a_to_b = true;  // token A in, token B out; false: the reverse
    chain::U256 amount_in;
    chain::U256 min_out;                   // the router reverts below it
    std::optional<chain::Address> recipient;  // default: the sender
};

struct DexSwapResult {
    chain::Hash32 tx;
    uint64_t block = 0;
    uint64_t gas_used = 0;  // the swap transaction alone
    chain::Address token_in, token_out, recipient;
    chain::U256 amount_in, amount_out;  // amount_out: token_out's Transfer events to the recipient
    std::optional<chain::Hash32> approve_tx;  // when an approval had to be sent first
};

/// Checks that the deployment belongs to the sender's chain and that the router has code there,
/// that the sender holds `amount_in`, then approves (if needed) and swaps.
cvex::Expected<DexSwapResult, DeployError> dex_swap(std::shared_ptr<chain::EthClient> client, std::shared_ptr<chain::Sender> sender,
                                                     const DexDeployment& deployment, const DexSwapRequest& request);

nlohmann::ordered_json dex_swap_to_json(const DexSwapRequest& request, const DexSwapResult& result);

}  // namespace cvex::cli
