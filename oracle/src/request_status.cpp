#include "oracle/request_status.hpp"

#include <nlohmann/json.hpp>

#include "oracle/coordinator_client.hpp"

namespace cvex::oracle {

using chain::U256;
using cvex::Unexpected;

namespace {

uint64_t u64(const chain::AbiValue& v) { return v.word().fits_u64() ? v.word().low_u64() : ~0ull; }

std::string ago(uint64_t head, uint64_t block) {
    const uint64_t n = head >= block ? head - block : 0;
    return std::to_string(n) + (n == 1 ? " block ago" : " blocks ago");
}

// Non-owning: the views below live only as long as the caller's client.
std::shared_ptr<chain::EthClient> borrow(chain::EthClient& client) { return std::shared_ptr<chain::EthClient>(std::shared_ptr<void>{}, &client); }

cvex::Expected<KeyLiveness, StatusError> read_key(const CoordinatorClient& c, const chain::Hash32& key_hash) {
    auto k = c.contract().call("keyStatus", {chain::AbiValue(key_hash)});
    if (!k) return Unexpected{StatusError{StatusError::kRpc, k.error().message()}};
    const auto& f = (*k)[0].list();
    return KeyLiveness{key_hash, f[0].address(), f[1].boolean(), f[2].boolean(), u64(f[3])};
}

std::string pending_summary(const RequestStatusView& s) {
    std::string out = s.head < s.ready_at ? "pending (ready at block " + std::to_string(s.ready_at) + ")"
                                          : "pending, ready since block " + std::to_string(s.ready_at) + " (" + ago(s.head, s.ready_at) + ")";
    if (s.key) {
        if (!s.key->active) out += "; its key " + s.key->key_hash.hex() + " takes no requests (not registered or deregistered)";
        else if (!s.key->attested) out += "; its key's oracle " + s.key->oracle.checksum_hex() + " is not attested now";
        else if (s.key->last_fulfilled_block == 0) out += "; its key's oracle has never fulfilled";
        else out += "; its key's oracle last fulfilled in block " + std::to_string(s.key->last_fulfilled_block) + " (" +
                    ago(s.head, s.key->last_fulfilled_block) + ")";
    }
    return out + "; the requester may cancel from block " + std::to_string(s.cancellable_at);
}

}  // namespace

std::string to_string(RequestState s) {
    switch (s) {
        case RequestState::kNone: return "none";
        case RequestState::kPending: return "pending";
        case RequestState::kFulfilled: return "fulfilled";
        case RequestState::kCallbackFailed: return "callback_failed";
        case RequestState::kRedelivered: return "redelivered";
        case RequestState::kCancelled: return "cancelled";
    }
    return "unknown";
}

std::string StatusError::message() const {
    switch (kind) {
        case kNotCoordinator: return "not a cvex coordinator: " + detail;
        case kUnverifiable: return "the fulfilment does not check out: " + detail;
        case kRpc: break;
    }
    return detail;
}

std::string RequestStatusView::summary() const {
    const std::string in_block = fulfilment ? " in block " + std::to_string(fulfilment->block_number) : "";
    switch (state) {
        case RequestState::kNone: return "no such request";
        case RequestState::kPending: return pending_summary(*this);
        case RequestState::kFulfilled: return "fulfilled" + in_block + ", callback succeeded";
        case RequestState::kCallbackFailed: {
            std::string why = "callback failed";
            if (fulfilment && fulfilment->callback_failure) why += ": " + fulfilment->callback_failure->summary();
            return "fulfilled" + in_block + "; " + why + "; the words can be re-delivered with redeliver(" + request_id.dec() + ", words)";
        }
        case RequestState::kRedelivered: return "fulfilled" + in_block + "; the callback failed, then the words were re-delivered";
        case RequestState::kCancelled: return "cancelled; its reservation went back to the requester's credit";
    }
    return "unknown";
}

std::string RequestStatusView::to_json() const {
    nlohmann::ordered_json j;
    j["request_id"] = request_id.dec();
    j["state"] = to_string(state);
    j["summary"] = summary();
    j["head"] = head;
    if (state != RequestState::kNone) {
        j["requester"] = requester.checksum_hex();
        j["request_block"] = request_block;
        j["ready_at"] = ready_at;
        j["cancellable_at"] = cancellable_at;
        j["fee"] = fee.dec();
    }
    if (key) {
        j["key"] = {{"key_hash", key->key_hash.hex()},
                    {"oracle", key->oracle.checksum_hex()},
                    {"active", key->active},
                    {"attested", key->attested},
                    {"last_fulfilled_block", key->last_fulfilled_block},
                    {"blocks_since_last_fulfilment",
                     key->last_fulfilled_block == 0 ? nlohmann::ordered_json(nullptr)
                                                    : nlohmann::ordered_json(head - std::min(head, key->last_fulfilled_block))}};
    }
    if (fulfilment) j["fulfilment"] = nlohmann::ordered_json::parse(to_json_line(*fulfilment));
    return j.dump();
}

cvex::Expected<RequestStatusView, StatusError> read_request_status(chain::EthClient& client, const chain::Address& coordinator,
                                                                   const U256& id) {
    auto code = client.code(coordinator);
    if (!code) return Unexpected{StatusError{StatusError::kRpc, code.error().message()}};
    if (code->empty()) return Unexpected{StatusError{StatusError::kNotCoordinator, "no contract at " + coordinator.checksum_hex()}};
    auto head = client.block_number();
    if (!head) return Unexpected{StatusError{StatusError::kRpc, head.error().message()}};
    const CoordinatorClient c(coordinator, borrow(client));
    auto st = c.contract().call("requestStatus", {chain::AbiValue(id)});
    if (!st) {
        return Unexpected{StatusError{StatusError::kNotCoordinator, coordinator.checksum_hex() + " does not answer requestStatus(uint256)"}};
    }
    RequestStatusView v;
    v.request_id = id;
    v.head = *head;
    const auto& f = (*st)[0].list();
    const uint64_t state = u64(f[0]);
    if (state > static_cast<uint64_t>(RequestState::kCancelled)) {
        return Unexpected{StatusError{StatusError::kNotCoordinator, "requestStatus returned state " + std::to_string(state)}};
    }
    v.state = static_cast<RequestState>(state);
    if (v.state == RequestState::kNone) return v;
    v.requester = f[1].address();
    v.request_block = u64(f[2]);
    v.ready_at = u64(f[3]);
    v.cancellable_at = u64(f[4]);
    v.fee = f[5].word();

    auto logs = c.request_logs(v.request_block, v.request_block, {id});
    if (!logs || logs->empty()) return Unexpected{StatusError{StatusError::kRpc, "request " + id.dec() + ": its RandomWordsRequested log is missing"}};
    auto req = parse_request_log(logs->back());
    if (!req) return Unexpected{StatusError{StatusError::kNotCoordinator, req.error().message()}};
    auto key = read_key(c, req->key_hash);
    if (!key) return Unexpected{key.error()};
    v.key = *key;

    if (v.state == RequestState::kFulfilled || v.state == RequestState::kCallbackFailed || v.state == RequestState::kRedelivered) {
        auto records = read_fulfilments(client, coordinator, v.request_block, v.head, {id});
        if (!records) return Unexpected{StatusError{StatusError::kUnverifiable, records.error().message()}};
        if (!records->empty()) v.fulfilment = records->front();
    }
    return v;
}

}  // namespace cvex::oracle
