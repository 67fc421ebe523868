#include "chain/rpc/sender.hpp"

#include "chain/rpc/sender_internal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

namespace cvex::chain {

using sender_detail::contains;
using sender_detail::rpc_failure;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

std::string SendError::message() const {
    std::string s;
    switch (kind) {
        case kReverted: s = "reverted"; break;
        case kRejected: s = "rejected by the node"; break;
        case kRpc: s = "RPC failure"; break;
        case kFeeCap: s = "fee above the cap"; break;
        case kTimeout: s = "not mined in time"; break;
        case kReplaced: s = "nonce used by another transaction"; break;
        case kSigning: s = "signing failed"; break;
    }
    if (!detail.empty()) s += " (" + detail + ")";
    if (revert) s += ": " + revert->text;
    return s;
}

Sender::Sender(std::shared_ptr<EthClient> client, std::shared_ptr<const Signer> signer, uint64_t chain_id, SenderOptions options)
    : client_(std::move(client)), signer_(std::move(signer)), chain_id_(chain_id), options_(std::move(options)) {
    options_.fees.bump_percent = std::max(options_.fees.bump_percent, 10u);
}

Sender::~Sender() {
    if (journal_fd_ >= 0) ::close(journal_fd_);
}

Expected<std::unique_ptr<Sender>, SendError> Sender::create(std::shared_ptr<EthClient> client, std::shared_ptr<const Signer> signer,
                                                            SenderOptions options) {
    auto id = client->chain_id();
    if (!id) return Unexpected{rpc_failure(id.error())};
    std::unique_ptr<Sender> s(new Sender(std::move(client), std::move(signer), *id, std::move(options)));
    auto pending = s->client_->transaction_count(s->address(), BlockTag::pending());
    if (!pending) return Unexpected{rpc_failure(pending.error())};
    s->next_nonce_ = *pending;
    if (!s->options_.journal_path.empty()) {
        auto ok = s->recover_journal();
        if (!ok) return Unexpected{ok.error()};
    }
    return s;
}

RevertReason Sender::decode(const RpcError& e) const {
    if (e.revert_data) return decode_revert(*e.revert_data, options_.known_errors);
    RevertReason r;
    r.kind = RevertReason::kUnknown;
    r.text = e.detail;
    return r;
}

Expected<void, SendError> Sender::reserve_spend(const U256& cost) {
    if (!options_.fees.max_spend_per_hour) return {};
    std::lock_guard lock(spend_mutex_);
    const auto now = Clock::now();
    std::erase_if(spent_, [&](const auto& e) { return now - e.first >= std::chrono::hours(1); });
    U256 total = cost;
    for (const auto& [t, wei] : spent_) total = total.wrapping_add(wei);
    if (total > *options_.fees.max_spend_per_hour)
        return Unexpected{SendError{SendError::kFeeCap,
                                    "hourly spend budget: this transaction could cost " + cost.dec() + " wei in fees, " + total.wrapping_sub(cost).dec() +
                                        " are committed this hour, the budget is " + options_.fees.max_spend_per_hour->dec(),
                                    std::nullopt}};
    spent_.emplace_back(now, cost);
    return {};
}

Expected<std::pair<U256, U256>, SendError> Sender::current_fees() {
    std::lock_guard lock(fee_mutex_);
    const auto now = Clock::now();
    if (fee_block_ != UINT64_MAX && now - fee_time_ < 1s) return fees_;
    auto history = client_->fee_history(options_.fees.history_blocks, BlockTag::latest(), {options_.fees.reward_percentile});
    if (!history) return Unexpected{rpc_failure(history.error())};
    if (history->base_fee_per_gas.empty()) return Unexpected{SendError{SendError::kRpc, "eth_feeHistory returned no base fee", std::nullopt}};
    const U256 next_base = history->base_fee_per_gas.back();  // the block after the newest
    std::vector<U256> rewards;
    for (const auto& r : history->reward)
        if (!r.empty() && !r[0].is_zero()) rewards.push_back(r[0]);
    U256 tip;
    if (!rewards.empty()) {
        std::sort(rewards.begin(), rewards.end());
        tip = rewards[rewards.size() / 2];
    } else if (auto suggested = client_->max_priority_fee(); suggested) {
        tip = *suggested;  // no recent tips to learn from (an idle chain)
    }
    tip = std::max(tip, options_.fees.min_priority_fee);
    const U256 max_fee = next_base.wrapping_mul(U256(options_.fees.base_fee_multiplier)).wrapping_add(tip);
    fees_ = {tip, max_fee};
    fee_block_ = history->oldest_block + history->gas_used_ratio.size();
    fee_time_ = now;
    return fees_;
}

Expected<uint64_t, SendError> Sender::take_nonce() {
    std::lock_guard lock(mutex_);
    if (!free_nonces_.empty()) {
        const uint64_t n = *free_nonces_.begin();
        free_nonces_.erase(free_nonces_.begin());
        return n;
    }
    return next_nonce_++;
}

void Sender::release_nonce(uint64_t nonce) {
    bool gap = false;
    {
        std::lock_guard lock(mutex_);
        if (nonce + 1 == next_nonce_ && free_nonces_.empty()) {
            --next_nonce_;  // the last one: simply give it back
            return;
        }
        free_nonces_.insert(nonce);
        gap = in_flight_.upper_bound(nonce) != in_flight_.end();
    }
    // Later transactions wait behind this nonce: fill it now rather than hope for another send.
    if (gap) (void)fill_gap(nonce);
}

Expected<void, SendError> Sender::fill_gap(uint64_t nonce) {
    {
        std::lock_guard lock(mutex_);
        if (!free_nonces_.erase(nonce)) return {};  // already reused
    }
    auto fees = current_fees();
    if (!fees) {
        release_nonce(nonce);
        return Unexpected{fees.error()};
    }
    Transaction tx;
    tx.type = TxType::kDynamicFee;
    tx.chain_id = chain_id_;
    tx.nonce = nonce;
    tx.to = address();  // a zero-value transfer to ourselves: the cheapest way to use a nonce
    tx.gas_limit = 21000;
    tx.max_priority_fee_per_gas = fees->first;
    tx.max_fee_per_gas = fees->second;
    auto signed_tx = sign_transaction(tx, *signer_);
    if (!signed_tx) return Unexpected{SendError{SendError::kSigning, signed_tx.error().message(), std::nullopt}};
    journal(*signed_tx, "");
    auto hash = broadcast(*signed_tx, "");
    if (!hash) return Unexpected{hash.error()};
    std::lock_guard lock(mutex_);
    in_flight_[nonce] = InFlight{*signed_tx, {*hash}, Clock::now(), 0, ""};
    return {};
}

EthClient* Sender::route_client(const std::string& route) const {
    if (route.empty()) return client_.get();
    auto it = options_.routes.find(route);
    return it == options_.routes.end() ? nullptr : it->second.get();
}

Expected<Hash32, SendError> Sender::broadcast(const Transaction& tx, const std::string& route) {
    const Bytes raw = tx.encode();
    // A route the journal names but this run does not configure: never another in its place.
    EthClient* via = route_client(route);
    if (!via) return Unexpected{SendError{SendError::kRejected, "no send route named " + route, std::nullopt}};
    for (int attempt = 0;; ++attempt) {
        auto r = via->send_raw_transaction(raw);
        if (r) return *r;
        const RpcError& e = r.error();
        if (e.kind == RpcError::kRpc) {
            // Re-sending the same bytes is harmless: a node that has them says so.
            if (contains(e.detail, "already known") || contains(e.detail, "known transaction") || contains(e.detail, "already imported"))
                return tx.hash();
            return Unexpected{SendError{SendError::kRejected, e.detail, std::nullopt}};
        }
        // Transport or HTTP failure: the node may or may not have it. The same raw transaction
        // can be sent again safely (same hash, same nonce), so retry a few times.
        if (attempt >= 3) return Unexpected{rpc_failure(e)};
        std::this_thread::sleep_for(std::chrono::milliseconds(100 << attempt));
    }
}

namespace {

// The EIP-1559 transaction `req` asks for, at nonce, gas limit and (tip, fee cap) `fees`; unsigned.
Transaction dynamic_fee_transaction(uint64_t chain_id, uint64_t nonce, const TxRequest& req, uint64_t gas, const std::pair<U256, U256>& fees) {
    Transaction tx;
    tx.type = TxType::kDynamicFee;
    tx.chain_id = chain_id;
    tx.nonce = nonce;
    tx.to = req.to;
    tx.value = req.value;
    tx.data = req.data;
    tx.gas_limit = gas;
    tx.max_priority_fee_per_gas = fees.first;
    tx.max_fee_per_gas = fees.second;
    return tx;
}

}  // namespace

Expected<PendingTx, SendError> Sender::send(const TxRequest& req, const FeeLimit& limit, const std::string& route) {
    if (!route_client(route)) return Unexpected{SendError{SendError::kRejected, "no send route named " + route, std::nullopt}};
    uint64_t gas = 0;
    if (req.gas_limit) {
        gas = *req.gas_limit;
    } else {
        auto est = client_->estimate_gas(CallRequest{address(), req.to, req.data, req.value, std::nullopt});
        if (!est) {
            const RpcError& e = est.error();
            if (e.kind == RpcError::kRpc && (e.revert_data || contains(e.detail, "revert")))
                return Unexpected{SendError{SendError::kReverted, "gas estimation", decode(e)}};
            return Unexpected{rpc_failure(e)};
        }
        gas = gas_with_margin(*est);
    }
    auto fees = current_fees();
    if (!fees) return Unexpected{fees.error()};
    if (limit.priority_fee) *fees = std::pair{*limit.priority_fee, fees->second.wrapping_sub(fees->first).wrapping_add(*limit.priority_fee)};
    if (limit.max_fee && *limit.max_fee < fees->second) *fees = std::pair{std::min(fees->first, *limit.max_fee), *limit.max_fee};
    if (options_.fees.max_fee_cap && fees->second > *options_.fees.max_fee_cap)
        return Unexpected{SendError{SendError::kFeeCap, "needs " + fees->second.dec() + " wei/gas", std::nullopt}};
    if (auto ok = reserve_spend(U256(gas).wrapping_mul(fees->second)); !ok) return Unexpected{ok.error()};

    for (int attempt = 0;; ++attempt) {
        auto nonce = take_nonce();
        if (!nonce) return Unexpected{nonce.error()};
        auto signed_tx = sign_transaction(dynamic_fee_transaction(chain_id_, *nonce, req, gas, *fees), *signer_);
        if (!signed_tx) {
            release_nonce(*nonce);
            return Unexpected{SendError{SendError::kSigning, signed_tx.error().message(), std::nullopt}};
        }
        journal(*signed_tx, route);
        {
            std::lock_guard lock(mutex_);
            in_flight_[*nonce] = InFlight{*signed_tx, {signed_tx->hash()}, Clock::now(), 0, route};
        }
        auto hash = broadcast(*signed_tx, route);
        if (hash) return PendingTx{*nonce, *hash};
        if (hash.error().kind == SendError::kRpc) {
            // Unknown whether the node has it: keep it in flight; wait() re-broadcasts it.
            return PendingTx{*nonce, signed_tx->hash()};
        }
        {
            std::lock_guard lock(mutex_);
            in_flight_.erase(*nonce);
        }
        if (contains(hash.error().detail, "nonce too low") && attempt < 3) {
            // Our view of the nonce was stale (another sender on this key): resync and retry.
            (void)resync();
            continue;
        }
        release_nonce(*nonce);
        return Unexpected{hash.error()};
    }
}

Expected<Receipt, SendError> Sender::wait(const PendingTx& p, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    int replaced_checks = 0;
    for (int round = 0;; ++round) {
        std::vector<Hash32> hashes = {p.hash};
        Transaction latest;
        std::string route;
        bool in_flight = false;
        Clock::time_point last_broadcast;
        {
            std::lock_guard lock(mutex_);
            if (auto it = in_flight_.find(p.nonce); it != in_flight_.end() && std::count(it->second.hashes.begin(), it->second.hashes.end(), p.hash)) {
                hashes = it->second.hashes;
                latest = it->second.tx;
                route = it->second.route;
                last_broadcast = it->second.last_broadcast;
                in_flight = true;
            }
        }
        // Newest version first: after a replacement that is the one likely mined.
        for (auto h = hashes.rbegin(); h != hashes.rend(); ++h) {
            auto receipt = client_->transaction_receipt(*h);
            if (!receipt) {
                if (Clock::now() > deadline) return Unexpected{rpc_failure(receipt.error())};
                break;  // transient: try again next round
            }
            if (*receipt) {
                std::lock_guard lock(mutex_);
                in_flight_.erase(p.nonce);
                return **receipt;
            }
        }
        if (Clock::now() > deadline)
            return Unexpected{SendError{SendError::kTimeout, "nonce " + std::to_string(p.nonce) + ", " + p.hash.hex(), std::nullopt}};
        if (in_flight && round % 10 == 9) {
            // Every ~10 polls: has the nonce been used by someone else, or was ours dropped?
            auto mined_nonce = client_->transaction_count(address(), BlockTag::latest());
            if (mined_nonce && *mined_nonce > p.nonce) {
                // Only a definite answer counts: an RPC error, or a receipt not yet indexed when
                // the nonce already shows, must not turn our own mined transaction into "replaced".
                bool ours = false, unsure = false;
                for (const auto& h : hashes) {
                    auto r = client_->transaction_receipt(h);
                    if (!r) unsure = true;
                    else if (*r) ours = true;
                }
                if (!ours && !unsure && ++replaced_checks >= 2) {
                    std::lock_guard lock(mutex_);
                    in_flight_.erase(p.nonce);
                    return Unexpected{SendError{SendError::kReplaced, "nonce " + std::to_string(p.nonce), std::nullopt}};
                }
                continue;
            }
            auto known = client_->transaction_by_hash(hashes.back());
            if (known && !*known) (void)broadcast(latest, route);  // dropped (or never arrived): send it again
        }
        if (in_flight && Clock::now() - last_broadcast > options_.stuck_after && worth_replacing(p.nonce)) (void)bump(p.nonce);
        std::this_thread::sleep_for(options_.poll_interval);
    }
}

Expected<Receipt, SendError> Sender::send_and_wait(const TxRequest& req, std::chrono::milliseconds timeout) {
    auto p = send(req);
    if (!p) return Unexpected{p.error()};
    auto receipt = wait(*p, timeout);
    if (!receipt || receipt->status) return receipt;
    return Unexpected{explain_revert(req, *receipt)};
}

SendError Sender::explain_revert(const TxRequest& req, const Receipt& receipt) {
    // Mined but reverted: replay it on the parent state for the reason.
    const uint64_t parent = receipt.block_number > 0 ? receipt.block_number - 1 : 0;
    SendError err{SendError::kReverted, "transaction " + receipt.transaction_hash.hex() + " reverted in block " +
                                            std::to_string(receipt.block_number), std::nullopt};
    auto replay = client_->call(CallRequest{address(), req.to, req.data, req.value, std::nullopt}, BlockTag::number(parent));
    if (!replay) {
        err.revert = decode(replay.error());
        return err;
    }
    // The replay succeeds without a gas cap, so the cap is the likely cause: an estimate made on
    // state (or a block timestamp) that changed before the transaction was mined, or a limit
    // set too low.
    if (auto tx = client_->transaction_by_hash(receipt.transaction_hash); tx && *tx)
        err.detail += " after using " + std::to_string(receipt.gas_used) + " of its " + std::to_string((*tx)->gas) +
                      " gas; replayed on block " + std::to_string(parent) +
                      " without that limit it does not revert, so it likely ran out of gas";
    return err;
}

Expected<void, SendError> Sender::resync() {
    auto pending = client_->transaction_count(address(), BlockTag::pending());
    auto mined = client_->transaction_count(address(), BlockTag::latest());
    if (!pending) return Unexpected{rpc_failure(pending.error())};
    if (!mined) return Unexpected{rpc_failure(mined.error())};
    std::lock_guard lock(mutex_);
    for (auto it = free_nonces_.begin(); it != free_nonces_.end();) it = *it < *mined ? free_nonces_.erase(it) : std::next(it);
    if (*pending > next_nonce_) next_nonce_ = *pending;  // another sender used this key
    // Nonces we handed out that the node does not have and nothing of ours holds: reusable.
    for (uint64_t n = *pending; n < next_nonce_; ++n)
        if (!in_flight_.count(n)) free_nonces_.insert(n);
    while (!free_nonces_.empty() && *free_nonces_.rbegin() + 1 == next_nonce_) {
        free_nonces_.erase(std::prev(free_nonces_.end()));
        --next_nonce_;
    }
    return {};
}

}  // namespace cvex::chain
