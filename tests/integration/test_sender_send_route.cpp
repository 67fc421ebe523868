// A separate send route on a real chain (issue 18 §3): the Sender reads through one endpoint and
// its signed transactions go through another (here both forward to one Anvil, as a private-
// transaction RPC forwards to block builders); the read endpoint never sees a transaction. A
// named route (a bot's own, bots/runner/send_routes.hpp) carries only what is sent with its name,
// and the journal remembers the name, so a restart re-broadcasts through that route or not at all.
#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "chain/crypto/local_key.hpp"
#include "chain/rpc/eth_client.hpp"
#include "chain/rpc/send_route.hpp"
#include "chain/rpc/sender.hpp"
#include "support/anvil.hpp"
#include "support/fake_http_server.hpp"
#include "support/process.hpp"

using namespace cvex;
using cvex::test::Anvil;

namespace {

using cvex::test::CountingProxy;

std::optional<chain::U256> anvil_balance(Anvil& anvil, const chain::Address& a) {
    auto eth = chain::EthClient::connect(anvil.url());
    if (!eth) return std::nullopt;
    auto b = (*eth)->balance(a);
    return b ? std::optional<chain::U256>(*b) : std::nullopt;
}

std::shared_ptr<chain::RpcTransport> client_of(const std::string& url) {
    return std::shared_ptr<chain::RpcTransport>(std::move(*chain::JsonRpcClient::connect(url)));
}

}  // namespace

TEST_CASE("a Sender on a send route: reads from one endpoint, every transaction through the other, mined on the chain") {
    Anvil anvil;
    CountingProxy read(anvil.url()), send(anvil.url());
    auto route = std::make_shared<chain::SendRoute>(client_of(read.server.url()), client_of(send.server.url()), false);
    auto eth = std::make_shared<chain::EthClient>(route);
    auto key = std::make_shared<chain::LocalKey>(std::move(*chain::LocalKey::from_hex(Anvil::dev_key(4))));
    auto sender = chain::Sender::create(eth, key);
    REQUIRE(sender);
    const auto to = *chain::Address::parse("0x00000000000000000000000000000000000C0FFE");
    for (int i = 0; i < 3; ++i) {
        auto r = (*sender)->send_and_wait(chain::TxRequest{to, chain::U256(1000 + i), {}, std::nullopt}, std::chrono::seconds(30));
        INFO((r ? "" : r.error().message()));
        REQUIRE(r);
        CHECK(r->status);
    }
    CHECK(*eth->balance(to) == chain::U256(3003));
    CHECK(send.transactions == 3);
    CHECK(read.transactions == 0);  // the read node never saw a transaction
    CHECK(read.server.requests() > 0);
    CHECK(route->stats().sent == 3);
}

TEST_CASE("a dead send route without fallback fails the send and leaks nothing to the read endpoint; with fallback it is mined") {
    Anvil anvil;
    CountingProxy read(anvil.url());
    const std::string dead = "http://127.0.0.1:" + std::to_string(cvex::test::free_loopback_port());
    const auto to = *chain::Address::parse("0x00000000000000000000000000000000000C0FFE");
    auto key = std::make_shared<chain::LocalKey>(std::move(*chain::LocalKey::from_hex(Anvil::dev_key(5))));

    auto strict = std::make_shared<chain::SendRoute>(client_of(read.server.url()), client_of(dead), false);
    auto s1 = chain::Sender::create(std::make_shared<chain::EthClient>(strict), key);
    REQUIRE(s1);
    // The Sender keeps the signed transaction (it may yet be delivered) and tries again while it
    // waits; it is never mined, and the read node never sees it.
    auto pending = (*s1)->send(chain::TxRequest{to, chain::U256(1), {}, std::nullopt});
    REQUIRE(pending);
    auto waited = (*s1)->wait(*pending, std::chrono::seconds(3));
    CHECK_FALSE(waited);
    CHECK(read.transactions == 0);
    CHECK(strict->stats().failed >= 1);
    CHECK(strict->stats().fell_back == 0);
    CHECK(*anvil_balance(anvil, to) == chain::U256(0));

    auto lenient = std::make_shared<chain::SendRoute>(client_of(read.server.url()), client_of(dead), true);
    auto s2 = chain::Sender::create(std::make_shared<chain::EthClient>(lenient), key);
    REQUIRE(s2);
    auto mined = (*s2)->send_and_wait(chain::TxRequest{to, chain::U256(2), {}, std::nullopt}, std::chrono::seconds(30));
    INFO((mined ? "" : mined.error().message()));
    REQUIRE(mined);
    CHECK(read.transactions == 1);
    CHECK(lenient->stats().fell_back == 1);
}

TEST_CASE("a named route: only the transactions sent with its name go through it, and a restart re-broadcasts them through it alone") {
    // One key, two ways out (a guest whose bot has its own route): the oracle's transaction goes
    // through the Sender's client, the bot's through its route; the route first "loses" what it is
    // given (a private relay that accepted and dropped it), so only the journal can recover it.
    Anvil anvil;
    CountingProxy read(anvil.url());
    std::atomic<bool> drop{true};
    std::atomic<size_t> routed{0};
    cvex::test::FakeHttpServer relay([&](const std::string& body) {
        if (body.find("eth_sendRawTransaction") != std::string::npos) {
            ++routed;
            if (drop) {  // accepted, never delivered: the hash is the Sender's own anyway
                const auto id = nlohmann::json::parse(body).value("id", nlohmann::json(1));
                return cvex::test::FakeReply{200, nlohmann::json{{"jsonrpc", "2.0"}, {"id", id}, {"result", "0x" + std::string(64, '0')}}.dump()};
            }
        }
        return cvex::test::FakeReply{200, cvex::test::forward_json_rpc(anvil.url(), body)};
    });
    auto eth = std::make_shared<chain::EthClient>(client_of(read.server.url()));
    auto route = std::make_shared<chain::EthClient>(std::make_shared<chain::SendRoute>(client_of(read.server.url()), client_of(relay.url()), false));
    auto key = std::make_shared<chain::LocalKey>(std::move(*chain::LocalKey::from_hex(Anvil::dev_key(6))));
    const std::string journal = (std::filesystem::temp_directory_path() / ("cvex-route-journal-" + std::to_string(anvil.port()))).string();
    std::filesystem::remove(journal);
    chain::SenderOptions o;
    o.journal_path = journal;
    o.routes = {{"bot:arb", route}};
    const auto to = *chain::Address::parse("0x00000000000000000000000000000000000C0FFE");
    chain::PendingTx lost;
    // What the restarted Sender found of the lost transaction (the oracle's is reported mined).
    auto found = [&lost](const chain::Sender& s) -> std::optional<chain::RecoveredTx> {
        for (const auto& r : s.recovered())
            if (r.nonce == lost.nonce) return r;
        return std::nullopt;
    };
    {
        auto s = chain::Sender::create(eth, key, o);
        REQUIRE(s);
        CHECK_FALSE((*s)->send(chain::TxRequest{to, chain::U256(1), {}, 21000}, {}, "bot:nope"));  // no such route: refused, nothing sent
        auto oracle = (*s)->send_and_wait(chain::TxRequest{to, chain::U256(2), {}, 21000}, std::chrono::seconds(30));
        REQUIRE(oracle);
        CHECK(read.transactions == 1);
        CHECK(routed == 0);
        auto bot = (*s)->send(chain::TxRequest{to, chain::U256(3), {}, 21000}, {}, "bot:arb");
        REQUIRE(bot);
        lost = *bot;
        CHECK(routed == 1);
    }  // the guest stops with the bot's transaction lost by the relay

    SECTION("restarted without the route: not re-broadcast anywhere, and never to the read node") {
        chain::SenderOptions without = o;
        without.routes.clear();
        auto s = chain::Sender::create(eth, key, without);
        REQUIRE(s);
        CHECK(read.transactions == 1);
        CHECK(routed == 1);
        const auto r = found(**s);
        REQUIRE(r);
        CHECK(r->state == chain::RecoveredTx::kPending);  // held, in flight, not leaked
    }
    SECTION("restarted with the route: re-broadcast through it, and mined") {
        drop = false;
        auto s = chain::Sender::create(eth, key, o);
        REQUIRE(s);
        const auto r = found(**s);
        REQUIRE(r);
        CHECK(r->state == chain::RecoveredTx::kRebroadcast);
        CHECK(routed == 2);
        CHECK(read.transactions == 1);
        auto mined = (*s)->wait(chain::PendingTx{r->nonce, r->hash}, std::chrono::seconds(30));
        INFO((mined ? "" : mined.error().message()));
        REQUIRE(mined);
        CHECK(*eth->balance(to) == chain::U256(5));
    }
}
