#include "bots/market/quote.hpp"

#include "bots/math/full_math.hpp"

namespace cvex::bots {

using chain::Address;
using chain::U256;
using cvex::Unexpected;

namespace {
const U256 kQ96 = U256(1) << 96;
const U256 kMaxU112 = (U256(1) << 112).wrapping_sub(U256(1));
const long double kTwo96 = 79228162514264337593543950336.0L;
}  // namespace

const char* to_string(QuoteError e) {
    switch (e) {
        case QuoteError::kUnknownPool: return "pool is not in the market state";
        case QuoteError::kTokenNotInPool: return "token is not one of the pool's";
        case QuoteError::kNotReady: return "pool has no reserves, price or usable range yet";
    }
    return "quote error";
}

cvex::Expected<PoolQuote, QuoteError> PoolQuote::of(const MarketState& state, const Address& pool, const Address& token_in) {
    PoolQuote q;
    q.pool_ = pool;
    q.token_in_ = token_in;
    if (const V2Pool* p = state.v2(pool)) {
        q.kind_ = Kind::kV2;
        if (token_in != p->token0 && token_in != p->token1) return Unexpected{QuoteError::kTokenNotInPool};
        q.zero_for_one_ = token_in == p->token0;
        q.token_out_ = q.zero_for_one_ ? p->token1 : p->token0;
        q.reserve_in_ = q.zero_for_one_ ? p->reserve0 : p->reserve1;
        q.reserve_out_ = q.zero_for_one_ ? p->reserve1 : p->reserve0;
        if (q.reserve_in_.is_zero() || q.reserve_out_.is_zero() || q.reserve_in_ > kMaxU112) return Unexpected{QuoteError::kNotReady};
        q.max_input_ = kMaxU112.wrapping_sub(q.reserve_in_);
        return q;
    }
    if (const V3Pool* p = state.v3(pool)) {
        q.kind_ = Kind::kV3;
        if (token_in != p->token0 && token_in != p->token1) return Unexpected{QuoteError::kTokenNotInPool};
        q.zero_for_one_ = token_in == p->token0;
        q.token_out_ = q.zero_for_one_ ? p->token1 : p->token0;
        if (p->sqrt_price_x96.is_zero() || p->liquidity.is_zero()) return Unexpected{QuoteError::kNotReady};
        auto range = p->range(q.zero_for_one_);
        if (!range) return Unexpected{QuoteError::kNotReady};
        q.range_ = *range;
        auto max = v3_max_input_in_range(q.range_, q.zero_for_one_);
        if (!max) return Unexpected{QuoteError::kNotReady};
        q.max_input_ = *max;
        return q;
    }
    return Unexpected{QuoteError::kUnknownPool};
}

MathResult<U256> PoolQuote::amount_out(const U256& amount_in) const {
    if (kind_ == Kind::kV2) {
        if (amount_in > max_input_) return Unexpected{BotMathError::kValueOutOfRange};
        return v2_amount_out(amount_in, reserve_in_, reserve_out_);
    }
    auto r = v3_swap_exact_in(range_, amount_in, zero_for_one_);
    if (!r) return Unexpected{r.error()};
    return r->amount_out;
}

CpmmLeg PoolQuote::cpmm() const {
    if (kind_ == Kind::kV2) return CpmmLeg{to_long_double(reserve_in_), to_long_double(reserve_out_), 0.997L};
    // Within a range a V3 pool trades as x·y = L² on virtual reserves x = L/√P (token0) and
    // y = L·√P (token1) (Uniswap V3 whitepaper §6.2, eq. 6.4–6.5); the fee comes off the input.
    const long double sqrt_p = to_long_double(range_.sqrt_price_x96) / kTwo96;
    const long double l = to_long_double(range_.liquidity);
    const long double x = l / sqrt_p, y = l * sqrt_p;
    const long double gamma = 1.0L - static_cast<long double>(range_.fee_pips) / kFeePipsDenominator;
    return zero_for_one_ ? CpmmLeg{x, y, gamma} : CpmmLeg{y, x, gamma};
}

U256 PoolQuote::mid_value(const U256& amount) const {
    if (kind_ == Kind::kV2) return mul_div(amount, reserve_out_, reserve_in_).value_or(U256::max());
    const U256& s = range_.sqrt_price_x96;
    // Two mulDivs keep every intermediate within 512 bits; saturate on (absurd) overflow.
    if (zero_for_one_) {  // token0 → token1: amount · s² / 2^192
        auto t = mul_div(amount, s, kQ96);
        return t ? mul_div(*t, s, kQ96).value_or(U256::max()) : U256::max();
    }
    auto t = mul_div(amount, kQ96, s);  // token1 → token0: amount · 2^192 / s²
    return t ? mul_div(*t, kQ96, s).value_or(U256::max()) : U256::max();
}

}  // namespace cvex::bots
