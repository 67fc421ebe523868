// A bot that explains itself (issue 21): each reason it holds back while a gap is open appears
// once in its log when it starts, on /metrics (cvex_bot_hold{reason=…} 1) while it lasts, and the
// bot re-evaluates on every block, so an allowance that refills is used without a new pool event.
#include <catch2/catch.hpp>

#include <thread>

#include "support/bot_net.hpp"
#include "support/process.hpp"

using namespace cvex;
using cvex::test::BotNet;
using nlohmann::json;

namespace {

size_t count(const std::string& text, const std::string& what) {
    size_t n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

bool holding(uint16_t port, const std::string& reason) {
    return test::http_get(port, "/metrics").find("cvex_bot_hold{bot=\"arb\",reason=\"" + reason + "\"} 1") != std::string::npos;
}

struct Running {
    BotNet& net;
    uint16_t port = test::free_loopback_port();
    std::unique_ptr<test::ChildProcess> bot;
    Running(BotNet& b, const std::string& log) : net(b), bot(b.start_bot(b.dir() + "/" + log, {"--http-port", std::to_string(port)})) {
        std::this_thread::sleep_for(std::chrono::seconds(2));
    }
};

}  // namespace

TEST_CASE("explain: an exhausted allowance is logged once with its refill time, and the bot trades again when it refills") {
    BotNet::Options o;
    o.vault_args = {"--refill-a", "0.5ether", "--refill-period", "20"};  // 0.5 WETH per 20 s: less than the gap needs
    BotNet b(o);
    Running r(b, "allowance.log");
    const uint64_t gap_block = b.open_gap("10ether");
    REQUIRE(test::wait_for([&] { return b.traded(gap_block).size() >= 2; }, std::chrono::seconds(20)));
    REQUIRE(test::wait_for([&] { return r.bot->log().find("idle: allowance exhausted") != std::string::npos; }, std::chrono::seconds(10)));
    CHECK(holding(r.port, "allowance_exhausted"));
    const std::string log = r.bot->log();
    INFO(log);
    CHECK(log.find("refills") != std::string::npos);
    CHECK(count(log, "idle: allowance exhausted") == 1);
    // The gap is still open; within the next period the allowance refills and the bot uses it.
    REQUIRE(test::wait_for([&] { return b.traded(gap_block).size() >= 4; }, std::chrono::seconds(30)));
    CHECK(test::wait_for([&] { return r.bot->log().find("resuming (was: allowance exhausted)") != std::string::npos; }, std::chrono::seconds(5)));
}

TEST_CASE("explain: a per-trade cap too small to pay for the gas is named") {
    BotNet::Options o;
    o.vault_args = {"--max-per-trade-a", "0.01ether"};
    BotNet b(o);
    Running r(b, "cap.log");
    b.open_gap("10ether");
    REQUIRE(test::wait_for([&] { return r.bot->log().find("idle: per-trade cap") != std::string::npos; }, std::chrono::seconds(15)));
    INFO(r.bot->log());
    CHECK(holding(r.port, "trade_cap"));
}

TEST_CASE("explain: a gap the TWAP floor blocks is logged with both prices") {
    BotNet::Options o;
    o.slippage_bps = 50;
    BotNet b(o);
    Running r(b, "floor.log");
    b.open_gap("40ether");  // ≈ 8 %: far more than the floor lets either leg move a pool from the TWAP
    REQUIRE(test::wait_for([&] { return r.bot->log().find("idle: TWAP floor") != std::string::npos; }, std::chrono::seconds(20)));
    const std::string log = r.bot->log();
    INFO(log);
    CHECK(log.find("the pool pays") != std::string::npos);
    CHECK(log.find("the floor asks") != std::string::npos);
    CHECK(holding(r.port, "twap_floor"));
}

TEST_CASE("explain: a paused vault and an attestation near expiry are each named on /metrics") {
    BotNet::Options o;
    BotNet b(o);
    {
        Running r(b, "pause.log");
        REQUIRE(test::run_process({BotNet::cvex(), "send", b.vault()["vault"], "pause()"}, b.owner_env()).exit_code == 0);
        REQUIRE(test::wait_for([&] { return holding(r.port, "paused"); }, std::chrono::seconds(10)));
        REQUIRE(test::run_process({BotNet::cvex(), "send", b.vault()["vault"], "unpause()"}, b.owner_env()).exit_code == 0);
        CHECK(test::wait_for([&] { return !holding(r.port, "paused"); }, std::chrono::seconds(10)));
    }
    b.bot_config()["expiry_margin_s"] = 1'000'000'000;  // any attestation is "near expiry"
    const std::string config = b.write_config("margin.json");
    const uint16_t port = test::free_loopback_port();
    auto bot = b.start_bot(b.dir() + "/margin.log", {"--http-port", std::to_string(port)}, config);
    REQUIRE(test::wait_for([&] { return bot->log().find("idle: attestation expires within the margin") != std::string::npos; }, std::chrono::seconds(10)));
    INFO(bot->log());
    CHECK(bot->log().find("margin 1000000000 s") != std::string::npos);
    CHECK(test::http_get(port, "/metrics").find("cvex_bot_hold{bot=\"arb\",reason=\"attestation_expiring\"} 1") != std::string::npos);
}

TEST_CASE("explain: a node that stops advancing is reported as stalled within the configured seconds, and its recovery too") {
    BotNet::Options o;
    o.bot = {{"rpc", {{"stall_after_s", 3}}}};
    BotNet b(o);
    Running r(b, "stall.log");
    REQUIRE(b.net().eth()->rpc().call("evm_setIntervalMining", {0}, chain::Idempotency::kUnsafe));
    const auto frozen = std::chrono::steady_clock::now();
    REQUIRE(test::wait_for([&] { return r.bot->log().find("RPC stalled") != std::string::npos; }, std::chrono::seconds(10)));
    CHECK(std::chrono::steady_clock::now() - frozen < std::chrono::seconds(6));
    CHECK(holding(r.port, "rpc_stalled"));
    CHECK(test::http_get(r.port, "/metrics").find("cvex_bot_rpc_state{bot=\"arb\",state=\"stalled\"} 1") != std::string::npos);
    REQUIRE(b.net().eth()->rpc().call("evm_setIntervalMining", {1}, chain::Idempotency::kUnsafe));
    CHECK(test::wait_for([&] { return r.bot->log().find("RPC no longer stalled") != std::string::npos; }, std::chrono::seconds(10)));
    INFO(r.bot->log());
    CHECK(count(r.bot->log(), "RPC stalled") == 1);
}
