// A loopback node that offers pending transactions by hash only, as nodes without the
// full-transactions flag of `newPendingTransactions` do: `eth_subscribe` with `true` is refused
// (-32602, as such nodes answer), without it accepted; each announce(hash) goes to every
// subscriber; plain HTTP JSON-RPC on the same port (eth_getTransactionByHash, …) is forwarded to a
// real node. For testing the mempool collector's fallback. Loopback only, stops with the object.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cvex::test {

class FakeWsNode {
public:
    explicit FakeWsNode(std::string upstream_url);
    ~FakeWsNode();
    FakeWsNode(const FakeWsNode&) = delete;
    FakeWsNode& operator=(const FakeWsNode&) = delete;

    std::string ws_url() const { return "ws://127.0.0.1:" + std::to_string(port_); }
    /// Sends `hash_hex` (0x + 64 hex) to every subscriber, as an eth_subscription notification.
    void announce(const std::string& hash_hex);

    size_t refused() const { return refused_.load(); }        // subscriptions asking for full transactions
    size_t subscribed() const { return subscribed_.load(); }  // subscriptions for hashes
    size_t forwarded() const { return forwarded_.load(); }    // HTTP JSON-RPC requests passed upstream

    struct Impl;

private:
    void accept_loop();
    void serve(int fd);
    void serve_subscriber(void* ws);

    std::string upstream_;
    std::unique_ptr<Impl> impl_;
    uint16_t port_ = 0;
    std::atomic<bool> stopping_{false};
    std::atomic<size_t> refused_{0}, subscribed_{0}, forwarded_{0};
    std::mutex mutex_;
    std::condition_variable cv_;
    std::vector<std::string> announced_;
    std::vector<int> fds_;
    std::vector<std::thread> workers_;
    std::thread acceptor_;
};

}  // namespace cvex::test
