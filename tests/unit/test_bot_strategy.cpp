// The strategies (enclave-app/bot_strategy.hpp): one behaviour per case, each on a market state
// built for it. Amounts are checked against the exact pool math (bot_math.hpp, itself checked
// against the chain in test_bot_math), optimality against the exact profit at ±1% of the size.
#include <catch2/catch.hpp>

#include <boost/multiprecision/cpp_int.hpp>

#include "chain/encoding/abi_codec.hpp"
#include "bots/math/full_math.hpp"
#include "bots/market/quote.hpp"
#include "bots/strategy/strategy.hpp"

using namespace cvex::bots;
using namespace cvex;
using namespace cvex::chain;
using boost::multiprecision::cpp_int;

namespace {

U256 u(const char* dec) { return *U256::parse(dec); }
U256 ether(uint64_t n) { return U256(n).wrapping_mul(U256(1'000'000'000'000'000'000ULL)); }
Address addr(const char* hex) { return *Address::parse(hex); }
cpp_int big(const U256& v) { return cpp_int(v.dec()); }

const Address kA = addr("0x5fbdb2315678afecb367f032d93f642f64180aa3");  // token0, the base token
const Address kB = addr("0xe7f1725e7734ce288f8367e1bb143e90bb3f0512");  // token1
const Address kPairDear = addr("0xaaaa00000000000000000000000000000000aaaa");
const Address kPairCheap = addr("0xbbbb00000000000000000000000000000000bbbb");
const Address kPoolV3 = addr("0xcccc00000000000000000000000000000000cccc");
const Address kRouterV2 = addr("0xdddd00000000000000000000000000000000dddd");
const Address kRouterV3 = addr("0xeeee00000000000000000000000000000000eeee");
const Address kVault = addr("0x1111111111111111111111111111111111111111");
constexpr uint64_t kNow = 1'750'000'000;

V2Pool pair(const Address& at, uint64_t a, uint64_t b) { return V2Pool{at, kA, kB, ether(a), ether(b), {1, 0}}; }

// A full-range V3 pool at 2500 B per A (sqrtPriceX96 = 50·2^96) whose known initialized ticks
// are the full range's ends: sizing is bounded by the bitmap word only.
V3Pool v3_pool(const U256& liquidity) {
    V3Pool p;
    p.address = kPoolV3;
    p.token0 = kA;
    p.token1 = kB;
    p.fee_pips = 3000;
    p.tick_spacing = 60;
    p.sqrt_price_x96 = u("3961408125713216879677197516800");
    p.tick = 78244;
    p.liquidity = liquidity;
    p.initialized_below = -887220;
    p.initialized_above = 887220;
    p.updated = {1, 0};
    return p;
}

// A vault that may trade: unpaused, attested for a day, ample balances, caps and allowances.
MarketState base_state() {
    MarketState s;
    s.block = BlockInfo{100, kNow, U256(1'000'000'000)};  // 1 gwei
    s.vault.address = kVault;
    s.vault.paused = false;
    s.vault.attestation_expiry = kNow + 86'400;
    s.vault.tokens = {VaultToken{kA, ether(1'000), ether(1'000), ether(1'000)},
                      VaultToken{kB, ether(3'000'000), ether(3'000'000), ether(3'000'000)}};
    return s;
}

// Pool "dear" pays 2600 B per A, pool "cheap" 2500: A is sold in the first, bought back in the second.
MarketState v2_gap_state() {
    MarketState s = base_state();
    s.v2_pools = {pair(kPairDear, 1'000, 2'600'000), pair(kPairCheap, 1'000, 2'500'000)};
    return s;
}

ArbitrageConfig v2_config() {
    ArbitrageConfig c;
    c.venue_a = Venue{kPairDear, TradeKind::kUniswapV2Router, kRouterV2};
    c.venue_b = Venue{kPairCheap, TradeKind::kUniswapV2Pair, kPairCheap};
    c.base_token = kA;
    c.min_profit = U256();
    c.base_per_native = ether(1);  // the base token is WETH-like
    c.slippage_bps = 30;
    c.deadline_s = 60;
    c.expiry_margin_s = 600;
    return c;
}

ArbitrageStrategy arbitrage(const ArbitrageConfig& c = v2_config()) { return std::move(*ArbitrageStrategy::create(c)); }

const BotEvent kSyncDear = V2SyncEvent{kPairDear, {}, {}, {2, 0}};

// The exact profit (base units) of a round trip of x: first pool sells the base token, second buys it back.
cpp_int round_trip_profit(const MarketState& s, const Address& first, const Address& second, const U256& x) {
    auto q1 = PoolQuote::of(s, first, kA);
    auto q2 = PoolQuote::of(s, second, kB);
    auto y = q1->amount_out(x);
    if (!y || y->is_zero()) return 0;
    auto z = q2->amount_out(*y);
    return z ? big(*z) - big(x) : cpp_int(0);
}

U256 permille(const U256& x, unsigned p) { return *mul_div(x, U256(p), U256(1000)); }

}  // namespace

// ---------------------------------------------------------------------------- arbitrage

TEST_CASE("arbitrage: no action when the pools agree") {
    MarketState s = base_state();
    s.v2_pools = {pair(kPairDear, 1'000, 2'500'000), pair(kPairCheap, 2'000, 5'000'000)};
    CHECK(arbitrage().on_event(s, kSyncDear).empty());
    CHECK(arbitrage().plan(s).decision == Decision::kNoGap);
}

TEST_CASE("arbitrage: no action when the gap is within the two pools' fees") {
    MarketState s = base_state();
    s.v2_pools = {pair(kPairDear, 1'000, 2'510'000), pair(kPairCheap, 1'000, 2'500'000)};  // 0.4% < 2 × 0.3%
    CHECK(arbitrage().on_event(s, kSyncDear).empty());
}

TEST_CASE("arbitrage: a gap gives two legs, selling the base token where it is dear and buying it back where it is cheap") {
    const MarketState s = v2_gap_state();
    const auto actions = arbitrage().on_event(s, kSyncDear);
    REQUIRE(actions.size() == 2);
    const Action& sell = actions[0];
    const Action& buy = actions[1];
    CHECK(sell.pool == kPairDear);
    CHECK(sell.kind == TradeKind::kUniswapV2Router);
    CHECK(sell.target == kRouterV2);
    CHECK(sell.token_in == kA);
    CHECK(sell.token_out == kB);
    CHECK(sell.expected_amount_out == *v2_amount_out(sell.amount_in, ether(1'000), ether(2'600'000)));
    CHECK(buy.pool == kPairCheap);
    CHECK(buy.kind == TradeKind::kUniswapV2Pair);
    CHECK(buy.target == kPairCheap);
    CHECK(buy.token_in == kB);
    CHECK(buy.token_out == kA);
    CHECK(buy.amount_in == sell.expected_amount_out);
    CHECK(buy.expected_amount_out == *v2_amount_out(buy.amount_in, ether(2'500'000), ether(1'000)));
    CHECK(buy.expected_amount_out > sell.amount_in);
}

TEST_CASE("arbitrage: the V2↔V2 size is optimal (the exact profit at ±1% is not higher)") {
    const MarketState s = v2_gap_state();
    const ArbitragePlan p = arbitrage().plan(s);
    REQUIRE(p.decision == Decision::kTrade);
    const cpp_int best = round_trip_profit(s, kPairDear, kPairCheap, p.amount_in);
    CHECK(best == big(p.gross_profit));
    CHECK(round_trip_profit(s, kPairDear, kPairCheap, permille(p.amount_in, 990)) <= best);
    CHECK(round_trip_profit(s, kPairDear, kPairCheap, permille(p.amount_in, 1010)) <= best);
}

TEST_CASE("arbitrage: the V2↔V3 size is optimal and the V3 leg goes through the router with the pool's fee") {
    MarketState s = base_state();
    s.v2_pools = {pair(kPairDear, 1'000, 2'600'000)};
    s.v3_pools = {v3_pool(u("50000000000000000000054"))};
    ArbitrageConfig c = v2_config();
    c.venue_b = Venue{kPoolV3, TradeKind::kUniswapV3Router, kRouterV3};
    const ArbitragePlan p = arbitrage(c).plan(s);
    REQUIRE(p.decision == Decision::kTrade);
    REQUIRE(p.actions.size() == 2);
    const Action& buy = p.actions[1];
    CHECK(buy.pool == kPoolV3);
    CHECK(buy.kind == TradeKind::kUniswapV3Router);
    CHECK(buy.target == kRouterV3);
    CHECK(buy.v3_fee == 3000);
    CHECK(buy.expected_amount_out == PoolQuote::of(s, kPoolV3, kB)->amount_out(buy.amount_in).value());
    const cpp_int best = round_trip_profit(s, kPairDear, kPoolV3, p.amount_in);
    CHECK(best > 0);
    CHECK(round_trip_profit(s, kPairDear, kPoolV3, permille(p.amount_in, 990)) <= best);
    CHECK(round_trip_profit(s, kPairDear, kPoolV3, permille(p.amount_in, 1010)) <= best);
}

TEST_CASE("arbitrage: a V3 leg is never sized past the pool's range bound") {
    MarketState s = base_state();
    s.v2_pools = {pair(kPairDear, 1'000, 2'600'000)};
    V3Pool thin = v3_pool(u("50000000000000000000054"));
    thin.initialized_below = thin.initialized_above = std::nullopt;  // only the spacing boundary is safe
    s.v3_pools = {thin};
    ArbitrageConfig c = v2_config();
    c.venue_b = Venue{kPoolV3, TradeKind::kUniswapV3Router, kRouterV3};
    const ArbitragePlan p = arbitrage(c).plan(s);
    REQUIRE(p.decision == Decision::kTrade);
    const U256 bound = PoolQuote::of(s, kPoolV3, kB)->max_input();
    CHECK(p.actions[1].amount_in <= bound);
    CHECK(p.actions[1].amount_in > permille(bound, 999));  // the optimum lies beyond: the size stops at the bound
}

TEST_CASE("arbitrage: min amounts out are the simulations less the slippage tolerance, the deadline is now + deadline_s") {
    const auto actions = arbitrage().on_event(v2_gap_state(), kSyncDear);
    REQUIRE(actions.size() == 2);
    for (const Action& a : actions) {
        CHECK(a.min_amount_out == *mul_div(a.expected_amount_out, U256(9'970), U256(10'000)));
        CHECK(a.deadline == kNow + 60);
    }
}

TEST_CASE("arbitrage: the first leg respects the base token's per-trade cap") {
    MarketState s = v2_gap_state();
    s.vault.token(kA)->max_per_trade = ether(2);  // the optimum is ≈ 8.2 A
    const ArbitragePlan p = arbitrage().plan(s);
    REQUIRE(p.decision == Decision::kTrade);
    CHECK(p.actions[0].amount_in == ether(2));
}

TEST_CASE("arbitrage: the second leg respects the other token's per-trade cap") {
    MarketState s = v2_gap_state();
    s.vault.token(kB)->max_per_trade = ether(5'000);  // the optimum sells ≈ 21 000 B
    const ArbitragePlan p = arbitrage().plan(s);
    REQUIRE(p.decision == Decision::kTrade);
    CHECK(p.actions[1].amount_in <= ether(5'000));
    CHECK(p.actions[1].amount_in > ether(4'999));  // as close to the cap as the first leg's rounding allows
}

TEST_CASE("arbitrage: the size respects the vault's available allowance") {
    MarketState s = v2_gap_state();
    s.vault.token(kA)->available_allowance = ether(3);
    const ArbitragePlan p = arbitrage().plan(s);
    REQUIRE(p.decision == Decision::kTrade);
    CHECK(p.actions[0].amount_in == ether(3));
    s.vault.token(kA)->available_allowance = U256();
    const ArbitragePlan none = arbitrage().plan(s);
    CHECK(none.decision == Decision::kAllowanceExhausted);
    CHECK(none.why.find("allowance of " + kA.checksum_hex() + ": 0 left") == 0);
    // With the refill rule known, the reason says when it refills (anchor + k·period, block time).
    s.vault.token(kA)->refill_amount = ether(5);
    s.vault.token(kA)->refill_period = 60;
    s.vault.token(kA)->refill_anchor = kNow - 90;
    CHECK(next_refill(*s.vault.token(kA), kNow) == kNow + 30);
    CHECK(arbitrage().plan(s).why.find("refills by 5000000000000000000 at ") != std::string::npos);
    CHECK(arbitrage().plan(s).why.find("(in 30 s by block time)") != std::string::npos);
}

TEST_CASE("arbitrage: a per-trade cap that leaves a trade too small to pay for its gas is the reason named") {
    MarketState s = v2_gap_state();
    s.vault.token(kA)->max_per_trade = U256(1'000'000);  // 10^-12 of a token: profit far below the gas
    const ArbitragePlan p = arbitrage().plan(s);
    CHECK(p.decision == Decision::kTradeCap);
    CHECK(p.why.find("the per-trade cap limits the round trip to 1000000 in") == 0);
}

TEST_CASE("arbitrage: idles while the vault is paused, and resumes when it is not") {
    MarketState s = v2_gap_state();
    s.vault.paused = true;
    CHECK(arbitrage().on_event(s, kSyncDear).empty());
    CHECK(arbitrage().plan(s).decision == Decision::kPaused);
    s.vault.paused = false;
    CHECK(arbitrage().on_event(s, kSyncDear).size() == 2);
}

TEST_CASE("arbitrage: idles when the attestation expires within the margin") {
    MarketState s = v2_gap_state();
    s.vault.attestation_expiry = kNow + 600;  // margin 600 s
    CHECK(arbitrage().on_event(s, kSyncDear).empty());
    CHECK(arbitrage().plan(s).decision == Decision::kAttestationExpiring);
    s.vault.attestation_expiry = kNow - 1;
    CHECK(arbitrage().plan(s).decision == Decision::kAttestationExpiring);
    s.vault.attestation_expiry = kNow + 601;
    CHECK(arbitrage().on_event(s, kSyncDear).size() == 2);
}

TEST_CASE("arbitrage: idles while its previous trades are pending") {
    MarketState s = v2_gap_state();
    s.vault.pending_trades = 1;
    CHECK(arbitrage().plan(s).decision == Decision::kTradesPending);
}

TEST_CASE("arbitrage: idles when the profit does not exceed gas plus the minimum profit") {
    MarketState s = v2_gap_state();
    const ArbitragePlan open = arbitrage().plan(s);
    REQUIRE(open.decision == Decision::kTrade);
    CHECK(open.gas_cost == U256(2 * 175'000).wrapping_mul(U256(1'000'000'000)));  // 1 gwei, base = WETH
    ArbitrageConfig c = v2_config();
    c.min_profit = open.gross_profit.wrapping_sub(open.gas_cost);  // "more than" the minimum: equal is not enough
    CHECK(arbitrage(c).plan(s).decision == Decision::kBelowMinProfit);
    c.min_profit = open.gross_profit.wrapping_sub(open.gas_cost).wrapping_sub(U256(1));
    CHECK(arbitrage(c).plan(s).decision == Decision::kTrade);
    s.block.base_fee_per_gas = ether(1);  // absurd gas: nothing is worth it
    CHECK(arbitrage().plan(s).decision == Decision::kBelowMinProfit);
}

TEST_CASE("arbitrage: ignores events of pools it does not trade") {
    const MarketState s = v2_gap_state();
    const BotEvent elsewhere = V2SyncEvent{kVault, {}, {}, {2, 0}};
    CHECK(arbitrage().on_event(s, elsewhere).empty());
    CHECK(arbitrage().on_event(s, NewBlockEvent{101, kNow + 12, U256(1)}).size() == 2);
}

TEST_CASE("arbitrage: create() names the bad config field") {
    ArbitrageConfig c = v2_config();
    c.venue_b = c.venue_a;
    CHECK(ArbitrageStrategy::create(c).error().message().rfind("venue_b.pool", 0) == 0);
    c = v2_config();
    c.venue_b.target = kRouterV2;  // a V2 pair trade must target the pair
    CHECK(ArbitrageStrategy::create(c).error().message().rfind("venue_b.target", 0) == 0);
    c = v2_config();
    c.slippage_bps = 10'000;
    CHECK(ArbitrageStrategy::create(c).error().message().rfind("slippage_bps", 0) == 0);
}

TEST_CASE("trade_data is abi.encode(uint24 fee, uint160 sqrtPriceLimitX96) for the V3 router, empty otherwise") {
    Action a;
    a.kind = TradeKind::kUniswapV3Router;
    a.v3_fee = 3000;
    a.sqrt_price_limit_x96 = kMinSqrtRatio.wrapping_add(U256(1));
    CHECK(trade_data(a) == *abi_encode({*parse_abi_type("uint24"), *parse_abi_type("uint160")}, {AbiValue(U256(3000)), AbiValue(a.sqrt_price_limit_x96)}));
    a.kind = TradeKind::kUniswapV2Router;
    CHECK(trade_data(a).empty());
}

TEST_CASE("trade_data for the V3 pool is abi.encode(uint160 sqrtPriceLimitX96), or empty for no limit") {
    Action a;
    a.kind = TradeKind::kUniswapV3Pool;
    a.v3_fee = 3000;  // not part of a pool trade: the pool has one fee
    CHECK(trade_data(a).empty());
    a.sqrt_price_limit_x96 = kMinSqrtRatio.wrapping_add(U256(1));
    CHECK(trade_data(a) == *abi_encode({*parse_abi_type("uint160")}, {AbiValue(a.sqrt_price_limit_x96)}));
}

// ---------------------------------------------------------------------------- rebalancer

namespace {

RebalancerConfig rebalancer_config() {
    RebalancerConfig c;
    c.venue = Venue{kPairCheap, TradeKind::kUniswapV2Router, kRouterV2};
    c.token_a = kA;
    c.target_weight_bps = 5'000;
    c.band_bps = 200;
    c.max_slice_a = ether(5);
    c.every_blocks = 10;
    c.slippage_bps = 50;
    return c;
}

RebalancerStrategy rebalancer(const RebalancerConfig& c = rebalancer_config()) { return std::move(*RebalancerStrategy::create(c)); }

// A vault holding `a` A and `b` B beside a deep pool at 2500 B per A.
MarketState holding(uint64_t a, uint64_t b) {
    MarketState s = base_state();
    s.v2_pools = {pair(kPairCheap, 100'000, 250'000'000)};
    s.vault.tokens = {VaultToken{kA, ether(a), ether(1'000), ether(1'000)}, VaultToken{kB, ether(b), ether(10'000'000), ether(10'000'000)}};
    return s;
}

const BotEvent kBlock = NewBlockEvent{100, kNow, U256(1'000'000'000)};

}  // namespace

TEST_CASE("rebalancer: no action while the weight is within the band") {
    const MarketState s = holding(100, 260'000);  // A is 250k of 510k: 49.0%
    CHECK(rebalancer().on_event(s, kBlock).empty());
    CHECK(rebalancer().plan(s).decision == Decision::kInBand);
    CHECK(rebalancer().plan(s).weight_bps == 4'901);
}

TEST_CASE("rebalancer: above the band it sells A, one slice at most") {
    const MarketState s = holding(100, 100'000);  // A is 250k of 350k: 71.4%
    const auto actions = rebalancer().on_event(s, kBlock);
    REQUIRE(actions.size() == 1);
    CHECK(actions[0].token_in == kA);
    CHECK(actions[0].token_out == kB);
    CHECK(actions[0].amount_in == ether(5));  // the gap is 30 A; the slice 5
    CHECK(actions[0].expected_amount_out == *v2_amount_out(ether(5), ether(100'000), ether(250'000'000)));
    CHECK(actions[0].min_amount_out == *mul_div(actions[0].expected_amount_out, U256(9'950), U256(10'000)));
    CHECK(actions[0].deadline == kNow + 120);
}

TEST_CASE("rebalancer: below the band it sells B worth at most one slice of A") {
    const MarketState s = holding(10, 200'000);  // A is 25k of 225k: 11%
    const auto actions = rebalancer().on_event(s, kBlock);
    REQUIRE(actions.size() == 1);
    CHECK(actions[0].token_in == kB);
    CHECK(actions[0].amount_in == ether(12'500));  // 5 A at 2500
}

TEST_CASE("rebalancer: a gap smaller than a slice is closed in one trade") {
    const MarketState s = holding(100, 228'000);  // 250k of 478k (52.3%): target value of A 239k, excess 11 000 B = 4.4 A
    const auto actions = rebalancer().on_event(s, kBlock);
    REQUIRE(actions.size() == 1);
    CHECK(actions[0].token_in == kA);
    CHECK(actions[0].amount_in == u("4400000000000000000"));
}

TEST_CASE("rebalancer: at most one slice per N blocks after the vault's last trade") {
    MarketState s = holding(100, 100'000);
    s.vault.last_trade_block = 95;  // every 10 blocks: next at 105
    CHECK(rebalancer().plan(s).decision == Decision::kCadence);
    s.block.number = 105;
    CHECK(rebalancer().on_event(s, NewBlockEvent{105, kNow, U256(1)}).size() == 1);
}

TEST_CASE("rebalancer: decides on new blocks only") {
    const MarketState s = holding(100, 100'000);
    CHECK(rebalancer().on_event(s, V2SyncEvent{kPairCheap, {}, {}, {2, 0}}).empty());
}

TEST_CASE("rebalancer: the slice respects the per-trade cap and the allowance") {
    MarketState s = holding(100, 100'000);
    s.vault.token(kA)->max_per_trade = ether(1);
    CHECK(rebalancer().on_event(s, kBlock)[0].amount_in == ether(1));
    s.vault.token(kA)->available_allowance = U256();
    CHECK(rebalancer().plan(s).decision == Decision::kAllowanceExhausted);
}

TEST_CASE("rebalancer: idles while the vault is paused or the attestation is near expiry") {
    MarketState s = holding(100, 100'000);
    s.vault.paused = true;
    CHECK(rebalancer().plan(s).decision == Decision::kPaused);
    s.vault.paused = false;
    s.vault.attestation_expiry = kNow + 10;
    CHECK(rebalancer().plan(s).decision == Decision::kAttestationExpiring);
}

TEST_CASE("rebalancer: values A at a V3 pool's mid price") {
    MarketState s = base_state();
    s.v3_pools = {v3_pool(u("50000000000000000000054"))};  // 2500 B per A
    s.vault.tokens = {VaultToken{kA, ether(100), ether(1'000), ether(1'000)}, VaultToken{kB, ether(250'000), ether(1'000'000), ether(1'000'000)}};
    RebalancerConfig c = rebalancer_config();
    c.venue = Venue{kPoolV3, TradeKind::kUniswapV3Router, kRouterV3};
    CHECK(rebalancer(c).plan(s).weight_bps == 5'000);
    c.target_weight_bps = 8'000;
    const auto actions = rebalancer(c).on_event(s, kBlock);
    REQUIRE(actions.size() == 1);
    CHECK(actions[0].token_in == kB);
    CHECK(actions[0].v3_fee == 3000);
}

TEST_CASE("rebalancer: create() names the bad config field") {
    RebalancerConfig c = rebalancer_config();
    c.target_weight_bps = 10'001;
    CHECK(RebalancerStrategy::create(c).error().message().rfind("target_weight_bps", 0) == 0);
    c = rebalancer_config();
    c.every_blocks = 0;
    CHECK(RebalancerStrategy::create(c).error().message().rfind("every_blocks", 0) == 0);
}

TEST_CASE("arbitrage: each leg stays within the vault's TWAP floor: the largest size it accepts, min out at least the floor") {
    MarketState s = v2_gap_state();
    const U256 unconstrained = arbitrage().plan(s).amount_in;  // ≈ 8.2 A
    // The vault asks ≥ 2,580 B per A sold: the dear pool (2,600 less fee and impact) allows less.
    s.vault.floors.push_back(VaultFloor{kA, kB, ether(2'580)});
    const ArbitragePlan p = arbitrage().plan(s);
    REQUIRE(p.decision == Decision::kTrade);
    const Action& sell = p.actions[0];
    CHECK(sell.amount_in < unconstrained);
    const U256 floor = *mul_div_rounding_up(ether(2'580), sell.amount_in, U256(VaultFloor::kUnit));
    CHECK(sell.expected_amount_out >= floor);
    CHECK(sell.min_amount_out >= floor);
    CHECK(sell.min_amount_out <= sell.expected_amount_out);
    // The largest such size: 1% more would fall below the floor.
    const U256 more = *mul_div(sell.amount_in, U256(101), U256(100));
    CHECK(*v2_amount_out(more, ether(1'000), ether(2'600'000)) < *mul_div_rounding_up(ether(2'580), more, U256(VaultFloor::kUnit)));
}

TEST_CASE("arbitrage: a floor no size can meet means no trade") {
    MarketState s = v2_gap_state();
    s.vault.floors.push_back(VaultFloor{kA, kB, ether(2'700)});  // above the dear pool's price
    const ArbitragePlan p = arbitrage().plan(s);
    CHECK(p.decision == Decision::kTwapFloor);
    // Both prices: what the pool pays per unit, and what the floor asks (2700).
    CHECK(p.why.find("leg 1 sells " + kA.checksum_hex()) == 0);
    CHECK(p.why.find("the floor asks 2700 ") != std::string::npos);
    CHECK(p.why.find("the pool pays 25") != std::string::npos);
}

TEST_CASE("rebalancer: a slice shrinks to what the vault's TWAP floor accepts, and asks at least the floor") {
    MarketState s = holding(20, 10'000);  // far above the band: sells A
    const U256 full = rebalancer().plan(s).actions.at(0).amount_in;
    // The pool pays 2,492.38 B per A for the full 5-A slice (fee and impact); the vault asks
    // 2,492.45 per A, which only about 2 A reach.
    s.vault.floors.push_back(VaultFloor{kA, kB, *mul_div(ether(249'245), U256(1), U256(100))});
    const RebalancePlan p = rebalancer().plan(s);
    REQUIRE(p.decision == Decision::kTrade);
    const Action& a = p.actions[0];
    CHECK(a.amount_in < full);
    const U256 floor = vault_floor(&s.vault.floors[0], a.amount_in);
    CHECK(a.expected_amount_out >= floor);
    CHECK(a.min_amount_out >= floor);
}

TEST_CASE("vault_floor never asks less than the vault's own floor, though the per-unit floor it scales was truncated") {
    // The vault's exact floor is 396.9 wei of B per unit of A; minAmountOutFor(1 unit) reports 396.
    // For 2,505 units the vault asks floor(396.9 × 2,505) = 994,234; 396 × 2,505 = 991,980 would
    // be refused (SlippageTooHigh), so the floor is scaled from 397 and rounded up.
    const VaultFloor f{kA, kB, U256(396)};
    const U256 in = *mul_div(U256(2'505), U256(VaultFloor::kUnit), U256(1));
    const U256 asked = vault_floor(&f, in);
    CHECK(asked >= U256(994'234));
    CHECK(asked == U256(994'485));
    CHECK(vault_floor(nullptr, in).is_zero());
}
