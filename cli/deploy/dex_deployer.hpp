// cvex's deployer for a real DEX on a development chain (Anvil): WETH9, Uniswap V2 (factory,
// Router02) and V3 (factory, SwapRouter, NonfungiblePositionManager with its descriptor,
// QuoterV2) from the compiled artifacts their npm packages ship — never recompiled, so the
// bytecode (and the pool init code hashes the routers have baked in) is the audited one — plus
// two of our own TestTokens (contracts/out), a V2 pair and a V3 pool (fee 3000) of them at the
// same price, each with liquidity, and funded test accounts.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "chain/types/address.hpp"
#include "chain/rpc/eth_client.hpp"
#include "base/expected.hpp"
#include "cli/deploy/deploy_error.hpp"
#include "chain/rpc/sender.hpp"
#include "chain/types/u256.hpp"

namespace cvex::cli {

struct DexTokenSpec {
    std::string name;
    std::string symbol;
    uint8_t decimals = 18;
};

/// n whole tokens of 18 decimals in base units (n · 10^18 < 2^128: it cannot wrap).
inline chain::U256 whole_tokens(uint64_t n) { return chain::U256(n).wrapping_mul(chain::U256(1'000'000'000'000'000'000ULL)); }

struct DexOptions {
    /// The checkout: artifacts are read from <root>/node_modules and <root>/contracts/out.
    std::string root = ".";
    DexTokenSpec token_a{"cvex Test Token A", "TKA", 18};
    DexTokenSpec token_b{"cvex Test Token B", "TKB", 18};
    /// V2 liquidity, in base units. Their ratio is the price of A in B for both pools.
    chain::U256 v2_amount_a = whole_tokens(1000);
    chain::U256 v2_amount_b = whole_tokens(2'500'000);
    /// Desired amounts for the full-range V3 position; the pool takes what fits its price.
    chain::U256 v3_amount_a = whole_tokens(1000);
    chain::U256 v3_amount_b = whole_tokens(2'500'000);
    /// Accounts that receive `fund_amount` of both tokens (the deployer keeps minting rights).
    std::vector<chain::Address> funded;
    chain::U256 fund_amount = whole_tokens(1'000'000);
    /// Token A is the deployed WETH9 instead of a TestToken (`token_a` then equals `weth`): the
    /// deployer wraps ETH (WETH9.deposit) for its liquidity and for every funded account, and
    /// transfers theirs, so a vault holding A counts its value in the unit its gas is paid in.
    /// The deployer needs that much ETH: a dev account holds 10,000.
    bool weth_as_a = false;
    /// Token A for each funded account; unset: `fund_amount`, or kWethFundAmount with weth_as_a.
    std::optional<chain::U256> fund_amount_a;
    /// The deployer is funded too, unless it is already in `funded` (a team deploys its vault
    /// with the same key next): `fund_amount` of each TestToken. With weth_as_a its WETH is not
    /// wrapped ahead: it holds the ether, and `cvex vault deploy` wraps what a deposit needs.
    bool fund_deployer = true;
};

/// Default WETH per funded account with weth_as_a (1,000,000 ETH would exceed any dev account).
inline const chain::U256 kWethFundAmount = whole_tokens(100);

struct DexDeployment {
    uint64_t chain_id = 0;
    /// The first block that can hold the deployment (log scans start here).
    uint64_t deploy_block = 0;
    chain::Address deployer;
    chain::Address weth, v2_factory, v2_router;
    chain::Address v3_factory, v3_swap_router, v3_position_manager, v3_quoter, v3_descriptor;
    chain::Address token_a, token_b;
    chain::Address v2_pair;  // token_a/token_b
    chain::Address v3_pool;  // token_a/token_b, fee v3_fee
    uint32_t v3_fee = 3000;
    chain::U256 v3_sqrt_price_x96;  // the pool's initial price, Q64.96
    int32_t v3_tick_lower = 0, v3_tick_upper = 0;
    chain::U256 v3_position_id;  // the NonfungiblePositionManager token of the full-range position
};

/// Addresses are written EIP-55 checksummed, U256 values as decimal strings.
nlohmann::ordered_json dex_deployment_to_json(const DexDeployment& d);
/// Every field is required; an error names the field and what is wrong with it
/// ("field \"v2_router\" is missing"); load_dex_deployment prefixes the path.
cvex::Expected<DexDeployment, DeployError> dex_deployment_from_json(const nlohmann::json& j);
cvex::Expected<DexDeployment, DeployError> load_dex_deployment(const std::string& path);

/// The options make sense and every artifact loads from `options.root` (and matches the init code
/// hashes the routers were compiled with): what deploy_dex checks before its first transaction.
cvex::Expected<void, DeployError> validate_dex_options(const DexOptions& options);

/// Deploys everything with `sender`'s key (it becomes the tokens' owner and holds the liquidity
/// positions). Checks, before returning, that the V2 pair and the V3 pool sit at the CREATE2
/// addresses the routers compute from their baked-in init code hashes.
cvex::Expected<DexDeployment, DeployError> deploy_dex(std::shared_ptr<chain::EthClient> client, std::shared_ptr<chain::Sender> sender,
                                                       const DexOptions& options);

/// floor(sqrt(amount1 / amount0) · 2^96): the Uniswap V3 sqrtPriceX96 of a pool whose reserves
/// are in that ratio (token1 per token0, base units). Amounts must be in (0, 2^112), as V2
/// reserves are, and the result within V3's [MIN_SQRT_RATIO, MAX_SQRT_RATIO).
cvex::Expected<chain::U256, DeployError> v3_sqrt_price_x96(const chain::U256& amount0, const chain::U256& amount1);

}  // namespace cvex::cli
