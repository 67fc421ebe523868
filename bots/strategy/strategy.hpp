// Strategies: pure functions from the market state and the event just applied to it to the
// trades the vault should make (issue 7 §3). No I/O, no clock, no randomness: the same state and
// event always give the same actions, so each behaviour is a unit test. Executors turn an Action
// into the vault's `trade(TradeIntent, measurementId)` (IGuardedVault.sol) after simulating it.
//
// Both strategies here obey the kill switch: no action while the vault is paused, while the
// enclave key's attestation expires within a margin, or while trades of ours are in flight.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bots/bot_error.hpp"
#include "chain/types/address.hpp"
#include "base/bytes.hpp"
#include "base/expected.hpp"
#include "chain/types/u256.hpp"
#include "bots/market/market.hpp"

namespace cvex::bots {

class PoolQuote;  // bot_quote.hpp

/// IGuardedVault.TradeKind: how the vault calls a target (the values are the enum's).
enum class TradeKind : uint8_t {
    kNone = 0,
    kUniswapV2Router = 1,  // swapExactTokensForTokens
    kUniswapV3Router = 2,  // SwapRouter.exactInputSingle
    kUniswapV2Pair = 3,    // the vault's oracle pair itself: transfer + swap
    kUniswapV3Pool = 4,    // a V3 pool itself: swap + pay in the vault's callback (no router, no approve)
};

/// Whether the vault reaches a V3 pool through this kind (router or the pool itself).
constexpr bool is_v3(TradeKind k) { return k == TradeKind::kUniswapV3Router || k == TradeKind::kUniswapV3Pool; }
/// Whether the target is the pool itself (the kinds that cost least gas: no router, no approve).
constexpr bool targets_pool(TradeKind k) { return k == TradeKind::kUniswapV2Pair || k == TradeKind::kUniswapV3Pool; }

/// Where a strategy trades: the pool it prices from and how the vault reaches it. For
/// kUniswapV2Pair and kUniswapV3Pool the target is the pool itself.
struct Venue {
    chain::Address pool;
    TradeKind kind = TradeKind::kUniswapV2Router;
    chain::Address target;
};

/// One trade: the fields of IGuardedVault.TradeIntent but the nonce, which the executor assigns.
struct Action {
    TradeKind kind = TradeKind::kNone;
    chain::Address target;
    chain::Address pool;  // the pool the amounts were simulated on
    chain::Address token_in, token_out;
    chain::U256 amount_in;
    chain::U256 min_amount_out;       // expected_amount_out less the slippage tolerance
    chain::U256 expected_amount_out;  // exact simulation at the state the decision saw
    uint64_t deadline = 0;            // unix seconds; the vault rejects after it
    uint32_t v3_fee = 0;              // kUniswapV3Router: the pool's fee tier (pips)
    chain::U256 sqrt_price_limit_x96; // kUniswapV3Router: 0 = none (min_amount_out protects)
    bool operator==(const Action&) const = default;
};

/// TradeIntent.data for the action's kind (IGuardedVault.TradeKind): empty for the V2 router
/// (path [tokenIn, tokenOut]) and the V2 pair; abi.encode(uint24 fee, uint160 sqrtPriceLimitX96)
/// for the V3 router; abi.encode(uint160 sqrtPriceLimitX96), or empty for no limit, for the V3 pool.
cvex::Bytes trade_data(const Action& action);

/// Why a strategy did what it did: kTrade, or why it idled (for logs, metrics and paper mode).
enum class Decision : uint8_t {
    kTrade,
    kIrrelevantEvent,      // an event about pools this bot does not trade
    kNoBlock,              // no block seen yet: no clock for deadlines
    kPaused,               // kill switch: the vault is paused
    kAttestationExpiring,  // kill switch: the attestation lapses within the margin
    kTradesPending,        // our previous trades are not mined yet
    kPoolNotReady,         // a pool is unknown, lacks the token, or has no liquidity yet
    kNoGap,                // no profitable price gap after fees
    kBelowMinProfit,       // a gap, but its profit after gas is below the minimum
    kNoCapacity,           // the vault's balance (or a missing token) leaves nothing to trade
    kInBand,               // rebalancer: the weight is within the band
    kCadence,              // rebalancer: traded less than N blocks ago
    kAllowanceExhausted,   // a gap, but the token's refilling allowance is used up (or too low to pay)
    kTradeCap,             // a gap, but the per-trade cap leaves a trade too small to pay
    kTwapFloor,            // a gap, but the vault's TWAP floor refuses a leg (or every size worth it)
    // Set by the runner, not the strategies: the node cannot be trusted to show the market now.
    kRpcUnreachable,
    kRpcStalled,
    kRpcBehind,
    kDrawdown,             // the bot's loss over its window passed the configured maximum
};

const char* to_string(Decision d);
/// The label of a hold reason on /metrics (cvex_bot_hold{reason="…"}), "none" for the others.
const char* metric_name(Decision d);
/// The reasons a bot holds back while a gap may exist: each is logged when it starts and ends.
bool is_hold_reason(Decision d);
bool is_rpc_reason(Decision d);
const std::vector<Decision>& hold_reasons();

/// A strategy's decision, why in words (with the figures behind it for a hold reason), and the
/// trades when it decided to trade.
struct Verdict {
    Decision decision = Decision::kNoGap;
    std::string why;
    std::vector<Action> actions;
};

/// The kill switch shared by every strategy: kTrade when trading may proceed, else why not.
Decision kill_switch(const MarketState& state, uint64_t expiry_margin_s);

/// `amount` less `bps` basis points, rounded down (the slippage tolerance of min_amount_out).
chain::U256 less_bps(const chain::U256& amount, uint32_t bps);

/// The least amount out the vault accepts for selling `amount_in` (GuardedVault.minAmountOutFor,
/// scaled up from its per-unit quote), or zero when it gave no quote.
chain::U256 vault_floor(const VaultFloor* floor, const chain::U256& amount_in);
/// The largest input ≤ `max` whose output through `q` reaches the vault's floor (output per unit
/// only falls as the input grows, so bisection finds it); `max` itself when it already does.
chain::U256 largest_within_floor(const PoolQuote& q, const VaultFloor* floor, const chain::U256& max);

/// When a token's allowance refills next (unix seconds; 0 when unknown or never), and the
/// sentences the hold reasons are logged with.
uint64_t next_refill(const VaultToken& token, uint64_t now);
std::string allowance_text(const VaultToken& token, uint64_t now);
std::string floor_text(int leg, const PoolQuote& q, const VaultFloor* floor, const chain::U256& in, const chain::U256& out);
std::string kill_switch_text(const MarketState& state, Decision d, uint64_t expiry_margin_s);

class Strategy {
public:
    virtual ~Strategy() = default;
    virtual const std::string& name() const = 0;
    /// The decision now and why; `state` already includes `event`.
    virtual Verdict decide(const MarketState& state, const BotEvent& event) const = 0;
    /// The trades to make now. Empty: nothing to do.
    std::vector<Action> on_event(const MarketState& state, const BotEvent& event) const { return decide(state, event).actions; }
};

// ---------------------------------------------------------------------------- arbitrage

struct ArbitrageConfig {
    std::string name = "arbitrage";
    /// Two pools of the same pair (V2 and V3, or two V2): the strategy buys on one and sells on
    /// the other, starting and ending in `base_token`.
    Venue venue_a, venue_b;
    chain::Address base_token;
    /// Least profit worth trading for, in base-token units, after the gas estimate.
    chain::U256 min_profit;
    /// Gas of one leg: a swap (≈ 132k) plus the vault's checks (≤ 40k, issue 7 §5).
    uint64_t gas_per_trade = 175'000;
    chain::U256 priority_fee_wei;
    /// Base-token units worth one ether (10^18 wei): 10^18 when the base token is WETH.
    chain::U256 base_per_native;
    uint32_t slippage_bps = 30;
    uint64_t deadline_s = 60;
    uint64_t expiry_margin_s = 600;
};

/// What the arbitrage decided and the figures behind it.
struct ArbitragePlan {
    Decision decision = Decision::kNoGap;
    std::vector<Action> actions;  // two legs when decision == kTrade
    std::string why;              // for a hold reason: the figures behind it
    chain::U256 amount_in;        // base token into the first leg
    chain::U256 amount_back;      // base token out of the second leg (simulated)
    chain::U256 gross_profit;     // amount_back − amount_in
    chain::U256 gas_cost;         // both legs, in base-token units
};

class ArbitrageStrategy final : public Strategy {
public:
    /// Checks the config; the error names the field.
    static cvex::Expected<ArbitrageStrategy, BotError> create(ArbitrageConfig config);

    const std::string& name() const override { return config_.name; }
    Verdict decide(const MarketState& state, const BotEvent& event) const override;

    /// The decision at `state`, whatever the event (decide = plan unless the event is
    /// irrelevant). Sizing: the closed-form optimum of the round trip (optimal_round_trip_input),
    /// then capped by the first pool's exact range, the vault's per-trade cap, allowance and
    /// balance of the base token, and by the same limits on the second leg's input.
    ArbitragePlan plan(const MarketState& state) const;

    const ArbitrageConfig& config() const { return config_; }

private:
    explicit ArbitrageStrategy(ArbitrageConfig c) : config_(std::move(c)) {}
    ArbitrageConfig config_;
};

// ---------------------------------------------------------------------------- rebalancer

struct RebalancerConfig {
    std::string name = "rebalancer";
    Venue venue;
    /// The token whose share of the vault's value (both tokens of the pool, valued in the other
    /// token at the pool's mid price) is kept at target_weight_bps ± band_bps.
    chain::Address token_a;
    uint32_t target_weight_bps = 5000;
    uint32_t band_bps = 200;
    /// The most token A one slice moves (sold, or bought at the mid price).
    chain::U256 max_slice_a;
    /// At most one slice per this many blocks (counted from the vault's last Traded event).
    uint64_t every_blocks = 10;
    uint32_t slippage_bps = 50;
    uint64_t deadline_s = 120;
    uint64_t expiry_margin_s = 600;
};

struct RebalancePlan {
    Decision decision = Decision::kInBand;
    std::vector<Action> actions;  // one slice when decision == kTrade
    std::string why;
    uint32_t weight_bps = 0;      // token A's current share of the value
};

class RebalancerStrategy final : public Strategy {
public:
    static cvex::Expected<RebalancerStrategy, BotError> create(RebalancerConfig config);

    const std::string& name() const override { return config_.name; }
    /// Decides once per block: on NewBlockEvent only.
    Verdict decide(const MarketState& state, const BotEvent& event) const override;
    RebalancePlan plan(const MarketState& state) const;

    const RebalancerConfig& config() const { return config_; }

private:
    explicit RebalancerStrategy(RebalancerConfig c) : config_(std::move(c)) {}
    RebalancerConfig config_;
};

}  // namespace cvex::bots
