// Cross-pool arbitrage of one pair (issue 7 §3): when the two pools' prices differ by more than
// their fees, sell the base token where it is dear and buy it back where it is cheap, sized at
// the round trip's optimum within every limit the vault enforces.
#include <algorithm>
#include <array>
#include <optional>
#include <string>

#include "bots/math/full_math.hpp"
#include "bots/market/quote.hpp"
#include "bots/strategy/strategy.hpp"

namespace cvex::bots {

using chain::U256;
using cvex::Unexpected;

namespace {

const U256 kWeiPerEther = U256(1'000'000'000'000'000'000ULL);

std::optional<std::string> check_venue(const Venue& v, const std::string& field) {
    if (v.pool.is_zero()) return field + ".pool: must be set";
    if (v.kind == TradeKind::kNone) return field + ".kind: must be a trade kind";
    if (v.target.is_zero()) return field + ".target: must be set";
    if (targets_pool(v.kind) && v.target != v.pool) return field + ".target: a pool-kind trade targets the pool itself";
    return std::nullopt;
}

// The venue's kind must fit its pool: the V3 router or the pool for a V3 pool, the V2 router or the pair for a V2 pool.
bool kind_fits(const Venue& v, const PoolQuote& q) { return (q.kind() == PoolQuote::Kind::kV3) == is_v3(v.kind); }

bool concerns(const BotEvent& e, const chain::Address& a, const chain::Address& b) {
    const chain::Address* pool = nullptr;
    if (auto* s = std::get_if<V2SyncEvent>(&e)) pool = &s->pool;
    else if (auto* w = std::get_if<V3SwapEvent>(&e)) pool = &w->pool;
    else if (auto* l = std::get_if<V3LiquidityEvent>(&e)) pool = &l->pool;
    return !pool || *pool == a || *pool == b;
}

// The largest input ≤ hi whose exact output is ≤ y_max: the constant-product inverse
// x = r_in·y / (γ·(r_out − y)) as an estimate, then exact bisection only if the estimate overshoots.
U256 input_for_output(const PoolQuote& q, const U256& y_max, const U256& hi) {
    const CpmmLeg m = q.cpmm();
    const long double y = to_long_double(y_max);
    U256 x = hi;
    if (y < m.reserve_out) x = std::min(hi, from_long_double(m.reserve_in * y / (m.gamma * (m.reserve_out - y))));
    auto fits = [&](const U256& v) {
        if (v.is_zero()) return true;
        auto out = q.amount_out(v);
        return out && *out <= y_max;
    };
    if (fits(x)) return x;
    U256 lo;  // fits(lo), !fits(x)
    while (x.wrapping_sub(lo) > U256(1)) {
        const U256 mid = lo.wrapping_add((x.wrapping_sub(lo)) >> 1);
        if (fits(mid)) lo = mid;
        else x = mid;
    }
    return lo;
}

Action leg(const Venue& v, const PoolQuote& q, const U256& in, const U256& out, uint32_t slippage_bps, uint64_t deadline,
           const U256& floor) {
    Action a;
    a.kind = v.kind;
    a.target = v.target;
    a.pool = v.pool;
    a.token_in = q.token_in();
    a.token_out = q.token_out();
    a.amount_in = in;
    a.expected_amount_out = out;
    // Our tolerance, but never below the vault's floor (the vault would refuse the trade).
    a.min_amount_out = std::max(less_bps(out, slippage_bps), floor);
    a.deadline = deadline;
    if (v.kind == TradeKind::kUniswapV3Router) a.v3_fee = q.v3_fee_pips();
    return a;
}

// Which of the vault's limits bound a leg's size: to say so when the trade left is not worth making.
enum class Limit { kNone, kPool, kTradeCap, kAllowance, kBalance, kFloor };

Limit binding(const U256& cap, const VaultToken& t, const U256& balance_cap) {
    if (cap == t.max_per_trade) return Limit::kTradeCap;
    if (cap == t.available_allowance) return Limit::kAllowance;
    if (cap == balance_cap) return Limit::kBalance;
    return Limit::kPool;
}

// Why a plan holds instead of trading.
struct Hold {
    Decision decision;
    std::string why;
};

ArbitragePlan& hold(ArbitragePlan& p, Hold h) {
    p.decision = h.decision;
    p.why = std::move(h.why);
    return p;
}

// One order of the round trip: sell the base token on `first`, buy it back on `second`.
struct RoundTrip {
    const Venue& first;
    const Venue& second;
    const PoolQuote& q1;  // base → middle token
    const PoolQuote& q2;  // middle token → base
    const VaultToken& vb;  // the vault's base token
    const VaultToken& vm;  // the vault's middle token
};

// The first leg's size (x in, y out) and which limit bound it.
struct LegSize {
    U256 x_opt;  // the round trip's optimum, before any limit
    U256 x;
    U256 y;
    Limit limit = Limit::kNone;
    std::string floor_why;  // the prices of the leg a TWAP floor blocked, when one did
};

// Checks that need no size: the vault must track both tokens and leave room to trade each.
std::optional<Hold> vault_refuses(const MarketState& state, const chain::Address& base, const VaultToken* vb,
                                  const VaultToken* vm) {
    if (!vb || !vm) return Hold{Decision::kNoCapacity, "the vault does not track both tokens"};
    for (const VaultToken* t : {vb, vm})
        if (t->available_allowance.is_zero()) return Hold{Decision::kAllowanceExhausted, allowance_text(*t, state.block.timestamp)};
    if (vb->max_per_trade.is_zero() || vm->max_per_trade.is_zero())
        return Hold{Decision::kTradeCap, "the per-trade cap of " + (vb->max_per_trade.is_zero() ? vb : vm)->token.checksum_hex() + " is 0"};
    if (vb->balance.is_zero()) return Hold{Decision::kNoCapacity, "the vault holds no " + base.checksum_hex()};
    return std::nullopt;
}

// The optimum cut to the vault's limits on each leg's input (GuardedVault._trade: per-trade cap,
// refilling allowance; the balance it sells from). The second leg sells what the first bought, so
// its balance need only cover the first leg's slippage: y − y·(1 − s) ≤ balance.
cvex::Expected<LegSize, Hold> size_within_limits(const RoundTrip& t, long double optimum, uint32_t slippage_bps) {
    const U256 x_cap = std::min({t.q1.max_input(), t.vb.max_per_trade, t.vb.available_allowance, t.vb.balance});
    const U256 y_balance_cap =
        slippage_bps == 0 ? U256::max() : mul_div(t.vm.balance, U256(10'000), U256(slippage_bps)).value_or(U256::max());
    const U256 y_cap = std::min({t.q2.max_input(), t.vm.max_per_trade, t.vm.available_allowance, y_balance_cap});
    LegSize s;
    s.x_opt = from_long_double(optimum);
    s.x = std::min(s.x_opt, x_cap);
    // Which limit binds, to say so if the trade it leaves is not worth making.
    if (s.x < s.x_opt) s.limit = binding(x_cap, t.vb, t.vb.balance);
    auto y = t.q1.amount_out(s.x);
    if (y && *y > y_cap) {
        s.limit = binding(y_cap, t.vm, y_balance_cap);
        s.x = input_for_output(t.q1, y_cap, s.x);
        if (s.x.is_zero()) return Unexpected{Hold{Decision::kNoCapacity, {}}};
        y = t.q1.amount_out(s.x);
    }
    if (!y) return Unexpected{Hold{Decision::kPoolNotReady, {}}};
    s.y = *y;
    return s;
}

// The vault's price guard: each leg's output must reach its TWAP floor. Output per unit of input
// only falls as a leg grows, so the largest size within the floors is found by bisection below the
// capped optimum.
std::optional<Hold> shrink_to_floors(const RoundTrip& t, const VaultFloor* f1, const VaultFloor* f2, LegSize& s) {
    auto within_floors = [&](const U256& in) {
        auto out1 = t.q1.amount_out(in);
        if (!out1 || *out1 < vault_floor(f1, in)) return false;
        auto out2 = t.q2.amount_out(*out1);
        return out2 && *out2 >= vault_floor(f2, *out1);
    };
    if (!(f1 || f2) || within_floors(s.x)) return std::nullopt;
    // Both prices of the leg the floor blocks, at the size the limits allowed.
    auto out1 = t.q1.amount_out(s.x);
    auto out2 = t.q2.amount_out(s.y);
    s.floor_why = out1 && *out1 < vault_floor(f1, s.x) ? floor_text(1, t.q1, f1, s.x, *out1)
                                                        : floor_text(2, t.q2, f2, s.y, out2 ? *out2 : U256());
    U256 lo, hi = s.x;  // within_floors(lo) holds (trivially at 0), within_floors(hi) fails
    for (int i = 0; i < 96 && hi.checked_sub(lo).value_or(U256()) > U256(1); ++i) {
        const U256 mid = lo.wrapping_add(hi.checked_sub(lo)->operator>>(1));
        if (within_floors(mid)) lo = mid;
        else hi = mid;
    }
    s.x = lo;
    s.limit = Limit::kFloor;
    if (s.x.is_zero()) return Hold{Decision::kTwapFloor, s.floor_why};
    auto y = t.q1.amount_out(s.x);
    if (!y) return Hold{Decision::kPoolNotReady, {}};
    s.y = *y;
    return std::nullopt;
}

// Gas of both legs at this block's base fee plus our tip, converted to base-token units.
U256 gas_in_base_token(const ArbitrageConfig& c, const MarketState& state) {
    const U512 gas_wei = mul_wide(U256(2 * c.gas_per_trade), state.block.base_fee_per_gas.wrapping_add(c.priority_fee_wei));
    return gas_wei.hi.is_zero() ? mul_div(gas_wei.lo, c.base_per_native, kWeiPerEther).value_or(U256::max()) : U256::max();
}

// A profit within gas + min_profit: worth saying why only when a limit of the vault shrank the
// trade below its worth.
Hold below_worth(const ArbitrageConfig& c, const MarketState& state, const RoundTrip& t, const LegSize& s, const ArbitragePlan& p) {
    const std::string worth = "limits the round trip to " + s.x.dec() + " in, " + p.gross_profit.dec() + " profit ≤ gas " +
                              p.gas_cost.dec() + " + min_profit " + c.min_profit.dec();
    switch (s.limit) {
        case Limit::kTradeCap: return Hold{Decision::kTradeCap, "the per-trade cap " + worth};
        case Limit::kAllowance:
            return Hold{Decision::kAllowanceExhausted, "what is left of the allowance " + worth + "; " +
                                                           allowance_text(s.x < s.x_opt ? t.vb : t.vm, state.block.timestamp)};
        case Limit::kFloor: return Hold{Decision::kTwapFloor, s.floor_why + "; the size it allows " + worth};
        default: return Hold{Decision::kBelowMinProfit, {}};
    }
}

// A round trip with a gap (its optimum at least 1): sized within the vault's limits and floors,
// traded if its profit beats gas and min_profit.
ArbitragePlan plan_round_trip(const ArbitrageConfig& c, const MarketState& state, const RoundTrip& t, long double optimum) {
    ArbitragePlan p;
    auto sized = size_within_limits(t, optimum, c.slippage_bps);
    if (!sized) return hold(p, sized.error());
    LegSize& s = *sized;
    const VaultFloor* f1 = state.vault.floor(c.base_token, t.q1.token_out());
    const VaultFloor* f2 = state.vault.floor(t.q1.token_out(), c.base_token);
    if (auto h = shrink_to_floors(t, f1, f2, s)) return hold(p, std::move(*h));
    if (s.y.is_zero()) return hold(p, Hold{Decision::kNoGap, {}});
    auto z = t.q2.amount_out(s.y);
    if (!z) return hold(p, Hold{Decision::kPoolNotReady, {}});
    p.amount_in = s.x;
    p.amount_back = *z;
    if (*z <= s.x) return hold(p, Hold{s.limit == Limit::kFloor ? Decision::kTwapFloor : Decision::kNoGap, s.floor_why});
    p.gross_profit = z->wrapping_sub(s.x);
    p.gas_cost = gas_in_base_token(c, state);
    const U256 need = p.gas_cost.checked_add(c.min_profit).value_or(U256::max());
    if (p.gross_profit <= need) return hold(p, below_worth(c, state, t, s, p));

    const uint64_t deadline = state.block.timestamp + c.deadline_s;
    p.actions.push_back(leg(t.first, t.q1, s.x, s.y, c.slippage_bps, deadline, vault_floor(f1, s.x)));
    p.actions.push_back(leg(t.second, t.q2, s.y, *z, c.slippage_bps, deadline, vault_floor(f2, s.y)));
    p.decision = Decision::kTrade;
    return p;
}

}  // namespace

cvex::Expected<ArbitrageStrategy, BotError> ArbitrageStrategy::create(ArbitrageConfig c) {
    if (auto e = check_venue(c.venue_a, "venue_a")) return bot_failure(*e);
    if (auto e = check_venue(c.venue_b, "venue_b")) return bot_failure(*e);
    if (c.venue_a.pool == c.venue_b.pool) return bot_failure("venue_b.pool: must differ from venue_a.pool");
    if (c.base_token.is_zero()) return bot_failure("base_token: must be set");
    if (c.slippage_bps >= 10'000) return bot_failure("slippage_bps: must be below 10000");
    if (c.deadline_s == 0) return bot_failure("deadline_s: must be positive");
    if (c.gas_per_trade == 0) return bot_failure("gas_per_trade: must be positive");
    return ArbitrageStrategy(std::move(c));
}

Verdict ArbitrageStrategy::decide(const MarketState& state, const BotEvent& event) const {
    if (!concerns(event, config_.venue_a.pool, config_.venue_b.pool)) return Verdict{Decision::kIrrelevantEvent, "", {}};
    ArbitragePlan p = plan(state);
    return Verdict{p.decision, std::move(p.why), std::move(p.actions)};
}

ArbitragePlan ArbitrageStrategy::plan(const MarketState& state) const {
    ArbitragePlan p;
    if (Decision d = kill_switch(state, config_.expiry_margin_s); d != Decision::kTrade)
        return hold(p, Hold{d, kill_switch_text(state, d, config_.expiry_margin_s)});
    const chain::Address& base = config_.base_token;
    // Only one order can be profitable: the base token is dearer in one pool than in the other.
    const std::array<std::pair<const Venue*, const Venue*>, 2> orders = {
        std::pair{&config_.venue_a, &config_.venue_b}, std::pair{&config_.venue_b, &config_.venue_a}};
    for (const auto& [first, second] : orders) {
        auto q1 = PoolQuote::of(state, first->pool, base);
        if (!q1 || !kind_fits(*first, *q1)) return hold(p, Hold{Decision::kPoolNotReady, {}});
        auto q2 = PoolQuote::of(state, second->pool, q1->token_out());
        if (!q2 || !kind_fits(*second, *q2) || q2->token_out() != base) return hold(p, Hold{Decision::kPoolNotReady, {}});
        const long double optimum = optimal_round_trip_input(q1->cpmm(), q2->cpmm());
        if (!(optimum >= 1.0L)) continue;

        // A gap exists from here on: every way out below says why it stays untraded.
        const VaultToken* vb = state.vault.token(base);
        const VaultToken* vm = state.vault.token(q1->token_out());
        if (auto h = vault_refuses(state, base, vb, vm)) return hold(p, std::move(*h));
        return plan_round_trip(config_, state, RoundTrip{*first, *second, *q1, *q2, *vb, *vm}, optimum);
    }
    return hold(p, Hold{Decision::kNoGap, {}});
}

}  // namespace cvex::bots
