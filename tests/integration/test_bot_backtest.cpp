// Backtests (issue 18 §4): `cvex bot backtest` replays a bot over past blocks with the live
// bot's own collector reads at each block, its strategy and its simulation from the trading
// address. Recorded here: `cvex bot run` trades on two injected gaps (one each way); the backtest
// of the same block range finds the same decisions — the blocks the live bot decided at, the
// same directions and the same amounts in and floors out, since it read the same state. Bad input
// is one `error:` line and exit 2. (The 10,000-block figure: tests/bench/bench_bot_backtest.cpp.)
#include <catch2/catch.hpp>

#include <algorithm>
#include <csignal>
#include <regex>
#include <thread>

#include <nlohmann/json.hpp>

#include "bots/collect/decode.hpp"
#include "support/bot_net.hpp"
#include "support/process.hpp"

using namespace cvex;
using cvex::test::Anvil;
using cvex::test::BotNet;
using nlohmann::json;

namespace {

// One decision of the live bot, from its log: "block N: trading [X in → ≥ Y out at T] …".
struct LiveDecision {
    uint64_t block = 0;
    std::vector<std::pair<std::string, std::string>> legs;  // amount in, least amount out
};

std::vector<LiveDecision> live_decisions(const std::string& log) {
    static const std::regex line(R"(block (\d+): trading((?: \[\d+ in → ≥ \d+ out at 0x[0-9a-fA-F]{40}\])+))");
    static const std::regex leg(R"(\[(\d+) in → ≥ (\d+) out at)");
    std::vector<LiveDecision> out;
    for (std::sregex_iterator it(log.begin(), log.end(), line), end; it != end; ++it) {
        LiveDecision d{std::stoull((*it)[1].str()), {}};
        const std::string legs = (*it)[2].str();
        for (std::sregex_iterator l(legs.begin(), legs.end(), leg); l != end; ++l) d.legs.emplace_back((*l)[1].str(), (*l)[2].str());
        out.push_back(d);
    }
    return out;
}

test::ProcessResult backtest(BotNet& b, const std::vector<std::string>& extra, const std::string& config = "") {
    std::vector<std::string> argv = {BotNet::cvex(), "bot", "backtest", "--config", config.empty() ? b.dir() + "/bots.json" : config};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return test::run_process(argv, {"ETH_RPC_URL=" + b.url(), "CVEX_PRIVATE_KEY=" + Anvil::dev_key(2)});
}

json backtest_json(BotNet& b, uint64_t from, uint64_t to) {
    const auto r = backtest(b, {"--from-block", std::to_string(from), "--to-block", std::to_string(to)});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return json::parse(r.out);
}

// Exit 2 and exactly one line on stderr, "error: …" naming `what`.
void require_one_error(const test::ProcessResult& r, const std::string& what) {
    INFO(r.out << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.rfind("error: ", 0) == 0);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK(r.err.find(what) != std::string::npos);
}

}  // namespace

TEST_CASE("a backtest of a recorded run finds the live bot's trades: the same blocks, directions and amounts") {
    BotNet b;
    auto bot = b.start_bot(b.dir() + "/bot.log");
    REQUIRE(test::wait_for([&] { return bot->log().find("watching vault") != std::string::npos; }, std::chrono::seconds(15)));
    const uint64_t from = *b.net().eth()->block_number() + 1;
    std::this_thread::sleep_for(std::chrono::seconds(2));
    const uint64_t gap_a = b.open_gap("10ether");  // token A cheap on the V2 pair
    REQUIRE(test::wait_for([&] { return b.traded(gap_a).size() >= 2; }, std::chrono::seconds(20)));
    std::this_thread::sleep_for(std::chrono::seconds(2));
    const uint64_t gap_b = b.open_gap("25000ether", false);  // and the other way
    REQUIRE(test::wait_for([&] { return b.traded(gap_b).size() >= 2; }, std::chrono::seconds(20)));
    std::this_thread::sleep_for(std::chrono::seconds(2));
    bot->stop(SIGTERM);
    const uint64_t to = *b.net().eth()->block_number();
    const auto live = live_decisions(bot->log());
    INFO(bot->log());
    REQUIRE(live.size() >= 2);
    const auto mined = b.traded(from);

    const json r = backtest_json(b, from, to);
    INFO(r.dump(2));
    const json& trades = r["trades"];
    const json& intents = r["backtest"]["intents"];
    // Every live leg, and no more: the same decision blocks, amounts in and floors out.
    size_t legs = 0;
    for (const auto& d : live) legs += d.legs.size();
    REQUIRE(trades.size() == legs);
    size_t i = 0;
    for (const auto& d : live)
        for (const auto& [in, least_out] : d.legs) {
            CHECK(trades[i]["block"] == d.block);
            CHECK(trades[i]["amount_in"] == in);
            CHECK(intents[i]["min_amount_out"] == least_out);
            ++i;
        }
    // The directions and amounts in of what the live bot's trades did on chain.
    REQUIRE(mined.size() == legs);
    for (size_t k = 0; k < mined.size(); ++k) {
        const auto t = *bots::decode_vault_traded(mined[k]);
        CHECK(trades[k]["token_in"] == t.token_in.checksum_hex());
        CHECK(trades[k]["token_out"] == t.token_out.checksum_hex());
        CHECK(trades[k]["amount_in"] == t.amount_in.dec());
        CHECK(mined[k].block_number > trades[k]["block"].get<uint64_t>());  // decided at a block, mined after it
    }
    CHECK(r["backtest"]["refused"].empty());
    CHECK(r["backtest"]["caveat"].get<std::string>().find("do not move later blocks") != std::string::npos);
    CHECK(r["pnl"]["realised"].get<std::string>()[0] != '-');
    CHECK(r["from_block"] == from);
    CHECK(r["to_block"] == to);
    // Quiet blocks are not evaluated: fewer evaluations than blocks.
    CHECK(r["backtest"]["evaluated_blocks"].get<uint64_t>() < r["backtest"]["blocks"].get<uint64_t>());
}

TEST_CASE("bot backtest: bad input is one error line and exit 2") {
    BotNet b;
    const uint64_t head = *b.net().eth()->block_number();
    require_one_error(backtest(b, {"--from-block", std::to_string(head), "--to-block", std::to_string(head - 1)}), "--from-block");
    require_one_error(backtest(b, {"--from-block", "1", "--to-block", std::to_string(head + 1000)}), "beyond the chain's head");
    b.bot_config()["surprise"] = 1;
    const auto config = b.write_config("unknown.json");
    require_one_error(backtest(b, {"--from-block", "1", "--to-block", std::to_string(head)}, config), "surprise");
    require_one_error(backtest(b, {"--from-block", "1"}), "--to-block");
}
