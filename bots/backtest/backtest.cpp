#include "bots/backtest/backtest.hpp"

#include "bots/backtest/history.hpp"
#include "bots/backtest/replay.hpp"
#include "bots/collect/collector.hpp"
#include "bots/execute/vault_client.hpp"
#include "bots/runner/runner.hpp"

namespace cvex::bots {

using cvex::Unexpected;

namespace {

// Holds that can lift with no log at all — the TWAP floor moves, allowances refill, the base fee
// falls, the cadence passes, a refusal clears — so the next block is decided again, as the live
// runner decides every block. A paused vault or a lapsing attestation lifts only with a log of the
// vault (VaultUnpaused) or the registry (a new attestation): the next such block is decided.
bool lifts_with_time(Decision d) {
    if (d == Decision::kPaused || d == Decision::kAttestationExpiring) return false;
    return is_hold_reason(d) || d == Decision::kBelowMinProfit || d == Decision::kCadence || d == Decision::kTradesPending;
}

bool lifts_with_guard(Decision d) { return d == Decision::kPaused || d == Decision::kAttestationExpiring; }

cvex::Expected<void, BotError> check_range(chain::EthClient& client, const BacktestOptions& o) {
    if (o.from_block > o.to_block)
        return bot_failure("--from-block " + std::to_string(o.from_block) + " is after --to-block " + std::to_string(o.to_block));
    auto head = client.block_number();
    if (!head) return bot_failure("the node's head: " + head.error().message());
    if (o.to_block > *head)
        return bot_failure("--to-block " + std::to_string(o.to_block) + " is beyond the chain's head " + std::to_string(*head));
    return {};
}

}  // namespace

cvex::Expected<BacktestResult, BotError> run_backtest(const BotConfig& config, std::shared_ptr<chain::EthClient> client,
                                                      const BacktestOptions& options) {
    const auto started = std::chrono::steady_clock::now();
    if (auto r = check_range(*client, options); !r) return Unexpected{r.error()};
    auto strategy = make_strategy(config);
    if (!strategy) return Unexpected{strategy.error()};
    // The live bot's collector, reading as of each block (the trader's attestation included).
    BotCollector::Options co;
    co.vault = config.vault;
    co.enclave = options.trader;
    co.v2_pools = config.v2_pools();
    co.v3_pools = config.v3_ranges;
    auto collector = BotCollector::create(co, client);
    if (!collector) return bot_failure("bot " + config.name + ": " + collector.error().message());
    std::vector<chain::Address> pools = config.v2_pools();
    for (const auto& p : config.v3_pools()) pools.push_back(p);
    auto registry = VaultClient(config.vault, client).registry();
    if (!registry) return bot_failure("vault " + config.vault.checksum_hex() + ": " + registry.error().message());
    auto marks = scan_history(*client, pools, config.vault, *registry, options.from_block, options.to_block, options.log_chunk);
    if (!marks) return Unexpected{marks.error()};

    Replay replay(config, client, options, **collector, **strategy);
    bool open = true;    // the first block is decided, as a live bot decides on its first snapshot
    bool guard = false;  // held by the kill switch: the vault's or the registry's next log is decided
    for (uint64_t b = options.from_block; b <= options.to_block;) {
        if (!open && !marks->pools_moved.count(b) && !(guard && marks->guard_moved.count(b))) {
            b = marks->next_move(b, options.to_block + 1, guard);
            continue;
        }
        auto d = replay.decide_at(b, marks->last_traded(b));
        if (!d) return Unexpected{d.error()};
        // A taken opportunity is not taken again until the pools move (our trades moved nothing).
        const bool held = *d == Replay::Outcome::kHeld;
        open = *d == Replay::Outcome::kRefused || (held && lifts_with_time(replay.last_decision()));
        guard = held && lifts_with_guard(replay.last_decision());
        ++b;
    }
    auto result = replay.finish();
    if (!result) return Unexpected{result.error()};
    result->blocks = options.to_block - options.from_block + 1;
    result->elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    return result;
}

}  // namespace cvex::bots
