// PnL in parts from the chain (issue 21): `cvex bot report` and the bot's /metrics give realised
// trading PnL, the inventory's revaluation at a valuation price pinned by block, and gas. The
// realised figure depends only on the trades: the same for any --to-block over blocks without
// trades, and unmoved by a whale that moves the TWAP (which moves the revaluation). Paper mode
// reports its would-be trades and would-be realised PnL.
#include <catch2/catch.hpp>

#include <csignal>
#include <thread>

#include "chain/types/u256.hpp"
#include "support/bot_net.hpp"

using namespace cvex;
using cvex::test::BotNet;
using nlohmann::json;

namespace {

chain::U256 dec(const json& v) { return *chain::U256::parse_dec(v.get<std::string>()); }

uint64_t metric(const std::string& text, const std::string& series) {
    const auto at = text.find(series + " ");
    if (at == std::string::npos) return UINT64_MAX;
    return std::stoull(text.substr(at + series.size() + 1));
}

}  // namespace

TEST_CASE("bot report: realised PnL is the same for any --to-block without trades; a whale moving the TWAP moves only the revaluation") {
    BotNet b;
    const uint16_t port = test::free_loopback_port();
    auto bot = b.start_bot(b.dir() + "/bot.log", {"--http-port", std::to_string(port)});
    std::this_thread::sleep_for(std::chrono::seconds(2));
    const uint64_t gap_block = b.open_gap("10ether");
    REQUIRE(test::wait_for([&] { return b.traded(gap_block).size() >= 2; }, std::chrono::seconds(20)));
    // The bot's /metrics carries the same parts once it has reported.
    REQUIRE(test::wait_for([&] { return metric(test::http_get(port, "/metrics"), "cvex_bot_vault_trades{bot=\"arb\"}") >= 2; }, std::chrono::seconds(20)));
    const std::string m = test::http_get(port, "/metrics");
    INFO(m);
    CHECK(m.find("cvex_bot_realised_pnl_base{bot=\"arb\"} ") != std::string::npos);
    CHECK(m.find("cvex_bot_revaluation_base{bot=\"arb\"} ") != std::string::npos);
    CHECK(metric(m, "cvex_bot_valuation_block{bot=\"arb\"}") > gap_block);
    bot->stop(SIGTERM);  // no more trades from here

    const auto at1 = *b.net().eth()->block_number();
    std::this_thread::sleep_for(std::chrono::seconds(3));
    const auto at2 = *b.net().eth()->block_number();
    REQUIRE(at2 > at1);
    const json r1 = b.report({"--to-block", std::to_string(at1), "--base-per-native", "1ether"});
    const json r2 = b.report({"--to-block", std::to_string(at2), "--base-per-native", "1ether"});
    INFO(r2.dump(2));
    CHECK(r1["pnl"]["realised"] == r2["pnl"]["realised"]);
    REQUIRE(r2["pnl"]["realised"].get<std::string>()[0] != '-');
    // The bot's round trip earned more than its gas (base = WETH: gas in base at 1 per ether).
    REQUIRE(r2["pnl"]["realised_minus_gas"].get<std::string>()[0] != '-');
    CHECK(dec(r2["pnl"]["realised_minus_gas"]) > chain::U256(0));
    CHECK(r2["pnl"]["valuation_block"] == at2);
    // Each trade's realised PnL sums to the total; the first leg (a purchase) realises nothing.
    chain::U256 sum;
    for (const auto& t : r2["trades"]) {
        REQUIRE(t["realised_pnl"].get<std::string>()[0] != '-');
        sum = sum.wrapping_add(dec(t["realised_pnl"]));
    }
    CHECK(sum == dec(r2["pnl"]["realised"]));
    CHECK(r2["trades"][0]["realised_pnl"] == "0");

    // A whale pushes token A's price down on the oracle pair; the TWAP follows over the blocks after.
    b.open_gap("40ether");
    std::this_thread::sleep_for(std::chrono::seconds(4));
    const auto at3 = *b.net().eth()->block_number();
    const json r3 = b.report({"--to-block", std::to_string(at3)});
    INFO(r3.dump(2));
    CHECK(r3["pnl"]["realised"] == r2["pnl"]["realised"]);
    CHECK(r3["pnl"]["valuation_price"] != r2["pnl"]["valuation_price"]);
    CHECK(r3["pnl"]["revaluation"] != r2["pnl"]["revaluation"]);
    // Pinned by block: valued at at2's price, the same figures as before the whale.
    const json pinned = b.report({"--to-block", std::to_string(at3), "--valuation-block", std::to_string(at2)});
    CHECK(pinned["pnl"]["revaluation"] == r2["pnl"]["revaluation"]);
    CHECK(pinned["pnl"]["valuation_block"] == at2);
}

TEST_CASE("a paper bot reports its would-be trades and their would-be realised PnL, in its log and on /metrics") {
    BotNet::Options o;
    o.paper = true;
    BotNet b(o);
    const uint16_t port = test::free_loopback_port();
    auto bot = b.start_bot(b.dir() + "/paper.log", {"--http-port", std::to_string(port)});
    std::this_thread::sleep_for(std::chrono::seconds(2));
    const uint64_t gap_block = b.open_gap("10ether");
    REQUIRE(test::wait_for([&] { return bot->log().find("would-be realised") != std::string::npos; }, std::chrono::seconds(15)));
    std::this_thread::sleep_for(std::chrono::seconds(1));
    INFO(bot->log());
    const std::string m = test::http_get(port, "/metrics");
    INFO(m);
    CHECK(metric(m, "cvex_bot_paper_trades_total{bot=\"arb\"}") >= 2);
    const auto at = m.find("cvex_bot_paper_realised_pnl_base{bot=\"arb\"} ");
    REQUIRE(at != std::string::npos);
    CHECK(m[at + std::string("cvex_bot_paper_realised_pnl_base{bot=\"arb\"} ").size()] != '-');
    CHECK(metric(m, "cvex_bot_paper_realised_pnl_base{bot=\"arb\"}") > 0);
    CHECK(b.traded(gap_block).empty());
}
