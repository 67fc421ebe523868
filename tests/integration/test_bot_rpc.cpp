// RPC resilience (issue 21): a killed node is retried with exponential back-off (one log line
// when it goes, none per attempt), and a node that comes back as another chain on the same port
// stops the bot with a clear error naming what changed.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <thread>

#include "support/bot_net.hpp"

using namespace cvex;
using cvex::test::BotNet;

namespace {

size_t count(const std::string& text, const std::string& what) {
    size_t n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

uint64_t failures(uint16_t port) {
    const std::string m = test::http_get(port, "/metrics");
    const std::string series = "cvex_bot_rpc_failures_total{bot=\"arb\"} ";
    const auto at = m.find(series);
    return at == std::string::npos ? 0 : std::stoull(m.substr(at + series.size()));
}

}  // namespace

TEST_CASE("rpc: a killed node is retried with back-off and logged once; the same port serving a new chain stops the bot") {
    BotNet b;
    const uint16_t port = test::free_loopback_port();
    auto bot = b.start_bot(b.dir() + "/rpc.log", {"--http-port", std::to_string(port)});
    REQUIRE(test::wait_for([&] { return bot->log().find("watching vault") != std::string::npos; }, std::chrono::seconds(10)));
    b.net().anvil().kill();
    REQUIRE(test::wait_for([&] { return bot->log().find("RPC unreachable") != std::string::npos; }, std::chrono::seconds(10)));
    std::this_thread::sleep_for(std::chrono::seconds(12));
    const std::string log = bot->log();
    INFO(log);
    CHECK(count(log, "RPC unreachable") == 1);
    CHECK(log.find("exponential back-off") != std::string::npos);
    // Polling every 100 ms would be ~120 attempts in 12 s; the back-off (doubling to 10 s) makes a handful.
    const uint64_t attempts = failures(port);
    CHECK(attempts >= 3);
    CHECK(attempts <= 12);
    CHECK(test::http_get(port, "/metrics").find("cvex_bot_hold{bot=\"arb\",reason=\"rpc_unreachable\"} 1") != std::string::npos);

    // A fresh Anvil on the same port: same chain id, another genesis block.
    b.net().anvil().restart();
    REQUIRE(test::wait_for([&] { return !bot->running(); }, std::chrono::seconds(30)));
    const int status = bot->exit_status();
    INFO(bot->log());
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 1);
    CHECK(bot->log().find("error: bot arb: the node") != std::string::npos);
    CHECK(bot->log().find("now serves another chain: genesis block") != std::string::npos);
}
