// What a trading bot knows about the market, and the events that change it (issue 7 §3: the
// collectors' output, the strategies' input). Pure data and pure updates: the collectors turn
// logs and RPC reads into BotEvents (bot_decode.hpp for logs), apply_event folds each into the
// MarketState, and the strategies read the state (bot_strategy.hpp).
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "chain/types/address.hpp"
#include "base/expected.hpp"
#include "chain/types/hash.hpp"
#include "chain/types/u256.hpp"
#include "bots/math/math.hpp"

namespace cvex::bots {

/// Where a log sits in the chain. A pool ignores events at or before the one it last applied,
/// so replays after a reconnect change nothing.
struct LogPosition {
    uint64_t block = 0;
    uint64_t log_index = 0;
    auto operator<=>(const LogPosition&) const = default;
};

/// An int256 (two's complement on chain) as sign and magnitude.
struct SignedAmount {
    chain::U256 magnitude;
    bool negative = false;
    bool operator==(const SignedAmount&) const = default;
};

struct V2Pool {
    /// UniswapV2Pair's fee, which UniswapV2Library hard-codes as 997/1000.
    static constexpr uint32_t kFeeBps = 30;
    chain::Address address;
    chain::Address token0, token1;  // sorted, as the pair stores them
    chain::U256 reserve0, reserve1;  // uint112 on chain
    LogPosition updated;
};

struct V3Pool {
    chain::Address address;
    chain::Address token0, token1;
    uint32_t fee_pips = 3000;  // hundredths of a basis point
    int32_t tick_spacing = 60;
    chain::U256 sqrt_price_x96;  // slot0.sqrtPriceX96
    chain::U256 liquidity;       // in-range liquidity
    int32_t tick = 0;            // slot0.tick
    /// The nearest initialized ticks at-or-below and above `tick`, when the collector has read
    /// them from the tick bitmap. A swap that moves the tick outside [below, above) forgets them;
    /// without them sizing assumes every tick-spacing boundary may be initialized.
    std::optional<int32_t> initialized_below, initialized_above;
    LogPosition updated;

    /// The range a swap in this direction stays within on the current liquidity: up to the next
    /// initialized tick known (or the bitmap word's end, or the tick-spacing boundary when none
    /// is known; see v3_step_bound_tick). A strategy never sizes past it.
    MathResult<V3Range> range(bool zero_for_one) const;
};

/// The vault's figures for one token (IGuardedVault views and TokenLimits).
struct VaultToken {
    chain::Address token;
    chain::U256 balance;              // ERC-20 balanceOf(vault)
    chain::U256 available_allowance;  // availableAllowance(token): what may still be sold this epoch
    chain::U256 max_per_trade;        // TokenLimits.maxPerTrade
    chain::U256 refill_amount{};      // TokenLimits.refillAmount, added every refill_period
    uint64_t refill_period = 0;       // seconds; 0: never refills
    uint64_t refill_anchor = 0;       // when setTokenLimits ran (refills fall on anchor + k·period); 0: unknown
    bool operator==(const VaultToken&) const = default;
};

/// The vault's price guard for one direction (GuardedVault.minAmountOutFor): a trade selling
/// `amount` of token_in must ask at least floor_per_unit × amount / kFloorUnit of token_out. The
/// reference is the TWAP, so the floor moves slowly and a leg that would push a pool far from it
/// is refused however profitable the round trip.
struct VaultFloor {
    static constexpr uint64_t kUnit = 1'000'000'000'000'000'000ULL;  // 10^18 base units of token_in
    chain::Address token_in, token_out;
    chain::U256 floor_per_unit;
    bool operator==(const VaultFloor&) const = default;
};

struct VaultState {
    chain::Address address;
    /// Paused until the first snapshot says otherwise: a bot that knows nothing does nothing.
    bool paused = true;
    /// Unix seconds at which the enclave key's attestation lapses (AttestationRegistry).
    uint64_t attestation_expiry = 0;
    std::vector<VaultToken> tokens;
    /// The block the last snapshot was read at: events up to it are already in it.
    uint64_t snapshot_block = 0;
    /// The latest vault log applied (transfer, pause, trade): log indexes are block-wide, so one
    /// position orders them all and a replayed log is recognised.
    LogPosition last_log;
    /// The block of the vault's latest Traded event.
    uint64_t last_trade_block = 0;
    /// Trades our executor sent that are not mined yet: strategies wait for them rather than act
    /// twice on the same opportunity.
    uint32_t pending_trades = 0;
    /// The price guard per direction, when the vault could quote it (a usable TWAP).
    std::vector<VaultFloor> floors;

    const VaultToken* token(const chain::Address& t) const;
    VaultToken* token(const chain::Address& t);
    const VaultFloor* floor(const chain::Address& token_in, const chain::Address& token_out) const;
};

struct BlockInfo {
    uint64_t number = 0;
    uint64_t timestamp = 0;
    chain::U256 base_fee_per_gas;
};

struct MarketState {
    BlockInfo block;
    std::vector<V2Pool> v2_pools;  // registered by the bot's config; events for others are errors
    std::vector<V3Pool> v3_pools;
    VaultState vault;

    const V2Pool* v2(const chain::Address& pool) const;
    const V3Pool* v3(const chain::Address& pool) const;
    V2Pool* v2(const chain::Address& pool);
    V3Pool* v3(const chain::Address& pool);
};

// ------------------------------------------------------------------------------- events

/// A new head (eth_subscribe newHeads or polling).
struct NewBlockEvent {
    uint64_t number = 0;
    uint64_t timestamp = 0;
    chain::U256 base_fee_per_gas;
};

/// UniswapV2Pair `Sync(uint112 reserve0, uint112 reserve1)`: the reserves after every change.
struct V2SyncEvent {
    chain::Address pool;
    chain::U256 reserve0, reserve1;
    LogPosition position;
};

/// UniswapV3Pool `Swap(address indexed sender, address indexed recipient, int256 amount0,
/// int256 amount1, uint160 sqrtPriceX96, uint128 liquidity, int24 tick)`: the pool's price,
/// in-range liquidity and tick after the swap.
struct V3SwapEvent {
    chain::Address pool;
    chain::Address sender, recipient;
    SignedAmount amount0, amount1;  // the pool's balance changes (positive: into the pool)
    chain::U256 sqrt_price_x96;
    chain::U256 liquidity;
    int32_t tick = 0;
    LogPosition position;
};

/// A V3 pool's in-range liquidity and nearest initialized ticks as the collector read them
/// (after a Mint or Burn, or a tick-bitmap read).
struct V3LiquidityEvent {
    chain::Address pool;
    chain::U256 liquidity;
    std::optional<int32_t> initialized_below, initialized_above;
    LogPosition position;
};

/// Everything the collector reads from the vault with eth_call at `block`: replaces the vault's
/// figures wholesale.
struct VaultSnapshotEvent {
    uint64_t block = 0;
    bool paused = true;
    uint64_t attestation_expiry = 0;
    std::vector<VaultToken> tokens;
    std::vector<VaultFloor> floors;
};

/// An ERC-20 `Transfer` into (positive) or out of (negative) the vault.
struct VaultTransferEvent {
    chain::Address token;
    SignedAmount delta;
    LogPosition position;
};

/// The vault's `VaultPaused(address indexed by)` / `VaultUnpaused(address indexed by)`.
struct VaultPauseEvent {
    bool paused = true;
    chain::Address by;
    LogPosition position;
};

/// The vault's `Traded(address indexed enclave, address indexed target, address indexed tokenIn,
/// address tokenOut, uint256 amountIn, uint256 amountOut, bytes32 intentHash)`.
struct VaultTradedEvent {
    chain::Address enclave, target, token_in, token_out;
    chain::U256 amount_in, amount_out;
    chain::Hash32 intent_hash;
    LogPosition position;
};

/// From our executor: how many of its trades are sent and not yet mined.
struct PendingTradesEvent {
    uint32_t count = 0;
};

using BotEvent = std::variant<NewBlockEvent, V2SyncEvent, V3SwapEvent, V3LiquidityEvent, VaultSnapshotEvent, VaultTransferEvent,
                              VaultPauseEvent, VaultTradedEvent, PendingTradesEvent>;

enum class MarketErrorCode {
    kUnknownPool,       // the event's pool is not registered in the state
    kUnknownToken,      // the vault transfer's token is not one the vault state tracks
    kBalanceUnderflow,  // an outgoing transfer larger than the balance: the state is out of sync, resnapshot
};

struct MarketError {
    MarketErrorCode code;
    std::string_view field;  // the event field that failed: "pool", "token", "delta"
    std::string message() const;
};

/// Folds `event` into `state`: true when the state changed, false when the event was already
/// reflected (an older log, a block not after the current one, a vault event at or before the
/// snapshot block). Errors leave the state untouched.
cvex::Expected<bool, MarketError> apply_event(MarketState& state, const BotEvent& event);

}  // namespace cvex::bots
