// A pool seen from one direction (token_in → token_out), whichever its kind: the exact amount
// out (bot_math.hpp, to the wei), the largest input the model is exact for, the floating-point
// constant-product model that sizing uses, and the mid price (no fee, no impact) that values
// holdings. Strategies are written against this, not against V2 or V3.
#pragma once

#include "chain/types/address.hpp"
#include "base/expected.hpp"
#include "chain/types/u256.hpp"
#include "bots/market/market.hpp"
#include "bots/math/math.hpp"

namespace cvex::bots {

enum class QuoteError {
    kUnknownPool,     // not in the market state
    kTokenNotInPool,  // token_in is neither token0 nor token1
    kNotReady,        // no reserves / price / liquidity yet, or a bad V3 range
};

const char* to_string(QuoteError e);

class PoolQuote {
public:
    enum class Kind { kV2, kV3 };

    static cvex::Expected<PoolQuote, QuoteError> of(const MarketState& state, const chain::Address& pool, const chain::Address& token_in);

    Kind kind() const { return kind_; }
    const chain::Address& pool() const { return pool_; }
    const chain::Address& token_in() const { return token_in_; }
    const chain::Address& token_out() const { return token_out_; }
    bool zero_for_one() const { return zero_for_one_; }
    uint32_t v3_fee_pips() const { return range_.fee_pips; }

    /// What the pool pays for `amount_in`, exactly (V2: getAmountOut; V3: one swap step, which
    /// fails with kCrossesBound past max_input()).
    MathResult<chain::U256> amount_out(const chain::U256& amount_in) const;
    /// The largest input for which amount_out is exact: V3 to the range bound; V2 what keeps the
    /// reserve within uint112 (the pair's `require(balance <= uint112(-1))`).
    const chain::U256& max_input() const { return max_input_; }
    /// The constant-product model for sizing (V3 on its virtual reserves).
    CpmmLeg cpmm() const;
    /// `amount` of token_in valued in token_out at the current mid price, rounded down
    /// (V2: amount·reserve_out/reserve_in; V3: amount·P or amount/P with P = (sqrtPriceX96/2^96)²).
    chain::U256 mid_value(const chain::U256& amount) const;

private:
    Kind kind_ = Kind::kV2;
    chain::Address pool_, token_in_, token_out_;
    bool zero_for_one_ = true;
    chain::U256 reserve_in_, reserve_out_;  // V2
    V3Range range_;                         // V3
    chain::U256 max_input_;
};

}  // namespace cvex::bots
