// Pending transactions → predicted pool states (issue 18 §1): a transaction from the mempool
// collector (chain/rpc/ws_subscription.hpp) is decoded when it swaps on one of the bot's pools and
// the state each pool will hold after it is computed from the MarketState with the pool's exact
// math (math/):
//   - V2 pairs, through a Uniswap V2 router (swapExactTokensForTokens, swapTokensForExactTokens,
//     swapExactETHForTokens, swapExactTokensForETH with a path through the bot's pairs) or the
//     pair's own swap(amount0Out, amount1Out, to, data), priced as UniswapV2Library does: every
//     hop's amount from the reserves before the swap;
//   - V3 pools, through a v3-periphery SwapRouter (exactInputSingle, exactOutputSingle, and the
//     multi-hop exactInput whose every hop is one of the bot's pools) or the pool's own swap()
//     with an exact input or output, replayed as UniswapV3Pool.swap's loop while the liquidity
//     stays constant: each hop from the state the hops before it left.
//
// Trust decision: the calldata is the sender's and the transaction the host's node's; both are
// hostile input. Anything that does not decode strictly is a NotASwap, never a crash, and a
// prediction is a hint for a strategy, never a fact: it may never be mined, or mined after
// other transactions; the vault's own checks decide every trade.
#pragma once

#include <string>
#include <vector>

#include "base/expected.hpp"
#include "chain/rpc/rpc_types.hpp"
#include "bots/market/market.hpp"

namespace cvex::bots {

enum class NotASwapCode {
    kNotOurs,          // not sent to a router the bot knows nor to one of its pairs
    kUnknownSelector,  // calldata shorter than a selector, or a function that is not a swap
    kMalformed,        // the arguments do not ABI-decode strictly (or a path shorter than 2 tokens, a V3 path not 20 + 23·k bytes)
    kForeignHop,       // the path trades through a pair or pool the bot does not follow
    kUnsupported,      // a pair swap taking both tokens out; a V3 swap that changes the liquidity or fills partly
    kWouldRevert,      // the router would revert: expired deadline, below amountOutMin, above amountInMax
    kMath,             // the pair's math refuses (no liquidity, output ≥ reserve, overflow)
};

struct NotASwap {
    NotASwapCode code;
    std::string detail;
    std::string message() const;
};

/// One of the bot's pairs after the pending swap.
struct PredictedV2 {
    chain::Address pool;
    bool zero_for_one = true;           // token0 in, token1 out
    chain::U256 amount_in, amount_out;  // of this hop
    chain::U256 reserve0, reserve1;     // after it: what the pair's Sync will report
};

/// One of the bot's V3 pools after one hop of the pending swap (exact input or output, within the
/// range of its current liquidity).
struct PredictedV3 {
    chain::Address pool;
    bool zero_for_one = true;
    chain::U256 amount_in, amount_out;  // amount_in includes the fee
    chain::U256 sqrt_price_x96;         // slot0 after it: what the pool's Swap event will report
    chain::U256 liquidity;              // unchanged: no initialized tick is crossed
    int32_t tick = 0;
};

struct PendingSwap {
    chain::Hash32 tx;
    chain::Address from;
    std::string function;  // "swapExactTokensForTokens", …, or "swap" (a pair called directly)
    /// A pair called directly is paid before the call (by a contract, in the same transaction):
    /// its input is taken as the least the pair's K check accepts (getAmountIn), which is what a
    /// router pays. Routers' inputs are exact.
    bool input_assumed = false;
    std::vector<PredictedV2> pools;  // in path order
    std::vector<PredictedV3> v3_pools;  // one per hop, in path order: a pool crossed twice appears twice
};

/// Where the bot recognises router swaps (its config's routers).
struct MempoolRoutes {
    std::vector<chain::Address> v2_routers;
    std::vector<chain::Address> v3_routers;  // SwapRouter (v3-periphery): exactInputSingle, exactOutputSingle, exactInput
};

/// Decodes `tx` against the bot's pools in `state` and predicts their reserves after it.
cvex::Expected<PendingSwap, NotASwap> decode_pending_swap(const chain::TransactionInfo& tx, const MarketState& state,
                                                          const MempoolRoutes& routes);

/// The V3 half (mempool_v3.cpp, mempool_v3_router.cpp): SwapRouter's exactInputSingle,
/// exactOutputSingle and exactInput through the bot's V3 pools, or a pool's own swap() (a positive
/// amountSpecified an exact input, a negative one an exact output), predicted while every hop stays
/// within its pool's current liquidity (uninitialized ticks may be crossed; an initialized tick or
/// the price limit reached is kUnsupported). decode_pending_swap calls it.
cvex::Expected<PendingSwap, NotASwap> decode_pending_v3_swap(const chain::TransactionInfo& tx, const MarketState& state,
                                                             const MempoolRoutes& routes);

/// The pools' state with the predictions applied (the strategies' view of the next block), in
/// path order: a pool the path crosses twice ends in its last hop's state.
MarketState apply_prediction(MarketState state, const PendingSwap& swap);

}  // namespace cvex::bots
