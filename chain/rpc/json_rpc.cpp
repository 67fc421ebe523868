#include "chain/rpc/json_rpc.hpp"

#include <random>
#include <thread>
#include <unordered_set>

namespace cvex::chain {

using nlohmann::json;

bool RpcError::retryable() const {
    switch (kind) {
        case kTransport: return transport && transport->code != TransportError::kBadUrl && transport->code != TransportError::kTls;
        case kHttpStatus: return http_status == 429 || http_status >= 500;
        case kRpc: return code == -32005;  // "limit exceeded" / rate limited (EIP-1474)
        case kMalformed: return false;
        case kQuorum: return false;  // the caller holds and asks again later
    }
    return false;
}

std::string RpcError::message() const {
    std::string s = method.empty() ? "JSON-RPC" : method;
    switch (kind) {
        case kTransport: return s + ": " + (transport ? transport->message() : "transport error");
        case kHttpStatus: return s + ": HTTP " + std::to_string(http_status) + (detail.empty() ? "" : ": " + detail);
        case kRpc: return s + ": error " + std::to_string(code) + ": " + detail;
        case kMalformed: return s + ": malformed response: " + detail;
        case kQuorum: return s + ": " + detail;
    }
    return s;
}

bool JsonRpcClient::is_safe_method(std::string_view m) {
    static const std::unordered_set<std::string_view> kSafe = {
        "eth_chainId", "eth_blockNumber", "eth_getBlockByNumber", "eth_getBlockByHash", "eth_getBalance", "eth_getTransactionCount",
        "eth_getCode", "eth_call", "eth_estimateGas", "eth_feeHistory", "eth_maxPriorityFeePerGas", "eth_gasPrice",
        "eth_getTransactionByHash", "eth_getTransactionReceipt", "eth_getLogs", "eth_getStorageAt", "net_version", "web3_clientVersion",
        "eth_syncing", "txpool_content", "txpool_status", "eth_accounts"};
    return kSafe.count(m) > 0;
}

Expected<std::unique_ptr<JsonRpcClient>, EndpointError> JsonRpcClient::connect(const std::string& url, Options options) {
    auto parsed = Url::parse(url);
    if (!parsed) return Unexpected{parsed.error()};
    auto http = std::make_unique<HttpClient>(*parsed, options.timeouts, options.max_connections);
    return std::unique_ptr<JsonRpcClient>(new JsonRpcClient(url, std::move(http), options));
}

JsonRpcClient::JsonRpcClient(std::string url, std::unique_ptr<HttpClient> http, Options options)
    : url_(std::move(url)), http_(std::move(http)), options_(options) {}

RpcResult<std::string> JsonRpcClient::round_trip(const std::string& body, const std::string& method) {
    auto res = http_->post(body);
    if (!res) return Unexpected{RpcError{RpcError::kTransport, method, res.error(), 0, 0, "", nullptr, std::nullopt}};
    if (res->status != 200) {
        std::string snippet = res->body.substr(0, 200);
        return Unexpected{RpcError{RpcError::kHttpStatus, method, std::nullopt, res->status, 0, snippet, nullptr, std::nullopt}};
    }
    return std::move(res->body);
}

template <class F>
auto JsonRpcClient::with_retries(bool safe, F&& attempt) -> decltype(attempt()) {
    thread_local std::mt19937_64 rng{std::random_device{}()};
    const auto start = std::chrono::steady_clock::now();
    for (int n = 1;; ++n) {
        auto result = attempt();
        if (result || !safe || !result.error().retryable() || n >= options_.retry.max_attempts) return result;
        // Full jitter: a uniform delay in [0, min(max, base * 2^n)).
        const auto cap = std::min<int64_t>(options_.retry.max_delay.count(), options_.retry.base_delay.count() << std::min(n, 20));
        const auto delay = std::chrono::milliseconds(std::uniform_int_distribution<int64_t>(0, std::max<int64_t>(cap, 1))(rng));
        if (std::chrono::steady_clock::now() - start + delay > options_.retry.budget) return result;
        std::this_thread::sleep_for(delay);
    }
}

RpcResult<json> JsonRpcClient::call(std::string_view method, json params, Idempotency idempotency) {
    const bool safe = idempotency == Idempotency::kSafe || (idempotency == Idempotency::kAuto && is_safe_method(method));
    const std::string m(method);
    return with_retries(safe, [&]() -> RpcResult<json> {
        uint64_t id;
        {
            std::lock_guard lock(id_mutex_);
            id = next_id_++;
        }
        const json req = {{"jsonrpc", "2.0"}, {"id", id}, {"method", m}, {"params", params}};
        auto body = round_trip(req.dump(), m);
        if (!body) return Unexpected{body.error()};
        return read_response(*body, id, m);
    });
}

RpcResult<std::vector<RpcResult<json>>> JsonRpcClient::batch(const std::vector<Request>& requests, Idempotency idempotency) {
    bool safe = idempotency == Idempotency::kSafe;
    if (idempotency == Idempotency::kAuto) {
        safe = true;
        for (const auto& r : requests) safe = safe && is_safe_method(r.method);
    }
    const std::string label = "batch of " + std::to_string(requests.size());
    std::vector<std::string> methods;
    for (const auto& r : requests) methods.push_back(r.method);
    return with_retries(safe, [&]() -> RpcResult<std::vector<RpcResult<json>>> {
        json arr = json::array();
        uint64_t first;
        {
            std::lock_guard lock(id_mutex_);
            first = next_id_;
            next_id_ += requests.size();
        }
        for (size_t i = 0; i < requests.size(); ++i)
            arr.push_back({{"jsonrpc", "2.0"}, {"id", first + i}, {"method", requests[i].method}, {"params", requests[i].params}});
        auto body = round_trip(arr.dump(), label);
        if (!body) return Unexpected{body.error()};
        return read_batch_response(*body, first, methods);
    });
}

}  // namespace cvex::chain
