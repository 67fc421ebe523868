// A vault's trading record from the chain alone, so it survives any restart of any bot: every
// Traded event, the gas each trade's transaction cost, and the vault's value at the reference
// price (the vault's own TWAP reference, minAmountOutFor; the oracle pair's spot price when no
// TWAP is available at that block) before the first trade and after each one.
// `cvex bot report --vault` prints it; the guest's /metrics carries the same figures.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "chain/rpc/eth_client.hpp"

namespace cvex::bots {

struct ReportedTrade {
    chain::Hash32 tx;
    uint64_t block = 0;
    chain::Address enclave, target, token_in, token_out;
    chain::U256 amount_in, amount_out;
    uint64_t gas_used = 0;
    chain::U256 gas_cost_wei;
    chain::U256 value_after;  // the vault's value in the base token after this block
};

struct VaultReport {
    chain::Address vault, base_token, other_token;
    uint64_t from_block = 0, to_block = 0;
    std::vector<ReportedTrade> trades;
    uint64_t gas_used = 0;
    chain::U256 gas_spent_wei;
    chain::U256 value_start, value_end;  // in base-token units
    bool value_from_twap = true;         // false when a spot price had to stand in
    /// value_end − value_start, signed (a loss is negative).
    bool pnl_negative = false;
    chain::U256 pnl;
    std::string json() const;
};

/// The report for `vault` trading base/other over [from_block, to_block]; from_block 0 means
/// "the block before the first Traded event".
cvex::Expected<VaultReport, std::string> vault_report(std::shared_ptr<chain::EthClient> client, const chain::Address& vault,
                                                       const chain::Address& base_token, const chain::Address& other_token,
                                                       uint64_t from_block = 0, std::optional<uint64_t> to_block = std::nullopt);

}  // namespace cvex::bots
