// cvex's deployer for a GuardedVault (contracts/src/vault/GuardedVault.sol) over a DEX deployment
// (dex_deployer.hpp): deploys the vault with a zero timelock delay, configures it through that
// timelock (queue + execute, as any later change must go), funds it, and makes its TWAP
// reference usable. The key that deploys is the vault's owner.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/deploy/dex_deployer.hpp"
#include "chain/rpc/contract_artifact.hpp"
#include "chain/types/hash.hpp"

namespace cvex::cli {

/// IGuardedVault.TokenLimits, with maxBalance (the cap on the refilling allowance) spelled out.
struct VaultTokenLimits {
    chain::U256 max_per_trade;
    chain::U256 refill_amount;  // allowance added per refill_period
    uint32_t refill_period = 0;  // seconds; 0 = never refills
    chain::U256 max_balance;    // the allowance never exceeds this; setTokenLimits starts it full
};

/// IGuardedVault.TradeKind.
enum class VaultTradeKind : uint8_t { kUniswapV2Router = 1, kUniswapV3Router = 2, kUniswapV2Pair = 3, kUniswapV3Pool = 4 };
const char* to_string(VaultTradeKind kind);

struct VaultTarget {
    chain::Address address;
    VaultTradeKind kind;
};

struct VaultOptions {
    /// The checkout: the GuardedVault artifact is read from <root>/contracts/out.
    std::string root = ".";
    chain::Address registry;
    /// The SEV-SNP MEASUREMENT (48 bytes, AMD SEV-SNP ABI, ATTESTATION_REPORT offset 0x90); the
    /// vault allows its id keccak256(measurement), as AttestationRegistry computes it.
    cvex::Bytes measurement;
    std::optional<chain::Address> guardian;  // default: the owner
    /// Deposited by the owner (whose balance must hold them; token A, if WETH, is wrapped as needed).
    chain::U256 deposit_a = whole_tokens(10);
    chain::U256 deposit_b = whole_tokens(25'000);
    /// Defaults sized for the DEX defaults (1 A = 2500 B): a trade of at most 1 A or 2500 B, and
    /// five of them per hour.
    VaultTokenLimits limits_a{whole_tokens(1), whole_tokens(5), 3600, whole_tokens(5)};
    VaultTokenLimits limits_b{whole_tokens(2'500), whole_tokens(12'500), 3600, whole_tokens(12'500)};
    /// The price guard; the defaults are GuardedVault's constructor's.
    uint16_t max_slippage_bps = 50;
    uint32_t min_twap_window = 600;
    uint32_t max_twap_window = 2 * 24 * 3600;
};

struct VaultDeployment {
    uint64_t chain_id = 0;
    uint64_t deploy_block = 0;  // the first block that can hold the vault (log scans start here)
    chain::Address vault, owner, guardian, registry;
    chain::Hash32 measurement_id;
    bool registry_allows_measurement = false;  // at deployment; the registry may allow it later
    chain::Address token_a, token_b;
    bool token_a_is_weth = false;
    std::vector<VaultTarget> targets;
    chain::Address oracle_pair;
    VaultTokenLimits limits_a, limits_b;
    uint16_t max_slippage_bps = 0;
    uint32_t min_twap_window = 0, max_twap_window = 0;
    chain::U256 deposit_a, deposit_b;
    /// The first timestamp at which the TWAP spans min_twap_window (setOracle's block + window).
    uint64_t twap_ready_at = 0;
    /// Only on chain id 31337 (Anvil): the deployer advanced time past the window with
    /// evm_increaseTime and poked the oracle, so trades can be priced at once.
    bool time_advanced = false;
};

/// Addresses EIP-55, U256 values as decimal strings, the measurement id as 0x hex.
nlohmann::ordered_json vault_deployment_to_json(const VaultDeployment& d);

/// The options make sense (48-byte measurement, limits within uint96, slippage ≤ 1000 bps, a
/// non-empty TWAP window range) and the GuardedVault artifact loads: what deploy_vault checks
/// before its first transaction.
cvex::Expected<void, DeployError> validate_vault_options(const VaultOptions& options);

/// Before any transaction: the DEX deployment is this chain's, the registry and the pair have
/// code, and `owner` holds ether for the gas and each deposit (token A, if WETH, also as ether to
/// wrap). The error says what is short and how to fix it.
cvex::Expected<void, DeployError> check_vault_prerequisites(std::shared_ptr<chain::EthClient> client, const chain::Address& owner,
                                                            uint64_t chain_id, const DexDeployment& dex, const VaultOptions& options);

/// Deploys GuardedVault(owner = sender, guardian, registry, delay 0); allows the measurement; the
/// deployment's V2 router, V3 SwapRouter and V2 pair as targets; both tokens' limits; the V2 pair
/// as the oracle; the price guard — each through queue + execute. Then deposits, and on chain
/// 31337 only advances time past min_twap_window and pokes the oracle.
cvex::Expected<VaultDeployment, DeployError> deploy_vault(std::shared_ptr<chain::EthClient> client, std::shared_ptr<chain::Sender> sender,
                                                           const DexDeployment& dex, const VaultOptions& options);

/// The GuardedVault artifact under `root` (contracts/out/GuardedVault.sol/GuardedVault.json).
cvex::Expected<chain::ContractArtifact, DeployError> load_vault_artifact(const std::string& root);

}  // namespace cvex::cli
