// Cross-pool arbitrage of one pair (issue 7 §3): when the two pools' prices differ by more than
// their fees, sell the base token where it is dear and buy it back where it is cheap, sized at
// the round trip's optimum within every limit the vault enforces.
#include <algorithm>
#include <array>

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
    auto idle = [&p](Decision d, std::string why = {}) {
        p.decision = d;
        p.why = std::move(why);
        return p;
    };
    if (Decision d = kill_switch(state, config_.expiry_margin_s); d != Decision::kTrade) return idle(d, kill_switch_text(state, d, config_.expiry_margin_s));
    const chain::Address& base = config_.base_token;
    // Only one order can be profitable: the base token is dearer in one pool than in the other.
    const std::array<std::pair<const Venue*, const Venue*>, 2> orders = {
        std::pair{&config_.venue_a, &config_.venue_b}, std::pair{&config_.venue_b, &config_.venue_a}};
    for (const auto& [first, second] : orders) {
        auto q1 = PoolQuote::of(state, first->pool, base);
        if (!q1 || !kind_fits(*first, *q1)) return idle(Decision::kPoolNotReady);
        auto q2 = PoolQuote::of(state, second->pool, q1->token_out());
        if (!q2 || !kind_fits(*second, *q2) || q2->token_out() != base) return idle(Decision::kPoolNotReady);
        const long double optimum = optimal_round_trip_input(q1->cpmm(), q2->cpmm());
        if (!(optimum >= 1.0L)) continue;

        // A gap exists from here on: every way out below says why it stays untraded.
        const VaultToken* vb = state.vault.token(base);
        const VaultToken* vm = state.vault.token(q1->token_out());
        if (!vb || !vm) return idle(Decision::kNoCapacity, "the vault does not track both tokens");
        for (const VaultToken* t : {vb, vm})
            if (t->available_allowance.is_zero()) return idle(Decision::kAllowanceExhausted, allowance_text(*t, state.block.timestamp));
        if (vb->max_per_trade.is_zero() || vm->max_per_trade.is_zero())
            return idle(Decision::kTradeCap, "the per-trade cap of " + (vb->max_per_trade.is_zero() ? vb : vm)->token.checksum_hex() + " is 0");
        if (vb->balance.is_zero()) return idle(Decision::kNoCapacity, "the vault holds no " + base.checksum_hex());

        // The vault's limits on each leg's input (GuardedVault._trade: per-trade cap, refilling
        // allowance; the balance it sells from). The second leg sells what the first bought, so
        // its balance need only cover the first leg's slippage: y − y·(1 − s) ≤ balance.
        const U256 x_cap = std::min({q1->max_input(), vb->max_per_trade, vb->available_allowance, vb->balance});
        const U256 y_balance_cap =
            config_.slippage_bps == 0 ? U256::max() : mul_div(vm->balance, U256(10'000), U256(config_.slippage_bps)).value_or(U256::max());
        const U256 y_cap = std::min({q2->max_input(), vm->max_per_trade, vm->available_allowance, y_balance_cap});
        // Which limit binds, to say so if the trade it leaves is not worth making.
        Limit limit = Limit::kNone;
        const U256 x_opt = from_long_double(optimum);
        U256 x = std::min(x_opt, x_cap);
        if (x < x_opt) limit = binding(x_cap, *vb, vb->balance);
        auto y = q1->amount_out(x);
        if (y && *y > y_cap) {
            limit = binding(y_cap, *vm, y_balance_cap);
            x = input_for_output(*q1, y_cap, x);
            if (x.is_zero()) return idle(Decision::kNoCapacity);
            y = q1->amount_out(x);
        }
        if (!y) return idle(Decision::kPoolNotReady);
        // The vault's price guard: each leg's output must reach its TWAP floor. Output per unit
        // of input only falls as a leg grows, so the largest size within the floors is found by
        // bisection below the capped optimum.
        const VaultFloor* f1 = state.vault.floor(base, q1->token_out());
        const VaultFloor* f2 = state.vault.floor(q1->token_out(), base);
        auto within_floors = [&](const U256& in) {
            auto out1 = q1->amount_out(in);
            if (!out1 || *out1 < vault_floor(f1, in)) return false;
            auto out2 = q2->amount_out(*out1);
            return out2 && *out2 >= vault_floor(f2, *out1);
        };
        std::string floor_why;
        if ((f1 || f2) && !within_floors(x)) {
            // Both prices of the leg the floor blocks, at the size the limits allowed.
            auto out1 = q1->amount_out(x);
            auto out2 = q2->amount_out(*y);
            floor_why = out1 && *out1 < vault_floor(f1, x) ? floor_text(1, *q1, f1, x, *out1) : floor_text(2, *q2, f2, *y, out2 ? *out2 : U256());
            U256 lo, hi = x;  // within_floors(lo) holds (trivially at 0), within_floors(hi) fails
            for (int i = 0; i < 96 && hi.checked_sub(lo).value_or(U256()) > U256(1); ++i) {
                const U256 mid = lo.wrapping_add(hi.checked_sub(lo)->operator>>(1));
                if (within_floors(mid)) lo = mid;
                else hi = mid;
            }
            x = lo;
            limit = Limit::kFloor;
            if (x.is_zero()) return idle(Decision::kTwapFloor, floor_why);
            y = q1->amount_out(x);
            if (!y) return idle(Decision::kPoolNotReady);
        }
        if (y->is_zero()) return idle(Decision::kNoGap);
        auto z = q2->amount_out(*y);
        if (!z) return idle(Decision::kPoolNotReady);
        p.amount_in = x;
        p.amount_back = *z;
        if (*z <= x) return idle(limit == Limit::kFloor ? Decision::kTwapFloor : Decision::kNoGap, floor_why);
        p.gross_profit = z->wrapping_sub(x);

        // Gas of both legs at this block's base fee plus our tip, converted to base-token units.
        const U512 gas_wei = mul_wide(U256(2 * config_.gas_per_trade), state.block.base_fee_per_gas.wrapping_add(config_.priority_fee_wei));
        p.gas_cost = gas_wei.hi.is_zero() ? mul_div(gas_wei.lo, config_.base_per_native, kWeiPerEther).value_or(U256::max()) : U256::max();
        const U256 need = p.gas_cost.checked_add(config_.min_profit).value_or(U256::max());
        if (p.gross_profit <= need) {
            // Worth saying only when a limit of the vault shrank the trade below its worth.
            const std::string worth = "limits the round trip to " + x.dec() + " in, " + p.gross_profit.dec() + " profit ≤ gas " + p.gas_cost.dec() +
                                      " + min_profit " + config_.min_profit.dec();
            switch (limit) {
                case Limit::kTradeCap: return idle(Decision::kTradeCap, "the per-trade cap " + worth);
                case Limit::kAllowance:
                    return idle(Decision::kAllowanceExhausted, "what is left of the allowance " + worth + "; " +
                                                                   allowance_text(x < x_opt ? *vb : *vm, state.block.timestamp));
                case Limit::kFloor: return idle(Decision::kTwapFloor, floor_why + "; the size it allows " + worth);
                default: return idle(Decision::kBelowMinProfit);
            }
        }

        const uint64_t deadline = state.block.timestamp + config_.deadline_s;
        p.actions.push_back(leg(*first, *q1, x, *y, config_.slippage_bps, deadline, vault_floor(f1, x)));
        p.actions.push_back(leg(*second, *q2, *y, *z, config_.slippage_bps, deadline, vault_floor(f2, *y)));
        p.decision = Decision::kTrade;
        return p;
    }
    return idle(Decision::kNoGap);
}

}  // namespace cvex::bots
