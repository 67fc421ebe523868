// PendingTxSubscription: pending transactions from a node's `eth_subscribe("newPendingTransactions")`
// over a WebSocket (Boost.Beast, `ws://`), delivered one by one on the subscription's own thread.
// Full transactions are asked for with the `true` flag (Geth, Reth, Anvil); a node that refuses
// the flag is asked for hashes, and each hash is read back with eth_getTransactionByHash over
// HTTP at the same host and port. Every step has a deadline and a failure names the step; when
// the socket drops, it reconnects after 2^n × base back-off (capped) and subscribes again.
//
// Trust decision: the node is the host's. A pending transaction is a hint, never a fact — it may
// be invented, withheld or never mined; nothing may act on one without the vault's own on-chain
// checks (the GuardedVault's price guard and limits decide every trade).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "base/expected.hpp"
#include "chain/rpc/endpoint_error.hpp"
#include "chain/rpc/rpc_types.hpp"

namespace cvex::chain {

/// ws://host:port[/path]; anything else is an EndpointError naming the problem.
struct WsUrl {
    std::string host, port, target;
    static Expected<WsUrl, EndpointError> parse(std::string_view text);
    std::string str() const { return "ws://" + host + ":" + port + target; }
    /// The node's HTTP endpoint on the same host and port (Anvil, Geth and Reth serve both there).
    std::string http() const { return "http://" + host + ":" + port + target; }
};

/// Why one connection of the subscription failed; the subscription itself keeps reconnecting.
struct WsError {
    enum Code {
        kResolve,     // the host does not resolve
        kConnect,     // TCP connect refused or timed out
        kHandshake,   // the WebSocket upgrade failed
        kWrite,       // sending a request failed
        kRead,        // the socket closed, reset or went idle past its deadline
        kRefused,     // the node answered eth_subscribe with an error
        kMalformed,   // a frame that is not the JSON-RPC we expect
        kFetch,       // eth_getTransactionByHash for an announced hash failed
    } code;
    std::string detail;
    std::string message() const;
};

struct WsSubscriptionOptions {
    std::chrono::milliseconds connect{5000};     // resolve + TCP connect
    std::chrono::milliseconds handshake{5000};   // the HTTP upgrade
    std::chrono::milliseconds write{5000};
    std::chrono::milliseconds reply{10000};      // eth_subscribe's answer
    std::chrono::milliseconds idle{30000};       // no frame (pings included) for this long: dropped
    std::chrono::milliseconds backoff_base{100};  // first reconnect delay, doubled per failure
    std::chrono::milliseconds backoff_max{5000};  // the cap
    bool full_transactions = true;                // ask for `true`; false: hashes from the start
    size_t max_frame_bytes = 4u << 20;
};

class PendingTxSubscription {
public:
    using OnTransaction = std::function<void(const TransactionInfo&)>;
    /// Each failed connection, for the log; the subscription reconnects after it.
    using OnError = std::function<void(const WsError&)>;

    /// Starts the subscription thread; only a URL that does not parse fails here.
    static Expected<std::unique_ptr<PendingTxSubscription>, EndpointError> start(const std::string& url, OnTransaction on_tx,
                                                                                 OnError on_error = {},
                                                                                 WsSubscriptionOptions options = {});
    ~PendingTxSubscription();  // stop()
    PendingTxSubscription(const PendingTxSubscription&) = delete;
    PendingTxSubscription& operator=(const PendingTxSubscription&) = delete;

    /// Closes the socket and joins the thread; no callback runs after it returns.
    void stop();
    /// How many times a subscription was established (1 after the first, +1 per reconnect).
    uint64_t subscriptions() const { return subscriptions_.load(); }
    /// Whether the node delivers full transactions (false: hashes, fetched over HTTP).
    bool full_transactions() const { return full_.load(); }

    struct Impl;

private:
    PendingTxSubscription() = default;
    std::unique_ptr<Impl> impl_;
    std::atomic<uint64_t> subscriptions_{0};
    std::atomic<bool> full_{false};
};

}  // namespace cvex::chain
