// SendRoute (chain/rpc/send_route.hpp): signed transactions go to the send endpoint only, reads
// to the read endpoint only; the hash is the raw bytes' keccak256 whatever the endpoint says; a
// failed send route falls back to the read endpoint only when allowed, and a node's refusal of
// the transaction is an answer, never a reason to send it elsewhere.
#include <catch2/catch.hpp>

#include "chain/crypto/keccak.hpp"
#include "chain/rpc/send_route.hpp"
#include "support/table_endpoint.hpp"

using namespace cvex;
using cvex::test::TableEndpoint;
using nlohmann::json;

namespace {

const std::string kRaw = "0x02f86b827a690184b2d05e0085174876e800825208940000000000000000000000000000000000000001880de0b6b3a764000080c0";

size_t count(TableEndpoint& e, const std::string& method) {
    size_t n = 0;
    for (const auto& [m, p] : e.calls()) n += m == method;
    return n;
}

struct Route {
    std::shared_ptr<TableEndpoint> reads = std::make_shared<TableEndpoint>("http://read.node");
    std::shared_ptr<TableEndpoint> sends = std::make_shared<TableEndpoint>("https://private.tx");
    std::vector<std::string> log;
    chain::SendRoute route(bool fallback) {
        return chain::SendRoute(reads, sends, fallback, [this](const std::string& l) { log.push_back(l); });
    }
};

std::string expected_hash() { return chain::keccak256(*cvex::from_hex(kRaw)).hex(); }

}  // namespace

TEST_CASE("a signed transaction goes to the send endpoint only; reads go to the read endpoint only") {
    Route r;
    r.reads->answer("eth_blockNumber", "0x10");
    r.sends->answer("eth_sendRawTransaction", "0x" + std::string(64, 'f'));  // whatever it claims
    auto route = r.route(false);
    CHECK(*route.call("eth_blockNumber") == "0x10");
    auto sent = route.call("eth_sendRawTransaction", json::array({kRaw}));
    REQUIRE(sent);
    CHECK(*sent == expected_hash());  // EIP-2718: keccak256 of the raw bytes, never the endpoint's word
    CHECK(count(*r.sends, "eth_sendRawTransaction") == 1);
    CHECK(count(*r.reads, "eth_sendRawTransaction") == 0);
    CHECK(count(*r.sends, "eth_blockNumber") == 0);
    CHECK(route.stats().sent == 1);
    CHECK(route.url() == "http://read.node (transactions through https://private.tx)");
}

TEST_CASE("a batch routes each request: the transaction to the send endpoint, the reads to the read endpoint") {
    Route r;
    r.reads->answer("eth_chainId", "0x7a69");
    r.sends->answer("eth_sendRawTransaction", "0x00");
    auto route = r.route(false);
    auto out = route.batch({{"eth_chainId", json::array()}, {"eth_sendRawTransaction", json::array({kRaw})}});
    REQUIRE(out);
    REQUIRE(out->size() == 2);
    CHECK(*(*out)[0] == "0x7a69");
    CHECK(*(*out)[1] == expected_hash());
    CHECK(count(*r.reads, "eth_sendRawTransaction") == 0);
}

TEST_CASE("without send_fallback a failed send route is an error and the read endpoint never sees the transaction") {
    Route r;
    r.sends->unreachable();
    auto route = r.route(false);
    auto sent = route.call("eth_sendRawTransaction", json::array({kRaw}));
    REQUIRE_FALSE(sent);
    CHECK(sent.error().kind == chain::RpcError::kTransport);
    CHECK(count(*r.reads, "eth_sendRawTransaction") == 0);
    CHECK(route.stats().failed == 1);
    CHECK(route.stats().fell_back == 0);
    REQUIRE(r.log.size() == 1);
    CHECK_THAT(r.log[0], Catch::Contains("no fallback configured"));
}

TEST_CASE("with send_fallback a failed send route goes through the read endpoint, and says so") {
    Route r;
    r.sends->unreachable();
    r.reads->answer("eth_sendRawTransaction", "0x00");
    auto route = r.route(true);
    auto sent = route.call("eth_sendRawTransaction", json::array({kRaw}));
    REQUIRE(sent);
    CHECK(*sent == expected_hash());
    CHECK(count(*r.reads, "eth_sendRawTransaction") == 1);
    CHECK(route.stats().fell_back == 1);
    REQUIRE(r.log.size() == 1);
    CHECK_THAT(r.log[0], Catch::Contains("sending through the read endpoint"));
}

TEST_CASE("a node's refusal of the transaction is returned, never sent elsewhere, even with send_fallback") {
    Route r;
    r.sends->fail("eth_sendRawTransaction", -32000, "nonce too low");
    auto route = r.route(true);
    auto sent = route.call("eth_sendRawTransaction", json::array({kRaw}));
    REQUIRE_FALSE(sent);
    CHECK(sent.error().kind == chain::RpcError::kRpc);
    CHECK(sent.error().detail == "nonce too low");
    CHECK(count(*r.reads, "eth_sendRawTransaction") == 0);
}

TEST_CASE("a malformed transaction is refused before any endpoint is asked") {
    Route r;
    auto route = r.route(true);
    CHECK_FALSE(route.call("eth_sendRawTransaction", json::array({"not hex"})));
    CHECK_FALSE(route.call("eth_sendRawTransaction", json::array()));
    CHECK(r.sends->calls().empty());
    CHECK(r.reads->calls().empty());
}
