// The bots' exact AMM math (bots/math/math.hpp, full_math.hpp; the V3 exact-output half is
// test_bot_math_exact_out.cpp) against:
//   - FullMath: boost::multiprecision as an independent 512-bit reference;
//   - Uniswap V2: UniswapV2Library's formulas by hand, and Router02.getAmountsOut/getAmountsIn
//     on a real pair (Anvil, `cvex dex deploy` from the npm artifacts, after a swap);
//   - Uniswap V3: the v3-core test suite's expectations (test/SqrtPriceMath.spec.ts,
//     SwapMath.spec.ts, TickMath.spec.ts) and QuoterV2.quoteExactInputSingle on a real pool
//     (same deployment: fee 3000, tick spacing 60, one full-range position; slot0 and
//     liquidity as listed), so amounts match the chain to the wei.
#include <catch2/catch.hpp>

#include <boost/multiprecision/cpp_int.hpp>
#include <random>

#include "bots/math/full_math.hpp"
#include "bots/math/math.hpp"

using namespace cvex::bots;
using cvex::chain::U256;
using boost::multiprecision::cpp_int;

namespace {

U256 u(const char* dec) { return *U256::parse(dec); }
cpp_int big(const U256& v) { return cpp_int(v.dec()); }

const U256 kQ96 = U256(1) << 96;  // encodePriceSqrt(1, 1)

// A random U256 of a random bit length, so short and long limbs and every normalisation shift occur.
U256 random_u256(std::mt19937_64& rng) {
    const unsigned bits = static_cast<unsigned>(rng() % 257);
    U256 v = U256::from_limbs(rng(), rng(), rng(), rng());
    return bits == 0 ? U256() : v >> (256 - bits);
}

}  // namespace

// ------------------------------------------------------------------------------ FullMath

TEST_CASE("mul_div equals floor(a·b/d) computed with 512-bit boost integers") {
    std::mt19937_64 rng(7);
    const cpp_int max256 = (cpp_int(1) << 256) - 1;
    int checked = 0;
    for (int i = 0; i < 20000; ++i) {
        const U256 a = random_u256(rng), b = random_u256(rng), d = random_u256(rng);
        if (d.is_zero()) continue;
        const cpp_int expect = big(a) * big(b) / big(d);
        const auto got = mul_div(a, b, d);
        if (expect > max256) {
            CHECK_FALSE(got);
        } else {
            REQUIRE(got);
            CHECK(big(*got) == expect);
            ++checked;
        }
    }
    CHECK(checked > 5000);
}

TEST_CASE("mul_div_rounding_up adds one exactly when the division leaves a remainder") {
    CHECK(*mul_div_rounding_up(U256(10), U256(10), U256(7)) == U256(15));  // 100/7 = 14.28…
    CHECK(*mul_div_rounding_up(U256(10), U256(7), U256(7)) == U256(10));
    CHECK(*mul_div(U256(10), U256(10), U256(7)) == U256(14));
    // FullMath: require(result < type(uint256).max) before rounding up.
    CHECK_FALSE(mul_div_rounding_up(U256::max(), U256::max(), U256::max().wrapping_sub(U256(1))));
    CHECK(*mul_div_rounding_up(U256::max(), U256::max(), U256::max()) == U256::max());
}

TEST_CASE("mul_div refuses a zero divisor and a quotient above 256 bits") {
    CHECK_FALSE(mul_div(U256(1), U256(1), U256()));
    CHECK_FALSE(mul_div(U256::max(), U256(2), U256(1)));
    CHECK(*mul_div(U256::max(), U256(2), U256(2)) == U256::max());
}

TEST_CASE("div_mod matches boost for random operands, including divisors above 2^64") {
    std::mt19937_64 rng(11);
    for (int i = 0; i < 20000; ++i) {
        const U256 a = random_u256(rng), d = random_u256(rng);
        if (d.is_zero()) {
            CHECK_FALSE(div_mod(a, d));
            continue;
        }
        const auto qr = div_mod(a, d);
        REQUIRE(qr);
        CHECK(big(qr->first) == big(a) / big(d));
        CHECK(big(qr->second) == big(a) % big(d));
    }
}

TEST_CASE("divmod of a 512-bit numerator by a U256 matches boost, quotients above 256 bits included") {
    std::mt19937_64 rng(13);
    for (int i = 0; i < 20000; ++i) {
        const cvex::chain::U512 num{random_u256(rng), random_u256(rng)};
        const U256 d = random_u256(rng);
        if (d.is_zero()) {
            CHECK_FALSE(divmod(num, d));
            continue;
        }
        const auto qr = divmod(num, d);
        REQUIRE(qr);
        const cpp_int n = (big(num.hi) << 256) + big(num.lo);
        CHECK((big(qr->first.hi) << 256) + big(qr->first.lo) == n / big(d));
        CHECK(big(qr->second) == n % big(d));
    }
    CHECK(mul_wide(U256::max(), U256::max()) == cvex::chain::U512{U256::max().wrapping_sub(U256(1)), U256(1)});
}

TEST_CASE("div_rounding_up is UnsafeMath.divRoundingUp") {
    CHECK(*div_rounding_up(U256(7), U256(2)) == U256(4));
    CHECK(*div_rounding_up(U256(8), U256(2)) == U256(4));
    CHECK(*div_rounding_up(U256::max(), U256(1)) == U256::max());
    CHECK_FALSE(div_rounding_up(U256(1), U256()));
}

TEST_CASE("long double conversions keep 64 significant bits and truncate") {
    const U256 v = u("123456789012345678901234567890");
    const long double f = to_long_double(v);
    const cpp_int back = big(from_long_double(f));
    CHECK(boost::multiprecision::abs(back - big(v)) <= (big(v) >> 63));
    CHECK(from_long_double(0.9L).is_zero());
    CHECK(from_long_double(-5.0L).is_zero());
    CHECK(from_long_double(12345.99L) == U256(12345));
    CHECK(from_long_double(1e90L) == U256::max());
    CHECK(to_long_double(U256(1) << 200) == std::ldexp(1.0L, 200));
}

// ------------------------------------------------------------------------------ Uniswap V2

TEST_CASE("v2_amount_out is UniswapV2Library.getAmountOut (by hand)") {
    // 1000·997·5000 / (10000·1000 + 1000·997) = 4985000000 / 10997000 = 453.30… → 453
    CHECK(*v2_amount_out(U256(1000), U256(10000), U256(5000)) == U256(453));
    // 1·997·1e18 / (1e18·1000 + 997) rounds down to 0.
    CHECK(v2_amount_out(U256(1), u("1000000000000000000"), u("1000000000000000000"))->is_zero());
}

TEST_CASE("v2_amount_out matches Router02.getAmountsOut on a real pair") {
    // getReserves() of the deployed pair (token0 = A, token1 = B) after one swap of B for A.
    const U256 reserve_a = u("999950767856465168517"), reserve_b = u("2500123456789012345678901");
    struct Case {
        const char* in;
        bool a_to_b;
        const char* out;
    };
    const Case cases[] = {
        {"1", true, "2492"},
        {"1000", true, "2492745"},
        {"999999999999999999", true, "2490262895292339341303"},
        {"1000000000000000000", true, "2490262895292339343790"},
        {"77777777777777777777", true, "179927188804144911322193"},
        {"1", false, "0"},
        {"2500000000000000000000", false, "995908813783833752"},
        {"123456789012345678901234", false, "46919752776815265042"},
    };
    for (const auto& c : cases) {
        INFO(c.in << (c.a_to_b ? " A→B" : " B→A"));
        auto out = c.a_to_b ? v2_amount_out(u(c.in), reserve_a, reserve_b) : v2_amount_out(u(c.in), reserve_b, reserve_a);
        REQUIRE(out);
        CHECK(*out == u(c.out));
    }
}

TEST_CASE("v2_amount_in matches Router02.getAmountsIn and buys at least the amount asked") {
    const U256 reserve_a = u("999950767856465168517"), reserve_b = u("2500123456789012345678901");
    CHECK(*v2_amount_in(U256(1), reserve_a, reserve_b) == U256(1));
    CHECK(*v2_amount_in(u("2500000000000000000000"), reserve_a, reserve_b) == u("1003913984782836221"));
    CHECK(*v2_amount_in(u("999000000000000000000"), reserve_b, reserve_a) == u("2634858480486232403882042751"));
    const U256 want = u("2500000000000000000000");
    CHECK(*v2_amount_out(*v2_amount_in(want, reserve_a, reserve_b), reserve_a, reserve_b) >= want);
}

TEST_CASE("v2 math reverts where the library does") {
    CHECK(v2_amount_out(U256(), U256(1), U256(1)).error() == BotMathError::kZeroAmount);
    CHECK(v2_amount_out(U256(1), U256(), U256(1)).error() == BotMathError::kNoLiquidity);
    CHECK(v2_amount_out(U256::max(), U256(1), U256(1)).error() == BotMathError::kOverflow);
    CHECK(v2_amount_in(U256(), U256(1), U256(1)).error() == BotMathError::kZeroAmount);
    // The pair holds 999.95 A: asking for 1000 A is the router's ds-math-sub-underflow.
    CHECK(v2_amount_in(u("1000000000000000000000"), u("2500123456789012345678901"), u("999950767856465168517")).error() ==
          BotMathError::kOutputTooLarge);
    CHECK(v2_amount_in(U256(5), U256(5), U256(5)).error() == BotMathError::kOutputTooLarge);
}

// ------------------------------------------------------------------------------ Uniswap V3

TEST_CASE("sqrt_ratio_at_tick matches TickMath at the ends and near zero") {
    CHECK(*sqrt_ratio_at_tick(0) == kQ96);
    CHECK(*sqrt_ratio_at_tick(kMinTick) == kMinSqrtRatio);
    CHECK(*sqrt_ratio_at_tick(kMaxTick) == kMaxSqrtRatio);
    CHECK(kMaxSqrtRatio == u("1461446703485210103287273052203988822378723970342"));
    CHECK(kMaxI256 == (U256::max() >> 1));  // type(int256).max
    CHECK(*sqrt_ratio_at_tick(kMinTick + 1) == u("4295343490"));
    CHECK(*sqrt_ratio_at_tick(kMaxTick - 1) == u("1461373636630004318706518188784493106690254656249"));
    CHECK(*sqrt_ratio_at_tick(1) == u("79232123823359799118286999568"));
    CHECK(*sqrt_ratio_at_tick(-1) == u("79224201403219477170569942574"));
    CHECK(*sqrt_ratio_at_tick(76800) == u("3685420228529878280871389378453"));
    CHECK(*sqrt_ratio_at_tick(-50) == u("79030349367926598376800521322"));
}

TEST_CASE("sqrt_ratio_at_tick rejects ticks beyond ±887272") {
    CHECK(sqrt_ratio_at_tick(kMaxTick + 1).error() == BotMathError::kTickOutOfRange);
    CHECK(sqrt_ratio_at_tick(kMinTick - 1).error() == BotMathError::kTickOutOfRange);
}

TEST_CASE("next_sqrt_price_from_input: v3-core SqrtPriceMath.spec values") {
    const U256 one_e18 = u("1000000000000000000");
    // "input amount of 0.1 token1" (price moves up, rounding down) and "of 0.1 token0" (down, rounding up).
    CHECK(*next_sqrt_price_from_input(kQ96, one_e18, u("100000000000000000"), false) == u("87150978765690771352898345369"));
    CHECK(*next_sqrt_price_from_input(kQ96, one_e18, u("100000000000000000"), true) == u("72025602285694852357767227579"));
    // "amountIn > type(uint96).max and zeroForOne = true"
    CHECK(*next_sqrt_price_from_input(kQ96, u("10000000000000000000"), U256(1) << 100, true) == u("624999999995069620"));
    // "can return 1 with enough amountIn and zeroForOne = true"; "any input amount cannot underflow the price"
    CHECK(*next_sqrt_price_from_input(kQ96, U256(1), U256::max() >> 1, true) == U256(1));
    CHECK(*next_sqrt_price_from_input(U256(1), U256(1), U256(1) << 255, true) == U256(1));
    // "returns input price if amount in is zero"
    CHECK(*next_sqrt_price_from_input(kQ96, one_e18, U256(), true) == kQ96);
    CHECK(*next_sqrt_price_from_input(kQ96, one_e18, U256(), false) == kQ96);
}

TEST_CASE("next_sqrt_price_from_input fails where SqrtPriceMath reverts") {
    CHECK(next_sqrt_price_from_input(U256(), U256(1), U256(1), true).error() == BotMathError::kZeroPrice);
    CHECK(next_sqrt_price_from_input(kQ96, U256(), U256(1), true).error() == BotMathError::kNoLiquidity);
    // "fails if input amount overflows the price": the next price would exceed uint160.
    const U256 max160 = (U256(1) << 160).wrapping_sub(U256(1));
    CHECK(next_sqrt_price_from_input(max160, U256(1024), U256(1024), false).error() == BotMathError::kPriceOutOfRange);
    CHECK(next_sqrt_price_from_input(U256(1) << 160, U256(1), U256(1), false).error() == BotMathError::kValueOutOfRange);
}

TEST_CASE("amount deltas round up or down by exactly one where the quotient is inexact (price 1 → 1.21)") {
    const U256 p121 = u("87150978765690771352898345369");  // encodePriceSqrt(121, 100)
    const U256 one_e18 = u("1000000000000000000");
    CHECK(*amount0_delta(kQ96, p121, one_e18, true) == u("90909090909090910"));
    CHECK(*amount0_delta(kQ96, p121, one_e18, false) == u("90909090909090909"));
    CHECK(*amount0_delta(p121, kQ96, one_e18, true) == u("90909090909090910"));  // either order
    CHECK(*amount1_delta(kQ96, p121, one_e18, true) == u("100000000000000000"));
    CHECK(*amount1_delta(kQ96, p121, one_e18, false) == u("99999999999999999"));
}

TEST_CASE("amount deltas are zero for zero liquidity or equal prices") {
    const U256 p2 = u("112045541949572279837463876454");  // encodePriceSqrt(2, 1)
    CHECK(amount0_delta(kQ96, p2, U256(), true)->is_zero());
    CHECK(amount1_delta(kQ96, p2, U256(), true)->is_zero());
    CHECK(amount0_delta(kQ96, kQ96, U256(1000), true)->is_zero());
    CHECK(amount0_delta(U256(), kQ96, U256(1), true).error() == BotMathError::kZeroPrice);
}

TEST_CASE("compute_swap_step_exact_in: v3-core SwapMath.spec values") {
    const U256 two_e18 = u("2000000000000000000"), one_e18 = u("1000000000000000000");
    SECTION("capped at the price target, one for zero") {
        const U256 target = u("79623317895830914510639640423");  // encodePriceSqrt(101, 100)
        auto s = compute_swap_step_exact_in(kQ96, target, two_e18, one_e18, 600);
        REQUIRE(s);
        CHECK(s->sqrt_price_next_x96 == target);
        CHECK(s->amount_in == u("9975124224178055"));
        CHECK(s->fee_amount == u("5988667735148"));
        CHECK(s->amount_out == u("9925619580021728"));
    }
    SECTION("fully spent before the target, one for zero") {
        auto s = compute_swap_step_exact_in(kQ96, u("250541448375047931186413801569"), two_e18, one_e18, 600);  // encodePriceSqrt(1000, 100)
        REQUIRE(s);
        CHECK(s->sqrt_price_next_x96 == u("118818475322642227089037862318"));
        CHECK(s->amount_in == u("999400000000000000"));
        CHECK(s->fee_amount == u("600000000000000"));
        CHECK(s->amount_out == u("666399946655997866"));
        CHECK(s->amount_in.wrapping_add(s->fee_amount) == one_e18);
    }
    SECTION("entire input amount taken as fee") {
        auto s = compute_swap_step_exact_in(U256(2413), u("79887613182836312"), u("1985041575832132834610021537970"), U256(10), 1872);
        REQUIRE(s);
        CHECK(s->amount_in.is_zero());
        CHECK(s->fee_amount == U256(10));
        CHECK(s->amount_out.is_zero());
        CHECK(s->sqrt_price_next_x96 == U256(2413));
    }
    SECTION("target price of 1 uses partial input amount") {
        auto s = compute_swap_step_exact_in(U256(2), U256(1), U256(1), u("3915081100057732413702495386755767"), 1);
        REQUIRE(s);
        CHECK(s->amount_in == u("39614081257132168796771975168"));
        CHECK(s->fee_amount == u("39614120871253040049813"));
        CHECK(s->amount_out.is_zero());
        CHECK(s->sqrt_price_next_x96 == U256(1));
    }
}

namespace {

// The deployed pool after one 3.7-token A→B swap: slot0 and liquidity, and the bounds of the
// step a swap takes from tick 78170 (tick spacing 60, the only initialized ticks at ±887220):
// the bitmap word [76800, 92100].
V3Range real_pool(bool zero_for_one) {
    const U256 price = u("3946848595927699190134725253106");
    const U256 liquidity = u("50000000000000000000054");
    const int32_t bound = v3_step_bound_tick(78170, 60, zero_for_one, zero_for_one ? -887220 : 887220);
    return V3Range{price, liquidity, 3000, *sqrt_ratio_at_tick(bound)};
}

}  // namespace

TEST_CASE("v3_swap_exact_in matches QuoterV2 on a real pool to the wei, both directions") {
    struct Case {
        bool zero_for_one;
        const char* in;
        const char* out;
        const char* sqrt_after;
    };
    const Case cases[] = {
        {true, "1", "0", "3946848595927699190134725253106"},  // the fee-less input is 0: price unchanged
        {true, "1000", "2474212", "3946848595927699186214179703445"},
        {true, "1000000000000000", "2474209631292397332", "3946844675386043942292679314801"},
        {true, "1000000000000000000", "2471756804776770784879", "3942931940931207335225086239471"},
        {true, "12345678901234567891", "30175770340051317859746", "3899033179197805121234639276423"},
        {true, "50000000000000000000", "117857025022439810010836", "3760096685289187594000957091529"},
        {false, "1", "0", "3946848595927699190134725253106"},
        {false, "7", "0", "3946848595927699190134734760485"},  // the price moves, the output rounds to 0
        {false, "1000000000000000000", "401747532695763", "3946850175737259724565616866666"},
        {false, "2500000000000000000000", "1003365188456467106", "3950798119829035267363759153544"},
        {false, "123456789012345678901234", "47262926529888683272", "4141886811522284973515199630195"},
        {false, "1000000000000000000000000", "286907073883021970686", "5526658156462130081748285428480"},
    };
    for (const auto& c : cases) {
        INFO(c.in << (c.zero_for_one ? " zeroForOne" : " oneForZero"));
        auto r = v3_swap_exact_in(real_pool(c.zero_for_one), u(c.in), c.zero_for_one);
        REQUIRE(r);
        CHECK(r->amount_out == u(c.out));
        CHECK(r->sqrt_price_after_x96 == u(c.sqrt_after));
        CHECK_FALSE(r->reached_bound);
    }
}

TEST_CASE("v3_max_input_in_range is the exact input that lands on the bound (QuoterV2 agrees)") {
    const V3Range range = real_pool(true);
    auto max = v3_max_input_in_range(range, true);
    REQUIRE(max);
    CHECK(*max == u("71411747121028362602"));
    auto at = v3_swap_exact_in(range, *max, true);
    REQUIRE(at);
    CHECK(at->reached_bound);
    CHECK(at->sqrt_price_after_x96 == u("3685420228529878280871389378453"));  // sqrtPriceX96After at tick 76800
    CHECK(at->amount_out == u("164984494844717002379243"));
    auto below = v3_swap_exact_in(range, max->wrapping_sub(U256(1)), true);
    REQUIRE(below);
    CHECK_FALSE(below->reached_bound);
    CHECK(below->amount_out == u("164984494844717002377459"));
    CHECK(below->sqrt_price_after_x96 == u("3685420228529878280874216322912"));
}

TEST_CASE("v3_swap_exact_in refuses an input that would cross the bound") {
    const V3Range range = real_pool(true);
    const U256 max = *v3_max_input_in_range(range, true);
    CHECK(v3_swap_exact_in(range, max.wrapping_add(U256(1)), true).error() == BotMathError::kCrossesBound);
}

TEST_CASE("v3_swap_exact_in rejects a zero amount, zero liquidity and a bound on the wrong side") {
    V3Range range = real_pool(true);
    CHECK(v3_swap_exact_in(range, U256(), true).error() == BotMathError::kZeroAmount);
    CHECK(v3_swap_exact_in(range, U256(1), false).error() == BotMathError::kWrongDirection);
    range.liquidity = U256();
    CHECK(v3_swap_exact_in(range, U256(1), true).error() == BotMathError::kNoLiquidity);
    CHECK(v3_max_input_in_range(range, true)->is_zero());  // nothing can be swapped within it
    range = real_pool(true);
    range.fee_pips = 1'000'000;
    CHECK(v3_swap_exact_in(range, U256(1), true).error() == BotMathError::kBadFee);
}

TEST_CASE("v3_step_bound_tick without known ticks stops at the tick-spacing boundary") {
    CHECK(v3_step_bound_tick(78170, 60, true, std::nullopt) == 78120);
    CHECK(v3_step_bound_tick(78170, 60, false, std::nullopt) == 78180);
    // Negative ticks compress towards negative infinity, as TickBitmap does.
    CHECK(v3_step_bound_tick(-5, 60, true, std::nullopt) == -60);
    CHECK(v3_step_bound_tick(-5, 60, false, std::nullopt) == 0);
    CHECK(v3_step_bound_tick(-60, 60, true, std::nullopt) == -60);
    CHECK(v3_step_bound_tick(-60, 60, false, std::nullopt) == 0);
}

TEST_CASE("v3_step_bound_tick with a known initialized tick stops at it or at the bitmap word's end") {
    CHECK(v3_step_bound_tick(78170, 60, true, 78000) == 78000);
    CHECK(v3_step_bound_tick(78170, 60, true, -887220) == 76800);  // word 5 starts at compressed 1280
    CHECK(v3_step_bound_tick(78170, 60, false, 887220) == 92100);  // and ends at compressed 1535
    CHECK(v3_step_bound_tick(-5, 10, true, -887270) == -2560);     // compressed −1 is in word −1: [−256, −1]
    CHECK(v3_step_bound_tick(-5, 10, false, 887270) == 2550);      // compressed 0 in word 0: [0, 255]
}

TEST_CASE("v3_step_bound_tick clamps to the tick range") {
    CHECK(v3_step_bound_tick(-887272, 200, true, std::nullopt) == kMinTick);  // −887400 would be past it
    CHECK(v3_step_bound_tick(887200, 200, false, std::nullopt) == kMaxTick);  // so would 887400
    CHECK(v3_step_bound_tick(-887200, 1, true, kMinTick) == kMinTick);         // the word starts at −887296
}

// ------------------------------------------------------------------------------ sizing

namespace {

// The exact round-trip profit through two V2 pools (0 when it loses or fails).
cpp_int v2_round_trip_profit(const U256& x, const U256& a_in, const U256& a_out, const U256& b_in, const U256& b_out) {
    if (x.is_zero()) return 0;
    auto y = v2_amount_out(x, a_in, a_out);
    if (!y || y->is_zero()) return 0;
    auto z = v2_amount_out(*y, b_in, b_out);
    return z ? big(*z) - big(x) : cpp_int(0);
}

U256 scale(const U256& x, unsigned permille) { return *mul_div(x, U256(permille), U256(1000)); }

}  // namespace

TEST_CASE("optimal_round_trip_input is zero without a gap larger than the fees") {
    const CpmmLeg a{1000.0L, 2000.0L, 0.997L}, b{2000.0L, 1000.0L, 0.997L};
    CHECK(optimal_round_trip_input(a, b) == 0.0L);  // same price both ways
    const CpmmLeg c{2000.0L, 1004.0L, 0.997L};      // 0.4% apart: below two 0.3% fees
    CHECK(optimal_round_trip_input(a, c) == 0.0L);
    CHECK(optimal_round_trip_input(CpmmLeg{}, b) == 0.0L);
}

TEST_CASE("optimal_round_trip_input maximises the exact V2↔V2 profit (±1% earns no more)") {
    // Pool A sells B cheap (2600 B per A), pool B buys it dear (2500 B per A): A → B → A.
    const U256 a_in = u("1000000000000000000000"), a_out = u("2600000000000000000000000");
    const U256 b_in = u("2500000000000000000000000"), b_out = u("1000000000000000000000");
    const long double x = optimal_round_trip_input(CpmmLeg{to_long_double(a_in), to_long_double(a_out), 0.997L},
                                                   CpmmLeg{to_long_double(b_in), to_long_double(b_out), 0.997L});
    REQUIRE(x > 1.0L);
    const U256 xs = from_long_double(x);
    const cpp_int best = v2_round_trip_profit(xs, a_in, a_out, b_in, b_out);
    CHECK(best > 0);
    CHECK(v2_round_trip_profit(scale(xs, 990), a_in, a_out, b_in, b_out) <= best);
    CHECK(v2_round_trip_profit(scale(xs, 1010), a_in, a_out, b_in, b_out) <= best);
    // Closed form (√(A·B) − B)/C with γ = 0.997: ≈ 8.245 A for this gap.
    CHECK(x > 8.24e18L);
    CHECK(x < 8.25e18L);
}
