// PnL in parts (bot_pnl.hpp): realised from round trips and sales, revaluation apart from it.
#include <catch2/catch.hpp>

#include "bots/report/pnl.hpp"

using namespace cvex;
using namespace cvex::bots;
using chain::U256;

namespace {

const chain::Address kBase = *chain::Address::parse("0x00000000000000000000000000000000000000aa");
const chain::Address kOther = *chain::Address::parse("0x00000000000000000000000000000000000000bb");
const chain::Address kThird = *chain::Address::parse("0x00000000000000000000000000000000000000cc");

SignedU256 s(uint64_t v, bool negative = false) { return SignedU256{U256(v), negative}; }

}  // namespace

TEST_CASE("pnl: an arbitrage round trip realises exactly base out minus base in, whatever the opening inventory cost") {
    PnlLedger l(kBase, kOther);
    l.open(U256(50'000), U256(20));  // 50,000 other bought at 20 base: a price far from today's
    REQUIRE(l.apply(kBase, kOther, U256(1'000), U256(2'500'000)));  // leg 1: buy
    auto sell = l.apply(kOther, kBase, U256(2'500'000), U256(1'013));  // leg 2: sell what leg 1 bought
    REQUIRE(sell);
    CHECK(sell->realised == s(13));
    CHECK(l.realised() == s(13));
    CHECK(l.position() == U256(50'000));  // the inventory is as it was
    CHECK(l.cost_basis() == U256(20));
}

TEST_CASE("pnl: a losing round trip realises a loss") {
    PnlLedger l(kBase, kOther);
    REQUIRE(l.apply(kBase, kOther, U256(1'000), U256(2'000)));
    auto sell = l.apply(kOther, kBase, U256(2'000), U256(990));
    REQUIRE(sell);
    CHECK(sell->realised == s(10, true));
    CHECK(l.realised().dec() == "-10");
}

TEST_CASE("pnl: sales match the latest purchases first, then the opening inventory at its pinned cost") {
    PnlLedger l(kBase, kOther);
    l.open(U256(100), U256(1'000));                              // 10 base each
    REQUIRE(l.apply(kBase, kOther, U256(1'200), U256(100)));      // 12 each
    auto first = l.apply(kOther, kBase, U256(150), U256(1'650));  // 11 each: 100 at 12, 50 at 10
    REQUIRE(first);
    CHECK(first->realised == s(50, true));  // 1650 − 1200 − 500
    CHECK(l.position() == U256(50));
    CHECK(l.cost_basis() == U256(500));
}

TEST_CASE("pnl: revaluation is the inventory at a price less its cost, and leaves realised alone") {
    PnlLedger l(kBase, kOther);
    l.open(U256(1'000'000'000'000'000'000ULL), U256(2'000));  // 1e18 other at 2000 base
    const auto before = l.realised();
    CHECK(l.revaluation(value_at_price(l.position(), U256(2'100))) == s(100));
    CHECK(l.revaluation(value_at_price(l.position(), U256(1'900))) == s(100, true));
    CHECK(l.realised() == before);
}

TEST_CASE("pnl: units sold beyond what the ledger knows realise nothing and are reported") {
    PnlLedger l(kBase, kOther);
    REQUIRE(l.apply(kBase, kOther, U256(100), U256(10)));  // 10 each
    auto sell = l.apply(kOther, kBase, U256(20), U256(300));  // 15 each: 10 known, 10 not
    REQUIRE(sell);
    CHECK(sell->unmatched == U256(10));
    CHECK(sell->realised == s(50));  // only the 10 known units: 150 − 100
    CHECK(l.position().is_zero());
}

TEST_CASE("pnl: a trade of another pair is refused and changes nothing") {
    PnlLedger l(kBase, kOther);
    l.open(U256(10), U256(10));
    CHECK_FALSE(l.apply(kThird, kBase, U256(1), U256(1)));
    CHECK_FALSE(l.apply(kBase, kBase, U256(1), U256(1)));
    CHECK(l.position() == U256(10));
    CHECK(l.realised() == s(0));
}

TEST_CASE("pnl: signed sums") {
    SignedU256 a = s(5);
    a -= s(7);
    CHECK(a.dec() == "-2");
    a += s(2);
    CHECK(a.dec() == "0");
    CHECK(a == s(0, true));
    CHECK(SignedU256::diff(U256(3), U256(10)).dec() == "-7");
}
