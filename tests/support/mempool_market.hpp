// The market the mempool decoder's tests and fuzz target decode against (bots/collect/mempool.hpp):
// two V2 pairs — A/B with 1,000 A and 2,500,000 B, B/C with 1,000,000 B and 3·10^12 C — and a V3
// A/B pool at price 1 (tick 0) with 10^24 liquidity, initialized only at the full range's ends;
// a V2 router at 0x70…, a V3 SwapRouter at 0x71…, and calldata built with cvex's ABI encoder.
#pragma once

#include <string>
#include <vector>

#include "bots/collect/mempool.hpp"
#include "chain/encoding/abi_codec.hpp"

namespace cvex::test::mempool {

inline chain::Address addr(uint8_t b) {
    chain::Address a;
    a.bytes.fill(b);
    return a;
}
inline chain::U256 dec(const char* s) { return *chain::U256::parse_dec(s); }
inline chain::U256 e18(uint64_t n) { return *chain::U256(n).checked_mul(dec("1000000000000000000")); }

inline const chain::Address kRouter = addr(0x70), kV3Router = addr(0x71), kPairAB = addr(0x11), kPairBC = addr(0x22), kV3Pool = addr(0x33),
                            kA = addr(0xa0), kB = addr(0xb0), kC = addr(0xc0);
inline const bots::MempoolRoutes kRoutes{{kRouter}, {kV3Router}};

/// The two V2 pairs.
inline bots::MarketState market() {
    bots::MarketState s;
    s.block.timestamp = 1'000;
    s.v2_pools.push_back(bots::V2Pool{kPairAB, kA, kB, e18(1'000), e18(2'500'000), {}});
    s.v2_pools.push_back(bots::V2Pool{kPairBC, kB, kC, e18(1'000'000), dec("3000000000000"), {}});
    return s;
}

/// The two V2 pairs and the V3 pool.
inline bots::MarketState v3_market() {
    bots::MarketState s = market();
    bots::V3Pool p;
    p.address = kV3Pool;
    p.token0 = kA;
    p.token1 = kB;
    p.sqrt_price_x96 = dec("79228162514264337593543950336");  // 2^96: price 1
    p.liquidity = e18(1'000'000);
    p.initialized_below = -887220;
    p.initialized_above = 887220;
    s.v3_pools.push_back(p);
    return s;
}

/// A pending call of `sig` with `args` to `to`, from 0x33….
inline chain::TransactionInfo call(const chain::Address& to, const std::string& sig, const std::vector<chain::AbiValue>& args,
                                   chain::U256 value = chain::U256(0)) {
    chain::TransactionInfo tx;
    tx.hash.bytes.fill(0x99);
    tx.from = addr(0x33);
    tx.to = to;
    tx.value = value;
    tx.input = *chain::abi_encode_call(*chain::parse_abi_signature(sig), args);
    return tx;
}

}  // namespace cvex::test::mempool
