#include "cli/deploy/vault_deployer.hpp"

#include "cli/deploy/deploy_steps.hpp"

#include "chain/rpc/contract.hpp"
#include "chain/crypto/keccak.hpp"

namespace cvex::cli {

using chain::AbiValue;
using chain::Address;
using cvex::Bytes;
using chain::Contract;
using chain::ContractAbi;
using cvex::Expected;
using chain::U256;
using cvex::Unexpected;

namespace {

constexpr size_t kMeasurementLength = 48;    // AttestationRegistry.MEASUREMENT_LENGTH (SHA-384)
constexpr uint16_t kMaxSlippageBps = 1'000;  // GuardedVault.MAX_SLIPPAGE_BPS
// Hardhat and Anvil both answer chain id 31337 and both implement evm_increaseTime; no public
// network uses it, so time is only ever moved on a development node.
constexpr uint64_t kDevChainId = 31337;
// setOracle stores the pair's two current cumulative prices. A young pair's are still zero when
// estimated in the second of its last update, but nonzero once a later second has passed, so the
// estimate can miss two zero-to-nonzero stores: 2 × (SSTORE_SET 20,000 − the no-op's 100),
// EIP-2200 with EIP-2929's warm-access cost. Unused gas is refunded.
constexpr uint64_t kObservationWritesGas = 2 * (20'000 - 100);

const std::vector<std::string> kErc20 = {
    "balanceOf(address)(uint256)",
    "approve(address,uint256)(bool)",
    "deposit()",  // WETH9 only: wraps msg.value for msg.sender
    "error InsufficientBalance(address account, uint256 balance, uint256 needed)",  // TestToken's
    "error InsufficientAllowance(address spender, uint256 allowance, uint256 needed)",
};
const std::vector<std::string> kRegistry = {"isMeasurementAllowed(bytes32)(bool)"};


AbiValue limits_value(const VaultTokenLimits& l) {  // IGuardedVault.TokenLimits, `allowed` first
    return AbiValue::List{true, l.max_per_trade, l.refill_amount, U256(l.refill_period), l.max_balance};
}

constexpr uint32_t kMaxRefillPeriod = (1u << 24) - 1;

Expected<void, DeployError> check_limits(const VaultTokenLimits& l, const char* token) {
    const U256 limit = U256(1) << 96;  // TokenLimits packs its amounts as uint96
    const std::pair<const char*, const U256*> fields[] = {
        {"max per trade", &l.max_per_trade}, {"refill amount", &l.refill_amount}, {"max balance", &l.max_balance}};
    for (const auto& [name, value] : fields)
        if (*value >= limit) return deploy_failure(std::string("token ") + token + " " + name + " " + value->dec() + " does not fit in uint96");
    if (l.max_per_trade.is_zero()) return deploy_failure(std::string("token ") + token + " max per trade must be positive");
    if (l.refill_period > kMaxRefillPeriod)  // GuardedVault packs the period as uint24
        return deploy_failure(std::string("token ") + token + " refill period " + std::to_string(l.refill_period) + " s is above GuardedVault's " +
                              std::to_string(kMaxRefillPeriod) + " s (194 days)");
    return {};
}

// Each step of the deployment names itself in its error; governance goes through the timelock.
class Steps : public DeploySteps {
public:
    using DeploySteps::DeploySteps;

    // A governance change goes through the timelock like any later one: queue, then execute
    // (the delay is 0, so the next block may run it). `extra_gas` is added to the estimate and
    // the Sender's margin, for a change whose cost the estimate's block may understate.
    Expected<chain::Receipt, DeployError> govern(const Contract& vault, std::string_view f, const std::vector<AbiValue>& args,
                                                 uint64_t extra_gas = 0) const {
        auto call = vault.calldata(f, args);
        if (!call) return deploy_failure(call.error().message());
        if (auto q = transact(vault, "queue", {*call}); !q) return deploy_failure(std::string(f) + ": " + q.error().message());
        std::optional<uint64_t> gas_limit;
        if (extra_gas > 0) {
            auto limit = gas_limit_with(extra_gas, vault, "execute", {*call});
            if (!limit) return deploy_failure(std::string(f) + ": " + limit.error().message());
            gas_limit = *limit;
        }
        auto e = transact(vault, "execute", {*call}, U256(0), gas_limit);
        if (!e) return deploy_failure(std::string(f) + ": " + e.error().message());
        return *e;
    }
    Expected<uint64_t, DeployError> timestamp_of(uint64_t block) const {
        auto b = client().block_by_number(chain::BlockTag::number(block));
        if (!b) return deploy_failure("block " + std::to_string(block) + ": " + b.error().message());
        if (!*b) return deploy_failure("block " + std::to_string(block) + ": the node has none");
        return (*b)->timestamp;
    }
};

// The owner approves and deposits `amount`; WETH the owner lacks is wrapped first.
Expected<void, DeployError> fund(const Steps& s, const Contract& vault, const Contract& token, const U256& amount, bool is_weth,
                                 const Address& owner, const char* name) {
    if (amount.is_zero()) return {};
    auto held = s.call(token, "balanceOf", {owner});
    if (!held) return Unexpected{held.error()};
    const U256 balance = (*held)[0].word();
    if (balance < amount) {
        if (!is_weth)
            return deploy_failure(std::string("deposit of token ") + name + ": the owner holds " + balance.dec() + " of the " + amount.dec() +
                                  " needed (fund it, e.g. `cvex dex deploy --fund <owner>`)");
        if (auto r = s.transact(token, "deposit", {}, *amount.checked_sub(balance)); !r) return Unexpected{r.error()};
    }
    if (auto r = s.transact(token, "approve", {vault.address(), amount}); !r) return Unexpected{r.error()};
    if (auto r = s.transact(vault, "deposit", {token.address(), amount}); !r) return Unexpected{r.error()};
    return {};
}

}  // namespace

const char* to_string(VaultTradeKind kind) {
    switch (kind) {
        case VaultTradeKind::kUniswapV2Router: return "UniswapV2Router";
        case VaultTradeKind::kUniswapV3Router: return "UniswapV3Router";
        case VaultTradeKind::kUniswapV2Pair: return "UniswapV2Pair";
        case VaultTradeKind::kUniswapV3Pool: return "UniswapV3Pool";
    }
    return "?";
}

Expected<chain::ContractArtifact, DeployError> load_vault_artifact(const std::string& root) {
    auto a = chain::ContractArtifact::load(root + "/contracts/out/GuardedVault.sol/GuardedVault.json");
    if (!a) return deploy_failure(a.error().message() + " (run forge build in contracts/, or pass the checkout as --root)");
    if (a->bytecode.empty()) return deploy_failure("GuardedVault.json: no bytecode");
    return *a;
}

Expected<void, DeployError> validate_vault_options(const VaultOptions& o) {
    if (o.measurement.size() != kMeasurementLength)
        return deploy_failure("measurement: " + std::to_string(o.measurement.size()) + " bytes, expected 48 (an SEV-SNP MEASUREMENT)");
    if (o.registry == Address{}) return deploy_failure("registry: the zero address");
    if (auto ok = check_limits(o.limits_a, "A"); !ok) return ok;
    if (auto ok = check_limits(o.limits_b, "B"); !ok) return ok;
    if (o.max_slippage_bps > kMaxSlippageBps)
        return deploy_failure("max slippage " + std::to_string(o.max_slippage_bps) + " bps is above GuardedVault's 1000");
    if (o.min_twap_window == 0) return deploy_failure("min TWAP window must be positive");
    if (o.max_twap_window < o.min_twap_window) return deploy_failure("max TWAP window is below the min TWAP window");
    if (auto a = load_vault_artifact(o.root); !a) return Unexpected{a.error()};
    return {};
}

Expected<VaultDeployment, DeployError> deploy_vault(std::shared_ptr<chain::EthClient> client, std::shared_ptr<chain::Sender> sender,
                                                    const DexDeployment& dex, const VaultOptions& o) {
    if (auto ok = validate_vault_options(o); !ok) return deploy_failure("vault options: " + ok.error().message());
    if (dex.chain_id != sender->chain_id())
        return deploy_failure("the DEX deployment is for chain " + std::to_string(dex.chain_id) + ", the node is chain " +
                              std::to_string(sender->chain_id()));
    const Steps s(client, sender);
    for (const auto& [what, at] : {std::pair{"registry", o.registry}, std::pair{"DEX v2_pair", dex.v2_pair}}) {
        auto code = client->code(at);
        if (!code) return deploy_failure(std::string("eth_getCode: ") + code.error().message());
        if (code->empty()) return deploy_failure(std::string("no code at the ") + what + " " + at.checksum_hex());
    }

    VaultDeployment out;
    out.chain_id = sender->chain_id();
    out.owner = sender->address();
    out.guardian = o.guardian.value_or(out.owner);
    out.registry = o.registry;
    out.measurement_id = chain::keccak256(o.measurement);
    out.token_a = dex.token_a;
    out.token_b = dex.token_b;
    out.token_a_is_weth = dex.token_a == dex.weth;
    out.targets = {{dex.v2_router, VaultTradeKind::kUniswapV2Router},
                   {dex.v3_swap_router, VaultTradeKind::kUniswapV3Router},
                   {dex.v2_pair, VaultTradeKind::kUniswapV2Pair},
                   {dex.v3_pool, VaultTradeKind::kUniswapV3Pool}};
    out.oracle_pair = dex.v2_pair;
    out.limits_a = o.limits_a;
    out.limits_b = o.limits_b;
    out.max_slippage_bps = o.max_slippage_bps;
    out.min_twap_window = o.min_twap_window;
    out.max_twap_window = o.max_twap_window;
    out.deposit_a = o.deposit_a;
    out.deposit_b = o.deposit_b;

    auto allowed = s.call(s.bind("AttestationRegistry", kRegistry, o.registry), "isMeasurementAllowed", {AbiValue(out.measurement_id)});
    if (!allowed) return Unexpected{allowed.error()};
    out.registry_allows_measurement = (*allowed)[0].boolean();

    auto artifact = load_vault_artifact(o.root);
    if (!artifact) return Unexpected{artifact.error()};
    auto head = client->block_number();
    if (!head) return deploy_failure("eth_blockNumber: " + head.error().message());
    out.deploy_block = *head + 1;
    auto deployed = Contract::deploy(*artifact, {out.owner, out.guardian, out.registry, U256(0)}, client, sender);
    if (!deployed) return deploy_failure(deployed.error().message());
    const Contract& vault = *deployed;
    out.vault = vault.address();

    // Configuration, each change through the timelock; the price guard before the oracle, whose
    // pokes read the minimum window.
    if (auto r = s.govern(vault, "setMeasurement", {AbiValue(out.measurement_id), true}); !r) return Unexpected{r.error()};
    for (const VaultTarget& t : out.targets)
        if (auto r = s.govern(vault, "setTarget", {t.address, U256(static_cast<uint64_t>(t.kind))}); !r) return Unexpected{r.error()};
    if (auto r = s.govern(vault, "setTokenLimits", {out.token_a, limits_value(o.limits_a)}); !r) return Unexpected{r.error()};
    if (auto r = s.govern(vault, "setTokenLimits", {out.token_b, limits_value(o.limits_b)}); !r) return Unexpected{r.error()};
    if (auto r = s.govern(vault, "setPriceGuard", {U256(o.max_slippage_bps), U256(o.min_twap_window), U256(o.max_twap_window)}); !r)
        return Unexpected{r.error()};
    auto oracle = s.govern(vault, "setOracle", {dex.v2_pair}, kObservationWritesGas);
    if (!oracle) return Unexpected{oracle.error()};
    auto observed_at = s.timestamp_of(oracle->block_number);  // setOracle records the first observation
    if (!observed_at) return Unexpected{observed_at.error()};
    out.twap_ready_at = *observed_at + o.min_twap_window;

    const Contract token_a = s.bind("TokenA", kErc20, out.token_a), token_b = s.bind("TokenB", kErc20, out.token_b);
    if (auto r = fund(s, vault, token_a, o.deposit_a, out.token_a_is_weth, out.owner, "A"); !r) return Unexpected{r.error()};
    if (auto r = fund(s, vault, token_b, o.deposit_b, false, out.owner, "B"); !r) return Unexpected{r.error()};

    // The reference price needs an observation at least min_twap_window old. A live chain gets
    // there by waiting; a development node is moved there at once, so its bots can trade now.
    if (out.chain_id == kDevChainId) {
        auto& rpc = s.client().rpc();
        if (auto r = rpc.call("evm_increaseTime", nlohmann::json::array({o.min_twap_window})); !r)
            return deploy_failure("evm_increaseTime: " + r.error().message());
        if (auto r = s.client().evm_mine(); !r) return deploy_failure("evm_mine: " + r.error().message());
        if (auto r = s.transact(vault, "pokeOracle", {dex.v2_pair}); !r) return Unexpected{r.error()};
        const U256 one_a = whole_tokens(1);
        if (auto r = s.call(vault, "minAmountOutFor", {out.token_a, out.token_b, one_a}); !r)
            return deploy_failure("the TWAP is still unusable after advancing time: " + r.error().message());
        out.time_advanced = true;
    }
    return out;
}

}  // namespace cvex::cli
