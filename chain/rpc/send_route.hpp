// SendRoute: reads through one transport, signed transactions through another.
//
// A trade broadcast through the node the bot reads from sits in that node's public mempool,
// where anyone can see it and trade ahead of it. SendRoute sends eth_sendRawTransaction (and
// nothing else) to a separate endpoint — a private-transaction RPC such as an MEV-protection
// endpoint — and every read to the read transport (one node, or a QuorumRpc).
//
// Trust decision: the send endpoint is only trusted to deliver, never to inform. Nothing read
// from it is used: the hash returned is keccak256 of the raw bytes (EIP-2718), whatever it says,
// and the Sender learns about the transaction from the read transport. Falling back to the read
// transport when the send route fails reveals the transaction to the public mempool, so it
// happens only if the attested config says `send_fallback`.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "chain/rpc/json_rpc.hpp"

namespace cvex::chain {

struct SendRouteStats {
    uint64_t sent = 0;        // transactions the send route accepted
    uint64_t failed = 0;      // send-route failures (transport, HTTP, or the endpoint's refusal)
    uint64_t fell_back = 0;   // of those, sent through the read transport instead
};

class SendRoute : public RpcTransport {
public:
    using Log = std::function<void(const std::string&)>;

    SendRoute(std::shared_ptr<RpcTransport> reads, std::shared_ptr<RpcTransport> sends, bool fallback_to_reads, Log log = {});

    RpcResult<nlohmann::json> call(std::string_view method, nlohmann::json params = nlohmann::json::array(),
                                   Idempotency idempotency = Idempotency::kAuto) override;
    RpcResult<std::vector<RpcResult<nlohmann::json>>> batch(const std::vector<RpcRequest>& requests,
                                                            Idempotency idempotency = Idempotency::kAuto) override;
    const std::string& url() const override { return description_; }

    SendRouteStats stats() const { return {sent_.load(), failed_.load(), fell_back_.load()}; }
    /// The stats as Prometheus counters (cvex_send_route_*), for /metrics.
    std::string prometheus() const;

private:
    RpcResult<nlohmann::json> send_raw(const nlohmann::json& params, Idempotency idempotency);

    std::shared_ptr<RpcTransport> reads_;
    std::shared_ptr<RpcTransport> sends_;
    bool fallback_;
    Log log_;
    std::string description_;
    std::atomic<uint64_t> sent_{0}, failed_{0}, fell_back_{0};
};

}  // namespace cvex::chain
