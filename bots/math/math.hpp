// Exact Uniswap math for the trading bots, bit-for-bit as the contracts compute it, so a
// simulated amount out equals what the chain pays to the wei:
//   - V2: UniswapV2Library.getAmountOut / getAmountIn (v2-periphery, 0.3% fee as 997/1000);
//   - V3: TickMath.getSqrtRatioAtTick, SqrtPriceMath (getNextSqrtPriceFromInput and
//     getNextSqrtPriceFromOutput, getAmount0Delta / getAmount1Delta with their rounding),
//     SwapMath.computeSwapStep for exact input and exact output, and an exact-input swap within
//     one initialized-tick range (where the pool's liquidity is constant);
//   - sizing: the input that maximises a two-pool round trip (closed form, see optimal_round_trip_input).
// Where a contract reverts, these return an error naming why.
#pragma once

#include <cstdint>
#include <optional>

#include "base/expected.hpp"
#include "chain/types/u256.hpp"

namespace cvex::bots {

enum class BotMathError {
    kZeroAmount,         // an amount the contract requires to be positive is zero
    kNoLiquidity,        // a V2 reserve, or V3 liquidity, is zero
    kZeroPrice,          // a V3 sqrt price is zero
    kOutputTooLarge,     // V2 getAmountIn: amountOut ≥ reserveOut; V3 getNextSqrtPriceFromOutput: amountOut ≥ the virtual reserve
    kOverflow,           // an intermediate exceeds 256 bits (the contract's checked math reverts)
    kValueOutOfRange,    // an argument exceeds its Solidity type (uint112 reserve, uint128 liquidity, uint160 price)
    kTickOutOfRange,     // |tick| > 887272
    kPriceOutOfRange,    // the next sqrt price leaves uint160 / underflows
    kBadFee,             // a V3 fee ≥ 1e6 pips
    kWrongDirection,     // the bound lies on the wrong side of the current price for the swap's direction
    kCrossesBound,       // the input would move the price past the range bound
};

const char* to_string(BotMathError e);

template <class T>
using MathResult = cvex::Expected<T, BotMathError>;

// ---------------------------------------------------------------- Uniswap V2

/// UniswapV2Library.getAmountOut: amountIn·997·reserveOut / (reserveIn·1000 + amountIn·997).
MathResult<chain::U256> v2_amount_out(const chain::U256& amount_in, const chain::U256& reserve_in, const chain::U256& reserve_out);

/// UniswapV2Library.getAmountIn: reserveIn·amountOut·1000 / ((reserveOut − amountOut)·997) + 1.
MathResult<chain::U256> v2_amount_in(const chain::U256& amount_out, const chain::U256& reserve_in, const chain::U256& reserve_out);

// ---------------------------------------------------------------- Uniswap V3

/// int256's largest value: the pool's amountSpecified and SafeCast.toInt256 bound, and the sign bit.
inline constexpr chain::U256 kMaxI256 = chain::U256::from_limbs(~0ULL, ~0ULL, ~0ULL, ~0ULL >> 1);
inline constexpr int32_t kMinTick = -887272;
inline constexpr int32_t kMaxTick = 887272;
/// TickMath.MIN_SQRT_RATIO = getSqrtRatioAtTick(MIN_TICK), MAX_SQRT_RATIO = getSqrtRatioAtTick(MAX_TICK).
inline constexpr chain::U256 kMinSqrtRatio = chain::U256(4295128739ULL);
inline constexpr chain::U256 kMaxSqrtRatio = chain::U256::from_limbs(0x5d951d5263988d26ULL, 0xefd1fc6a50648849ULL, 0xfffd8963ULL, 0);
/// Fees are in hundredths of a basis point ("pips"): 3000 = 0.3%.
inline constexpr uint32_t kFeePipsDenominator = 1'000'000;

/// TickMath.getSqrtRatioAtTick: sqrt(1.0001^tick) · 2^96, rounded up.
MathResult<chain::U256> sqrt_ratio_at_tick(int32_t tick);

/// The tick where the pool's next swap step from `tick` ends at the latest: UniswapV3Pool.swap
/// steps to TickBitmap.nextInitializedTickWithinOneWord's result, which is the nearest
/// initialized tick in that direction (≤ tick when zero_for_one, > tick otherwise) but never
/// beyond the bitmap word (256 spacings) holding the start; clamped to [kMinTick, kMaxTick].
/// `known_initialized` is that nearest initialized tick when the caller knows it; without it
/// every multiple of `tick_spacing` must be assumed initialized, so the bound is the spacing
/// boundary itself. Amounts are exact only for swaps that end within this bound (one step, one
/// liquidity). `tick_spacing` must be positive.
int32_t v3_step_bound_tick(int32_t tick, int32_t tick_spacing, bool zero_for_one, std::optional<int32_t> known_initialized);

/// SqrtPriceMath.getNextSqrtPriceFromInput: the price after `amount_in` (fee already taken) of
/// token0 (zero_for_one, rounding up) or token1 (rounding down) — never past the true price.
MathResult<chain::U256> next_sqrt_price_from_input(const chain::U256& sqrt_price_x96, const chain::U256& liquidity,
                                                   const chain::U256& amount_in, bool zero_for_one);

/// SqrtPriceMath.getNextSqrtPriceFromOutput: the price after `amount_out` of token1 leaves
/// (zero_for_one, rounding down) or of token0 (rounding up) — always past the true price, so the
/// pool pays at least the output. kOutputTooLarge when the output reaches the virtual reserve.
MathResult<chain::U256> next_sqrt_price_from_output(const chain::U256& sqrt_price_x96, const chain::U256& liquidity,
                                                    const chain::U256& amount_out, bool zero_for_one);

/// SqrtPriceMath.getAmount0Delta: liquidity · (√B − √A) / (√A · √B), in either argument order.
MathResult<chain::U256> amount0_delta(const chain::U256& sqrt_a_x96, const chain::U256& sqrt_b_x96, const chain::U256& liquidity,
                                      bool round_up);

/// SqrtPriceMath.getAmount1Delta: liquidity · |√B − √A|.
MathResult<chain::U256> amount1_delta(const chain::U256& sqrt_a_x96, const chain::U256& sqrt_b_x96, const chain::U256& liquidity,
                                      bool round_up);

struct SwapStep {
    chain::U256 sqrt_price_next_x96;
    chain::U256 amount_in;   // net of the fee
    chain::U256 amount_out;
    chain::U256 fee_amount;  // amount_in + fee_amount ≤ the amount remaining
};

/// SwapMath.computeSwapStep for an exact input (amountRemaining ≥ 0): the direction is
/// zeroForOne when target ≤ current.
MathResult<SwapStep> compute_swap_step_exact_in(const chain::U256& sqrt_current_x96, const chain::U256& sqrt_target_x96,
                                                const chain::U256& liquidity, const chain::U256& amount_remaining, uint32_t fee_pips);

/// SwapMath.computeSwapStep for an exact output (amountRemaining < 0), `amount_remaining` being
/// the output still owed (≤ 2^255): amount_in rounded up, amount_out capped at the remainder, and
/// the fee always ⌈amount_in·fee / (10^6 − fee)⌉. The direction is zeroForOne when target ≤ current.
MathResult<SwapStep> compute_swap_step_exact_out(const chain::U256& sqrt_current_x96, const chain::U256& sqrt_target_x96,
                                                 const chain::U256& liquidity, const chain::U256& amount_remaining, uint32_t fee_pips);

/// A V3 pool as seen within one range of constant liquidity.
struct V3Range {
    chain::U256 sqrt_price_x96;
    chain::U256 liquidity;
    uint32_t fee_pips = 3000;
    /// How far the price may move in this direction with this liquidity: the sqrt price of the
    /// next initialized tick below (zero_for_one) or above, or a tighter limit.
    chain::U256 bound_sqrt_price_x96;
};

struct V3SwapResult {
    chain::U256 amount_out;
    chain::U256 sqrt_price_after_x96;
    bool reached_bound = false;  // the swap ended exactly at the bound (the pool would cross the tick next)
};

/// An exact-input swap of `amount_in` (fee included) that stays within `range`, computed as
/// UniswapV3Pool.swap's loop does for its single step: kCrossesBound when it would not.
MathResult<V3SwapResult> v3_swap_exact_in(const V3Range& range, const chain::U256& amount_in, bool zero_for_one);

/// The largest exact input (fee included) that stays within `range`: the swap step's input to
/// the bound plus its fee, rounded as SwapMath rounds it.
MathResult<chain::U256> v3_max_input_in_range(const V3Range& range, bool zero_for_one);

// ---------------------------------------------------------------- sizing

/// A constant-product leg in floating point: out(x) = γx·reserve_out / (reserve_in + γx).
/// A V2 pair is one (γ = 0.997); so is a V3 pool inside one range, on its virtual reserves
/// L/√P and L·√P (Uniswap V3 whitepaper §6.2) with γ = 1 − fee/10^6.
struct CpmmLeg {
    long double reserve_in = 0;
    long double reserve_out = 0;
    long double gamma = 0;
};

/// The input x maximising out2(out1(x)) − x for a round trip through two legs, 0 when no input
/// is profitable. The composition of two constant-product swaps is x ↦ A·x / (B + C·x) with
/// A = γ1γ2·o1·o2, B = i1·i2, C = γ1·(i2 + γ2·o1); its profit is maximal where A·B/(B + C·x)² = 1:
/// x* = (√(A·B) − B) / C, positive iff A > B (the marginal rate at zero exceeds 1). Because the
/// profit is concave, the best input under any cap is min(x*, cap).
long double optimal_round_trip_input(const CpmmLeg& first, const CpmmLeg& second);

}  // namespace cvex::bots
