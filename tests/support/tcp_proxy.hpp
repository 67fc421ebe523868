// A loopback TCP proxy for tests that need to cut a connection the code under test holds (a
// WebSocket subscription, an RPC route): it listens on a free 127.0.0.1 port and forwards each
// connection to 127.0.0.1:upstream, byte for byte, both ways. close() stops listening and cuts
// every connection (the client sees a reset or end of stream); open() listens again on the
// same port.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace cvex::test {

class TcpProxy {
public:
    explicit TcpProxy(uint16_t upstream_port);
    ~TcpProxy();
    TcpProxy(const TcpProxy&) = delete;
    TcpProxy& operator=(const TcpProxy&) = delete;

    uint16_t port() const { return port_; }
    void close();
    void open();
    /// Connections accepted since construction.
    size_t accepted() const { return accepted_.load(); }

private:
    void accept_loop(int listen_fd);

    uint16_t upstream_, port_ = 0;
    int listen_fd_ = -1;
    std::thread acceptor_;
    std::mutex mutex_;
    std::vector<int> fds_;
    std::vector<std::thread> pumps_;
    std::atomic<size_t> accepted_{0};
};

}  // namespace cvex::test
