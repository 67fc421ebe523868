// The backtest's figure for 10,000 blocks (issue 18 §4: "10,000 blocks of the devnet in under
// 60 s"): the bot's world on Anvil (support/bot_net.hpp), 10,000 mostly-empty blocks mined with
// anvil_mine and three gaps among them, then run_backtest over the whole range, in process.
// Anvil must keep every block's state to answer eth_call at it (--prune-history 20000, and no
// interval mining, which would shrink that history to its own default): that is GBs of memory
// and most of a minute or more of mining, which is why this is a benchmark (scripts/bench.sh
// backtest) and not a CI test. Counters: the blocks, how many the backtest evaluated, its
// would-be trades. The figure measured is in bots/README.md ("Backtests").
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <memory>

#include "bots/backtest/backtest.hpp"
#include "chain/rpc/rpc_json.hpp"
#include "support/bot_net.hpp"

using namespace cvex;
using cvex::test::Anvil;
using cvex::test::BotNet;

namespace {

struct World {
    std::unique_ptr<BotNet> net;
    bots::BotConfig config;
    uint64_t from = 0, to = 0;
};

void mine(chain::EthClient& eth, uint64_t n) {
    for (uint64_t done = 0; done < n; done += 250) {  // each call well within the client's read timeout
        auto r = eth.rpc().call("anvil_mine", {chain::rpc_json::quantity_text(std::min<uint64_t>(250, n - done)), "0x1"},
                                chain::Idempotency::kUnsafe);
        if (!r) throw std::runtime_error("anvil_mine: " + r.error().message());
    }
}

World& world() {
    static World w = [] {
        World x;
        BotNet::Options o;
        o.anvil_args = {"--prune-history", "20000"};
        o.interval_mining = false;
        x.net = std::make_unique<BotNet>(o);
        auto eth = x.net->net().eth();
        x.from = *eth->block_number();
        // Blocks 1 s apart, as the devnet's; the key is re-attested before each gap (an attestation
        // lasts an hour here, as a guest renews its own), so the bot may trade them.
        mine(*eth, 2'500);
        x.net->net().attest_account(2);
        x.net->open_gap("10ether");
        mine(*eth, 2'500);
        x.net->net().attest_account(2);
        x.net->open_gap("25000ether", false);
        mine(*eth, 2'500);
        x.net->net().attest_account(2);
        x.net->open_gap("10ether");
        mine(*eth, 2'500);
        x.to = *eth->block_number();
        auto configs = bots::parse_bot_configs(nlohmann::json::array({x.net->bot_config()}));
        if (!configs) throw std::runtime_error(configs.error().message());
        x.config = configs->front();
        return x;
    }();
    return w;
}

void BM_backtest_10000_blocks(benchmark::State& state) {
    World& w = world();
    bots::BacktestOptions o;
    o.from_block = w.from;
    o.to_block = w.to;
    o.trader = *chain::Address::parse(Anvil::dev_address(2));
    bots::BacktestResult last;
    for (auto _ : state) {
        auto r = bots::run_backtest(w.config, w.net->net().eth(), o);
        if (!r) {
            state.SkipWithError(r.error().message().c_str());
            return;
        }
        last = std::move(*r);
    }
    state.counters["blocks"] = static_cast<double>(last.blocks);
    state.counters["evaluated"] = static_cast<double>(last.evaluated_blocks);
    state.counters["trades"] = static_cast<double>(last.report.trades.size());
    state.counters["refused"] = static_cast<double>(last.refusals.size());
}

}  // namespace

BENCHMARK(BM_backtest_10000_blocks)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
