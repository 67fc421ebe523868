// An in-process JSON-RPC endpoint for unit tests of transports that compose endpoints
// (QuorumRpc, SendRoute): it answers each method from a table (or with a JSON-RPC error, or as
// unreachable) and records every call.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "chain/rpc/json_rpc.hpp"

namespace cvex::test {

// An endpoint that answers each method from a table (or with a JSON-RPC error), and records calls.
class TableEndpoint : public chain::RpcTransport {
public:
    explicit TableEndpoint(std::string name) : name_(std::move(name)) {}
    void answer(const std::string& method, nlohmann::json result) { results_[method] = std::move(result); }
    void fail(const std::string& method, int64_t code, std::string message) { errors_[method] = {code, std::move(message)}; }
    void unreachable() { down_ = true; }

    chain::RpcResult<nlohmann::json> call(std::string_view method, nlohmann::json params, chain::Idempotency) override {
        std::lock_guard lock(mutex_);
        calls_.emplace_back(std::string(method), params);
        const std::string m(method);
        if (down_)
            return cvex::Unexpected{chain::RpcError{chain::RpcError::kTransport, m, chain::TransportError{chain::TransportError::kRefused, "connect", "refused"},
                                                     0, 0, "", nullptr, std::nullopt}};
        if (auto e = errors_.find(m); e != errors_.end())
            return cvex::Unexpected{chain::RpcError{chain::RpcError::kRpc, m, std::nullopt, 0, e->second.first, e->second.second, nullptr, std::nullopt}};
        if (auto r = results_.find(m); r != results_.end()) return r->second;
        return nlohmann::json(nullptr);
    }
    chain::RpcResult<std::vector<chain::RpcResult<nlohmann::json>>> batch(const std::vector<chain::RpcRequest>& requests,
                                                                          chain::Idempotency idempotency) override {
        std::vector<chain::RpcResult<nlohmann::json>> out;
        for (const auto& r : requests) out.push_back(call(r.method, r.params, idempotency));
        return out;
    }
    const std::string& url() const override { return name_; }
    std::vector<std::pair<std::string, nlohmann::json>> calls() {
        std::lock_guard lock(mutex_);
        return calls_;
    }

private:
    std::string name_;
    std::map<std::string, nlohmann::json> results_;
    std::map<std::string, std::pair<int64_t, std::string>> errors_;
    bool down_ = false;
    std::mutex mutex_;
    std::vector<std::pair<std::string, nlohmann::json>> calls_;
};

}  // namespace cvex::test
