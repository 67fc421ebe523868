// Fuzz target `mempool`: a pending transaction's calldata as the mempool collector hands it to
// decode_pending_swap (bots/collect/mempool.hpp). The first input byte picks where it is sent
// (the bot's router, its pair, or elsewhere) and whether it carries value; the rest is the
// calldata. Property: a prediction or a typed NotASwap with a message, never a crash; a predicted
// pair never loses its constant product (the 0.3 % fee only adds to it).
#include "bots/collect/mempool.hpp"
#include "fuzz_check.hpp"

using namespace cvex;
using namespace cvex::bots;
using chain::Address;
using chain::U256;

namespace {

Address addr(uint8_t b) {
    Address a;
    a.bytes.fill(b);
    return a;
}

const MarketState& market() {
    static const MarketState s = [] {
        MarketState m;
        m.block.timestamp = 1'000;
        m.v2_pools.push_back(V2Pool{addr(0x11), addr(0xa0), addr(0xb0), *U256::parse_dec("1000000000000000000000"),
                                    *U256::parse_dec("2500000000000000000000000"), {}});
        m.v2_pools.push_back(V2Pool{addr(0x22), addr(0xb0), addr(0xc0), *U256::parse_dec("1000000000000000000000000"), U256(3'000'000'000'000ULL), {}});
        return m;
    }();
    return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    chain::TransactionInfo tx;
    const uint8_t pick = data[0];
    tx.to = (pick & 3) == 0 ? addr(0x70) : (pick & 3) == 1 ? addr(0x11) : (pick & 3) == 2 ? addr(0x22) : addr(0x44);
    if (pick & 4) tx.value = *U256(pick).checked_mul(U256(1'000'000'000'000'000ULL));
    tx.input.assign(data + 1, data + size);
    auto r = decode_pending_swap(tx, market(), MempoolRoutes{{addr(0x70)}});
    if (!r) {
        CVEX_FUZZ_CHECK(!r.error().message().empty(), "a NotASwap has a message");
        return 0;
    }
    CVEX_FUZZ_CHECK(!r->pools.empty(), "a decoded swap moves at least one pair");
    for (const auto& p : r->pools) {
        const V2Pool* before = market().v2(p.pool);
        CVEX_FUZZ_CHECK(before != nullptr, "a predicted pair is one of the bot's");
        auto k0 = before->reserve0.checked_mul(before->reserve1);
        auto k1 = p.reserve0.checked_mul(p.reserve1);
        CVEX_FUZZ_CHECK(!k0 || !k1 || *k1 >= *k0, "the constant product never falls");
    }
    (void)apply_prediction(market(), *r);
    return 0;
}
