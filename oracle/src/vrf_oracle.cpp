#include "oracle/vrf_oracle.hpp"

#include "oracle/src/vrf_oracle_internal.hpp"

#include <algorithm>
#include <thread>

#include "chain/encoding/abi_events.hpp"

namespace cvex::oracle {

using cvex::Expected;
using chain::U256;
using cvex::Unexpected;
using Clock = std::chrono::steady_clock;

using namespace oracle_detail;  // the constants and helpers vrf_oracle_submit.cpp shares

VrfOracle::VrfOracle(OracleOptions options, std::shared_ptr<chain::EthClient> client, std::shared_ptr<chain::Sender> sender, Prover prover,
                     Log log)
    : options_(std::move(options)),
      client_(std::move(client)),
      sender_(std::move(sender)),
      prover_(std::move(prover)),
      log_(std::move(log)),
      coordinator_(options_.coordinator, client_, sender_),
      book_(options_.min_confirmations) {}

Expected<std::unique_ptr<VrfOracle>, OracleError> VrfOracle::create(OracleOptions options, std::shared_ptr<chain::EthClient> client,
                                                                     std::shared_ptr<chain::Sender> sender, Prover prover, Log log) {
    if (!client || !sender) return oracle_failure("oracle: an RPC client and a Sender are required");
    if (options.max_batch == 0 || options.max_in_flight == 0 || options.max_log_range == 0)
        return oracle_failure("oracle: max_batch, max_in_flight and max_log_range must be positive");
    if (!log) log = [](const std::string&) {};
    std::unique_ptr<VrfOracle> o(new VrfOracle(std::move(options), std::move(client), std::move(sender), std::move(prover), std::move(log)));
    auto code = o->client_->code(o->options_.coordinator);
    if (!code) return oracle_failure("oracle: coordinator " + o->options_.coordinator.checksum_hex() + ": " + code.error().message());
    if (code->empty()) return oracle_failure("oracle: no contract at coordinator " + o->options_.coordinator.checksum_hex());
    auto registry = o->coordinator_.registry();
    if (!registry) return oracle_failure("oracle: coordinator.registry(): " + registry.error().message());
    auto abi = chain::ContractAbi::from_signatures("AttestationRegistry", {"isAttestedWith(address,bytes32)(bool)"});
    o->registry_.emplace(std::move(*abi), *registry, o->client_);
    auto reserve = o->coordinator_.callback_reserve();
    if (!reserve) return oracle_failure("oracle: the coordinator's callback gas reserve: " + reserve.error().message());
    o->reserve_ = *reserve;
    return o;
}

VrfOracle::~VrfOracle() {
    for (auto& f : in_flight_)
        if (f.receipt.valid()) f.receipt.wait();
}

// ------------------------------------------------------------------------------------ resync

Expected<void, OracleError> VrfOracle::resync() {
    // The head first: requests made after it are found by following, whatever pendingRequests says.
    auto head = client_->block_number();
    if (!head) return oracle_failure("resync: " + head.error().message());
    auto count = coordinator_.request_count();
    if (!count) return oracle_failure("resync: " + count.error().message());
    std::vector<U256> pending;
    for (U256 from(1); from <= *count; from = from.wrapping_add(U256(kPendingChunk))) {
        auto ids = coordinator_.pending_requests(from, from.wrapping_add(U256(kPendingChunk - 1)));
        if (!ids) return oracle_failure("resync: " + ids.error().message());
        pending.insert(pending.end(), ids->begin(), ids->end());
    }
    resync_pending_ = std::set<U256>(pending.begin(), pending.end());
    rescan_head_ = *head;

    // The oldest pending request of this key decides where following starts.
    std::optional<uint64_t> oldest;
    size_t ours = 0;
    std::vector<U256> foreign;
    for (size_t i = 0; i < pending.size(); i += kIdsPerLogQuery) {
        std::vector<U256> chunk(pending.begin() + i, pending.begin() + std::min(pending.size(), i + kIdsPerLogQuery));
        auto logs = coordinator_.request_logs(options_.start_block, *head, chunk);
        if (!logs) return oracle_failure("resync: " + logs.error().message());
        for (const auto& l : *logs) {
            auto r = parse_request_log(l);
            if (!r) continue;
            if (r->key_hash != key_hash()) {
                foreign.push_back(r->request_id);
                continue;
            }
            ++ours;
            if (!oldest || r->block_number < *oldest) oldest = r->block_number;
        }
    }
    cursor_ = oldest ? std::max<uint64_t>(*oldest, 1) - 1 : *head;
    cursor_ = std::max(cursor_, options_.start_block > 0 ? options_.start_block - 1 : 0);
    recent_.clear();
    head_ = *head;

    // Whatever a previous run left in flight is followed to its receipt before anything is sent.
    for (const auto& t : sender_->recovered()) {
        if (t.state != chain::RecoveredTx::kPending && t.state != chain::RecoveredTx::kRebroadcast) continue;
        chain::PendingTx p{t.nonce, t.hash};
        auto sender = sender_;
        const auto timeout = options_.receipt_timeout;
        in_flight_.push_back(InFlight{p, {}, {}, std::async(std::launch::async, [sender, p, timeout] { return sender->wait(p, timeout); })});
    }
    resynced_ = true;
    if (!foreign.empty()) {
        metrics_.update([&](OracleCounters& c) { c.requests_foreign += foreign.size(); });
        log_("oracle: skipping request " + id_list(foreign) + ": pending for other key hashes; a proof from this key would be rejected "
             "(WrongProvingKey)");
    }
    log_("oracle resynced at block " + std::to_string(*head) + ": " + std::to_string(pending.size()) + " pending request(s), " +
         std::to_string(ours) + " for key " + key_hash().hex() + "; following from block " + std::to_string(cursor_ + 1) +
         (in_flight_.empty() ? "" : "; " + std::to_string(in_flight_.size()) + " transaction(s) of a previous run in flight"));
    return {};
}

// ----------------------------------------------------------------------------------- polling

void VrfOracle::run(const std::function<bool()>& stop) {
    while (!stop() && !resynced_) {
        auto r = resync();
        if (r) break;
        log_("oracle: " + r.error().message() + "; retrying");
        std::this_thread::sleep_for(std::chrono::seconds(1));
    }
    while (!stop()) {
        const auto start = Clock::now();
        poll_once();
        std::this_thread::sleep_until(start + options_.poll_interval);
    }
    collect_receipts(true);
}

void VrfOracle::poll_once() {
    if (!resynced_) {
        if (auto r = resync(); !r) {
            log_("oracle: " + r.error().message());
            return;
        }
    }
    collect_receipts(false);
    auto head = client_->block_number();
    if (!head) {
        log_("oracle: eth_blockNumber: " + head.error().message() + " (will retry)");
        return;
    }
    head_ = *head;
    if (!check_reorg(*head)) return;
    follow(*head);
    update_gauges();
    if (cursor_ < *head) return;  // catching up: fulfilments of these requests may be in the blocks not yet read
    check_key_and_balance();
    rescue_blockhashes(*head);
    submit(*head);
    update_gauges();
}

void VrfOracle::update_gauges() {
    metrics_.update([&](OracleCounters& c) {
        c.pending = book_.size();
        c.head = cursor_;
        c.key_usable = key_usable_;
        c.balance_low = balance_low_;
    });
}

// ------------------------------------------------------------------------------------ reorgs

bool VrfOracle::check_reorg(uint64_t head) {
    if (recent_.empty()) return true;
    // The highest remembered block the chain still has.
    auto it = recent_.upper_bound(head);
    if (it == recent_.begin()) {  // the chain is now shorter than everything we remember
        rewind(recent_.begin()->first - 1);
        return true;
    }
    --it;
    const auto top = it;
    while (true) {
        auto block = client_->block_by_number(chain::BlockTag::number(it->first));
        if (!block) {
            log_("oracle: reorg check: " + block.error().message() + " (will retry)");
            return false;
        }
        if (*block && (*block)->hash == it->second) break;
        if (it == recent_.begin()) {
            // Deeper than every hash we kept: start again below the oldest.
            rewind(it->first - 1);
            return true;
        }
        --it;
    }
    // `top` matching is the usual case; a match further down means the blocks above it changed,
    // and a head below what was read means the chain got shorter.
    if (it != top || cursor_ > head) rewind(it->first);
    return true;
}

void VrfOracle::rewind(uint64_t fork_block) {
    const auto dropped = book_.drop_after(fork_block);
    // Fulfilments in removed blocks may be gone too: put their requests back if they are older
    // than the fork (younger ones are read again); the pending filter before sending decides.
    std::vector<U256> restored;
    for (auto it = fulfilled_.begin(); it != fulfilled_.end();) {
        if (it->second.block > fork_block) {
            if (it->second.request.block_number <= fork_block) {
                book_.add(it->second.request);
                restored.push_back(it->first);
            }
            it = fulfilled_.erase(it);
        } else {
            ++it;
        }
    }
    for (const auto& id : dropped) ready_since_.erase(id);
    recent_.erase(recent_.upper_bound(fork_block), recent_.end());
    cursor_ = std::min(cursor_, fork_block);
    metrics_.update([&](OracleCounters& c) {
        ++c.reorgs;
        c.requests_dropped += dropped.size();
    });
    log_("oracle: reorg: blocks above " + std::to_string(fork_block) + " replaced; " + std::to_string(dropped.size()) +
         " request(s) from them dropped until seen again" + (dropped.empty() ? "" : " (" + id_list(dropped) + ")") +
         (restored.empty() ? "" : "; fulfilments undone, re-checking " + id_list(restored)) + "; rescanning from " +
         std::to_string(fork_block + 1));
}

// --------------------------------------------------------------------------------- following

void VrfOracle::follow(uint64_t head) {
    while (cursor_ < head) {
        const uint64_t from = cursor_ + 1;
        const uint64_t to = std::min(head, cursor_ + options_.max_log_range);
        chain::LogFilter filter;
        filter.addresses = {options_.coordinator};
        filter.topics = {std::vector<chain::Hash32>{requested_topic(), fulfilled_topic()}};
        filter.from_block = from;
        filter.to_block = to;
        // The range's last block before and after reading: if it did not change, the logs come
        // from the chain that ends in it (block hashes chain every earlier block to it).
        auto before = client_->block_by_number(chain::BlockTag::number(to));
        auto logs = client_->logs(filter);
        auto after = client_->block_by_number(chain::BlockTag::number(to));
        if (!logs || !before || !after || !*before || !*after) {
            const std::string why = !logs ? logs.error().message() : !before ? before.error().message() : !after ? after.error().message() : "block not found";
            log_("oracle: reading blocks " + std::to_string(from) + "…" + std::to_string(to) + ": " + why + " (will retry)");
            return;
        }
        bool consistent = (*before)->hash == (*after)->hash;
        for (const auto& l : *logs)
            if (l.block_number == to && l.block_hash != (*after)->hash) consistent = false;
        if (!consistent) return;  // the chain moved while reading; read the range again
        for (const auto& l : *logs) {
            if (l.removed) continue;
            if (l.topics.empty()) continue;
            if (l.topics[0] == requested_topic()) on_request_log(l);
            else if (l.topics[0] == fulfilled_topic()) on_fulfilled_log(l);
            recent_[l.block_number] = l.block_hash;
        }
        recent_[to] = (*after)->hash;
        while (recent_.size() > kRecentBlocks) recent_.erase(recent_.begin());
        // Forget fulfilments far below the head: no reorg that deep is expected.
        for (auto it = fulfilled_.begin(); it != fulfilled_.end();)
            it = it->second.block + 4 * kBlockhashWindow < to ? fulfilled_.erase(it) : std::next(it);
        cursor_ = to;
    }
}

void VrfOracle::on_request_log(const chain::Log& log) {
    auto r = parse_request_log(log);
    if (!r) {
        log_("oracle: ignoring a malformed request log in tx " + log.transaction_hash.hex() + ": " + r.error().message());
        return;
    }
    if (r->key_hash != key_hash()) {
        metrics_.update([](OracleCounters& c) { ++c.requests_foreign; });
        log_("oracle: skipping request " + r->request_id.dec() + ": key hash " + r->key_hash.hex() +
             " is not this oracle's; a proof from this key would be rejected (WrongProvingKey)");
        return;
    }
    // Older than the resync: only if the coordinator said it was pending then.
    if (r->block_number <= rescan_head_ && !resync_pending_.contains(r->request_id)) return;
    if (fulfilled_.contains(r->request_id) && fulfilled_.at(r->request_id).request.block_hash == r->block_hash) return;
    const auto added = book_.add(*r);
    if (added == RequestBook::Added::kNew) metrics_.update([](OracleCounters& c) { ++c.requests_seen; });
    if (added == RequestBook::Added::kMoved)
        log_("oracle: request " + r->request_id.dec() + " now in block " + std::to_string(r->block_number) + " (reorg): new seed");
}

void VrfOracle::on_fulfilled_log(const chain::Log& log) {
    if (log.topics.size() < 3 || log.topics[2] != key_hash()) return;
    const U256 id = *U256::from_be(log.topics[1].bytes);
    auto known = fulfilled_.find(id);
    if (known != fulfilled_.end() && known->second.block_hash == log.block_hash) return;  // counted already
    auto request = book_.remove(id);
    if (!request && known != fulfilled_.end()) request = known->second.request;
    Fulfilled f{request.value_or(VrfRequest{}), log.block_number, log.block_hash};
    f.request.request_id = id;
    fulfilled_[id] = f;
    const auto since = ready_since_.find(id);
    const double seconds =
        since == ready_since_.end() ? -1 : std::chrono::duration<double>(Clock::now() - since->second).count();
    if (since != ready_since_.end()) ready_since_.erase(since);
    metrics_.update([&](OracleCounters& c) {
        ++c.requests_fulfilled;
        if (request) {
            const uint64_t ready = book_.ready_at(*request);
            c.latency_blocks.observe(static_cast<double>(log.block_number >= ready ? log.block_number - ready : 0));
        }
        if (seconds >= 0) c.latency_seconds.observe(seconds);
    });
}

// --------------------------------------------------------------------- key, funds, blockhash

std::optional<bool> VrfOracle::attested_with_key(const chain::Address& who, std::string& error) const {
    auto r = registry_->call("isAttestedWith", {chain::AbiValue(who), chain::AbiValue(key_hash())});
    if (!r) {
        error = "isAttestedWith: " + r.error().message();
        return std::nullopt;
    }
    return (*r)[0].boolean();
}

std::string VrfOracle::check_attestation(const chain::Address& record) {
    // The coordinator accepts this oracle's fulfilments when it is attested with the key itself
    // (a replica), or when the key's oracle of record is.
    std::string error;
    const auto mine = attested_with_key(sender_->address(), error);
    if (!mine) return error;
    if (record == sender_->address()) return *mine ? "" : "this oracle is not attested with the key (expired, revoked or superseded)";
    const auto theirs = attested_with_key(record, error);
    if (!theirs) return error;
    if (*mine && !*theirs) {
        // The record lapsed (its guest died): take it over, so requests are accepted again.
        auto claimed = coordinator_.claim_proving_key(key_hash());
        log_(claimed ? "oracle: the key's oracle of record " + record.checksum_hex() + " is no longer attested: claimed the record"
                     : "oracle: claimProvingKey: " + claimed.error().message());
    }
    if (*mine || *theirs) return "";
    return "neither this oracle nor the key's oracle " + record.checksum_hex() + " is attested with the key (expired, revoked or superseded)";
}

void VrfOracle::check_key_and_balance() {
    const auto now = Clock::now();
    if (now - last_key_check_ < options_.key_check_interval) return;
    last_key_check_ = now;

    std::string problem;
    auto key = coordinator_.proving_key(key_hash());
    if (!key) {
        problem = "provingKey: " + key.error().message();
    } else if (!key->active) {
        problem = key->oracle.is_zero() ? "the key is not registered in the coordinator" : "the key is deregistered";
    } else {
        problem = check_attestation(key->oracle);
    }
    const bool usable = problem.empty();
    if (usable != key_usable_ || problem != key_problem_) {
        if (usable) log_("oracle: key " + key_hash().hex() + " is registered and attested: fulfilling");
        else log_("oracle: holding requests: " + problem);
        held_logged_ = false;
    }
    key_usable_ = usable;
    key_problem_ = problem;

    // Funds for what is pending: the warning comes before the fulfilments fail.
    auto balance = client_->balance(sender_->address());
    auto fees = sender_->current_fees();
    if (balance && fees) {
        uint64_t gas = 0;
        for (const auto& r : book_.all()) gas += entry_gas_limit(r, kTypicalHashToCurveCounter, reserve_);
        const auto need = fees->second.checked_mul(U256(gas));
        const bool low = need && *balance < *need;
        if (low && !balance_low_)
            log_("oracle: WARNING: balance " + balance->dec() + " wei of " + sender_->address().checksum_hex() +
                 " cannot pay for the pending fulfilments (about " + need->dec() + " wei at the current fees)");
        else if (!low && balance_low_)
            log_("oracle: balance " + balance->dec() + " wei is enough again");
        balance_low_ = low;
    }
}

void VrfOracle::rescue_blockhashes(uint64_t head) {
    // A request older than the BLOCKHASH window can only be fulfilled if its block's hash was
    // stored (storeBlockhash); store it while it is still reachable.
    for (const auto& r : book_.all()) {
        const uint64_t age = head - std::min(head, r.block_number);
        if (age < options_.blockhash_rescue_age || age >= kBlockhashWindow || stored_blockhashes_.contains(r.block_number)) continue;
        auto tx = coordinator_.store_blockhash(r.block_number);
        if (!tx) {
            log_("oracle: storeBlockhash(" + std::to_string(r.block_number) + "): " + tx.error().message());
            continue;
        }
        stored_blockhashes_.insert(r.block_number);
        log_("oracle: storing the hash of block " + std::to_string(r.block_number) + " for request " + r.request_id.dec() + " (age " +
             std::to_string(age) + ")");
    }
}

}  // namespace cvex::oracle
