// PnL in parts, in the base token (issue 21): what trading actually earned, kept apart from what
// the inventory is worth at a price that moves. A vault holds the base token (the unit) and one
// other token; every trade either buys the other token with base or sells it for base.
// - Realised PnL: a sale of the other token earns its proceeds less the cost of the units sold.
//   Units are matched last in, first out, so an arbitrage's second leg is matched with its own
//   first leg and a round trip realises exactly base out − base in; a rebalancer's sale is matched
//   with its latest purchases, and then with the opening inventory.
// - The opening inventory (what the vault held before the first trade counted) enters as one lot
//   at the valuation price of the block the report starts at, pinned once: later prices never
//   change the realised figure, so the same trades give the same realised PnL at any later block.
// - Revaluation: the inventory left, at a valuation price pinned by block and stated, less its
//   cost. A whale moving the TWAP moves this figure only.
// Pure arithmetic, no I/O: the report (bot_report.hpp), the runner's paper mode and the backtest
// all account through it.
#pragma once

#include <string>
#include <vector>

#include "chain/types/address.hpp"
#include "base/expected.hpp"
#include "chain/types/u256.hpp"

namespace cvex::bots {

/// A signed amount of base-token units (a loss is negative).
struct SignedU256 {
    chain::U256 magnitude;
    bool negative = false;

    /// a − b.
    static SignedU256 diff(const chain::U256& a, const chain::U256& b);
    SignedU256& operator+=(const SignedU256& o);
    SignedU256& operator-=(const SignedU256& o);
    bool operator==(const SignedU256& o) const;
    /// Decimal, with a leading '-' for a negative non-zero amount.
    std::string dec() const;
};

/// What one trade did to the books.
struct PnlEntry {
    SignedU256 realised;           // zero for a purchase of the other token
    chain::U256 unmatched;         // other-token units sold beyond the inventory the ledger knows
};

struct PnlError {
    std::string detail;
    std::string message() const { return detail; }
};

class PnlLedger {
public:
    PnlLedger(chain::Address base, chain::Address other) : base_(base), other_(other) {}

    /// The inventory held before the first trade counted, at its cost in base-token units.
    void open(const chain::U256& amount, const chain::U256& cost);
    /// A trade between the two tokens; an error for any other pair (the ledger is left as it was).
    cvex::Expected<PnlEntry, PnlError> apply(const chain::Address& token_in, const chain::Address& token_out, const chain::U256& amount_in,
                                              const chain::U256& amount_out);

    const SignedU256& realised() const { return realised_; }
    /// Other-token units held according to the ledger, and what they cost in base-token units.
    chain::U256 position() const;
    chain::U256 cost_basis() const;
    /// The inventory's value at a price less its cost: `value` is position() at that price.
    SignedU256 revaluation(const chain::U256& value) const { return SignedU256::diff(value, cost_basis()); }

    const chain::Address& base() const { return base_; }
    const chain::Address& other() const { return other_; }

private:
    struct Lot {
        chain::U256 amount;  // other-token units
        chain::U256 cost;    // base-token units paid for them
    };
    chain::Address base_, other_;
    std::vector<Lot> lots_;  // oldest first; sales take from the back
    SignedU256 realised_;
};

/// `amount` of the other token at `price_per_unit` base units per 10^18 of it (rounded down).
chain::U256 value_at_price(const chain::U256& amount, const chain::U256& price_per_unit);

}  // namespace cvex::bots
