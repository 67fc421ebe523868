// Pending swaps → predicted reserves (bots/collect/mempool.hpp): real UniswapV2Router02 and
// UniswapV2Pair calldata built with our ABI encoder, predictions checked against numbers worked
// out by hand from the V2 formula (getAmountOut = a·997·R_out / (R_in·1000 + a·997), getAmountIn
// = R_in·o·1000 / ((R_out − o)·997) + 1), and hostile calldata always a typed NotASwap. The V3
// half (SwapRouter and UniswapV3Pool calldata) is test_bot_mempool_decode_v3.cpp.
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

AbiValue path(std::initializer_list<Address> p) {
    AbiValue::List l;
    for (const auto& a : p) l.emplace_back(a);
    return AbiValue(l);
}

const char* kExactIn = "swapExactTokensForTokens(uint256,uint256,address[],address,uint256)";

NotASwapCode refusal(const chain::TransactionInfo& tx, const MarketState& s = market()) {
    auto r = decode_pending_swap(tx, s, kRoutes);
    REQUIRE_FALSE(r);
    CHECK_FALSE(r.error().message().empty());
    return r.error().code;
}

}  // namespace

TEST_CASE("swapExactTokensForTokens through the router predicts the pair's reserves to the wei") {
    auto r = decode_pending_swap(call(kRouter, kExactIn, {e18(10), U256(0), path({kA, kB}), addr(0x33), U256(2'000)}), market(), kRoutes);
    REQUIRE(r);
    CHECK(r->function == "swapExactTokensForTokens");
    CHECK_FALSE(r->input_assumed);
    REQUIRE(r->pools.size() == 1);
    const auto& p = r->pools[0];
    CHECK(p.pool == kPairAB);
    CHECK(p.zero_for_one);
    CHECK(p.amount_out == dec("24678950859926532471261"));
    CHECK(p.reserve0 == dec("1010000000000000000000"));
    CHECK(p.reserve1 == dec("2475321049140073467528739"));
    // The strategies' view of the next block.
    const MarketState next = apply_prediction(market(), *r);
    CHECK(next.v2(kPairAB)->reserve1 == p.reserve1);
    CHECK(next.v2(kPairBC)->reserve0 == e18(1'000'000));
}

TEST_CASE("swapTokensForExactTokens pays getAmountIn of the exact output") {
    auto tx = call(kRouter, "swapTokensForExactTokens(uint256,uint256,address[],address,uint256)",
                   {e18(100), e18(300'000), path({kB, kA}), addr(0x33), U256(2'000)});
    auto r = decode_pending_swap(tx, market(), kRoutes);
    REQUIRE(r);
    REQUIRE(r->pools.size() == 1);
    CHECK_FALSE(r->pools[0].zero_for_one);
    CHECK(r->pools[0].amount_in == dec("278613618633678814220440"));
    CHECK(r->pools[0].reserve0 == dec("900000000000000000000"));
    CHECK(r->pools[0].reserve1 == dec("2778613618633678814220440"));
    // amountInMax one wei short of what the pair needs: the router would revert.
    auto short_max = call(kRouter, "swapTokensForExactTokens(uint256,uint256,address[],address,uint256)",
                          {e18(100), dec("278613618633678814220439"), path({kB, kA}), addr(0x33), U256(2'000)});
    CHECK(refusal(short_max) == NotASwapCode::kWouldRevert);
}

TEST_CASE("the ETH router functions take the transaction's value or the token amount") {
    auto eth_in = decode_pending_swap(call(kRouter, "swapExactETHForTokens(uint256,address[],address,uint256)",
                                           {U256(0), path({kA, kB}), addr(0x33), U256(2'000)}, e18(10)),
                                      market(), kRoutes);
    REQUIRE(eth_in);
    CHECK(eth_in->pools.at(0).reserve1 == dec("2475321049140073467528739"));
    auto eth_out = decode_pending_swap(call(kRouter, "swapExactTokensForETH(uint256,uint256,address[],address,uint256)",
                                            {e18(10), U256(0), path({kA, kB}), addr(0x33), U256(2'000)}),
                                       market(), kRoutes);
    REQUIRE(eth_out);
    CHECK(eth_out->pools.at(0).reserve0 == dec("1010000000000000000000"));
}

TEST_CASE("a path through two of the bot's pairs predicts both, each hop from the reserves before the swap") {
    auto r = decode_pending_swap(call(kRouter, kExactIn, {e18(10), U256(0), path({kA, kB, kC}), addr(0x33), U256(2'000)}), market(), kRoutes);
    REQUIRE(r);
    REQUIRE(r->pools.size() == 2);
    CHECK(r->pools[1].pool == kPairBC);
    CHECK(r->pools[1].amount_in == dec("24678950859926532471261"));
    CHECK(r->pools[1].amount_out == dec("72042151089"));
    CHECK(r->pools[1].reserve0 == dec("1024678950859926532471261"));
    CHECK(r->pools[1].reserve1 == dec("2927957848911"));
}

TEST_CASE("a pair's own swap() is predicted with the least input its K check accepts") {
    auto r = decode_pending_swap(call(kPairAB, "swap(uint256,uint256,address,bytes)", {U256(0), e18(10'000), addr(0x33), Bytes{}}), market(), kRoutes);
    REQUIRE(r);
    CHECK(r->input_assumed);
    CHECK(r->pools.at(0).amount_in == dec("4028148703137525025"));
    CHECK(r->pools.at(0).reserve0 == dec("1004028148703137525025"));
    CHECK(r->pools.at(0).reserve1 == dec("2490000000000000000000000"));
    CHECK(refusal(call(kPairAB, "swap(uint256,uint256,address,bytes)", {e18(1), e18(1), addr(0x33), Bytes{}})) == NotASwapCode::kUnsupported);
    CHECK(refusal(call(kPairAB, "swap(uint256,uint256,address,bytes)", {e18(1'000), U256(0), addr(0x33), Bytes{}})) == NotASwapCode::kMath);
}

TEST_CASE("anything else is a typed NotASwap") {
    const std::vector<AbiValue> args = {e18(10), U256(0), path({kA, kB}), addr(0x33), U256(2'000)};
    CHECK(refusal(call(addr(0x44), kExactIn, args)) == NotASwapCode::kNotOurs);
    CHECK(refusal(call(kRouter, "addLiquidity(address,address,uint256,uint256,uint256,uint256,address,uint256)",
                       {kA, kB, U256(1), U256(1), U256(1), U256(1), addr(0x33), U256(2'000)})) == NotASwapCode::kUnknownSelector);
    CHECK(refusal(call(kPairAB, kExactIn, args)) == NotASwapCode::kUnknownSelector);  // a router function sent to a pair
    CHECK(refusal(call(kRouter, kExactIn, {e18(10), U256(0), path({kA, addr(0xdd)}), addr(0x33), U256(2'000)})) == NotASwapCode::kForeignHop);
    CHECK(refusal(call(kRouter, kExactIn, {e18(10), U256(0), path({kA}), addr(0x33), U256(2'000)})) == NotASwapCode::kMalformed);
    CHECK(refusal(call(kRouter, kExactIn, {e18(10), e18(30'000), path({kA, kB}), addr(0x33), U256(2'000)})) == NotASwapCode::kWouldRevert);
    CHECK(refusal(call(kRouter, kExactIn, {e18(10), U256(0), path({kA, kB}), addr(0x33), U256(1'000)})) == NotASwapCode::kWouldRevert);
    // A balance past uint112 makes the pair revert (UniswapV2: OVERFLOW).
    CHECK(refusal(call(kRouter, kExactIn, {*U256::parse_hex("ffffffffffffffffffffffffffff"), U256(0), path({kA, kB}), addr(0x33), U256(2'000)})) ==
          NotASwapCode::kWouldRevert);
    auto creation = call(kRouter, kExactIn, args);
    creation.to.reset();
    CHECK(refusal(creation) == NotASwapCode::kNotOurs);
}

TEST_CASE("hostile calldata: every truncation and every flipped byte is handled, never a crash") {
    const auto good = call(kRouter, kExactIn, {e18(10), U256(0), path({kA, kB, kC}), addr(0x33), U256(2'000)});
    for (size_t n = 0; n < good.input.size(); ++n) {
        auto cut = good;
        cut.input.resize(n);
        const NotASwapCode code = refusal(cut);
        CHECK((code == NotASwapCode::kMalformed || code == NotASwapCode::kUnknownSelector));
    }
    for (size_t i = 0; i < good.input.size(); ++i) {
        auto bad = good;
        bad.input[i] ^= 0xff;
        (void)decode_pending_swap(bad, market(), kRoutes);  // decodes or refuses; the sanitizers watch
    }
    auto huge = good;  // a path length word of 2^255
    huge.input[4 + 5 * 32] = 0x80;  // the word after the five head words
    CHECK(refusal(huge) == NotASwapCode::kMalformed);
}
