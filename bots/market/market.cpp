#include "bots/market/market.hpp"

#include <algorithm>

namespace cvex::bots {

using chain::Address;
using chain::U256;
using cvex::Unexpected;

MathResult<V3Range> V3Pool::range(bool zero_for_one) const {
    if (tick_spacing <= 0) return Unexpected{BotMathError::kTickOutOfRange};
    const int32_t bound = v3_step_bound_tick(tick, tick_spacing, zero_for_one, zero_for_one ? initialized_below : initialized_above);
    auto bound_price = sqrt_ratio_at_tick(bound);
    if (!bound_price) return Unexpected{bound_price.error()};
    return V3Range{sqrt_price_x96, liquidity, fee_pips, *bound_price};
}

const VaultToken* VaultState::token(const Address& t) const {
    auto it = std::find_if(tokens.begin(), tokens.end(), [&](const VaultToken& v) { return v.token == t; });
    return it == tokens.end() ? nullptr : &*it;
}
VaultToken* VaultState::token(const Address& t) { return const_cast<VaultToken*>(std::as_const(*this).token(t)); }

const VaultFloor* VaultState::floor(const Address& token_in, const Address& token_out) const {
    auto it = std::find_if(floors.begin(), floors.end(), [&](const VaultFloor& f) { return f.token_in == token_in && f.token_out == token_out; });
    return it == floors.end() ? nullptr : &*it;
}

const V2Pool* MarketState::v2(const Address& pool) const {
    auto it = std::find_if(v2_pools.begin(), v2_pools.end(), [&](const V2Pool& p) { return p.address == pool; });
    return it == v2_pools.end() ? nullptr : &*it;
}
const V3Pool* MarketState::v3(const Address& pool) const {
    auto it = std::find_if(v3_pools.begin(), v3_pools.end(), [&](const V3Pool& p) { return p.address == pool; });
    return it == v3_pools.end() ? nullptr : &*it;
}
V2Pool* MarketState::v2(const Address& pool) { return const_cast<V2Pool*>(std::as_const(*this).v2(pool)); }
V3Pool* MarketState::v3(const Address& pool) { return const_cast<V3Pool*>(std::as_const(*this).v3(pool)); }

std::string MarketError::message() const {
    const char* what = "market state error";
    switch (code) {
        case MarketErrorCode::kUnknownPool: what = "pool is not registered in the market state"; break;
        case MarketErrorCode::kUnknownToken: what = "token is not tracked in the vault state"; break;
        case MarketErrorCode::kBalanceUnderflow: what = "outgoing transfer exceeds the vault balance (state out of sync)"; break;
    }
    return std::string(field) + ": " + what;
}

namespace {

using Result = cvex::Expected<bool, MarketError>;

struct Applier {
    MarketState& s;

    Result operator()(const NewBlockEvent& e) const {
        // The same number again is a reorg's replacement head: take its timestamp and fee.
        if (e.number < s.block.number) return false;
        s.block = BlockInfo{e.number, e.timestamp, e.base_fee_per_gas};
        return true;
    }

    Result operator()(const V2SyncEvent& e) const {
        V2Pool* p = s.v2(e.pool);
        if (!p) return Unexpected{MarketError{MarketErrorCode::kUnknownPool, "pool"}};
        if (e.position <= p->updated) return false;
        p->reserve0 = e.reserve0;
        p->reserve1 = e.reserve1;
        p->updated = e.position;
        return true;
    }

    Result operator()(const V3SwapEvent& e) const {
        V3Pool* p = s.v3(e.pool);
        if (!p) return Unexpected{MarketError{MarketErrorCode::kUnknownPool, "pool"}};
        if (e.position <= p->updated) return false;
        p->sqrt_price_x96 = e.sqrt_price_x96;
        p->liquidity = e.liquidity;
        p->tick = e.tick;
        // Known initialized ticks stay valid while the tick stays between them; a swap that
        // crossed one of them ends outside (UniswapV3Pool.swap sets tick = tickNext − 1 when it
        // crosses downwards).
        const bool inside = p->initialized_below && p->initialized_above && *p->initialized_below <= e.tick &&
                            e.tick < *p->initialized_above;
        if (!inside) p->initialized_below = p->initialized_above = std::nullopt;
        p->updated = e.position;
        return true;
    }

    Result operator()(const V3LiquidityEvent& e) const {
        V3Pool* p = s.v3(e.pool);
        if (!p) return Unexpected{MarketError{MarketErrorCode::kUnknownPool, "pool"}};
        if (e.position < p->updated) return false;  // the read may be at the same position as the last swap
        p->liquidity = e.liquidity;
        p->initialized_below = e.initialized_below;
        p->initialized_above = e.initialized_above;
        p->updated = e.position;
        return true;
    }

    Result operator()(const VaultSnapshotEvent& e) const {
        if (e.block < s.vault.snapshot_block) return false;
        s.vault.snapshot_block = e.block;
        s.vault.paused = e.paused;
        s.vault.attestation_expiry = e.attestation_expiry;
        s.vault.tokens = e.tokens;
        s.vault.floors = e.floors;
        return true;
    }

    // A vault log already reflected: in the snapshot, or applied before.
    bool seen(const LogPosition& p) const { return p.block <= s.vault.snapshot_block || p <= s.vault.last_log; }

    Result operator()(const VaultTransferEvent& e) const {
        VaultToken* t = s.vault.token(e.token);
        if (!t) return Unexpected{MarketError{MarketErrorCode::kUnknownToken, "token"}};
        if (seen(e.position)) return false;
        if (e.delta.negative) {
            auto b = t->balance.checked_sub(e.delta.magnitude);
            if (!b) return Unexpected{MarketError{MarketErrorCode::kBalanceUnderflow, "delta"}};
            t->balance = *b;
        } else {
            // A balance is bounded by the token's total supply < 2^256: saturate rather than wrap.
            t->balance = t->balance.checked_add(e.delta.magnitude).value_or(U256::max());
        }
        s.vault.last_log = e.position;
        return true;
    }

    Result operator()(const VaultPauseEvent& e) const {
        if (seen(e.position)) return false;
        s.vault.paused = e.paused;
        s.vault.last_log = e.position;
        return true;
    }

    Result operator()(const VaultTradedEvent& e) const {
        if (seen(e.position)) return false;
        s.vault.last_log = e.position;
        s.vault.last_trade_block = std::max(s.vault.last_trade_block, e.position.block);
        // The trade spent allowance (GuardedVault._spendAllowance); refills show up at the next
        // snapshot. Balances move with the Transfer events, not here.
        if (VaultToken* t = s.vault.token(e.token_in))
            t->available_allowance = t->available_allowance.checked_sub(e.amount_in).value_or(U256());
        return true;
    }

    Result operator()(const PendingTradesEvent& e) const {
        if (s.vault.pending_trades == e.count) return false;
        s.vault.pending_trades = e.count;
        return true;
    }
};

}  // namespace

cvex::Expected<bool, MarketError> apply_event(MarketState& state, const BotEvent& event) { return std::visit(Applier{state}, event); }

}  // namespace cvex::bots
