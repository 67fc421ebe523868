// The rebalancer end to end on Anvil: `cvex bot run` keeps token A at a target share of a
// GuardedVault's value, one slice at a time and at most one slice per `every_blocks` blocks,
// round after round — not only on its first round (the live runner once handed it the vault
// snapshot rather than the new block, and it never traded again). The backtest of the recorded
// run decides at the same blocks with the same amounts, since it replays the runner's decisions.
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

constexpr uint64_t kEveryBlocks = 3;

// The live bot's decisions, from its log: (block, amount in of the one leg).
std::vector<std::pair<uint64_t, std::string>> live_decisions(const std::string& log) {
    static const std::regex line(R"(block (\d+): trading \[(\d+) in → ≥ \d+ out at)");
    std::vector<std::pair<uint64_t, std::string>> out;
    for (std::sregex_iterator it(log.begin(), log.end(), line), end; it != end; ++it)
        out.emplace_back(std::stoull((*it)[1].str()), (*it)[2].str());
    return out;
}

}  // namespace

TEST_CASE("the rebalancer trades slice after slice, every_blocks apart, and its backtest decides the same") {
    BotNet b;
    // The vault holds 50 A and 125,000 B at 2,500 B per A: a 50 % share of A, against a target of 70 %.
    b.bot_config() = {{"name", "rebalancer"},
                      {"strategy", "rebalancer"},
                      {"vault", b.vault()["vault"]},
                      {"measurement", "0x" + BotNet::measurement_hex()},
                      {"venue", {{"pool", b.dex()["v2_pair"]}, {"kind", "v2_pair"}}},
                      {"token_a", b.dex()["token_a"]},
                      {"target_weight_bps", 7000},
                      {"band_bps", 200},
                      {"max_slice_a", "1000000000000000000"},
                      {"every_blocks", kEveryBlocks}};
    b.write_config();
    const uint64_t from = *b.net().eth()->block_number();  // nothing traded yet; the bot starts here
    auto bot = b.start_bot(b.dir() + "/bot.log");
    REQUIRE(test::wait_for([&] { return b.traded(from).size() >= 3; }, std::chrono::seconds(40)));
    bot->stop(SIGTERM);
    const uint64_t to = *b.net().eth()->block_number();
    INFO(bot->log());
    const auto mined = b.traded(from);
    REQUIRE(mined.size() >= 3);
    for (size_t k = 0; k < mined.size(); ++k) {
        const auto t = *bots::decode_vault_traded(mined[k]);
        // Buying A: B in, A out, one slice at most.
        CHECK(t.token_in.checksum_hex() == b.dex()["token_b"].get<std::string>());
        CHECK(t.token_out.checksum_hex() == b.dex()["token_a"].get<std::string>());
        CHECK(t.amount_out <= chain::U256::parse_dec("1000000000000000000").value());
        if (k > 0) CHECK(mined[k].block_number >= mined[k - 1].block_number + kEveryBlocks);
    }

    const auto live = live_decisions(bot->log());
    REQUIRE(live.size() >= mined.size());
    const auto r = test::run_process({BotNet::cvex(), "bot", "backtest", "--config", b.dir() + "/bots.json", "--from-block", std::to_string(from),
                                      "--to-block", std::to_string(to)},
                                     {"ETH_RPC_URL=" + b.url(), "CVEX_PRIVATE_KEY=" + Anvil::dev_key(2)});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const json report = json::parse(r.out);
    INFO(report.dump(2));
    // The recorded chain holds the live trades, so the backtest sees the pool and the cadence the
    // live bot saw: each of its decisions within the range, at the same block, with the same
    // amount — a would-be trade, or a refusal where the live bot's simulation was refused too.
    std::vector<std::pair<uint64_t, std::string>> replayed;
    for (const auto* list : {&report["trades"], &report["backtest"]["refused"]})
        for (const auto& t : *list) replayed.emplace_back(t["block"].get<uint64_t>(), t["amount_in"].get<std::string>());
    std::sort(replayed.begin(), replayed.end());
    std::vector<std::pair<uint64_t, std::string>> decided;
    for (const auto& d : live)
        if (d.first <= to) decided.push_back(d);
    CHECK(replayed == decided);
    CHECK(decided.size() >= 3);
    // With the floor scaled up from the vault's truncated per-unit floor, no slice is refused.
    CHECK(report["backtest"]["refused"].empty());
}
