#include "bots/collect/mempool.hpp"
#include "bots/collect/mempool_v3.hpp"

#include <algorithm>
#include <array>
#include <optional>

#include "chain/encoding/abi_codec.hpp"

namespace cvex::bots {

using chain::AbiSignature;
using chain::AbiValue;
using chain::Address;
using chain::U256;

std::string NotASwap::message() const {
    const char* what = "not a swap";
    switch (code) {
        case NotASwapCode::kNotOurs: what = "not sent to the bot's routers or pairs"; break;
        case NotASwapCode::kUnknownSelector: what = "not a swap function"; break;
        case NotASwapCode::kMalformed: what = "malformed swap calldata"; break;
        case NotASwapCode::kForeignHop: what = "path through a pair the bot does not follow"; break;
        case NotASwapCode::kUnsupported: what = "unsupported swap"; break;
        case NotASwapCode::kWouldRevert: what = "the swap would revert"; break;
        case NotASwapCode::kMath: what = "the pair's math refuses the swap"; break;
    }
    return detail.empty() ? what : std::string(what) + ": " + detail;
}

namespace {

enum class Fn { kExactTokensForTokens, kTokensForExactTokens, kExactEthForTokens, kExactTokensForEth, kPairSwap };

struct Known {
    Fn fn;
    AbiSignature sig;
    std::array<uint8_t, 4> selector;
};

// UniswapV2Router02 (v2-periphery) and UniswapV2Pair (v2-core) signatures.
const std::vector<Known>& known() {
    static const std::vector<Known> k = [] {
        const std::pair<Fn, const char*> text[] = {
            {Fn::kExactTokensForTokens, "swapExactTokensForTokens(uint256,uint256,address[],address,uint256)"},
            {Fn::kTokensForExactTokens, "swapTokensForExactTokens(uint256,uint256,address[],address,uint256)"},
            {Fn::kExactEthForTokens, "swapExactETHForTokens(uint256,address[],address,uint256)"},
            {Fn::kExactTokensForEth, "swapExactTokensForETH(uint256,uint256,address[],address,uint256)"},
            {Fn::kPairSwap, "swap(uint256,uint256,address,bytes)"},
        };
        std::vector<Known> out;
        for (const auto& [fn, t] : text) {
            auto sig = *chain::parse_abi_signature(t);
            out.push_back({fn, sig, sig.selector()});
        }
        return out;
    }();
    return k;
}

const V2Pool* pool_for(const MarketState& state, const Address& a, const Address& b) {
    for (const auto& p : state.v2_pools)
        if ((p.token0 == a && p.token1 == b) || (p.token0 == b && p.token1 == a)) return &p;
    return nullptr;
}

struct Route {
    std::vector<Address> path;
    std::optional<U256> amount_in, amount_out;  // exact in, or exact out
    U256 limit;                                 // amountOutMin or amountInMax
    U256 deadline;
};

// UniswapV2Pair.swap's own checks on one hop: an output below the reserve, balances within
// uint112, and the K check with the 0.3 % fee (balance·1000 − in·3 products ≥ reserves'·1000²).
// A path that crosses a pair twice is priced by the router from the reserves before the swap,
// so its later hop can fail here: the transaction would revert. Empty: the pair accepts.
std::string pair_check(const U256& rin, const U256& rout, const U256& in, const U256& out) {
    static const U256 kMax112 = *U256::parse_hex("ffffffffffffffffffffffffffff");
    if (rin > kMax112 || rout > kMax112) return "a reserve beyond uint112 (the state is not a pair's)";
    if (out >= rout) return "UniswapV2: INSUFFICIENT_LIQUIDITY";
    auto bin = rin.checked_add(in);
    if (!bin || *bin > kMax112) return "UniswapV2: OVERFLOW";
    const U256 bout = *rout.checked_sub(out);
    // Every factor is below 2^122 and each product below 2^244: no overflow.
    const U256 adj_in = *(*bin->checked_mul(U256(1000))).checked_sub(*in.checked_mul(U256(3)));
    const U256 adj_out = *bout.checked_mul(U256(1000));
    const U256 k_after = *adj_in.checked_mul(adj_out);
    const U256 k_before = *(*rin.checked_mul(rout)).checked_mul(U256(1'000'000));
    return k_after >= k_before ? "" : "UniswapV2: K";
}

std::string math_detail(BotMathError e, size_t hop) { return std::string("hop ") + std::to_string(hop) + ": " + to_string(e); }

// UniswapV2Library.getAmountsOut / getAmountsIn over the bot's pairs, from the reserves before
// the swap (as the router reads them), then each pair's reserves after its hop.
Expected<std::vector<PredictedV2>, NotASwap> predict_route(const MarketState& state, const Route& r) {
    const size_t hops = r.path.size() - 1;
    std::vector<const V2Pool*> pools(hops);
    for (size_t i = 0; i < hops; ++i) {
        pools[i] = pool_for(state, r.path[i], r.path[i + 1]);
        if (!pools[i]) return not_a_swap(NotASwapCode::kForeignHop, r.path[i].checksum_hex() + " → " + r.path[i + 1].checksum_hex());
    }
    auto reserves = [&](size_t i) {
        const bool zero_in = pools[i]->token0 == r.path[i];
        return std::pair{zero_in ? pools[i]->reserve0 : pools[i]->reserve1, zero_in ? pools[i]->reserve1 : pools[i]->reserve0};
    };
    std::vector<U256> amounts(hops + 1);
    if (r.amount_in) {
        amounts[0] = *r.amount_in;
        for (size_t i = 0; i < hops; ++i) {
            auto [rin, rout] = reserves(i);
            auto out = v2_amount_out(amounts[i], rin, rout);
            if (!out) return not_a_swap(NotASwapCode::kMath, math_detail(out.error(), i));
            amounts[i + 1] = *out;
        }
        if (amounts[hops] < r.limit) return not_a_swap(NotASwapCode::kWouldRevert, "output " + amounts[hops].dec() + " below amountOutMin " + r.limit.dec());
    } else {
        amounts[hops] = *r.amount_out;
        for (size_t i = hops; i-- > 0;) {
            auto [rin, rout] = reserves(i);
            auto in = v2_amount_in(amounts[i + 1], rin, rout);
            if (!in) return not_a_swap(NotASwapCode::kMath, math_detail(in.error(), i));
            amounts[i] = *in;
        }
        if (amounts[0] > r.limit) return not_a_swap(NotASwapCode::kWouldRevert, "input " + amounts[0].dec() + " above amountInMax " + r.limit.dec());
    }
    std::vector<PredictedV2> out;
    std::vector<V2Pool> after;  // a pair the path crosses twice moves twice
    for (size_t i = 0; i < hops; ++i) {
        auto at = std::find_if(after.begin(), after.end(), [&](const V2Pool& p) { return p.address == pools[i]->address; });
        V2Pool& p = at != after.end() ? *at : after.emplace_back(*pools[i]);
        const bool zero_in = p.token0 == r.path[i];
        U256& rin = zero_in ? p.reserve0 : p.reserve1;
        U256& rout = zero_in ? p.reserve1 : p.reserve0;
        if (auto refused = pair_check(rin, rout, amounts[i], amounts[i + 1]); !refused.empty())
            return not_a_swap(NotASwapCode::kWouldRevert, "hop " + std::to_string(i) + ": " + refused);
        rin = *rin.checked_add(amounts[i]);
        rout = *rout.checked_sub(amounts[i + 1]);
        out.push_back({p.address, zero_in, amounts[i], amounts[i + 1], p.reserve0, p.reserve1});
    }
    return out;
}

Expected<Route, NotASwap> router_route(Fn fn, const std::vector<AbiValue>& a, const chain::TransactionInfo& tx) {
    auto path_of = [](const AbiValue& v) {
        std::vector<Address> p;
        for (const auto& x : v.list()) p.push_back(x.address());
        return p;
    };
    Route r;
    switch (fn) {
        case Fn::kExactTokensForTokens:
        case Fn::kExactTokensForEth:
            r = {path_of(a[2]), a[0].word(), std::nullopt, a[1].word(), a[4].word()};
            break;
        case Fn::kTokensForExactTokens: r = {path_of(a[2]), std::nullopt, a[0].word(), a[1].word(), a[4].word()}; break;
        case Fn::kExactEthForTokens: r = {path_of(a[1]), tx.value, std::nullopt, a[0].word(), a[3].word()}; break;
        case Fn::kPairSwap: break;
    }
    if (r.path.size() < 2) return not_a_swap(NotASwapCode::kMalformed, "path of " + std::to_string(r.path.size()) + " tokens");
    return r;
}

// A pair's swap(amount0Out, amount1Out, to, data): the output is exact, the input was paid
// before the call; it is taken as the least the K check accepts.
Expected<std::vector<PredictedV2>, NotASwap> predict_pair(const V2Pool& pool, const std::vector<AbiValue>& a) {
    const U256& out0 = a[0].word();
    const U256& out1 = a[1].word();
    if ((out0 == U256(0)) == (out1 == U256(0)))
        return not_a_swap(NotASwapCode::kUnsupported, out0 == U256(0) ? "no output" : "both tokens out");
    const bool zero_for_one = out0 == U256(0);
    const U256& out = zero_for_one ? out1 : out0;
    const U256& rin = zero_for_one ? pool.reserve0 : pool.reserve1;
    const U256& rout = zero_for_one ? pool.reserve1 : pool.reserve0;
    auto in = v2_amount_in(out, rin, rout);
    if (!in) return not_a_swap(NotASwapCode::kMath, to_string(in.error()));
    if (auto refused = pair_check(rin, rout, *in, out); !refused.empty()) return not_a_swap(NotASwapCode::kWouldRevert, refused);
    const U256 in_sum = *rin.checked_add(*in);
    PredictedV2 p{pool.address, zero_for_one, *in, out, {}, {}};
    const U256 out_left = *rout.checked_sub(out);  // getAmountIn refuses out ≥ reserve
    p.reserve0 = zero_for_one ? in_sum : out_left;
    p.reserve1 = zero_for_one ? out_left : in_sum;
    return std::vector<PredictedV2>{p};
}

}  // namespace

Expected<PendingSwap, NotASwap> decode_pending_swap(const chain::TransactionInfo& tx, const MarketState& state, const MempoolRoutes& routes) {
    if (!tx.to) return not_a_swap(NotASwapCode::kNotOurs, "a contract creation");
    if (state.v3(*tx.to) || std::find(routes.v3_routers.begin(), routes.v3_routers.end(), *tx.to) != routes.v3_routers.end())
        return decode_pending_v3_swap(tx, state, routes);
    const V2Pool* pair = state.v2(*tx.to);
    const bool router = std::find(routes.v2_routers.begin(), routes.v2_routers.end(), *tx.to) != routes.v2_routers.end();
    if (!pair && !router) return not_a_swap(NotASwapCode::kNotOurs, tx.to->checksum_hex());
    if (tx.input.size() < 4) return not_a_swap(NotASwapCode::kUnknownSelector, "calldata of " + std::to_string(tx.input.size()) + " bytes");
    const Known* k = nullptr;
    for (const auto& c : known())
        if (std::equal(c.selector.begin(), c.selector.end(), tx.input.begin()) && (c.fn == Fn::kPairSwap) == (pair != nullptr)) k = &c;
    if (!k) return not_a_swap(NotASwapCode::kUnknownSelector, "selector " + cvex::to_hex(ByteView(tx.input.data(), 4)));
    auto args = chain::abi_decode(k->sig.input_types(), ByteView(tx.input.data() + 4, tx.input.size() - 4));
    if (!args) return not_a_swap(NotASwapCode::kMalformed, k->sig.name + ": " + args.error().message());

    PendingSwap swap{tx.hash, tx.from, k->sig.name, k->fn == Fn::kPairSwap, {}, {}};
    Expected<std::vector<PredictedV2>, NotASwap> pools = std::vector<PredictedV2>{};
    if (pair) {
        pools = predict_pair(*pair, *args);
    } else {
        auto route = router_route(k->fn, *args, tx);
        if (!route) return Unexpected{route.error()};
        // UniswapV2Router02's `ensure`: deadline >= block.timestamp, and the next block is later.
        if (state.block.timestamp != 0 && route->deadline <= U256(state.block.timestamp))
            return not_a_swap(NotASwapCode::kWouldRevert, "deadline " + route->deadline.dec() + " has passed");
        pools = predict_route(state, *route);
    }
    if (!pools) return Unexpected{pools.error()};
    swap.pools = std::move(*pools);
    return swap;
}

MarketState apply_prediction(MarketState state, const PendingSwap& swap) {
    for (const auto& p : swap.pools)
        if (V2Pool* pool = state.v2(p.pool)) {
            pool->reserve0 = p.reserve0;
            pool->reserve1 = p.reserve1;
        }
    for (const auto& p : swap.v3_pools)  // each hop's state replaces the one before: the last hop's wins
        if (V3Pool* pool = state.v3(p.pool)) {
            pool->sqrt_price_x96 = p.sqrt_price_x96;
            pool->liquidity = p.liquidity;
            pool->tick = p.tick;
        }
    return state;
}

}  // namespace cvex::bots
