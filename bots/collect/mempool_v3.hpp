// The V3 half of decode_pending_swap (mempool.hpp), shared by its two files: UniswapV3Pool.swap's
// loop replayed on a pool while the liquidity stays constant (mempool_v3.cpp, which also decodes
// a pool's own swap()), and SwapRouter's calls through the bot's pools (mempool_v3_router.cpp).
#pragma once

#include "bots/collect/mempool.hpp"

namespace cvex::bots {

/// A refusal with its code and detail, as the decoder's files return it.
inline cvex::Unexpected<NotASwap> not_a_swap(NotASwapCode code, std::string detail = {}) {
    return cvex::Unexpected{NotASwap{code, std::move(detail)}};
}

/// One UniswapV3Pool.swap as the pool sees it.
struct V3SwapCall {
    bool zero_for_one = true;
    bool exact_input = true;
    chain::U256 amount;       // exact input (fee included) or exact output; positive
    chain::U256 price_limit;  // sqrtPriceLimitX96, taken as the pool does (SwapRouter's default for 0 is its caller's to apply)
};

/// UniswapV3Pool.swap's loop on `pool`, step for step (SwapMath.computeSwapStep to the next tick
/// the bitmap may hold initialized, or the price limit): crossing ticks the pool does not have
/// initialized is followed, as the pool does; a step into an initialized tick (the liquidity would
/// change) or onto the price limit (a partial fill) is kUnsupported. The result is the pool after
/// the whole swap: amount_in with its fee, amount_out, slot0's price and tick.
cvex::Expected<PredictedV3, NotASwap> simulate_v3_swap(const V3Pool& pool, const V3SwapCall& call);

/// SwapRouter (v3-periphery) calls: exactInputSingle, exactOutputSingle and exactInput through
/// the bot's pools. `tx.to` is one of the bot's V3 routers.
cvex::Expected<PendingSwap, NotASwap> decode_v3_router_swap(const chain::TransactionInfo& tx, const MarketState& state);

}  // namespace cvex::bots
