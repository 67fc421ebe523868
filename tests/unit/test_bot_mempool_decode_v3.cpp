// Pending V3 swaps → predicted pool states (bots/collect/mempool.hpp, mempool_v3*.cpp): real
// SwapRouter (exactInputSingle, exactOutputSingle, the multi-hop exactInput) and UniswapV3Pool
// calldata built with our ABI encoder, predictions checked against an independent replay of the
// pool's swap loop, and hostile calldata always a typed NotASwap. The V2 half is
// test_bot_mempool_decode.cpp.
#include <catch2/catch.hpp>

#include "bots/collect/mempool.hpp"
#include "chain/encoding/abi_codec.hpp"
#include "support/mempool_market.hpp"

using namespace cvex;
using namespace cvex::bots;
using chain::AbiValue;
using chain::Address;
using chain::U256;

namespace {

using namespace cvex::test::mempool;

NotASwapCode refusal(const chain::TransactionInfo& tx, const MarketState& s = market()) {
    auto r = decode_pending_swap(tx, s, kRoutes);
    REQUIRE_FALSE(r);
    CHECK_FALSE(r.error().message().empty());
    return r.error().code;
}

}  // namespace

namespace {

chain::TransactionInfo exact_input_single(const Address& in, const Address& out, uint32_t fee, U256 amount) {
    const AbiValue::List params = {in, out, U256(fee), addr(0x33), U256(2'000), amount, U256(0), U256(0)};
    return call(kV3Router, "exactInputSingle((address,address,uint24,address,uint256,uint256,uint256,uint160))", {AbiValue(params)});
}

}  // namespace

TEST_CASE("V3: exactInputSingle and a pool's own swap within the range are predicted; the rest is a typed NotASwap") {
    const MempoolRoutes& routes = kRoutes;
    auto r = decode_pending_swap(exact_input_single(kA, kB, 3000, e18(10)), v3_market(), routes);
    INFO((r ? std::string() : r.error().message()));
    REQUIRE(r);
    REQUIRE(r->v3_pools.size() == 1);
    const auto& p = r->v3_pools[0];
    CHECK(p.zero_for_one);
    CHECK(p.liquidity == e18(1'000'000));
    // The price fell, and the tick is TickMath.getTickAtSqrtRatio's: ratio(tick) ≤ price < ratio(tick + 1).
    CHECK(p.sqrt_price_x96 < v3_market().v3_pools[0].sqrt_price_x96);
    CHECK(*sqrt_ratio_at_tick(p.tick) <= p.sqrt_price_x96);
    CHECK(p.sqrt_price_x96 < *sqrt_ratio_at_tick(p.tick + 1));
    CHECK(p.tick < 0);
    CHECK(apply_prediction(v3_market(), *r).v3(kV3Pool)->tick == p.tick);

    const auto pool_swap = [&](U256 specified) {
        return call(kV3Pool, "swap(address,bool,int256,uint160,bytes)", {addr(0x33), false, specified, *U256::parse_dec("158456325028528675187087900672")  /* price limit 4 */, Bytes{}});
    };
    auto own = decode_pending_swap(pool_swap(e18(10)), v3_market(), routes);
    REQUIRE(own);
    CHECK_FALSE(own->v3_pools.at(0).zero_for_one);
    // A negative amountSpecified is an exact output: 10 A out, as exactOutputSingle B → A below.
    auto own_out = decode_pending_swap(pool_swap(U256(0).wrapping_sub(e18(10))), v3_market(), routes);
    REQUIRE(own_out);
    CHECK(own_out->v3_pools.at(0).amount_out == e18(10));
    CHECK(own_out->v3_pools.at(0).amount_in == dec("10030190572718164495"));
    CHECK(own_out->v3_pools.at(0).sqrt_price_x96 == dec("79228954803812375717301123348"));
    // int256's minimum, an output of 2^255: the price limit is reached first (a partial fill).
    CHECK(refusal(pool_swap(U256(1) << 255), v3_market()) == NotASwapCode::kUnsupported);
    // The pool takes its limit literally: 0 is below any price (UniswapV3Pool: SPL).
    CHECK(refusal(call(kV3Pool, "swap(address,bool,int256,uint160,bytes)", {addr(0x33), false, e18(1), U256(0), Bytes{}}), v3_market()) ==
          NotASwapCode::kWouldRevert);

    CHECK(refusal(exact_input_single(kA, kB, 500, e18(10)), v3_market()) == NotASwapCode::kForeignHop);  // no 0.05 % pool
    CHECK(refusal(exact_input_single(kA, kB, 3000, *U256::parse_dec("100000000000000000000000000000000000000000000000000")), v3_market()) ==
          NotASwapCode::kUnsupported);  // 10^50: would cross the range's initialized lower tick
    CHECK(refusal(exact_input_single(kA, kB, 3000, U256(0)), v3_market()) == NotASwapCode::kWouldRevert);
    auto good = exact_input_single(kA, kB, 3000, e18(10));
    for (size_t n = 0; n < good.input.size(); ++n) {
        auto cut = good;
        cut.input.resize(n);
        const NotASwapCode code = refusal(cut, v3_market());
        CHECK((code == NotASwapCode::kMalformed || code == NotASwapCode::kUnknownSelector));
    }
}

namespace {

const char* kExactOutputSingle = "exactOutputSingle((address,address,uint24,address,uint256,uint256,uint256,uint160))";
const char* kExactInput = "exactInput((bytes,address,uint256,uint256,uint256))";

chain::TransactionInfo exact_output_single(const Address& in, const Address& out, uint32_t fee, U256 amount_out, U256 max_in,
                                           U256 deadline = U256(2'000), U256 limit = U256(0)) {
    const AbiValue::List params = {in, out, U256(fee), addr(0x33), deadline, amount_out, max_in, limit};
    return call(kV3Router, kExactOutputSingle, {AbiValue(params)});
}

// Path.sol's encoding: token (20 bytes) | fee (3 bytes, big-endian) | token | …
Bytes v3_path(const std::vector<Address>& tokens, const std::vector<uint32_t>& fees) {
    Bytes p;
    for (size_t i = 0; i < tokens.size(); ++i) {
        p.insert(p.end(), tokens[i].bytes.begin(), tokens[i].bytes.end());
        if (i < fees.size()) p.insert(p.end(), {uint8_t(fees[i] >> 16), uint8_t(fees[i] >> 8), uint8_t(fees[i])});
    }
    return p;
}

chain::TransactionInfo exact_input(const Bytes& path, U256 amount_in, U256 min_out, U256 deadline = U256(2'000)) {
    const AbiValue::List params = {path, addr(0x33), deadline, amount_in, min_out};
    return call(kV3Router, kExactInput, {AbiValue(params)});
}

}  // namespace

// The expected figures below come from an independent big-integer replay of UniswapV3Pool.swap
// (v3-core TickMath, SqrtPriceMath, SwapMath and TickBitmap transcribed into Python, checked
// against SwapMath.spec.ts's vectors), on the pool of v3_market: price 1 (tick 0), liquidity 10^24,
// fee 0.3 %, tick spacing 60, initialized only at ±887220. By hand: 10 B out costs about
// 10 / 0.997 · (1 + 10^-5) = 10.0302 A.
TEST_CASE("V3: exactOutputSingle is predicted to the wei as the pool swaps an exact output") {
    auto r = decode_pending_swap(exact_output_single(kA, kB, 3000, e18(10), e18(11)), v3_market(), kRoutes);
    INFO((r ? std::string() : r.error().message()));
    REQUIRE(r);
    CHECK(r->function == "exactOutputSingle");
    REQUIRE(r->v3_pools.size() == 1);
    const auto& p = r->v3_pools[0];
    CHECK(p.pool == kV3Pool);
    CHECK(p.zero_for_one);
    CHECK(p.amount_out == e18(10));
    CHECK(p.amount_in == dec("10030190572718164495"));
    CHECK(p.sqrt_price_x96 == dec("79227370232639194950168014896"));
    CHECK(p.tick == -1);  // tick 0 is crossed first (uninitialized), then the price stays within tick −1
    CHECK(p.liquidity == e18(1'000'000));

    auto up = decode_pending_swap(exact_output_single(kB, kA, 3000, e18(10), e18(11)), v3_market(), kRoutes);
    REQUIRE(up);
    CHECK_FALSE(up->v3_pools.at(0).zero_for_one);
    CHECK(up->v3_pools.at(0).amount_in == dec("10030190572718164495"));
    CHECK(up->v3_pools.at(0).sqrt_price_x96 == dec("79228954803812375717301123348"));
    CHECK(up->v3_pools.at(0).tick == 0);

    // 600,000 B out: the price falls past the bitmap word [−15360, 0) into the next, crossing only uninitialized ticks.
    auto far = decode_pending_swap(exact_output_single(kA, kB, 3000, e18(600'000), e18(2'000'000)), v3_market(), kRoutes);
    REQUIRE(far);
    CHECK(far->v3_pools.at(0).amount_in == dec("1504513540621865596790375"));
    CHECK(far->v3_pools.at(0).sqrt_price_x96 == dec("31691265005705735037417563688"));
    CHECK(far->v3_pools.at(0).tick == -18327);
    CHECK(apply_prediction(v3_market(), *far).v3(kV3Pool)->tick == -18327);
}

TEST_CASE("V3: exactOutputSingle refusals — amountInMaximum, deadline, foreign pool, limits") {
    CHECK(decode_pending_swap(exact_output_single(kA, kB, 3000, e18(10), dec("10030190572718164495")), v3_market(), kRoutes));
    CHECK(refusal(exact_output_single(kA, kB, 3000, e18(10), dec("10030190572718164494")), v3_market()) == NotASwapCode::kWouldRevert);
    CHECK(refusal(exact_output_single(kA, kB, 3000, e18(10), e18(11), U256(1'000)), v3_market()) == NotASwapCode::kWouldRevert);
    CHECK(refusal(exact_output_single(kA, kB, 500, e18(10), e18(11)), v3_market()) == NotASwapCode::kForeignHop);
    CHECK(refusal(exact_output_single(kA, kC, 3000, e18(10), e18(11)), v3_market()) == NotASwapCode::kForeignHop);
    CHECK(refusal(exact_output_single(kA, kB, 3000, U256(0), e18(11)), v3_market()) == NotASwapCode::kWouldRevert);  // 'AS'
    CHECK(refusal(exact_output_single(kA, kB, 3000, U256(1) << 255, U256::max()), v3_market()) == NotASwapCode::kWouldRevert);  // toInt256
    // More than the range holds: the swap would reach the initialized tick −887220.
    CHECK(refusal(exact_output_single(kA, kB, 3000, e18(1'000'001), U256::max()), v3_market()) == NotASwapCode::kUnsupported);
    // A price limit the swap reaches: a partial fill, which exactOutputSingle with a limit allows.
    CHECK(refusal(exact_output_single(kA, kB, 3000, e18(10), e18(11), U256(2'000), dec("79228000000000000000000000000")), v3_market()) ==
          NotASwapCode::kUnsupported);
    // A limit on the wrong side of the price (UniswapV3Pool: SPL).
    CHECK(refusal(exact_output_single(kA, kB, 3000, e18(10), e18(11), U256(2'000), dec("79228162514264337593543950337")), v3_market()) ==
          NotASwapCode::kWouldRevert);
}

TEST_CASE("V3: exactInput A → B → A through one pool: the second hop starts where the first left the pool") {
    auto r = decode_pending_swap(exact_input(v3_path({kA, kB, kA}, {3000, 3000}), e18(10), U256(0)), v3_market(), kRoutes);
    INFO((r ? std::string() : r.error().message()));
    REQUIRE(r);
    CHECK(r->function == "exactInput");
    REQUIRE(r->v3_pools.size() == 2);
    const auto& a = r->v3_pools[0];
    const auto& b = r->v3_pools[1];
    CHECK((a.pool == kV3Pool && b.pool == kV3Pool));
    CHECK(a.zero_for_one);
    CHECK(a.amount_in == e18(10));
    CHECK(a.amount_out == dec("9969900600091017092"));
    CHECK(a.sqrt_price_x96 == dec("79227372617359342520899016973"));
    CHECK(a.tick == -1);
    CHECK_FALSE(b.zero_for_one);
    CHECK(b.amount_in == a.amount_out);  // the first hop's output is the second's input
    CHECK(b.amount_out == dec("9940090297305136658"));
    CHECK(b.sqrt_price_x96 == dec("79228160144573622608325913972"));  // from the price the first hop left, not from 1
    CHECK(b.tick == -1);
    // The strategies' view: the pool in its last hop's state.
    const MarketState next = apply_prediction(v3_market(), *r);
    CHECK(next.v3(kV3Pool)->sqrt_price_x96 == b.sqrt_price_x96);
    CHECK(next.v3(kV3Pool)->tick == -1);

    // One hop through the path is exactInputSingle.
    auto one = decode_pending_swap(exact_input(v3_path({kA, kB}, {3000}), e18(10), U256(0)), v3_market(), kRoutes);
    auto single = decode_pending_swap(exact_input_single(kA, kB, 3000, e18(10)), v3_market(), kRoutes);
    REQUIRE((one && single));
    REQUIRE(one->v3_pools.size() == 1);
    CHECK(one->v3_pools[0].amount_out == single->v3_pools.at(0).amount_out);
    CHECK(one->v3_pools[0].sqrt_price_x96 == single->v3_pools.at(0).sqrt_price_x96);
}

TEST_CASE("V3: exactInput refusals — amountOutMinimum on the last hop, deadline, foreign hops, malformed paths") {
    const Bytes aba = v3_path({kA, kB, kA}, {3000, 3000});
    CHECK(decode_pending_swap(exact_input(aba, e18(10), dec("9940090297305136658")), v3_market(), kRoutes));
    CHECK(refusal(exact_input(aba, e18(10), dec("9940090297305136659")), v3_market()) == NotASwapCode::kWouldRevert);
    CHECK(refusal(exact_input(aba, e18(10), U256(0), U256(999)), v3_market()) == NotASwapCode::kWouldRevert);
    CHECK(refusal(exact_input(aba, U256(0), U256(0)), v3_market()) == NotASwapCode::kWouldRevert);
    CHECK(refusal(exact_input(v3_path({kA, kB, kA}, {3000, 500}), e18(10), U256(0)), v3_market()) == NotASwapCode::kForeignHop);
    CHECK(refusal(exact_input(v3_path({kA, kB, kC}, {3000, 3000}), e18(10), U256(0)), v3_market()) == NotASwapCode::kForeignHop);
    for (size_t n : {0, 1, 20, 23, 42, 44, 65, 67}) {
        Bytes cut = aba;
        cut.resize(n, 0xa0);
        INFO("path of " << n << " bytes");
        CHECK(refusal(exact_input(cut, e18(10), U256(0)), v3_market()) == NotASwapCode::kMalformed);
    }
    // Nine hops back and forth through the pool: more than the decoder replays.
    std::vector<Address> tokens;
    for (int i = 0; i < 10; ++i) tokens.push_back(i % 2 ? kB : kA);
    CHECK(refusal(exact_input(v3_path(tokens, std::vector<uint32_t>(9, 3000)), e18(10), U256(0)), v3_market()) == NotASwapCode::kUnsupported);
}

TEST_CASE("V3 hostile calldata: every truncation and flipped byte of exactOutputSingle and exactInput is handled") {
    const Bytes aba = v3_path({kA, kB, kA}, {3000, 3000});
    // Each call, and where its calldata ends before the zero padding of its last `bytes` value:
    // Solidity's ABI decoder (and ours) bound a `bytes` by its length, so the router would accept
    // the calldata cut anywhere in that padding, and so does the decoder.
    const std::pair<chain::TransactionInfo, size_t> calls[] = {
        {exact_output_single(kA, kB, 3000, e18(10), e18(11)), 4 + 8 * 32},
        {exact_input(aba, e18(10), U256(0)), 4 + 32 + 5 * 32 + 32 + aba.size()},
    };
    for (const auto& [good, unpadded] : calls) {
        auto full = decode_pending_swap(good, v3_market(), kRoutes);
        REQUIRE(full);
        for (size_t n = 0; n < good.input.size(); ++n) {
            auto cut = good;
            cut.input.resize(n);
            INFO("cut to " << n << " of " << good.input.size() << " bytes");
            if (n >= unpadded) {
                auto r = decode_pending_swap(cut, v3_market(), kRoutes);
                REQUIRE(r);
                CHECK(r->v3_pools.back().sqrt_price_x96 == full->v3_pools.back().sqrt_price_x96);
                continue;
            }
            const NotASwapCode code = refusal(cut, v3_market());
            CHECK((code == NotASwapCode::kMalformed || code == NotASwapCode::kUnknownSelector));
        }
        for (size_t i = 0; i < good.input.size(); ++i) {
            for (uint8_t flip : {uint8_t(0xff), uint8_t(0x01), uint8_t(0x80)}) {
                auto bad = good;
                bad.input[i] ^= flip;
                auto r = decode_pending_swap(bad, v3_market(), kRoutes);  // decodes or refuses; the sanitizers watch
                if (!r) CHECK_FALSE(r.error().message().empty());
                if (r) CHECK(r->v3_pools.size() <= 2);
            }
        }
    }
    // The path's length word set to 2^255 (the tuple's head: offset, then the path's length at 4 + 32 + 5·32).
    auto huge = exact_input(aba, e18(10), U256(0));
    huge.input[4 + 32 + 5 * 32] = 0x80;
    CHECK(refusal(huge, v3_market()) == NotASwapCode::kMalformed);
}
