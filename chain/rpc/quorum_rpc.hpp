// QuorumRpc: one JSON-RPC view of the chain agreed by k of n independent endpoints.
//
// Trust decision: in a confidential VM the host owns the network and may run (or impersonate)
// any single RPC node, so nothing the guest proves or signs may rest on one node's word. Every
// read goes to all n endpoints at once and only an answer given identically by k of them is
// returned; otherwise the call fails with RpcError::kQuorum naming what each endpoint said, and
// the caller holds. The few answers nodes legitimately differ on are combined so that a liar in
// the minority cannot move them:
//   - eth_blockNumber: the k-th highest head (k endpoints have at least that block);
//   - reads at "latest" (eth_call, eth_getBalance, eth_getCode, eth_getStorageAt,
//     eth_getTransactionCount, eth_getBlockByNumber) are pinned to that agreed head number, so
//     honest nodes a block apart still agree;
//   - fee data (eth_gasPrice, eth_maxPriorityFeePerGas, eth_feeHistory): the k-th lowest, so a
//     minority quoting high fees cannot raise them (the Sender's caps bound them further);
//   - eth_estimateGas: the k-th highest (a minority quoting low cannot make a transaction fail);
//   - eth_sendRawTransaction: broadcast to every endpoint; accepted if any accepts, and the
//     hash returned is keccak256 of the raw bytes, never an endpoint's word.
// Anything else (state-changing test helpers) is refused: it has no meaning across nodes.
// It implements RpcTransport, so EthClient, Contract, Sender, the oracle and the bots read
// through it unchanged.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "chain/rpc/json_rpc.hpp"

namespace cvex::chain {

struct QuorumOptions {
    size_t threshold = 1;  // k: identical answers needed
    int attempts = 3;      // a call without agreement is asked again (nodes a block apart)
    std::chrono::milliseconds retry_delay{150};
    std::chrono::milliseconds straggler_grace{50};  // after k agree, how long to wait for the rest (to log liars)
    std::chrono::milliseconds head_cache{200};      // how long an agreed head number is reused for "latest"
};

/// Counters for /metrics.
struct QuorumStats {
    uint64_t calls = 0;
    uint64_t no_quorum = 0;     // calls that failed for lack of k identical answers (the caller held)
    uint64_t outvoted = 0;      // answers that differed from the quorum's (a lie, or a lagging node)
    uint64_t unreachable = 0;   // transport / HTTP failures of single endpoints
};

class QuorumRpc : public RpcTransport {
public:
    using Log = std::function<void(const std::string&)>;

    /// k of `urls` (1 ≤ k ≤ urls.size(); distinct URLs).
    static Expected<std::unique_ptr<QuorumRpc>, EndpointError> connect(const std::vector<std::string>& urls, QuorumOptions options,
                                                                     JsonRpcClient::Options member_options, Log log = {});
    /// Over given endpoints (tests compose their own).
    QuorumRpc(std::vector<std::shared_ptr<RpcTransport>> endpoints, QuorumOptions options, Log log = {});

    RpcResult<nlohmann::json> call(std::string_view method, nlohmann::json params = nlohmann::json::array(),
                                   Idempotency idempotency = Idempotency::kAuto) override;
    RpcResult<std::vector<RpcResult<nlohmann::json>>> batch(const std::vector<RpcRequest>& requests,
                                                            Idempotency idempotency = Idempotency::kAuto) override;
    const std::string& url() const override { return description_; }

    size_t threshold() const { return options_.threshold; }
    size_t size() const { return endpoints_.size(); }
    QuorumStats stats() const;
    /// Prometheus text for the counters (cvex_rpc_quorum_*).
    std::string prometheus() const;

    /// Member options suited to a quorum: short retries, so one dead endpoint costs little.
    static JsonRpcClient::Options member_defaults();

private:
    struct Answer;
    std::vector<Answer> ask_all(const std::string& method, const nlohmann::json& params);
    RpcResult<nlohmann::json> agree_exact(const std::string& method, const nlohmann::json& params);
    RpcResult<nlohmann::json> agree_ranked(const std::string& method, const nlohmann::json& params, bool highest);
    RpcResult<nlohmann::json> broadcast(const std::string& method, const nlohmann::json& params);
    RpcResult<uint64_t> head();
    nlohmann::json pin_latest(const std::string& method, nlohmann::json params);
    RpcError quorum_error(const std::string& method, const std::vector<Answer>& answers, const std::string& what) const;
    void note_outvoted(const std::string& method, const std::vector<Answer>& answers, const std::string& winner);

    std::vector<std::shared_ptr<RpcTransport>> endpoints_;
    QuorumOptions options_;
    Log log_;
    std::string description_;

    std::mutex head_mutex_;
    uint64_t head_ = 0;
    std::chrono::steady_clock::time_point head_time_{};

    std::atomic<uint64_t> calls_{0}, no_quorum_{0}, outvoted_{0}, unreachable_{0};
};

}  // namespace cvex::chain
