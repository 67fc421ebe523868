#include "bots/runner/config.hpp"

#include <set>

#include "chain/crypto/keccak.hpp"

namespace cvex::bots {

using cvex::Unexpected;
using chain::ConfigError;
using chain::only_keys;
using nlohmann::json;

namespace {

// Fields of a bot's object: a missing one is "required" or takes the default; a present one is
// checked by the shared config readers (chain/encoding/json_config.hpp).
cvex::Expected<chain::Address, ConfigError> address_at(const json& o, const std::string& key, const std::string& where) {
    if (!o.contains(key)) return Unexpected{ConfigError{where + "." + key, "required"}};
    return chain::config_address(o[key], where + "." + key);
}

cvex::Expected<chain::U256, ConfigError> amount_at(const json& o, const std::string& key, const std::string& where, chain::U256 fallback) {
    if (!o.contains(key)) return fallback;
    return chain::config_decimal(o[key], where + "." + key, "base units");
}

cvex::Expected<uint64_t, ConfigError> uint_at(const json& o, const std::string& key, const std::string& where, uint64_t fallback,
                                               uint64_t max = UINT64_MAX) {
    if (!o.contains(key)) return fallback;
    return chain::config_uint(o[key], where + "." + key, max);
}

cvex::Expected<Venue, ConfigError> venue_at(const json& o, const std::string& key, const std::string& where, BotConfig& bot) {
    const std::string at = where + "." + key;
    if (!o.contains(key) || !o[key].is_object()) return Unexpected{ConfigError{at, "required: an object with pool, kind, target"}};
    const json& v = o[key];
    if (auto ok = only_keys(v, at, {"pool", "kind", "target", "tick_lower", "tick_upper"}); !ok) return Unexpected{ok.error()};
    Venue venue;
    auto pool = address_at(v, "pool", at);
    if (!pool) return Unexpected{pool.error()};
    venue.pool = *pool;
    // Not json::value(): it throws when "kind" is there but not a string.
    const std::string kind = v.contains("kind") && v["kind"].is_string() ? v["kind"].get<std::string>() : "";
    if (kind == "v2_pair") venue.kind = TradeKind::kUniswapV2Pair;
    else if (kind == "v2_router") venue.kind = TradeKind::kUniswapV2Router;
    else if (kind == "v3_router") venue.kind = TradeKind::kUniswapV3Router;
    else if (kind == "v3_pool") venue.kind = TradeKind::kUniswapV3Pool;
    else return Unexpected{ConfigError{at + ".kind", "must be v2_pair, v3_pool, v2_router or v3_router"}};
    if (targets_pool(venue.kind)) {
        venue.target = venue.pool;  // the vault trades with the pool itself
        if (v.contains("target")) return Unexpected{ConfigError{at + ".target", "not used with " + kind + " (the pool is the target)"}};
    } else {
        auto target = address_at(v, "target", at);
        if (!target) return Unexpected{target.error()};
        venue.target = *target;
    }
    if (is_v3(venue.kind)) {
        if (!v.contains("tick_lower") || !v.contains("tick_upper") || !v["tick_lower"].is_number_integer() || !v["tick_upper"].is_number_integer())
            return Unexpected{ConfigError{at + ".tick_lower", "v3 venues need tick_lower and tick_upper (integers): the liquidity's range"}};
        const auto lo = v["tick_lower"].get<int64_t>(), hi = v["tick_upper"].get<int64_t>();
        if (lo < kMinTick || hi > kMaxTick || lo >= hi) return Unexpected{ConfigError{at + ".tick_lower", "need -887272 ≤ lower < upper ≤ 887272"}};
        bot.v3_ranges.push_back({venue.pool, static_cast<int32_t>(lo), static_cast<int32_t>(hi)});
    } else if (v.contains("tick_lower") || v.contains("tick_upper")) {
        return Unexpected{ConfigError{at + ".tick_lower", "only for v3_router and v3_pool venues"}};
    }
    return venue;
}

// "rpc": how the bot judges its node (bots/runner/rpc_watch.hpp).
cvex::Expected<RpcWatchOptions, ConfigError> rpc_at(const json& v, const std::string& at) {
    if (!v.is_object()) return Unexpected{ConfigError{at, "must be an object with stall_after_s, behind_after_s, backoff_max_ms"}};
    if (auto ok = only_keys(v, at, {"stall_after_s", "behind_after_s", "backoff_max_ms"}); !ok) return Unexpected{ok.error()};
    RpcWatchOptions o;
    CVEX_TRY(stall, uint_at(v, "stall_after_s", at, 30, 86'400));
    if (*stall == 0) return Unexpected{ConfigError{at + ".stall_after_s", "must be positive"}};
    o.stall_after = std::chrono::milliseconds(*stall * 1000);
    CVEX_TRY(behind, uint_at(v, "behind_after_s", at, 120, 86'400));
    if (*behind == 0) return Unexpected{ConfigError{at + ".behind_after_s", "must be positive"}};
    o.behind_after = std::chrono::seconds(*behind);
    CVEX_TRY(backoff, uint_at(v, "backoff_max_ms", at, 10'000, 600'000));
    if (*backoff < 100) return Unexpected{ConfigError{at + ".backoff_max_ms", "must be at least 100"}};
    o.backoff_max = std::chrono::milliseconds(*backoff);
    return o;
}

// "drawdown": the loss past which the bot stops (bots/runner/drawdown.hpp).
cvex::Expected<DrawdownConfig, ConfigError> drawdown_at(const json& v, const std::string& at) {
    if (!v.is_object()) return Unexpected{ConfigError{at, "must be an object with max_loss, window_blocks, cooldown_s"}};
    if (auto ok = only_keys(v, at, {"max_loss", "window_blocks", "cooldown_s"}); !ok) return Unexpected{ok.error()};
    if (!v.contains("max_loss")) return Unexpected{ConfigError{at + ".max_loss", "required: the largest loss, in base-token units"}};
    DrawdownConfig d;
    CVEX_TRY(loss, amount_at(v, "max_loss", at, chain::U256()));
    d.max_loss = *loss;
    CVEX_TRY(window, uint_at(v, "window_blocks", at, d.window_blocks, 10'000'000));
    if (*window == 0) return Unexpected{ConfigError{at + ".window_blocks", "must be positive"}};
    d.window_blocks = *window;
    CVEX_TRY(cooldown, uint_at(v, "cooldown_s", at, d.cooldown_s, 365ULL * 86'400));
    d.cooldown_s = *cooldown;
    return d;
}

// The fields every bot has, whatever its strategy.
std::set<std::string> common_keys() { return {"name", "strategy", "vault", "measurement", "paper", "rpc", "drawdown", "mempool", "send"}; }

cvex::Expected<void, ConfigError> parse_common(const json& o, const std::string& at, BotConfig& bot) {
    if (!o.contains("name") || !o["name"].is_string() || o["name"].get<std::string>().empty())
        return Unexpected{ConfigError{at + ".name", "required: a non-empty string"}};
    bot.name = o["name"];
    if (auto r = address_at(o, "vault", at); !r) return Unexpected{r.error()}; else bot.vault = *r;
    std::array<uint8_t, 48> measurement{};
    if (!o.contains("measurement") || !o["measurement"].is_string() || !cvex::from_hex_fixed(o["measurement"].get<std::string>(), measurement))
        return Unexpected{ConfigError{at + ".measurement", "required: the 48-byte launch MEASUREMENT the vault allows, 0x-hex"}};
    bot.measurement_id = chain::keccak256(measurement);
    if (o.contains("paper")) {
        if (!o["paper"].is_boolean()) return Unexpected{ConfigError{at + ".paper", "must be true or false"}};
        bot.paper = o["paper"];
    }
    if (o.contains("rpc")) {
        auto rpc = rpc_at(o["rpc"], at + ".rpc");
        if (!rpc) return Unexpected{rpc.error()};
        bot.rpc = *rpc;
    }
    if (o.contains("drawdown")) {
        auto d = drawdown_at(o["drawdown"], at + ".drawdown");
        if (!d) return Unexpected{d.error()};
        bot.drawdown = *d;
    }
    if (o.contains("mempool")) {
        auto m = parse_mempool_config(o["mempool"], at + ".mempool");
        if (!m) return Unexpected{m.error()};
        bot.mempool = *m;
    }
    if (o.contains("send")) {
        auto r = chain::parse_send_route_config(o["send"], at + ".send");
        if (!r) return Unexpected{r.error()};
        bot.send = *r;
    }
    return {};
}

// An arbitrage bot's fields (its venues' V3 ranges go to `bot`), checked as ArbitrageStrategy::create does.
cvex::Expected<ArbitrageConfig, ConfigError> parse_arbitrage(const json& o, const std::string& at, BotConfig& bot) {
    auto keys = common_keys();
    keys.insert({"base_token", "venue_a", "venue_b", "min_profit", "slippage_bps", "gas_per_trade", "base_per_native", "deadline_s",
                 "expiry_margin_s", "priority_fee_wei"});
    if (auto ok = only_keys(o, at, keys); !ok) return Unexpected{ok.error()};
    ArbitrageConfig c;
    c.name = bot.name;
    if (auto r = address_at(o, "base_token", at); !r) return Unexpected{r.error()}; else c.base_token = *r;
    if (auto r = venue_at(o, "venue_a", at, bot); !r) return Unexpected{r.error()}; else c.venue_a = *r;
    if (auto r = venue_at(o, "venue_b", at, bot); !r) return Unexpected{r.error()}; else c.venue_b = *r;
    if (auto r = amount_at(o, "min_profit", at, c.min_profit); !r) return Unexpected{r.error()}; else c.min_profit = *r;
    if (auto r = amount_at(o, "base_per_native", at, c.base_per_native); !r) return Unexpected{r.error()}; else c.base_per_native = *r;
    if (auto r = amount_at(o, "priority_fee_wei", at, c.priority_fee_wei); !r) return Unexpected{r.error()}; else c.priority_fee_wei = *r;
    uint64_t v = 0;
    if (auto r = uint_at(o, "slippage_bps", at, c.slippage_bps, 1'000); !r) return Unexpected{r.error()}; else v = *r;
    c.slippage_bps = static_cast<uint32_t>(v);
    if (auto r = uint_at(o, "gas_per_trade", at, c.gas_per_trade); !r) return Unexpected{r.error()}; else c.gas_per_trade = *r;
    if (auto r = uint_at(o, "deadline_s", at, c.deadline_s); !r) return Unexpected{r.error()}; else c.deadline_s = *r;
    if (auto r = uint_at(o, "expiry_margin_s", at, c.expiry_margin_s); !r) return Unexpected{r.error()}; else c.expiry_margin_s = *r;
    auto checked = ArbitrageStrategy::create(c);
    if (!checked) return Unexpected{ConfigError{at, checked.error().message()}};
    return c;
}

// A rebalancer bot's fields (its venue's V3 range goes to `bot`), checked as RebalancerStrategy::create does.
cvex::Expected<RebalancerConfig, ConfigError> parse_rebalancer(const json& o, const std::string& at, BotConfig& bot) {
    auto keys = common_keys();
    keys.insert({"venue", "token_a", "target_weight_bps", "band_bps", "max_slice_a", "every_blocks", "slippage_bps", "deadline_s",
                 "expiry_margin_s"});
    if (auto ok = only_keys(o, at, keys); !ok) return Unexpected{ok.error()};
    RebalancerConfig c;
    c.name = bot.name;
    if (auto r = venue_at(o, "venue", at, bot); !r) return Unexpected{r.error()}; else c.venue = *r;
    if (auto r = address_at(o, "token_a", at); !r) return Unexpected{r.error()}; else c.token_a = *r;
    if (auto r = amount_at(o, "max_slice_a", at, c.max_slice_a); !r) return Unexpected{r.error()}; else c.max_slice_a = *r;
    uint64_t v = 0;
    if (auto r = uint_at(o, "target_weight_bps", at, c.target_weight_bps, 10'000); !r) return Unexpected{r.error()}; else v = *r;
    c.target_weight_bps = static_cast<uint32_t>(v);
    if (auto r = uint_at(o, "band_bps", at, c.band_bps, 10'000); !r) return Unexpected{r.error()}; else v = *r;
    c.band_bps = static_cast<uint32_t>(v);
    if (auto r = uint_at(o, "slippage_bps", at, c.slippage_bps, 1'000); !r) return Unexpected{r.error()}; else v = *r;
    c.slippage_bps = static_cast<uint32_t>(v);
    if (auto r = uint_at(o, "every_blocks", at, c.every_blocks); !r) return Unexpected{r.error()}; else c.every_blocks = *r;
    if (auto r = uint_at(o, "deadline_s", at, c.deadline_s); !r) return Unexpected{r.error()}; else c.deadline_s = *r;
    if (auto r = uint_at(o, "expiry_margin_s", at, c.expiry_margin_s); !r) return Unexpected{r.error()}; else c.expiry_margin_s = *r;
    auto checked = RebalancerStrategy::create(c);
    if (!checked) return Unexpected{ConfigError{at, checked.error().message()}};
    return c;
}

cvex::Expected<BotConfig, ConfigError> parse_bot(const json& o, const std::string& at) {
    if (!o.is_object()) return Unexpected{ConfigError{at, "must be an object"}};
    BotConfig bot;
    if (auto r = parse_common(o, at, bot); !r) return Unexpected{r.error()};
    const std::string strategy = o.contains("strategy") && o["strategy"].is_string() ? o["strategy"].get<std::string>() : "";
    if (strategy == "arbitrage") {
        auto c = parse_arbitrage(o, at, bot);
        if (!c) return Unexpected{c.error()};
        bot.strategy = *c;
    } else if (strategy == "rebalancer") {
        auto c = parse_rebalancer(o, at, bot);
        if (!c) return Unexpected{c.error()};
        bot.strategy = *c;
    } else {
        return Unexpected{ConfigError{at + ".strategy", "must be \"arbitrage\" or \"rebalancer\""}};
    }
    return bot;
}

}  // namespace

std::vector<chain::Address> BotConfig::v2_pools() const {
    std::vector<chain::Address> out;
    auto add = [&](const Venue& v) {
        if (!is_v3(v.kind)) out.push_back(v.pool);
    };
    if (const auto* a = std::get_if<ArbitrageConfig>(&strategy)) add(a->venue_a), add(a->venue_b);
    if (const auto* r = std::get_if<RebalancerConfig>(&strategy)) add(r->venue);
    return out;
}

std::vector<chain::Address> BotConfig::v3_pools() const {
    std::vector<chain::Address> out;
    for (const auto& r : v3_ranges) out.push_back(r.pool);
    return out;
}

cvex::Expected<std::vector<BotConfig>, ConfigError> parse_bot_configs(const json& bots) {
    if (!bots.is_array()) return Unexpected{ConfigError{"bots", "must be an array of bot objects"}};
    std::vector<BotConfig> out;
    std::set<std::string> names;
    for (size_t i = 0; i < bots.size(); ++i) {
        auto b = parse_bot(bots[i], "bots[" + std::to_string(i) + "]");
        if (!b) return Unexpected{b.error()};
        if (!names.insert(b->name).second) return Unexpected{ConfigError{"bots[" + std::to_string(i) + "].name", "duplicate name " + b->name}};
        out.push_back(std::move(*b));
    }
    return out;
}

}  // namespace cvex::bots
