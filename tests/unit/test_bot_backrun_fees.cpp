// The pieces of a back-run that need no chain (issue 18 §2): the fees that order it after the
// pending swap (EIP-1559 §"Specification": a block pays min(max priority fee, max fee − base fee)
// per gas), the "mempool" config, and eth_simulateV1's answer (execution-apis).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "bots/runner/config.hpp"
#include "bots/runner/mempool_feed.hpp"
#include "chain/rpc/rpc_json.hpp"

using namespace cvex;
using chain::U256;
using nlohmann::json;

namespace {

const U256 kGwei(1'000'000'000);

chain::TransactionInfo eip1559(const U256& max_fee, const U256& tip) {
    chain::TransactionInfo t;
    t.max_fee_per_gas = max_fee;
    t.max_priority_fee_per_gas = tip;
    return t;
}

chain::TransactionInfo legacy(const U256& gas_price) {
    chain::TransactionInfo t;
    t.gas_price = gas_price;
    return t;
}

}  // namespace

TEST_CASE("a transaction's effective tip is the smaller of its tip and its fee cap's room over the base fee") {
    const U256 base(7 * kGwei.low_u64());
    CHECK(eip1559(U256(10 * kGwei.low_u64()), kGwei).effective_tip(base) == kGwei);
    CHECK(eip1559(U256(base.low_u64() + 5), kGwei).effective_tip(base) == U256(5));
    CHECK(legacy(U256(9 * kGwei.low_u64())).effective_tip(base) == U256(2 * kGwei.low_u64()));
    CHECK_FALSE(eip1559(U256(base.low_u64() - 1), kGwei).effective_tip(base));  // cannot pay the base fee
    CHECK_FALSE(chain::TransactionInfo{}.effective_tip(base));                  // no fee fields at all
}

TEST_CASE("a back-run pays half the swap's tip under a fee cap 1 wei below the swap's") {
    const U256 base(765'625'000);
    // Anvil's wallet fees: the next base fee plus a 1 gwei tip.
    const auto whale = eip1559(U256(base.low_u64() + kGwei.low_u64()), kGwei);
    const auto fees = bots::backrun_fees(whale, base);
    REQUIRE(fees);
    CHECK(fees->first == U256(500'000'000));
    CHECK(fees->second == U256(base.low_u64() + kGwei.low_u64() - 1));
    // Ordered after the whale by tip and by fee cap alike.
    CHECK(fees->first < *whale.effective_tip(base));
    CHECK(fees->second < *whale.max_fee_per_gas);

    SECTION("a legacy swap: its gas price is both its cap and its tip's source") {
        const auto l = bots::backrun_fees(legacy(U256(base.low_u64() + 100)), base);
        REQUIRE(l);
        CHECK(l->first == U256(50));
        CHECK(l->second == U256(base.low_u64() + 99));
    }
    SECTION("a cap with no room: the tip shrinks to what the lower cap leaves") {
        const auto tight = bots::backrun_fees(eip1559(U256(base.low_u64() + 4), kGwei), base);
        REQUIRE(tight);
        CHECK(tight->first == U256(2));  // half of the effective 4
        CHECK(tight->second == U256(base.low_u64() + 3));
    }
    SECTION("nothing to undercut: no back-run") {
        CHECK_FALSE(bots::backrun_fees(eip1559(U256(base.low_u64() + 1), kGwei), base));  // effective tip 1
        CHECK_FALSE(bots::backrun_fees(eip1559(base, kGwei), base));                      // tip 0
        CHECK_FALSE(bots::backrun_fees(chain::TransactionInfo{}, base));
    }
}

TEST_CASE("a bot's mempool config names the WebSocket and the routers, and every mistake by its key") {
    const json ok = {{"ws_url", "ws://127.0.0.1:8545"}, {"v2_routers", {"0x7a250d5630b4cf539739df2c5dacb4c659f2488d"}},
                     {"v3_routers", json::array()}};
    auto c = bots::parse_mempool_config(ok, "bots[0].mempool");
    REQUIRE(c);
    CHECK(c->ws_url == "ws://127.0.0.1:8545");
    REQUIRE(c->routes.v2_routers.size() == 1);
    CHECK(c->routes.v3_routers.empty());

    auto error_of = [](const json& j) {
        auto r = bots::parse_mempool_config(j, "bots[0].mempool");
        REQUIRE_FALSE(r);
        return r.error().message();
    };
    CHECK_THAT(error_of(json{{"v2_routers", json::array()}}), Catch::Contains("bots[0].mempool.ws_url") && Catch::Contains("required"));
    CHECK_THAT(error_of(json{{"ws_url", "http://127.0.0.1:8545"}}), Catch::Contains("bots[0].mempool.ws_url"));
    CHECK_THAT(error_of(json{{"ws_url", "ws://127.0.0.1:8545"}, {"v2_routers", {"0x12"}}}), Catch::Contains("bots[0].mempool.v2_routers[0]"));
    CHECK_THAT(error_of(json{{"ws_url", "ws://127.0.0.1:8545"}, {"v3_routers", "0x7a250d5630b4cf539739df2c5dacb4c659f2488d"}}),
               Catch::Contains("bots[0].mempool.v3_routers"));
    CHECK_THAT(error_of(json{{"ws_url", "ws://127.0.0.1:8545"}, {"routers", json::array()}}), Catch::Contains("routers"));
    CHECK_THAT(error_of(json::array()), Catch::Contains("bots[0].mempool"));
}

TEST_CASE("eth_simulateV1's block is read call by call: status, return data, gas, the node's error") {
    const json answer = json::array({{{"number", "0x2"},
                                      {"calls", json::array({{{"status", "0x1"}, {"returnData", "0x2a"}, {"gasUsed", "0x5208"}, {"logs", json::array()}},
                                                             {{"status", "0x0"},
                                                              {"returnData", "0x08c379a0"},
                                                              {"gasUsed", "0x6000"},
                                                              {"error", {{"code", 3}, {"message", "execution reverted"}}}}})}}});
    auto calls = chain::rpc_json::simulated_calls(answer);
    REQUIRE(calls);
    REQUIRE(calls->size() == 2);
    CHECK((*calls)[0].success);
    CHECK((*calls)[0].return_data == Bytes{0x2a});
    CHECK((*calls)[0].gas_used == 21000);
    CHECK_FALSE((*calls)[1].success);
    CHECK((*calls)[1].error == "execution reverted");

    CHECK_FALSE(chain::rpc_json::simulated_calls(json::array()));                              // no block
    CHECK_FALSE(chain::rpc_json::simulated_calls(json::array({{{"calls", json::object()}}})));  // calls not a list
    auto missing = chain::rpc_json::simulated_calls(json::array({{{"calls", json::array({{{"returnData", "0x"}, {"gasUsed", "0x0"}}})}}}));
    REQUIRE_FALSE(missing);
    CHECK_THAT(missing.error(), Catch::Contains("status"));
}
