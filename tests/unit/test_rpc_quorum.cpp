// QuorumRpc's rules over in-process endpoints that answer from a table: what k of n identical
// answers decide, what a minority cannot move, and that disagreement is an error naming who said
// what (chain/rpc/quorum_rpc.hpp).
#include <catch2/catch.hpp>

#include <map>
#include <mutex>

#include "chain/crypto/keccak.hpp"
#include "chain/rpc/quorum_rpc.hpp"
#include "support/table_endpoint.hpp"

using namespace cvex;
using chain::QuorumOptions;
using chain::QuorumRpc;
using chain::RpcResult;
using nlohmann::json;

namespace {

using cvex::test::TableEndpoint;

struct Three {
    std::vector<std::shared_ptr<TableEndpoint>> e{std::make_shared<TableEndpoint>("a"), std::make_shared<TableEndpoint>("b"),
                                                  std::make_shared<TableEndpoint>("c")};
    std::vector<std::string> log;
    std::unique_ptr<QuorumRpc> quorum(size_t k) {
        QuorumOptions o;
        o.threshold = k;
        o.attempts = 2;
        o.retry_delay = std::chrono::milliseconds(1);
        return std::make_unique<QuorumRpc>(std::vector<std::shared_ptr<chain::RpcTransport>>(e.begin(), e.end()), o,
                                           [this](const std::string& l) { log.push_back(l); });
    }
    void all(const std::string& method, const json& v) {
        for (auto& x : e) x->answer(method, v);
    }
    bool logged(const std::string& what) const {
        for (const auto& l : log)
            if (l.find(what) != std::string::npos) return true;
        return false;
    }
};

const json kLogs = json::array({{{"blockHash", "0x01"}, {"topics", json::array({"0xaa"})}}});

}  // namespace

TEST_CASE("an answer given by k endpoints wins; the one that differed is named and counted") {
    Three t;
    t.all("eth_getLogs", kLogs);
    json invented = kLogs;
    invented.push_back({{"blockHash", "0x02"}, {"topics", json::array({"0xbb"})}});
    t.e[1]->answer("eth_getLogs", invented);
    auto q = t.quorum(2);
    auto r = q->call("eth_getLogs", json::array({json::object()}));
    REQUIRE(r);
    CHECK(*r == kLogs);
    CHECK(q->stats().outvoted == 1);
    CHECK(q->stats().no_quorum == 0);
    CHECK(t.logged("endpoint [1] b was outvoted"));
}

TEST_CASE("without k identical answers the call fails with kQuorum naming what each endpoint said") {
    Three t;
    t.e[0]->answer("eth_getLogs", kLogs);
    t.e[1]->answer("eth_getLogs", json::array());
    t.e[2]->unreachable();
    auto q = t.quorum(2);
    auto r = q->call("eth_getLogs", json::array({json::object()}));
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == chain::RpcError::kQuorum);
    CHECK(r.error().detail.find("no 2 endpoints agree") != std::string::npos);
    CHECK(r.error().detail.find("[0] a said 1 item(s)") != std::string::npos);
    CHECK(r.error().detail.find("[1] b said 0 item(s)") != std::string::npos);
    CHECK(r.error().detail.find("[2] c said eth_getLogs: ") != std::string::npos);
    CHECK(q->stats().no_quorum == 1);
    CHECK(t.logged("HOLD"));
}

TEST_CASE("with k = 1 of 1 the single endpoint's answer is taken as is") {
    auto only = std::make_shared<TableEndpoint>("only");
    only->answer("eth_chainId", "0x7a69");
    QuorumRpc q({only}, QuorumOptions{});
    CHECK(*q.call("eth_chainId") == "0x7a69");
}

TEST_CASE("a JSON-RPC error agreed by k endpoints is the answer (a revert is a fact too)") {
    Three t;
    for (auto& x : t.e) x->fail("eth_call", 3, "execution reverted");
    auto q = t.quorum(2);
    auto r = q->call("eth_call", json::array({json::object(), "0x10"}));
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == chain::RpcError::kRpc);
    CHECK(r.error().detail == "execution reverted");
}

TEST_CASE("the head is the k-th highest: a minority cannot move it up or down") {
    Three t;
    t.e[0]->answer("eth_blockNumber", "0x64");        // 100
    t.e[1]->answer("eth_blockNumber", "0xffffffff");  // a liar far ahead
    t.e[2]->answer("eth_blockNumber", "0x63");        // 99, a block behind
    CHECK(*t.quorum(2)->call("eth_blockNumber") == "0x64");  // no higher than an honest node's head
    CHECK(*t.quorum(1)->call("eth_blockNumber") == "0xffffffff");
    t.e[1]->answer("eth_blockNumber", "0x0");  // a liar far behind
    CHECK(*t.quorum(2)->call("eth_blockNumber") == "0x63");
}

TEST_CASE("fee quotes are the k-th lowest: a minority quoting 1,000x cannot raise them") {
    Three t;
    t.all("eth_gasPrice", "0x3b9aca00");                  // 1 gwei
    t.e[2]->answer("eth_gasPrice", "0xe8d4a51000");        // 1,000 gwei
    auto q = t.quorum(2);
    CHECK(*q->call("eth_gasPrice") == "0x3b9aca00");
    CHECK(t.logged("endpoint [2] c was outvoted: it said 1000000000000"));
    json honest = {{"oldestBlock", "0x1"}, {"baseFeePerGas", json::array({"0x3b9aca00", "0x3b9aca00"})}, {"gasUsedRatio", json::array({0.5})}};
    json inflated = honest;
    inflated["baseFeePerGas"] = json::array({"0xe8d4a51000", "0xe8d4a51000"});
    t.all("eth_feeHistory", honest);
    t.e[0]->answer("eth_feeHistory", inflated);
    CHECK(*q->call("eth_feeHistory", json::array({"0xa", "latest", json::array({50})})) == honest);
}

TEST_CASE("reads at \"latest\" are pinned to the agreed head number, so nodes a block apart agree") {
    Three t;
    t.all("eth_blockNumber", "0x10");
    t.all("eth_call", "0x01");
    auto q = t.quorum(2);
    REQUIRE(q->call("eth_call", json::array({json::object(), "latest"})));
    for (auto& x : t.e) {
        const auto calls = x->calls();
        REQUIRE(calls.size() == 2);
        CHECK(calls[1].first == "eth_call");
        CHECK(calls[1].second[1] == "0x10");
    }
}

TEST_CASE("a broadcast is accepted if any endpoint accepts it, with the hash computed from the raw bytes") {
    Three t;
    t.e[0]->fail("eth_sendRawTransaction", -32000, "nonce too low");
    t.e[1]->answer("eth_sendRawTransaction", "0x" + std::string(64, 'f'));  // a lie about the hash
    t.e[2]->unreachable();
    auto q = t.quorum(2);
    const std::string raw = "0x02f86c";
    auto r = q->call("eth_sendRawTransaction", json::array({raw}));
    REQUIRE(r);
    CHECK(*r == chain::keccak256(*cvex::from_hex(raw)).hex());
    for (auto& x : t.e) CHECK(x->calls().size() == 1);  // sent to every endpoint
}

TEST_CASE("methods that change a node's state are refused through a quorum") {
    Three t;
    auto r = t.quorum(2)->call("evm_mine");
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == chain::RpcError::kQuorum);
    for (auto& x : t.e) CHECK(x->calls().empty());
}

TEST_CASE("connect refuses a threshold outside 1..n and repeated endpoints") {
    CHECK_FALSE(QuorumRpc::connect({"http://127.0.0.1:1", "http://127.0.0.1:2"}, QuorumOptions{3}, QuorumRpc::member_defaults()));
    CHECK_FALSE(QuorumRpc::connect({"http://127.0.0.1:1"}, QuorumOptions{0}, QuorumRpc::member_defaults()));
    CHECK_FALSE(QuorumRpc::connect({"http://127.0.0.1:1", "http://127.0.0.1:1"}, QuorumOptions{1}, QuorumRpc::member_defaults()));
    CHECK(QuorumRpc::connect({"http://127.0.0.1:1", "http://127.0.0.1:2"}, QuorumOptions{2}, QuorumRpc::member_defaults()));
}
