// A vault's trading record from the chain alone, so it survives any restart of any bot: every
// Traded event, the gas each trade's transaction cost the key that sent it, and the PnL in parts
// (bot_pnl.hpp), in the base token:
// - realised: what the trades earned, each sale of the other token against the cost of the units
//   it sold (last in, first out); the inventory held at `from_block` enters at that block's
//   reference price, pinned there;
// - revaluation: the inventory left, at the valuation price of `valuation_block` (stated), less
//   its cost;
// - gas: what the trades' transactions cost in wei, beside them (and in base units, with a net
//   realised figure, when the caller says how many base units one ether is worth).
// Prices are the vault's own TWAP reference (minAmountOutFor's referenceOut for 10^18 units of the
// other token), or the oracle pair's spot price when no TWAP is available at that block.
// `cvex bot report --vault` prints it; the bots' /metrics carries the same figures.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "bots/bot_error.hpp"
#include "chain/rpc/eth_client.hpp"
#include "bots/report/pnl.hpp"

namespace cvex::bots {

struct ReportedTrade {
    chain::Hash32 tx;
    uint64_t block = 0;
    chain::Address enclave, target, token_in, token_out;
    chain::U256 amount_in, amount_out;
    uint64_t gas_used = 0;
    chain::U256 gas_cost_wei;
    SignedU256 realised;      // this trade's realised PnL (zero for a purchase)
    chain::U256 value_after;  // the vault's value in the base token after this block
};

/// A price of the other token in base-token units per 10^18 of it, at a block.
struct ReferencePrice {
    uint64_t block = 0;
    chain::U256 per_unit;
    bool from_twap = true;  // false when the oracle pair's spot price stood in
};

/// The figures of one enclave key (one guest's bots) within the report.
struct EnclaveFigures {
    chain::Address enclave;
    size_t trades = 0;
    SignedU256 realised;
    uint64_t gas_used = 0;
    chain::U256 gas_spent_wei;
};

struct VaultReport {
    chain::Address vault, base_token, other_token;
    uint64_t from_block = 0, to_block = 0;
    std::vector<ReportedTrade> trades;
    std::vector<EnclaveFigures> by_enclave;
    uint64_t gas_used = 0;
    chain::U256 gas_spent_wei;
    ReferencePrice opening_price, valuation_price;
    chain::U256 opening_inventory;   // the other token held at from_block
    SignedU256 realised;
    chain::U256 inventory, inventory_cost, inventory_value;  // the ledger's position at the end
    SignedU256 revaluation;
    std::optional<chain::U256> base_per_native;  // when given: gas in base units and net realised
    chain::U256 value_start, value_end;           // the vault's whole value at from_block, to_block
    bool value_from_twap = true;

    /// Gas in base-token units (needs base_per_native).
    std::optional<chain::U256> gas_in_base() const;
    /// realised − gas, in base-token units (needs base_per_native).
    std::optional<SignedU256> net_realised() const;
    std::string json() const;
};

struct ReportOptions {
    uint64_t from_block = 0;                 // 0: the block before the first Traded event
    std::optional<uint64_t> to_block;        // default: the latest block
    std::optional<uint64_t> valuation_block; // default: to_block
    std::optional<chain::U256> base_per_native;
};

cvex::Expected<VaultReport, BotError> vault_report(std::shared_ptr<chain::EthClient> client, const chain::Address& vault,
                                                    const chain::Address& base_token, const chain::Address& other_token,
                                                    const ReportOptions& options = {});

/// The vault's whole value in the base token at `block`: its base balance plus its other-token
/// balance at that block's reference price; `from_twap` turns false when a spot price stood in.
cvex::Expected<chain::U256, BotError> vault_value(std::shared_ptr<chain::EthClient> client, const chain::Address& vault,
                                                  const chain::Address& base, const chain::Address& other, uint64_t block, bool& from_twap);

/// Closes the books at the end of a range (the report's and the backtest's alike): realised PnL,
/// the inventory left and its revaluation at `valuation_block`'s reference price, and the vault's
/// value at `r.to_block`; `twap` as the earlier values left it.
cvex::Expected<void, BotError> close_books(VaultReport& r, const PnlLedger& ledger, std::shared_ptr<chain::EthClient> client,
                                           uint64_t valuation_block, bool twap);

/// The vault's reference price of `other` in `base` at `block` (see above).
cvex::Expected<ReferencePrice, BotError> reference_price(std::shared_ptr<chain::EthClient> client, const chain::Address& vault,
                                                          const chain::Address& base, const chain::Address& other, uint64_t block);

}  // namespace cvex::bots
