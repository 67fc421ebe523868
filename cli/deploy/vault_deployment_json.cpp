// VaultDeployment as JSON: what `cvex vault deploy` prints (and writes with --out) for the
// operator, the devnet and the bots' config. Addresses EIP-55 checksummed, U256 values as decimal
// strings, the measurement id as 0x hex.
#include "cli/deploy/vault_deployer.hpp"

namespace cvex::cli {

namespace {

nlohmann::ordered_json limits_json(const VaultTokenLimits& l) {
    nlohmann::ordered_json j;
    j["max_per_trade"] = l.max_per_trade.dec();
    j["refill_amount"] = l.refill_amount.dec();
    j["refill_period"] = l.refill_period;
    j["max_balance"] = l.max_balance.dec();
    return j;
}

}  // namespace

nlohmann::ordered_json vault_deployment_to_json(const VaultDeployment& d) {
    nlohmann::ordered_json j;
    j["chain_id"] = d.chain_id;
    j["deploy_block"] = d.deploy_block;
    j["vault"] = d.vault.checksum_hex();
    j["owner"] = d.owner.checksum_hex();
    j["guardian"] = d.guardian.checksum_hex();
    j["registry"] = d.registry.checksum_hex();
    j["measurement_id"] = d.measurement_id.hex();
    j["registry_allows_measurement"] = d.registry_allows_measurement;
    j["tokens"] = {{"a", d.token_a.checksum_hex()}, {"b", d.token_b.checksum_hex()}, {"a_is_weth", d.token_a_is_weth}};
    nlohmann::ordered_json targets = nlohmann::ordered_json::array();
    for (const VaultTarget& t : d.targets)
        targets.push_back({{"address", t.address.checksum_hex()}, {"kind", to_string(t.kind)}, {"kind_id", static_cast<int>(t.kind)}});
    j["targets"] = std::move(targets);
    j["oracle_pair"] = d.oracle_pair.checksum_hex();
    j["limits"] = {{"a", limits_json(d.limits_a)}, {"b", limits_json(d.limits_b)}};
    j["price_guard"] = {{"max_slippage_bps", d.max_slippage_bps}, {"min_twap_window", d.min_twap_window}, {"max_twap_window", d.max_twap_window}};
    j["deposits"] = {{"a", d.deposit_a.dec()}, {"b", d.deposit_b.dec()}};
    j["twap"] = {{"ready_at", d.twap_ready_at},
                 {"time_advanced", d.time_advanced},
                 {"note", d.time_advanced ? "chain id 31337 (Anvil): time was advanced past min_twap_window with evm_increaseTime and "
                                            "the oracle poked; trades can be priced now"
                                          : "trades can be priced from ready_at (time was not advanced: not chain id 31337)"}};
    return j;
}

}  // namespace cvex::cli
