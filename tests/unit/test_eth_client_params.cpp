// EthClient's JSON-RPC parameters are always an array, also when it has a single object to pass
// (eth_estimateGas, eth_getLogs). `json{object}` is a copy under clang's reading of CWG 2137 and
// an array of one under gcc's: the sanitizer build (clang) found requests Anvil refused as
// "invalid type: map, expected tuple variant".
#include <catch2/catch.hpp>

#include "chain/rpc/eth_client.hpp"
#include "support/table_endpoint.hpp"

using namespace cvex;
using cvex::test::TableEndpoint;

namespace {

nlohmann::json params_of(TableEndpoint& e, const std::string& method) {
    for (const auto& [m, p] : e.calls())
        if (m == method) return p;
    return nullptr;
}

}  // namespace

TEST_CASE("eth_estimateGas and eth_getLogs send their one object inside a params array") {
    auto node = std::make_shared<TableEndpoint>("node");
    node->answer("eth_estimateGas", "0x5208");
    node->answer("eth_getLogs", nlohmann::json::array());
    chain::EthClient eth(node);
    chain::CallRequest call;
    call.to = *chain::Address::parse("0x00000000000000000000000000000000000C0FFE");
    REQUIRE(eth.estimate_gas(call));
    const auto estimate = params_of(*node, "eth_estimateGas");
    REQUIRE(estimate.is_array());
    REQUIRE(estimate.size() == 1);
    CHECK(estimate[0].is_object());

    chain::LogFilter filter;
    filter.from_block = 1;
    filter.to_block = 2;
    REQUIRE(eth.logs(filter));
    const auto logs = params_of(*node, "eth_getLogs");
    REQUIRE(logs.is_array());
    REQUIRE(logs.size() == 1);
    CHECK(logs[0].is_object());
}
