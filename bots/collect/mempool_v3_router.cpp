// SwapRouter (v3-periphery SwapRouter.sol) calls through the bot's V3 pools: exactInputSingle,
// exactOutputSingle and the multi-hop exactInput, each hop replayed on its pool with
// simulate_v3_swap (mempool_v3.hpp) from the state the hops before it left.
#include <algorithm>

#include "bots/collect/mempool_v3.hpp"
#include "chain/encoding/abi_codec.hpp"

namespace cvex::bots {

using chain::AbiValue;
using chain::Address;
using chain::U256;

namespace {

// Path.sol: a path is tokenIn (ADDR_SIZE 20) | fee (FEE_SIZE 3) | token | fee | token …;
// NEXT_OFFSET = 23 bytes per hop.
constexpr size_t kAddrSize = 20;
constexpr size_t kNextOffset = 23;
// Real paths have two or three hops; the bound keeps an attacker's path from buying many simulations.
constexpr size_t kMaxHops = 8;

enum class RouterFn { kExactInputSingle, kExactOutputSingle, kExactInput };

struct RouterSig {
    RouterFn fn;
    chain::AbiSignature sig;
};

// ISwapRouter's ExactInputSingleParams / ExactOutputSingleParams (tokenIn, tokenOut, fee,
// recipient, deadline, amountIn | amountOut, amountOutMinimum | amountInMaximum,
// sqrtPriceLimitX96) and ExactInputParams (path, recipient, deadline, amountIn, amountOutMinimum).
const std::vector<RouterSig>& router_sigs() {
    static const std::vector<RouterSig> s = [] {
        const std::pair<RouterFn, const char*> text[] = {
            {RouterFn::kExactInputSingle, "exactInputSingle((address,address,uint24,address,uint256,uint256,uint256,uint160))"},
            {RouterFn::kExactOutputSingle, "exactOutputSingle((address,address,uint24,address,uint256,uint256,uint256,uint160))"},
            {RouterFn::kExactInput, "exactInput((bytes,address,uint256,uint256,uint256))"},
        };
        std::vector<RouterSig> out;
        for (const auto& [fn, t] : text) out.push_back({fn, *chain::parse_abi_signature(t)});
        return out;
    }();
    return s;
}

struct Hop {
    const V3Pool* pool = nullptr;
    bool zero_for_one = true;
};

struct RouterCall {
    std::vector<Hop> hops;  // in path order
    bool exact_input = true;
    U256 amount;       // amountIn, or amountOut
    U256 bound;        // amountOutMinimum, or amountInMaximum
    U256 deadline;
    U256 price_limit;  // sqrtPriceLimitX96 of a single-hop call; exactInput passes 0
};

// SwapRouter.getPool(tokenA, tokenB, fee) among the bot's pools; zeroForOne = tokenIn < tokenOut.
Expected<Hop, NotASwap> hop_for(const MarketState& state, const Address& in, const Address& out, uint32_t fee) {
    for (const auto& p : state.v3_pools)
        if (p.fee_pips == fee && ((p.token0 == in && p.token1 == out) || (p.token0 == out && p.token1 == in))) return Hop{&p, p.token0 == in};
    return not_a_swap(NotASwapCode::kForeignHop, in.checksum_hex() + " → " + out.checksum_hex() + " at fee " + std::to_string(fee));
}

Expected<RouterCall, NotASwap> single_call(RouterFn fn, const std::vector<AbiValue>& args, const MarketState& state) {
    const auto& t = args[0].list();
    auto hop = hop_for(state, t[0].address(), t[1].address(), static_cast<uint32_t>(t[2].word().low_u64()));  // uint24: decoded strictly
    if (!hop) return Unexpected{hop.error()};
    return RouterCall{{*hop}, fn == RouterFn::kExactInputSingle, t[5].word(), t[6].word(), t[4].word(), t[7].word()};
}

// Path.sol's decodeFirstPool / skipToken, hop by hop. The router itself would ignore bytes after
// the last whole hop; a path that is not exactly 20 + 23·k bytes is refused as malformed here.
Expected<RouterCall, NotASwap> path_call(const std::vector<AbiValue>& args, const MarketState& state) {
    const auto& t = args[0].list();
    const Bytes& path = t[0].bytes();
    if (path.size() < kAddrSize + kNextOffset || (path.size() - kAddrSize) % kNextOffset != 0)
        return not_a_swap(NotASwapCode::kMalformed, "exactInput: a path of " + std::to_string(path.size()) + " bytes (not 20 + 23·k, k ≥ 1)");
    const size_t hops = (path.size() - kAddrSize) / kNextOffset;
    if (hops > kMaxHops) return not_a_swap(NotASwapCode::kUnsupported, "a path of " + std::to_string(hops) + " hops");
    RouterCall c{{}, true, t[3].word(), t[4].word(), t[2].word(), U256(0)};
    for (size_t i = 0; i < hops; ++i) {
        const uint8_t* at = path.data() + i * kNextOffset;
        Address in, out;
        std::copy(at, at + kAddrSize, in.bytes.begin());
        std::copy(at + kNextOffset, at + kNextOffset + kAddrSize, out.bytes.begin());
        const uint32_t fee = static_cast<uint32_t>(at[20]) << 16 | static_cast<uint32_t>(at[21]) << 8 | at[22];
        auto hop = hop_for(state, in, out, fee);
        if (!hop) return Unexpected{NotASwap{hop.error().code, "hop " + std::to_string(i) + ": " + hop.error().detail}};
        c.hops.push_back(*hop);
    }
    return c;
}

// Each hop's output is the next hop's input; a pool the path crosses twice starts its second hop
// where the first left it.
Expected<std::vector<PredictedV3>, NotASwap> predict_hops(const RouterCall& c) {
    std::vector<PredictedV3> out;
    std::vector<V3Pool> after;
    U256 amount = c.amount;
    for (size_t i = 0; i < c.hops.size(); ++i) {
        const Hop& h = c.hops[i];
        auto at = std::find_if(after.begin(), after.end(), [&](const V3Pool& p) { return p.address == h.pool->address; });
        V3Pool& pool = at != after.end() ? *at : after.emplace_back(*h.pool);
        // SwapRouter: sqrtPriceLimitX96 == 0 ? (zeroForOne ? MIN_SQRT_RATIO + 1 : MAX_SQRT_RATIO - 1) : sqrtPriceLimitX96.
        const U256 limit = !c.price_limit.is_zero() ? c.price_limit
                           : h.zero_for_one     ? kMinSqrtRatio.wrapping_add(U256(1))
                                                : kMaxSqrtRatio.wrapping_sub(U256(1));
        auto p = simulate_v3_swap(pool, V3SwapCall{h.zero_for_one, c.exact_input, amount, limit});
        if (!p) return Unexpected{c.hops.size() == 1 ? p.error() : NotASwap{p.error().code, "hop " + std::to_string(i) + ": " + p.error().detail}};
        pool.sqrt_price_x96 = p->sqrt_price_x96;
        pool.tick = p->tick;
        amount = p->amount_out;
        out.push_back(*p);
    }
    return out;
}

// The router's own checks around the pools' swaps: checkDeadline (block.timestamp ≤ deadline, and
// the next block is later), SafeCast.toInt256 of the amount, and after the swaps 'Too little
// received' (amountOutMinimum, on the last hop's output) or 'Too much requested' (amountInMaximum).
Expected<std::vector<PredictedV3>, NotASwap> predict_router_call(const RouterCall& c, const MarketState& state) {
    if (state.block.timestamp != 0 && c.deadline <= U256(state.block.timestamp))
        return not_a_swap(NotASwapCode::kWouldRevert, "deadline " + c.deadline.dec() + " has passed");
    if (c.amount > kMaxI256) return not_a_swap(NotASwapCode::kWouldRevert, "SafeCast: amount " + c.amount.dec() + " beyond int256");
    auto hops = predict_hops(c);
    if (!hops) return Unexpected{hops.error()};
    if (c.exact_input && hops->back().amount_out < c.bound)
        return not_a_swap(NotASwapCode::kWouldRevert, "output " + hops->back().amount_out.dec() + " below amountOutMinimum " + c.bound.dec());
    if (!c.exact_input && hops->front().amount_in > c.bound)
        return not_a_swap(NotASwapCode::kWouldRevert, "input " + hops->front().amount_in.dec() + " above amountInMaximum " + c.bound.dec());
    return hops;
}

}  // namespace

Expected<PendingSwap, NotASwap> decode_v3_router_swap(const chain::TransactionInfo& tx, const MarketState& state) {
    if (tx.input.size() < 4) return not_a_swap(NotASwapCode::kUnknownSelector, "calldata of " + std::to_string(tx.input.size()) + " bytes");
    const RouterSig* k = nullptr;
    for (const auto& s : router_sigs()) {
        const auto sel = s.sig.selector();
        if (std::equal(sel.begin(), sel.end(), tx.input.begin())) k = &s;
    }
    if (!k) return not_a_swap(NotASwapCode::kUnknownSelector, "selector " + cvex::to_hex(ByteView(tx.input.data(), 4)));
    auto args = chain::abi_decode(k->sig.input_types(), ByteView(tx.input).subspan(4));
    if (!args) return not_a_swap(NotASwapCode::kMalformed, k->sig.name + ": " + args.error().message());
    auto call = k->fn == RouterFn::kExactInput ? path_call(*args, state) : single_call(k->fn, *args, state);
    if (!call) return Unexpected{call.error()};
    auto hops = predict_router_call(*call, state);
    if (!hops) return Unexpected{hops.error()};
    return PendingSwap{tx.hash, tx.from, k->sig.name, false, {}, std::move(*hops)};  // a V3 pool computes its own input
}

}  // namespace cvex::bots
