// The bots of a cvex-enclave config file: the "bots" array. Each bot trades through one vault
// with one strategy; several bots may run in one guest (they share its attested key and its
// transaction manager, so their nonces never collide). An unknown key or a bad value is an error
// naming it, e.g. `bots[1].venue_a.kind`.
//
//   { "name": "arb", "strategy": "arbitrage", "vault": "0x…", "measurement": "0x<48 bytes>",
//     "paper": false, "base_token": "0x…",
//     "venue_a": { "pool": "0x…", "kind": "v2_pair" | "v3_pool" | "v2_router" | "v3_router",
//                  "target": "0x…" (routers only; the pool kinds target the pool itself),
//                  "tick_lower": -887220, "tick_upper": 887220 },   (v3: the known liquidity range)
//     "venue_b": { … }, "min_profit": "1000", "slippage_bps": 30, "gas_per_trade": 175000,
//     "base_per_native": "1000000000000000000", "deadline_s": 60, "expiry_margin_s": 600,
//     "rpc": { "stall_after_s": 30, "behind_after_s": 120, "backoff_max_ms": 10000 },
//     "drawdown": { "max_loss": "<base units>", "window_blocks": 600, "cooldown_s": 3600 },
//     "mempool": { "ws_url": "ws://…", "v2_routers": ["0x…"], "v3_routers": ["0x…"] },
//     "send": { "url": "https://…", "fallback": false } }
//   { "name": "rebalance", "strategy": "rebalancer", "vault": "0x…", "measurement": "0x…",
//     "venue": { … }, "token_a": "0x…", "target_weight_bps": 5000, "band_bps": 200,
//     "max_slice_a": "1000000000000000000", "every_blocks": 10, "slippage_bps": 50 }
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/expected.hpp"
#include "bots/runner/drawdown.hpp"
#include "bots/runner/mempool_feed.hpp"
#include "bots/runner/rpc_watch.hpp"
#include "bots/strategy/strategy.hpp"
#include "chain/encoding/json_config.hpp"
#include "chain/rpc/send_route_config.hpp"

namespace cvex::bots {

/// What the collector must know of a V3 pool that events do not say: its liquidity's tick range.
struct V3TickRange {
    chain::Address pool;
    int32_t lower = 0;
    int32_t upper = 0;
};

struct BotConfig {
    std::string name;
    chain::Address vault;
    chain::Hash32 measurement_id;  // keccak256 of the 48-byte MEASUREMENT the vault allows
    bool paper = false;            // simulate only, and report the would-be PnL
    std::variant<ArbitrageConfig, RebalancerConfig> strategy;
    std::vector<V3TickRange> v3_ranges;
    /// How the bot judges its node: "rpc": {"stall_after_s": 30, "behind_after_s": 120, "backoff_max_ms": 10000}.
    RpcWatchOptions rpc;
    /// "drawdown": {"max_loss": "…", "window_blocks": 600, "cooldown_s": 3600}: stop trading past a loss.
    std::optional<DrawdownConfig> drawdown;
    /// "mempool": {"ws_url": "ws://…", "v2_routers": […], "v3_routers": […]}: back-run pending
    /// swaps on the bot's pools (bots/runner/mempool_feed.hpp).
    std::optional<MempoolConfig> mempool;
    /// "send": {"url": "https://…", "fallback": false}: this bot's own send route (runner/send_routes.hpp).
    std::optional<chain::SendRouteConfig> send;

    /// The pools this bot watches, by kind.
    std::vector<chain::Address> v2_pools() const;
    std::vector<chain::Address> v3_pools() const;
};

/// Parses the "bots" array (bot names must be distinct).
cvex::Expected<std::vector<BotConfig>, chain::ConfigError> parse_bot_configs(const nlohmann::json& bots);

}  // namespace cvex::bots
