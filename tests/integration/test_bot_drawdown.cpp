// The drawdown stop (issue 18 §5): a bot whose PnL (realised + revaluation at the vault's TWAP
// reference) falls by more than max_loss within its window stops trading, says why in its log and
// on /metrics, and resumes after its cool-down or when the vault's owner records a resume on-chain
// (unpause after a pause). The loss is injected by a whale dumping the other token: the TWAP
// follows and the vault's inventory is worth less.
#include <catch2/catch.hpp>

#include <csignal>
#include <thread>

#include "support/bot_net.hpp"
#include "support/process.hpp"

using namespace cvex;
using cvex::test::BotNet;

namespace {

bool holding(uint16_t port) {
    return test::http_get(port, "/metrics").find("cvex_bot_hold{bot=\"arb\",reason=\"drawdown\"} 1") != std::string::npos;
}

}  // namespace

TEST_CASE("drawdown: an injected loss stops the bot; it resumes after the cool-down, and on an on-chain resume") {
    BotNet::Options o;
    // A bot that never trades (its minimum profit is out of reach), so only the injected loss counts.
    o.bot = {{"min_profit", "1000000000000000000000000"}, {"drawdown", {{"max_loss", "1000000000000000"}, {"window_blocks", 600}, {"cooldown_s", 4}}}};
    BotNet b(o);
    uint16_t port = test::free_loopback_port();
    auto bot = b.start_bot(b.dir() + "/drawdown.log", {"--http-port", std::to_string(port)});
    std::this_thread::sleep_for(std::chrono::seconds(3));
    CHECK(bot->log().find("idle: drawdown stop") == std::string::npos);
    b.open_gap("300000ether", /*token_a=*/false);  // TKB dumped into the oracle pair: the TWAP falls
    REQUIRE(test::wait_for([&] { return bot->log().find("idle: drawdown stop: lost ") != std::string::npos; }, std::chrono::seconds(40)));
    CHECK(holding(port));
    REQUIRE(test::wait_for([&] { return bot->log().find("drawdown stop lifted: cool-down of 4 s over") != std::string::npos; },
                           std::chrono::seconds(20)));
    INFO(bot->log());
    bot->stop(SIGTERM);

    // A long cool-down: only the owner's on-chain resume lifts it.
    b.bot_config()["drawdown"]["cooldown_s"] = 3600;
    const std::string config = b.write_config("long.json");
    port = test::free_loopback_port();
    bot = b.start_bot(b.dir() + "/drawdown-long.log", {"--http-port", std::to_string(port)}, config);
    std::this_thread::sleep_for(std::chrono::seconds(3));
    b.open_gap("300000ether", /*token_a=*/false);
    REQUIRE(test::wait_for([&] { return bot->log().find("idle: drawdown stop: lost ") != std::string::npos; }, std::chrono::seconds(40)));
    REQUIRE(test::run_process({BotNet::cvex(), "send", b.vault()["vault"], "pause()"}, b.owner_env()).exit_code == 0);
    REQUIRE(test::run_process({BotNet::cvex(), "send", b.vault()["vault"], "unpause()"}, b.owner_env()).exit_code == 0);
    REQUIRE(test::wait_for([&] { return bot->log().find("drawdown stop lifted: resumed on-chain by " + test::Anvil::dev_address(0)) != std::string::npos; },
                           std::chrono::seconds(15)));
    INFO(bot->log());
}
