// Fuzz target `mempool`: a pending transaction's calldata as the mempool collector hands it to
// decode_pending_swap (bots/collect/mempool.hpp). The first input byte picks where it is sent
// (the bot's V2 or V3 router, its pairs, its V3 pool, or elsewhere) and whether it carries value; the rest is the
// calldata (seeds: V2 router and pair calls, V3 exactInputSingle, exactOutputSingle, a two-hop
// exactInput and the pool's own swap both ways). Property: a prediction or a typed NotASwap with a
// message, never a crash; a predicted pair never loses its constant product (the 0.3 % fee only
// adds to it); V3 hops chain, each from the state the one before left.
#include "bots/collect/mempool.hpp"
#include "fuzz_check.hpp"
#include "support/mempool_market.hpp"

using namespace cvex;
using namespace cvex::bots;
using chain::Address;
using chain::U256;

namespace {

using namespace cvex::test::mempool;

// The market of the decoder's unit tests (support/mempool_market.hpp): two V2 pairs, one V3 pool.
const MarketState& fuzz_market() {
    static const MarketState s = v3_market();
    return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    chain::TransactionInfo tx;
    const uint8_t pick = data[0];
    const Address to[] = {addr(0x70), addr(0x11), addr(0x22), addr(0x71), addr(0x33), addr(0x44), addr(0x70), addr(0x71)};
    tx.to = to[pick & 7];
    if (pick & 8) tx.value = *U256(pick).checked_mul(U256(1'000'000'000'000'000ULL));
    tx.input.assign(data + 1, data + size);
    auto r = decode_pending_swap(tx, fuzz_market(), MempoolRoutes{{addr(0x70)}, {addr(0x71)}});
    if (!r) {
        CVEX_FUZZ_CHECK(!r.error().message().empty(), "a NotASwap has a message");
        return 0;
    }
    CVEX_FUZZ_CHECK(r->pools.empty() != r->v3_pools.empty(), "a decoded swap moves V2 pairs or V3 pools");
    // Hop by hop, from the state the hops before left: the range's liquidity stays, the price
    // moves the hop's way, and each hop's input is the previous hop's output.
    MarketState state = fuzz_market();
    for (size_t i = 0; i < r->v3_pools.size(); ++i) {
        const auto& p = r->v3_pools[i];
        V3Pool* before = state.v3(p.pool);
        CVEX_FUZZ_CHECK(before != nullptr && p.liquidity == before->liquidity, "a V3 prediction keeps its range's liquidity");
        CVEX_FUZZ_CHECK(p.zero_for_one ? p.sqrt_price_x96 <= before->sqrt_price_x96 : p.sqrt_price_x96 >= before->sqrt_price_x96,
                        "the price moves the swap's way");
        CVEX_FUZZ_CHECK(i == 0 || p.amount_in == r->v3_pools[i - 1].amount_out, "a hop's input is the previous hop's output");
        before->sqrt_price_x96 = p.sqrt_price_x96;
        before->tick = p.tick;
    }
    if (!r->v3_pools.empty())
        CVEX_FUZZ_CHECK(apply_prediction(fuzz_market(), *r).v3(r->v3_pools.back().pool)->sqrt_price_x96 == r->v3_pools.back().sqrt_price_x96,
                        "the last hop's state is the pool's");
    for (const auto& p : r->pools) {
        const V2Pool* before = fuzz_market().v2(p.pool);
        CVEX_FUZZ_CHECK(before != nullptr, "a predicted pair is one of the bot's");
        auto k0 = before->reserve0.checked_mul(before->reserve1);
        auto k1 = p.reserve0.checked_mul(p.reserve1);
        CVEX_FUZZ_CHECK(!k0 || !k1 || *k1 >= *k0, "the constant product never falls");
    }
    (void)apply_prediction(fuzz_market(), *r);
    return 0;
}
