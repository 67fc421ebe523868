// The arbitrage bot end to end on Anvil (issue 7 §4): a real Uniswap V2 pair and V3 pool (npm
// artifacts, `cvex dex deploy --weth-as-a`), a GuardedVault (`cvex vault deploy`) allowing the
// measurement the bot's key is attested for, and `cvex bot run` as a real process trading through
// the vault. A whale opens a price gap; the bot closes it; the vault's value (from the chain,
// `cvex bot report`) grows by more than the gas spent. The kill switch holds the bot while the
// vault is paused; a SIGKILL mid-run sends no trade twice and leaves the PnL as it was.
#include <catch2/catch.hpp>

#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "chain/rpc/contract.hpp"
#include "bots/collect/decode.hpp"
#include "support/bot_net.hpp"
#include "support/process.hpp"

using namespace cvex;
using chain::AbiValue;
using chain::U256;
using cvex::test::Anvil;
using cvex::test::BotNet;
using cvex::test::wait_for;
using nlohmann::json;

namespace {

const std::string kCvex = BotNet::cvex();

U256 dec(const json& v) { return *U256::parse_dec(v.get<std::string>()); }

BotNet::Options with(bool paper, int slippage_bps) {
    BotNet::Options o;
    o.paper = paper;
    o.slippage_bps = slippage_bps;
    return o;
}

}  // namespace

TEST_CASE("the arbitrage bot closes an injected price gap within two blocks and the vault gains more than the gas") {
    BotNet b;
    auto bot = b.start_bot(b.dir() + "/bot-arb.log");
    std::this_thread::sleep_for(std::chrono::seconds(3));
    const auto [p2_before, p3_before] = b.prices();
    REQUIRE(std::abs(p2_before / p3_before - 1) < 0.001);

    const uint64_t gap_block = b.open_gap("10ether");
    const auto [p2_gap, p3_gap] = b.prices();
    INFO("gap: V2 " << p2_gap << " vs V3 " << p3_gap);
    REQUIRE(p3_gap / p2_gap - 1 > 0.015);

    REQUIRE(wait_for([&] { return b.traded(gap_block).size() >= 2; }, std::chrono::seconds(20)));
    INFO(bot->log());
    const auto trades = b.traded(gap_block);
    for (const auto& t : trades) CHECK(t.block_number <= gap_block + 2);
    const auto [p2_after, p3_after] = b.prices();
    INFO("after: V2 " << p2_after << " vs V3 " << p3_after);
    CHECK(std::abs(p3_after / p2_after - 1) < 0.0075);  // within the two pools' fees (0.3% each)

    const auto report = b.report();
    INFO(report.dump(2));
    // Realised PnL (what the round trip earned, bot_pnl.hpp) beats the gas: WETH is the unit of both.
    REQUIRE(report["pnl"]["realised"].get<std::string>()[0] != '-');
    CHECK(dec(report["pnl"]["realised"]) > dec(report["gas_spent_wei"]));
    CHECK(report["trade_count"].get<size_t>() == trades.size());
}

TEST_CASE("the bot idles while the vault is paused and resumes afterwards, within the vault's default price guard") {
    BotNet b(with(false, 50));
    auto bot = b.start_bot(b.dir() + "/bot-pause.log");
    std::this_thread::sleep_for(std::chrono::seconds(2));
    const std::vector<std::string> owner = {"ETH_RPC_URL=" + b.url(), "CVEX_PRIVATE_KEY=" + Anvil::dev_key(0)};
    REQUIRE(test::run_process({kCvex, "send", b.vault()["vault"], "pause()"}, owner).exit_code == 0);
    const auto [p2_start, p3_start] = b.prices();
    const uint64_t gap_block = b.open_gap("10ether");
    const auto [p2_gap, p3_gap] = b.prices();
    INFO("start: V2 " << p2_start << " V3 " << p3_start << "; gap: V2 " << p2_gap << " V3 " << p3_gap);
    std::this_thread::sleep_for(std::chrono::seconds(4));
    CHECK(b.traded(gap_block).empty());
    CHECK(bot->log().find("idle") != std::string::npos);
    REQUIRE(test::run_process({kCvex, "send", b.vault()["vault"], "unpause()"}, owner).exit_code == 0);
    CHECK(wait_for([&] { return b.traded(gap_block).size() >= 2; }, std::chrono::seconds(20)));
    INFO(bot->log());
    CHECK(bot->log().find("resuming") != std::string::npos);
}

TEST_CASE("a bot killed with SIGKILL mid-run and restarted sends no trade twice and reports the same PnL") {
    BotNet b;
    auto bot = b.start_bot(b.dir() + "/bot-kill.log");
    std::this_thread::sleep_for(std::chrono::seconds(2));
    const uint64_t gap_block = b.open_gap("10ether");
    // Killed while its trades are (very likely) in flight.
    std::this_thread::sleep_for(std::chrono::milliseconds(1200));
    bot->stop(SIGKILL);
    bot = b.start_bot(b.dir() + "/bot-kill.log");
    REQUIRE(wait_for([&] { return b.traded(gap_block).size() >= 2; }, std::chrono::seconds(20)));
    std::this_thread::sleep_for(std::chrono::seconds(4));  // let anything left settle
    const auto trades = b.traded(gap_block);
    std::set<chain::Hash32> txs;
    for (const auto& t : trades) txs.insert(t.transaction_hash);
    CHECK(txs.size() == trades.size());
    const auto [p2, p3] = b.prices();
    CHECK(std::abs(p3 / p2 - 1) < 0.0075);
    const uint64_t at = *b.net().eth()->block_number();
    const auto before = b.report({"--to-block", std::to_string(at)});
    CHECK(before["pnl"]["realised"].get<std::string>()[0] != '-');

    bot->stop(SIGKILL);
    bot = b.start_bot(b.dir() + "/bot-kill.log");
    std::this_thread::sleep_for(std::chrono::seconds(4));
    INFO(bot->log());
    CHECK(b.traded(gap_block).size() == trades.size());  // nothing new: the restarted bot found no gap
    // The PnL is the chain's: the same figures for the same block whatever ran in between.
    const auto after = b.report({"--to-block", std::to_string(at)});
    CHECK(after["pnl"] == before["pnl"]);
    CHECK(after["trades"] == before["trades"]);
    CHECK(b.report()["trade_count"] == before["trade_count"]);
}

TEST_CASE("a paper bot makes the same decisions, simulates them, and sends nothing") {
    BotNet b(with(/*paper=*/true, 100));
    auto bot = b.start_bot(b.dir() + "/bot-paper.log");
    std::this_thread::sleep_for(std::chrono::seconds(2));
    const uint64_t gap_block = b.open_gap("10ether");
    REQUIRE(wait_for([&] { return bot->log().find("trade paper") != std::string::npos; }, std::chrono::seconds(15)));
    INFO(bot->log());
    CHECK(bot->log().find("PAPER") != std::string::npos);
    std::this_thread::sleep_for(std::chrono::seconds(2));
    CHECK(b.traded(gap_block).empty());
    const auto [p2, p3] = b.prices();
    CHECK(p3 / p2 - 1 > 0.015);  // the gap is still there
}
