#include "support/tcp_proxy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>
#include <string>

#include "support/anvil.hpp"

namespace cvex::test {

namespace {

sockaddr_in loopback(uint16_t port) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

// Copies `from` to `to` until either side ends, then ends both.
void pump(int from, int to) {
    char buf[16384];
    for (;;) {
        const ssize_t n = ::recv(from, buf, sizeof buf, 0);
        if (n <= 0) break;
        ssize_t sent = 0;
        while (sent < n) {
            const ssize_t w = ::send(to, buf + sent, static_cast<size_t>(n - sent), MSG_NOSIGNAL);
            if (w <= 0) break;
            sent += w;
        }
        if (sent < n) break;
    }
    ::shutdown(from, SHUT_RDWR);
    ::shutdown(to, SHUT_RDWR);
}

}  // namespace

TcpProxy::TcpProxy(uint16_t upstream_port) : upstream_(upstream_port), port_(free_loopback_port()) { open(); }

TcpProxy::~TcpProxy() { close(); }

void TcpProxy::open() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    const sockaddr_in a = loopback(port_);
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0 || ::listen(fd, 16) != 0) {
        ::close(fd);
        throw std::runtime_error("TcpProxy: cannot listen on 127.0.0.1:" + std::to_string(port_));
    }
    listen_fd_ = fd;
    acceptor_ = std::thread([this, fd] { accept_loop(fd); });
}

void TcpProxy::accept_loop(int listen_fd) {
    for (;;) {
        const int client = ::accept(listen_fd, nullptr, nullptr);
        if (client < 0) return;  // close() shut the listener
        const int server = ::socket(AF_INET, SOCK_STREAM, 0);
        const sockaddr_in up = loopback(upstream_);
        if (::connect(server, reinterpret_cast<const sockaddr*>(&up), sizeof up) != 0) {
            ::close(server);
            ::close(client);
            continue;
        }
        ++accepted_;
        std::lock_guard lock(mutex_);
        fds_.insert(fds_.end(), {client, server});
        pumps_.emplace_back(pump, client, server);
        pumps_.emplace_back(pump, server, client);
    }
}

void TcpProxy::close() {
    if (listen_fd_ < 0) return;
    ::shutdown(listen_fd_, SHUT_RDWR);  // wakes accept()
    acceptor_.join();
    ::close(listen_fd_);
    listen_fd_ = -1;
    std::lock_guard lock(mutex_);
    for (int fd : fds_) ::shutdown(fd, SHUT_RDWR);
    for (auto& t : pumps_) t.join();
    for (int fd : fds_) ::close(fd);
    fds_.clear();
    pumps_.clear();
}

}  // namespace cvex::test
