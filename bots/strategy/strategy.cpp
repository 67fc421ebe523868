// What the strategies share (bot_strategy.hpp): the vault's TradeIntent.data, the kill switch,
// the slippage arithmetic, and the names of decisions.
#include "bots/strategy/strategy.hpp"

#include <algorithm>

#include "bots/math/full_math.hpp"
#include "bots/market/quote.hpp"

namespace cvex::bots {

using chain::U256;

cvex::Bytes trade_data(const Action& a) {
    if (a.kind == TradeKind::kUniswapV3Pool) {
        if (a.sqrt_price_limit_x96.is_zero()) return {};
        const auto limit = a.sqrt_price_limit_x96.to_be();
        return cvex::Bytes(limit.begin(), limit.end());
    }
    if (a.kind != TradeKind::kUniswapV3Router) return {};
    // abi.encode(uint24 fee, uint160 sqrtPriceLimitX96): two right-aligned 32-byte words, as
    // GuardedVault._swapOnRouter decodes them.
    cvex::Bytes out(64, 0);
    const auto fee = U256(a.v3_fee).to_be();
    const auto limit = a.sqrt_price_limit_x96.to_be();
    std::copy(fee.begin(), fee.end(), out.begin());
    std::copy(limit.begin(), limit.end(), out.begin() + 32);
    return out;
}

const char* to_string(Decision d) {
    switch (d) {
        case Decision::kTrade: return "trade";
        case Decision::kIrrelevantEvent: return "irrelevant event";
        case Decision::kNoBlock: return "no block yet";
        case Decision::kPaused: return "vault paused";
        case Decision::kAttestationExpiring: return "attestation expires within the margin";
        case Decision::kTradesPending: return "trades pending";
        case Decision::kPoolNotReady: return "pool not ready";
        case Decision::kNoGap: return "no profitable gap";
        case Decision::kBelowMinProfit: return "profit after gas below the minimum";
        case Decision::kNoCapacity: return "no capacity (balance)";
        case Decision::kInBand: return "weight within the band";
        case Decision::kCadence: return "traded too recently";
        case Decision::kAllowanceExhausted: return "allowance exhausted";
        case Decision::kTradeCap: return "per-trade cap too small to pay";
        case Decision::kTwapFloor: return "TWAP floor blocks a leg";
        case Decision::kRpcUnreachable: return "RPC unreachable";
        case Decision::kRpcStalled: return "RPC stalled";
        case Decision::kRpcBehind: return "RPC behind";
        case Decision::kDrawdown: return "drawdown stop";
    }
    return "unknown";
}

Decision kill_switch(const MarketState& s, uint64_t expiry_margin_s) {
    if (s.block.number == 0) return Decision::kNoBlock;
    if (s.vault.paused) return Decision::kPaused;
    // Idle while now + margin reaches the expiry: a trade sent now must still be attested when
    // mined, and the guest needs the margin to renew its attestation (issue 7 §3, kill switch).
    if (s.vault.attestation_expiry <= s.block.timestamp || s.vault.attestation_expiry - s.block.timestamp <= expiry_margin_s)
        return Decision::kAttestationExpiring;
    if (s.vault.pending_trades > 0) return Decision::kTradesPending;
    return Decision::kTrade;
}

U256 vault_floor(const VaultFloor* f, const U256& in) {
    if (!f) return U256();
    // floor_per_unit was truncated by the vault, so the exact per-unit floor lies in
    // [floor_per_unit, floor_per_unit + 1): scaling the upper end (rounding up) never asks less
    // than the vault's own floor for `in`, which scaling floor_per_unit did by up to in / kUnit wei
    // (a rebalancer slice of 2,505 B asked 823 wei under it: SlippageTooHigh, found by the backtest).
    return mul_div_rounding_up(f->floor_per_unit.checked_add(U256(1)).value_or(U256::max()), in, U256(VaultFloor::kUnit)).value_or(U256::max());
}

U256 largest_within_floor(const PoolQuote& q, const VaultFloor* f, const U256& max) {
    auto fits = [&](const U256& in) {
        auto out = q.amount_out(in);
        return out && *out >= vault_floor(f, in);
    };
    if (!f || fits(max)) return max;
    U256 lo, hi = max;  // fits(lo) holds (0 asks nothing), fits(hi) does not
    while (hi.checked_sub(lo).value_or(U256()) > U256(1)) {
        const U256 mid = lo.wrapping_add(hi.wrapping_sub(lo) >> 1);
        if (fits(mid)) lo = mid;
        else hi = mid;
    }
    return lo;
}

U256 less_bps(const U256& amount, uint32_t bps) {
    if (bps >= 10'000) return U256();
    return *mul_div(amount, U256(10'000 - bps), U256(10'000));
}

}  // namespace cvex::bots
