// The mempool collector against a node that offers pending transactions by hash only (issue 18
// §1: "full transactions where the node offers them, hashes + eth_getTransactionByHash
// otherwise"): a loopback node (support/fake_ws_node.hpp) refuses the full-transactions flag, as
// such nodes do, and announces hashes of transactions pending in a real Anvil; the subscription
// falls back to hashes on the same connection and reads each transaction back over HTTP at the
// same host and port. What it delivers equals what Anvil itself says of the transaction; a hash
// the node no longer knows (dropped from the pool) is skipped, and the next one still arrives.
#include <catch2/catch.hpp>

#include <mutex>

#include <nlohmann/json.hpp>

#include "chain/rpc/eth_client.hpp"
#include "chain/rpc/ws_subscription.hpp"
#include "support/anvil.hpp"
#include "support/bot_net.hpp"
#include "support/fake_ws_node.hpp"

using namespace cvex;
using cvex::test::Anvil;
using json = nlohmann::json;

namespace {

chain::Hash32 send_pending(chain::EthClient& eth, int from, const std::string& data) {
    auto r = eth.rpc().call("eth_sendTransaction",
                            json::array({{{"from", Anvil::dev_address(from)}, {"to", Anvil::dev_address(9)}, {"value", "0x2a"}, {"data", data}}}),
                            chain::Idempotency::kUnsafe);
    REQUIRE(r);
    return *chain::Hash32::from_hex(r->get<std::string>());
}

}  // namespace

TEST_CASE("a node without full pending transactions: the collector falls back to hashes and reads each one back") {
    Anvil anvil;
    auto eth = std::shared_ptr<chain::EthClient>(std::move(*chain::EthClient::connect(anvil.url())));
    REQUIRE(eth->evm_set_automine(false));  // pending until mined
    test::FakeWsNode node(anvil.url());

    std::mutex m;
    std::vector<chain::TransactionInfo> seen;
    std::vector<std::string> errors;
    auto sub = chain::PendingTxSubscription::start(
        node.ws_url(),
        [&](const chain::TransactionInfo& tx) {
            std::lock_guard lock(m);
            seen.push_back(tx);
        },
        [&](const chain::WsError& e) {
            std::lock_guard lock(m);
            errors.push_back(e.message());
        });
    REQUIRE(sub);
    REQUIRE(test::wait_for([&] { return (*sub)->subscriptions() == 1; }, std::chrono::seconds(10)));
    CHECK_FALSE((*sub)->full_transactions());
    CHECK(node.refused() == 1);  // asked with `true` first, then for hashes on the same connection
    CHECK(node.subscribed() == 1);

    const auto first = send_pending(*eth, 3, "0xc0ffee");
    node.announce("0x" + std::string(64, 'e'));  // a hash Anvil does not know: dropped from the pool, skipped
    node.announce(first.hex());
    const auto second = send_pending(*eth, 4, "0x");
    node.announce(second.hex());
    auto count = [&] {
        std::lock_guard lock(m);
        return seen.size();
    };
    REQUIRE(test::wait_for([&] { return count() >= 2; }, std::chrono::seconds(10)));
    std::lock_guard lock(m);
    INFO("errors: " << json(errors).dump());
    CHECK(errors.empty());
    REQUIRE(seen.size() == 2);
    CHECK(node.forwarded() >= 3);  // one eth_getTransactionByHash per announced hash
    for (const auto& [got, hash] : {std::pair{seen[0], first}, std::pair{seen[1], second}}) {
        auto truth = eth->transaction_by_hash(hash);
        REQUIRE((truth && *truth));
        CHECK(got.hash == hash);
        CHECK(got.from == (*truth)->from);
        CHECK(got.to == (*truth)->to);
        CHECK(got.nonce == (*truth)->nonce);
        CHECK(got.value == chain::U256(42));
        CHECK(got.input == (*truth)->input);
        CHECK(got.max_fee_per_gas == (*truth)->max_fee_per_gas);
        CHECK(got.max_priority_fee_per_gas == (*truth)->max_priority_fee_per_gas);
        CHECK_FALSE(got.block_number);  // still pending
    }
    CHECK(seen[0].input == Bytes{0xc0, 0xff, 0xee});
}
