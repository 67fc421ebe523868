// Uniswap V3's exact-output math (bots/math/math.hpp: next_sqrt_price_from_output,
// compute_swap_step_exact_out) against the v3-core test suite's expectations
// (test/SqrtPriceMath.spec.ts #getNextSqrtPriceFromOutput, test/SwapMath.spec.ts's exact-output
// cases) and, for getNextSqrtPriceFromOutput, its closed forms in boost integers.
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

}  // namespace

TEST_CASE("next_sqrt_price_from_output: v3-core SqrtPriceMath.spec values") {
    const U256 one_e18 = u("1000000000000000000"), tenth = u("100000000000000000");
    // "output amount of 0.1 token1" (zeroForOne: the price falls, rounding down) and of 0.1 token0 (it rises, rounding up).
    CHECK(*next_sqrt_price_from_output(kQ96, one_e18, tenth, false) == u("88031291682515930659493278152"));
    CHECK(*next_sqrt_price_from_output(kQ96, one_e18, tenth, true) == u("71305346262837903834189555302"));
    // "returns input price if amount in is zero"
    CHECK(*next_sqrt_price_from_output(kQ96, tenth, U256(), true) == kQ96);
    CHECK(*next_sqrt_price_from_output(kQ96, tenth, U256(), false) == kQ96);
    // "succeeds if output amount is just less than the virtual reserves of token1": 2^104 − ⌈262143·2^96/1024⌉.
    const U256 p = u("20282409603651670423947251286016");  // 2^104: virtual reserves 4 token0, 262144 token1 at L = 1024
    CHECK(*next_sqrt_price_from_output(p, U256(1024), U256(262143), true) == u("77371252455336267181195264"));
}

TEST_CASE("next_sqrt_price_from_output fails where SqrtPriceMath reverts") {
    const U256 p = u("20282409603651670423947251286016");
    CHECK(next_sqrt_price_from_output(U256(), U256(), u("100000000000000000"), false).error() == BotMathError::kZeroPrice);
    CHECK(next_sqrt_price_from_output(U256(1), U256(), u("100000000000000000"), true).error() == BotMathError::kNoLiquidity);
    // "fails if output amount is exactly / greater than the virtual reserves of token0 / token1"
    CHECK(next_sqrt_price_from_output(p, U256(1024), U256(4), false).error() == BotMathError::kOutputTooLarge);
    CHECK(next_sqrt_price_from_output(p, U256(1024), U256(5), false).error() == BotMathError::kOutputTooLarge);
    CHECK(next_sqrt_price_from_output(p, U256(1024), U256(262144), true).error() == BotMathError::kOutputTooLarge);
    CHECK(next_sqrt_price_from_output(p, U256(1024), U256(262145), true).error() == BotMathError::kOutputTooLarge);
    // "reverts if amountOut is impossible in zero for one / one for zero direction"
    CHECK_FALSE(next_sqrt_price_from_output(kQ96, U256(1), U256::max(), true));
    CHECK_FALSE(next_sqrt_price_from_output(kQ96, U256(1), U256::max(), false));
}

TEST_CASE("next_sqrt_price_from_output equals the closed forms computed with boost integers") {
    // Token1 out: √P − ⌈out·2^96 / L⌉; token0 out: ⌈L·2^96·√P / (L·2^96 − out·√P)⌉ (SqrtPriceMath's rounding).
    std::mt19937_64 rng(11);
    int checked = 0;
    for (int i = 0; i < 5000; ++i) {
        const U256 price = U256::from_limbs(rng(), rng(), rng() & 0xffffffffULL, 0) | (U256(1) << 32);
        const U256 liquidity = U256::from_limbs(rng(), rng() >> (rng() % 64), 0, 0) | U256(1);
        const U256 out = U256::from_limbs(rng(), rng() % 4 == 0 ? rng() : 0, 0, 0) >> static_cast<unsigned>(rng() % 100);
        const bool zero_for_one = rng() & 1;
        const cpp_int l96 = big(liquidity) << 96;
        cpp_int expect = -1;
        if (zero_for_one) {
            const cpp_int q = (big(out) * (cpp_int(1) << 96) + big(liquidity) - 1) / big(liquidity);
            if (big(price) > q) expect = big(price) - q;
        } else if (out.is_zero()) {
            expect = big(price);
        } else if (l96 > big(out) * big(price)) {
            const cpp_int d = l96 - big(out) * big(price);
            expect = (l96 * big(price) + d - 1) / d;
            if (expect >= (cpp_int(1) << 160)) expect = -1;
        }
        const auto got = next_sqrt_price_from_output(price, liquidity, out, zero_for_one);
        if (expect < 0) {
            CHECK_FALSE(got);
        } else {
            REQUIRE(got);
            CHECK(big(*got) == expect);
            ++checked;
        }
    }
    CHECK(checked > 2000);
}

TEST_CASE("compute_swap_step_exact_out: v3-core SwapMath.spec values") {
    const U256 two_e18 = u("2000000000000000000"), one_e18 = u("1000000000000000000");
    SECTION("capped at the price target, one for zero") {
        const U256 target = u("79623317895830914510639640423");  // encodePriceSqrt(101, 100)
        auto s = compute_swap_step_exact_out(kQ96, target, two_e18, one_e18, 600);
        REQUIRE(s);
        CHECK(s->sqrt_price_next_x96 == target);
        CHECK(s->amount_in == u("9975124224178055"));
        CHECK(s->fee_amount == u("5988667735148"));
        CHECK(s->amount_out == u("9925619580021728"));
    }
    SECTION("fully received before the target, one for zero") {
        const U256 target = *kQ96.checked_mul(U256(10));  // encodePriceSqrt(10000, 100)
        auto s = compute_swap_step_exact_out(kQ96, target, two_e18, one_e18, 600);
        REQUIRE(s);
        CHECK(s->amount_in == two_e18);
        CHECK(s->fee_amount == u("1200720432259356"));
        CHECK(s->amount_out == one_e18);
        CHECK(s->sqrt_price_next_x96 < target);
        CHECK(s->sqrt_price_next_x96 == *next_sqrt_price_from_output(kQ96, two_e18, one_e18, false));
    }
    SECTION("amount out is capped at the desired amount out") {
        auto s = compute_swap_step_exact_out(u("417332158212080721273783715441582"), u("1452870262520218020823638996"),
                                             u("159344665391607089467575320103"), U256(1), 1);
        REQUIRE(s);
        CHECK(s->amount_in == U256(1));
        CHECK(s->fee_amount == U256(1));
        CHECK(s->amount_out == U256(1));  // would be 2 if not capped
        CHECK(s->sqrt_price_next_x96 == u("417332158212080721273783715441581"));
    }
    const U256 p = u("20282409603651670423947251286016");
    SECTION("intermediate insufficient liquidity, price rising (token0 out)") {
        const U256 target = div_mod(*p.checked_mul(U256(11)), U256(10))->first;
        auto s = compute_swap_step_exact_out(p, target, U256(1024), U256(4), 3000);
        REQUIRE(s);
        CHECK(s->amount_out.is_zero());
        CHECK(s->sqrt_price_next_x96 == target);
        CHECK(s->amount_in == U256(26215));
        CHECK(s->fee_amount == U256(79));
    }
    SECTION("intermediate insufficient liquidity, price falling (token1 out)") {
        const U256 target = div_mod(*p.checked_mul(U256(9)), U256(10))->first;
        auto s = compute_swap_step_exact_out(p, target, U256(1024), U256(263000), 3000);
        REQUIRE(s);
        CHECK(s->amount_out == U256(26214));
        CHECK(s->sqrt_price_next_x96 == target);
        CHECK(s->amount_in == U256(1));
        CHECK(s->fee_amount == U256(1));
    }
    SECTION("an output beyond int256's magnitude and a fee of 100% are refused") {
        CHECK(compute_swap_step_exact_out(kQ96, *kQ96.checked_mul(U256(2)), two_e18, (U256(1) << 255).wrapping_add(U256(1)), 600).error() ==
              BotMathError::kValueOutOfRange);
        CHECK(compute_swap_step_exact_out(kQ96, *kQ96.checked_mul(U256(2)), two_e18, one_e18, 1'000'000).error() == BotMathError::kBadFee);
    }
}
