// Why a bot holds back, in words and as metric labels (bot_strategy.hpp): the reasons a gap stays
// untraded, with the figures behind each — the allowance and when it refills, the prices a TWAP
// floor compares, the attestation's expiry and margin.
#include <cstdio>
#include <ctime>

#include "bots/market/quote.hpp"
#include "bots/math/full_math.hpp"
#include "bots/strategy/strategy.hpp"

namespace cvex::bots {

using chain::U256;

namespace {

std::string utc(uint64_t unix_seconds) {
    const std::time_t t = static_cast<std::time_t>(unix_seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

// A ratio of two base-unit amounts, 6 significant digits (for reading, never for trading).
std::string ratio(const U256& num, const U256& den) {
    if (den.is_zero()) return "∞";
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.6Lg", to_long_double(num) / to_long_double(den));
    return buf;
}

}  // namespace

const char* metric_name(Decision d) {
    switch (d) {
        case Decision::kPaused: return "paused";
        case Decision::kAttestationExpiring: return "attestation_expiring";
        case Decision::kAllowanceExhausted: return "allowance_exhausted";
        case Decision::kTradeCap: return "trade_cap";
        case Decision::kTwapFloor: return "twap_floor";
        case Decision::kNoCapacity: return "no_capacity";
        case Decision::kRpcUnreachable: return "rpc_unreachable";
        case Decision::kRpcStalled: return "rpc_stalled";
        case Decision::kRpcBehind: return "rpc_behind";
        case Decision::kDrawdown: return "drawdown";
        default: return "none";
    }
}

const std::vector<Decision>& hold_reasons() {
    static const std::vector<Decision> all = {Decision::kPaused,         Decision::kAttestationExpiring, Decision::kAllowanceExhausted,
                                              Decision::kTradeCap,       Decision::kTwapFloor,           Decision::kNoCapacity,
                                              Decision::kRpcUnreachable, Decision::kRpcStalled,          Decision::kRpcBehind,
                                              Decision::kDrawdown};
    return all;
}

bool is_hold_reason(Decision d) { return std::string_view(metric_name(d)) != "none"; }

bool is_rpc_reason(Decision d) { return d == Decision::kRpcUnreachable || d == Decision::kRpcStalled || d == Decision::kRpcBehind; }

uint64_t next_refill(const VaultToken& t, uint64_t now) {
    // Allowance.accrue advances the refill clock by whole periods from setTokenLimits, so refills
    // fall on anchor + k·period whatever was traded in between.
    if (t.refill_period == 0 || t.refill_anchor == 0) return 0;
    if (now < t.refill_anchor) return t.refill_anchor + t.refill_period;
    return t.refill_anchor + ((now - t.refill_anchor) / t.refill_period + 1) * t.refill_period;
}

std::string allowance_text(const VaultToken& t, uint64_t now) {
    std::string s = "allowance of " + t.token.checksum_hex() + ": " + t.available_allowance.dec() + " left";
    const uint64_t at = next_refill(t, now);
    if (at == 0) return s + (t.refill_period == 0 && t.refill_anchor != 0 ? "; it never refills" : "");
    return s + "; refills by " + t.refill_amount.dec() + " at " + utc(at) + " (in " + std::to_string(at - now) + " s by block time)";
}

std::string floor_text(int leg, const PoolQuote& q, const VaultFloor* f, const U256& in, const U256& out) {
    const U256 floor_out = vault_floor(f, in);
    return "leg " + std::to_string(leg) + " sells " + q.token_in().checksum_hex() + " on " + q.pool().checksum_hex() + ": the pool pays " +
           ratio(out, in) + " per unit for " + in.dec() + ", the floor asks " + ratio(floor_out, in) +
           " (the vault's TWAP reference less its max slippage)";
}

std::string kill_switch_text(const MarketState& s, Decision d, uint64_t expiry_margin_s) {
    if (d == Decision::kPaused) return "the vault " + s.vault.address.checksum_hex() + " is paused (its owner unpauses it)";
    if (d == Decision::kAttestationExpiring) {
        if (s.vault.attestation_expiry == 0) return "the key is not attested";
        return "the key's attestation expires at " + utc(s.vault.attestation_expiry) + ", margin " + std::to_string(expiry_margin_s) + " s";
    }
    return "";
}

}  // namespace cvex::bots
