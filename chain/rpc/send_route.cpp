#include "chain/rpc/send_route.hpp"

#include "chain/rpc/rpc_json.hpp"

namespace cvex::chain {

namespace {

constexpr std::string_view kSendRaw = "eth_sendRawTransaction";

// A node's refusal of the transaction itself (nonce too low, underpriced, already known) is an
// answer about the transaction, the same from any node: it is returned, never retried elsewhere.
bool refused_by_node(const RpcError& e) { return e.kind == RpcError::kRpc; }

}  // namespace

SendRoute::SendRoute(std::shared_ptr<RpcTransport> reads, std::shared_ptr<RpcTransport> sends, bool fallback_to_reads, Log log)
    : reads_(std::move(reads)), sends_(std::move(sends)), fallback_(fallback_to_reads), log_(std::move(log)) {
    description_ = reads_->url() + " (transactions through " + sends_->url() + (fallback_ ? ", falling back to reads" : "") + ")";
}

RpcResult<nlohmann::json> SendRoute::send_raw(const nlohmann::json& params, Idempotency idempotency) {
    const auto raw_hash = rpc_json::raw_transaction_hash(params);  // never the endpoint's word
    if (!raw_hash) return Unexpected{RpcError{RpcError::kMalformed, std::string(kSendRaw), std::nullopt, 0, 0, raw_hash.error(), nullptr, std::nullopt}};
    const nlohmann::json hash = raw_hash->hex();
    auto r = sends_->call(kSendRaw, params, idempotency);
    if (r) {
        ++sent_;
        return hash;
    }
    ++failed_;
    if (refused_by_node(r.error()) || !fallback_) {
        if (log_) log_("send route " + sends_->url() + ": " + r.error().message() + (refused_by_node(r.error()) ? "" : " (no fallback configured)"));
        return r;
    }
    ++fell_back_;
    if (log_) log_("send route " + sends_->url() + " failed (" + r.error().message() + "): sending through the read endpoint, as send_fallback allows");
    auto f = reads_->call(kSendRaw, params, idempotency);
    if (!f) return f;
    return hash;
}

RpcResult<nlohmann::json> SendRoute::call(std::string_view method, nlohmann::json params, Idempotency idempotency) {
    if (method == kSendRaw) return send_raw(params, idempotency);
    return reads_->call(method, std::move(params), idempotency);
}

RpcResult<std::vector<RpcResult<nlohmann::json>>> SendRoute::batch(const std::vector<RpcRequest>& requests, Idempotency idempotency) {
    bool any_send = false;
    for (const auto& r : requests) any_send = any_send || r.method == kSendRaw;
    if (!any_send) return reads_->batch(requests, idempotency);
    std::vector<RpcResult<nlohmann::json>> out;
    for (const auto& r : requests) out.push_back(call(r.method, r.params, idempotency));
    return out;
}

std::string SendRoute::prometheus() const {
    const SendRouteStats s = stats();
    std::string m;
    auto counter = [&m](const char* name, const char* help, uint64_t v) {
        m += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " counter\n" + name + " " + std::to_string(v) + "\n";
    };
    counter("cvex_send_route_sent_total", "Signed transactions the send route accepted.", s.sent);
    counter("cvex_send_route_failed_total", "Send-route failures (transport, HTTP or the endpoint's refusal).", s.failed);
    counter("cvex_send_route_fallback_total", "Transactions sent through the read endpoints after a send-route failure.", s.fell_back);
    return m;
}

}  // namespace cvex::chain
