#include "bots/report/pnl.hpp"

#include "bots/math/full_math.hpp"

namespace cvex::bots {

using chain::U256;
using cvex::Unexpected;

namespace {

const U256 kUnit = U256(1'000'000'000'000'000'000ULL);

}  // namespace

SignedU256 SignedU256::diff(const U256& a, const U256& b) {
    if (a >= b) return SignedU256{*a.checked_sub(b), false};
    return SignedU256{*b.checked_sub(a), true};
}

SignedU256& SignedU256::operator+=(const SignedU256& o) {
    if (negative == o.negative) {
        magnitude = magnitude.checked_add(o.magnitude).value_or(U256::max());
    } else if (magnitude >= o.magnitude) {
        magnitude = *magnitude.checked_sub(o.magnitude);
    } else {
        magnitude = *o.magnitude.checked_sub(magnitude);
        negative = o.negative;
    }
    if (magnitude.is_zero()) negative = false;
    return *this;
}

SignedU256& SignedU256::operator-=(const SignedU256& o) {
    SignedU256 n = o;
    if (!n.magnitude.is_zero()) n.negative = !n.negative;
    return *this += n;
}

bool SignedU256::operator==(const SignedU256& o) const {
    return magnitude == o.magnitude && (negative == o.negative || magnitude.is_zero());
}

std::string SignedU256::dec() const { return (negative && !magnitude.is_zero() ? "-" : "") + magnitude.dec(); }

void PnlLedger::open(const U256& amount, const U256& cost) {
    if (!amount.is_zero()) lots_.insert(lots_.begin(), Lot{amount, cost});
}

cvex::Expected<PnlEntry, PnlError> PnlLedger::apply(const chain::Address& in, const chain::Address& out, const U256& amount_in,
                                                     const U256& amount_out) {
    PnlEntry e;
    if (in == base_ && out == other_) {
        // A purchase: a new lot at what it cost. Nothing is realised.
        lots_.push_back(Lot{amount_out, amount_in});
        return e;
    }
    if (in != other_ || out != base_) return Unexpected{PnlError{"a trade of " + in.checksum_hex() + " for " + out.checksum_hex() + " is not between the ledger's tokens"}};
    // A sale: its cost is that of the latest lots first (LIFO).
    U256 left = amount_in, cost;
    while (!left.is_zero() && !lots_.empty()) {
        Lot& lot = lots_.back();
        if (lot.amount <= left) {
            left = *left.checked_sub(lot.amount);
            cost = cost.checked_add(lot.cost).value_or(U256::max());
            lots_.pop_back();
            continue;
        }
        // Part of a lot: its cost pro rata, rounded up so a sale never looks better than it was.
        const U256 part = mul_div_rounding_up(lot.cost, left, lot.amount).value_or(lot.cost);
        cost = cost.checked_add(part).value_or(U256::max());
        lot.cost = lot.cost >= part ? *lot.cost.checked_sub(part) : U256();
        lot.amount = *lot.amount.checked_sub(left);
        left = U256();
    }
    // Units the ledger never saw arrive (a deposit after the report's start): their cost is not
    // known, so they are counted at what they fetched and realise nothing.
    if (!left.is_zero()) {
        e.unmatched = left;
        const U256 proceeds_of_unmatched = mul_div(amount_out, left, amount_in).value_or(amount_out);
        cost = cost.checked_add(proceeds_of_unmatched).value_or(U256::max());
    }
    e.realised = SignedU256::diff(amount_out, cost);
    realised_ += e.realised;
    return e;
}

U256 PnlLedger::position() const {
    U256 p;
    for (const auto& l : lots_) p = p.checked_add(l.amount).value_or(U256::max());
    return p;
}

U256 PnlLedger::cost_basis() const {
    U256 c;
    for (const auto& l : lots_) c = c.checked_add(l.cost).value_or(U256::max());
    return c;
}

U256 value_at_price(const U256& amount, const U256& price_per_unit) { return mul_div(amount, price_per_unit, kUnit).value_or(U256::max()); }

}  // namespace cvex::bots
