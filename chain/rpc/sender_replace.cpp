// Replacing a pending transaction: the same nonce again at a higher price (EIP-1559 replacement
// needs both fees raised; nodes ask for at least 10 %), and when that is worth doing.
#include <algorithm>

#include "chain/rpc/sender.hpp"
#include "chain/rpc/sender_internal.hpp"

namespace cvex::chain {

using sender_detail::contains;
using sender_detail::rpc_failure;
using Clock = std::chrono::steady_clock;

namespace {

// x × (100 + pct) / 100, rounded up, and at least x + 1: a strict increase.
U256 bumped(const U256& x, unsigned pct) {
    const U256 scaled = x.wrapping_mul(U256(100 + pct));
    const auto [q, r] = *scaled.divmod(U256(100));
    const U256 up = r.is_zero() ? q : q.wrapping_add(1);
    return std::max(up, x.wrapping_add(1));
}

}  // namespace

Expected<void, SendError> Sender::bump(uint64_t nonce) {
    Transaction tx;
    std::string route;  // a replacement goes the way the original went
    {
        std::lock_guard lock(mutex_);
        auto it = in_flight_.find(nonce);
        if (it == in_flight_.end()) return {};
        if (it->second.replacements >= options_.max_replacements) return {};
        tx = it->second.tx;
        route = it->second.route;
    }
    auto fees = current_fees();
    if (!fees) return Unexpected{fees.error()};
    // At least +bump% on both (geth rejects smaller replacements), and at least today's price.
    tx.max_priority_fee_per_gas = std::max(bumped(tx.max_priority_fee_per_gas, options_.fees.bump_percent), fees->first);
    tx.max_fee_per_gas = std::max(bumped(tx.max_fee_per_gas, options_.fees.bump_percent), fees->second);
    if (tx.max_fee_per_gas < tx.max_priority_fee_per_gas) tx.max_fee_per_gas = tx.max_priority_fee_per_gas;
    if (options_.fees.max_fee_cap && tx.max_fee_per_gas > *options_.fees.max_fee_cap)
        return Unexpected{SendError{SendError::kFeeCap, "replacement needs " + tx.max_fee_per_gas.dec() + " wei/gas", std::nullopt}};
    {
        U256 previous_max;
        {
            std::lock_guard lock(mutex_);
            auto it = in_flight_.find(nonce);
            if (it != in_flight_.end()) previous_max = it->second.tx.max_fee_per_gas;
        }
        // Only the increase is new exposure: the replaced version can no longer be mined as well.
        if (previous_max < tx.max_fee_per_gas)
            if (auto ok = reserve_spend(U256(tx.gas_limit).wrapping_mul(tx.max_fee_per_gas.wrapping_sub(previous_max))); !ok) return Unexpected{ok.error()};
    }
    tx.signature.reset();
    auto signed_tx = sign_transaction(tx, *signer_);
    if (!signed_tx) return Unexpected{SendError{SendError::kSigning, signed_tx.error().message(), std::nullopt}};
    journal(*signed_tx, route);
    auto hash = broadcast(*signed_tx, route);
    std::lock_guard lock(mutex_);
    auto it = in_flight_.find(nonce);
    if (it == in_flight_.end()) return {};
    it->second.last_broadcast = Clock::now();
    if (!hash) return contains(hash.error().detail, "nonce too low") ? Expected<void, SendError>() : Unexpected{hash.error()};
    const Hash32 replaced = it->second.hashes.back();
    it->second.tx = *signed_tx;
    it->second.hashes.push_back(*hash);
    ++it->second.replacements;
    if (options_.log)
        options_.log("nonce " + std::to_string(nonce) + ": transaction " + replaced.hex() + " replaced by " + hash->hex() + " (max fee " +
                     signed_tx->max_fee_per_gas.dec() + " wei/gas, tip " + signed_tx->max_priority_fee_per_gas.dec() + ")");
    return {};
}

// A pending transaction is worth re-pricing if nothing but its own price can be holding it: it is
// our lowest nonce in flight (or every earlier nonce is mined), or its max fee is below today's.
// Otherwise it waits for the earlier ones, and is looked at again a `stuck_after` later.
bool Sender::worth_replacing(uint64_t nonce) {
    U256 max_fee;
    {
        std::lock_guard lock(mutex_);
        auto it = in_flight_.find(nonce);
        if (it == in_flight_.end()) return false;
        if (in_flight_.begin()->first == nonce) return true;
        max_fee = it->second.tx.max_fee_per_gas;
    }
    if (auto fees = current_fees(); fees && max_fee < fees->second) return true;
    // Earlier entries may be mined with no one waiting on them: ask the chain.
    if (auto mined = client_->transaction_count(address(), BlockTag::latest()); mined && *mined >= nonce) return true;
    std::lock_guard lock(mutex_);
    if (auto it = in_flight_.find(nonce); it != in_flight_.end()) it->second.last_broadcast = Clock::now();
    return false;
}

}  // namespace cvex::chain
