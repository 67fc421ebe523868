// A loopback HTTP/1.1 server for fault tests: every request body goes to a handler that returns
// the reply (status, body, or a stall/close). It can stand in front of a real Anvil as a proxy
// that refuses, delays or corrupts answers. Loopback only, bounded, stops with the object.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cvex::test {

struct FakeReply {
    int status = 200;
    std::string body;
    std::chrono::milliseconds delay{0};  // before answering
    bool close_without_reply = false;    // drop the connection instead
    bool raw = false;                    // send `body` as the whole response, not wrapped in HTTP
};

class FakeHttpServer {
public:
    using Handler = std::function<FakeReply(const std::string& request_body)>;
    explicit FakeHttpServer(Handler handler);
    ~FakeHttpServer();

    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    uint16_t port() const { return port_; }
    size_t requests() const { return requests_.load(); }

private:
    void accept_loop();
    void serve(int fd);

    Handler handler_;
    int listen_fd_ = -1;
    uint16_t port_ = 0;
    std::atomic<bool> stopping_{false};
    std::atomic<size_t> requests_{0};
    std::thread acceptor_;
    std::mutex mutex_;
    std::vector<std::thread> workers_;
    std::vector<int> client_fds_;
};

/// Forwards a JSON-RPC body to `url` and returns the upstream reply (for proxies).
std::string forward_json_rpc(const std::string& url, const std::string& body);

/// A forwarding proxy in front of a node that counts the transactions (eth_sendRawTransaction)
/// it passed on: a read endpoint that must never see one, or a send route that must see them all.
struct CountingProxy {
    std::atomic<size_t> transactions{0};
    FakeHttpServer server;
    explicit CountingProxy(const std::string& upstream)
        : server([this, upstream](const std::string& body) {
              if (body.find("eth_sendRawTransaction") != std::string::npos) ++transactions;
              return FakeReply{200, forward_json_rpc(upstream, body)};
          }) {}
};

}  // namespace cvex::test
