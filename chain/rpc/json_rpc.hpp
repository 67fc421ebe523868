// JsonRpcClient: JSON-RPC 2.0 over HttpClient, single and batch calls, typed errors, and
// retries with exponential backoff and full jitter — only for calls that are safe to repeat and
// errors that are worth retrying, within a bounded budget. It is one RpcTransport; QuorumRpc
// (quorum_rpc.hpp) is another, over several endpoints, and EthClient reads through either.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/bytes.hpp"
#include "base/expected.hpp"
#include "chain/rpc/http_client.hpp"

namespace cvex::chain {

struct RpcError {
    enum Kind {
        kTransport,   // see `transport`
        kHttpStatus,  // a non-200 answer (`http_status`; 429 and 5xx are retryable)
        kRpc,         // the node's JSON-RPC error object (`code`, `message`, `data`)
        kMalformed,   // not JSON-RPC: bad JSON, missing result, wrong id
        kQuorum,      // fewer than k of the quorum's endpoints agreed (`message` says who said what)
    } kind;
    std::string method;
    std::optional<TransportError> transport;
    int http_status = 0;
    int64_t code = 0;
    std::string detail;               // the node's error message, or what went wrong
    nlohmann::json data;              // the error object's `data`, as sent
    std::optional<Bytes> revert_data;  // `data` when it is hex: a revert's ABI-encoded reason

    bool retryable() const;
    std::string message() const;
};

template <class T>
using RpcResult = Expected<T, RpcError>;

struct RetryPolicy {
    int max_attempts = 5;                       // including the first
    std::chrono::milliseconds base_delay{50};   // doubled each attempt, full jitter
    std::chrono::milliseconds max_delay{2000};
    std::chrono::milliseconds budget{15000};    // total time spent retrying
};

enum class Idempotency {
    kAuto,    // decide by method name: reads are safe, anything that changes state is not
    kSafe,    // repeating the call cannot change its effect
    kUnsafe,  // never repeat
};

struct RpcRequest {
    std::string method;
    nlohmann::json params = nlohmann::json::array();
};

/// Where JSON-RPC calls go: one node (JsonRpcClient) or a quorum of nodes (QuorumRpc).
class RpcTransport {
public:
    virtual ~RpcTransport() = default;
    virtual RpcResult<nlohmann::json> call(std::string_view method, nlohmann::json params = nlohmann::json::array(),
                                           Idempotency idempotency = Idempotency::kAuto) = 0;
    /// Results in request order; each element carries its own JSON-RPC error.
    virtual RpcResult<std::vector<RpcResult<nlohmann::json>>> batch(const std::vector<RpcRequest>& requests,
                                                                    Idempotency idempotency = Idempotency::kAuto) = 0;
    /// The endpoint(s), for messages.
    virtual const std::string& url() const = 0;
};

class JsonRpcClient : public RpcTransport {
public:
    struct Options {
        HttpTimeouts timeouts;
        RetryPolicy retry;
        size_t max_connections = 16;
    };

    static Expected<std::unique_ptr<JsonRpcClient>, EndpointError> connect(const std::string& url, Options options);
    static Expected<std::unique_ptr<JsonRpcClient>, EndpointError> connect(const std::string& url) { return connect(url, Options{}); }

    RpcResult<nlohmann::json> call(std::string_view method, nlohmann::json params = nlohmann::json::array(),
                                   Idempotency idempotency = Idempotency::kAuto) override;

    using Request = RpcRequest;
    /// One HTTP round trip; results in request order. The batch itself fails only for transport
    /// or malformed answers; each element carries its own JSON-RPC error.
    RpcResult<std::vector<RpcResult<nlohmann::json>>> batch(const std::vector<Request>& requests,
                                                            Idempotency idempotency = Idempotency::kAuto) override;

    static bool is_safe_method(std::string_view method);

    /// Reads a node's answer (the body of its 200 response) to the single request `id`. Trust
    /// decision: the node is the host's, so the body is hostile input — every member is checked
    /// before use and the id must be ours; the result is a value or a typed error, never a throw.
    static RpcResult<nlohmann::json> read_response(std::string_view body, uint64_t id, const std::string& method);
    /// Reads the answer to a batch whose requests had ids first_id, first_id + 1, … (one per
    /// method): results in request order, each with its own error.
    static RpcResult<std::vector<RpcResult<nlohmann::json>>> read_batch_response(std::string_view body, uint64_t first_id,
                                                                               const std::vector<std::string>& methods);
    const std::string& url() const override { return url_; }

private:
    JsonRpcClient(std::string url, std::unique_ptr<HttpClient> http, Options options);
    RpcResult<std::string> round_trip(const std::string& body, const std::string& method_for_errors);
    template <class F>
    auto with_retries(bool safe, F&& attempt) -> decltype(attempt());

    std::string url_;
    std::unique_ptr<HttpClient> http_;
    Options options_;
    uint64_t next_id_ = 1;
    std::mutex id_mutex_;
};

}  // namespace cvex::chain
