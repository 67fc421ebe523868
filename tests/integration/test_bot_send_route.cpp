// A bot's own send route end to end (issue 18 §3): `cvex bot run` reads through one endpoint and
// the bot, whose config names its own "send" endpoint (here a relay that forwards to Anvil, as a
// private-transaction RPC forwards to block builders), sends every trade through that endpoint
// only: the gap is closed, the relay carried the trades, the read endpoint never saw one, and
// /metrics counts them on the bot's route.
#include <catch2/catch.hpp>

#include <atomic>
#include <csignal>

#include "support/bot_net.hpp"
#include "support/fake_http_server.hpp"
#include "support/process.hpp"

using namespace cvex;
using cvex::test::BotNet;
using cvex::test::CountingProxy;

TEST_CASE("a bot with its own send route trades through it only; the read endpoint never sees a transaction") {
    BotNet b;
    CountingProxy reads(b.url()), relay(b.url());
    b.bot_config()["send"] = {{"url", relay.server.url()}, {"fallback", false}};
    b.write_config();
    const uint16_t port = test::free_loopback_port();
    auto bot = b.start_bot(b.dir() + "/bot-route.log", {"--rpc-url", reads.server.url(), "--http-port", std::to_string(port)});
    REQUIRE(test::wait_for([&] { return bot->log().find("watching vault") != std::string::npos; }, std::chrono::seconds(20)));
    CHECK(bot->log().find("its trades go through " + relay.server.url() + " only") != std::string::npos);

    const uint64_t gap_block = b.open_gap("10ether");
    REQUIRE(test::wait_for([&] { return b.traded(gap_block).size() >= 2; }, std::chrono::seconds(20)));
    const std::string metrics = test::http_get(port, "/metrics");
    bot->stop(SIGTERM);
    INFO(bot->log());
    CHECK(relay.transactions >= 2);
    CHECK(reads.transactions == 0);
    CHECK(reads.server.requests() > 0);  // the bot did read through it
    INFO(metrics);
    CHECK(metrics.find("cvex_bot_send_route_sent_total{bot=\"arb\"} " + std::to_string(relay.transactions.load())) != std::string::npos);
    CHECK(metrics.find("cvex_bot_send_route_fallback_total{bot=\"arb\"} 0") != std::string::npos);
}

TEST_CASE("a bot's send route is checked: plain HTTP off this machine, a read endpoint, a stray key are refused by name") {
    BotNet::Options automine;
    automine.interval_mining = false;
    BotNet b(automine);
    auto check = [&](const nlohmann::json& send) {
        b.bot_config()["send"] = send;
        const auto config = b.write_config("bots-route.json");
        const auto r = test::run_process({BotNet::cvex(), "bot", "run", "--config", config}, {"ETH_RPC_URL=" + b.url(), "CVEX_PRIVATE_KEY=" + test::Anvil::dev_key(2)});
        CHECK(r.exit_code != 0);
        return r.err;
    };
    CHECK_THAT(check({{"url", "http://relay.example.org/"}}), Catch::Contains("bots[0].send.url") && Catch::Contains("https://"));
    CHECK_THAT(check({{"url", b.url()}}), Catch::Contains("is a read endpoint"));
    CHECK_THAT(check({{"url", "https://relay.example.org/"}, {"fallbak", true}}), Catch::Contains("fallbak"));
    CHECK_THAT(check({{"fallback", true}}), Catch::Contains("bots[0].send.url") && Catch::Contains("required"));
}
