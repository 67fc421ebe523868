// The backtest's figure for 10,000 blocks (issue 18 §4: "10,000 blocks of the devnet in under
// 60 s"): the bot's world on Anvil, 10,000 mostly-empty blocks mined with anvil_mine and three
// gaps among them, then `cvex bot backtest` over the whole range. The time is printed (FIGURE
// line), not asserted: wall-clock depends on the machine. Anvil keeps every block's state
// (--max-persisted-states 20000) so each block can be read as of itself; mining the blocks is most of
// this test's time (Anvil's per-block cost grows with the chain), not the backtest.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "chain/rpc/rpc_json.hpp"
#include "support/bot_net.hpp"
#include "support/process.hpp"

using namespace cvex;
using cvex::test::Anvil;
using cvex::test::BotNet;
using nlohmann::json;

namespace {

json backtest_json(BotNet& b, uint64_t from, uint64_t to) {
    const auto r = test::run_process({BotNet::cvex(), "bot", "backtest", "--config", b.dir() + "/bots.json", "--from-block", std::to_string(from),
                                      "--to-block", std::to_string(to), "--from", Anvil::dev_address(2)},
                                     {"ETH_RPC_URL=" + b.url()});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return json::parse(r.out);
}

}  // namespace

TEST_CASE("bot backtest figure: 10,000 mostly-empty blocks with a few gaps (printed, not asserted)") {
    BotNet::Options o;
    o.anvil_args = {"--max-persisted-states", "20000"};
    BotNet b(o);
    auto eth = b.net().eth();
    const uint64_t from = *eth->block_number();
    const auto mining = std::chrono::steady_clock::now();
    const auto mine = [&](uint64_t n) {  // in steps, each well within the client's read timeout
        for (uint64_t done = 0; done < n; done += 250) {
            auto r = eth->rpc().call("anvil_mine", {chain::rpc_json::quantity_text(std::min<uint64_t>(250, n - done)), "0x1"},
                                     chain::Idempotency::kUnsafe);
            INFO((r ? std::string("ok") : r.error().message()));
            REQUIRE(r);
        }
    };
    mine(2'500);
    b.open_gap("10ether");
    mine(2'500);
    b.open_gap("25000ether", false);
    mine(2'500);
    b.open_gap("10ether");
    mine(2'500);
    const uint64_t to = *eth->block_number();
    REQUIRE(to - from >= 10'000);
    std::printf("mined %llu blocks in %lld ms\n", static_cast<unsigned long long>(to - from),
                static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - mining).count()));
    const auto started = std::chrono::steady_clock::now();
    const json r = backtest_json(b, from, to);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
    INFO(r.dump(2));
    CHECK(r["trade_count"].get<size_t>() >= 2);
    std::printf("FIGURE bot backtest: %llu blocks in %lld ms (%llu evaluated, %zu would-be trades, %zu refused)\n",
                static_cast<unsigned long long>(to - from + 1), static_cast<long long>(ms),
                static_cast<unsigned long long>(r["backtest"]["evaluated_blocks"].get<uint64_t>()), r["trade_count"].get<size_t>(),
                r["backtest"]["refused"].size());
}
