#include "support/fake_http_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <map>
#include <stdexcept>

#include "chain/rpc/http_client.hpp"

namespace cvex::test {

FakeHttpServer::FakeHttpServer(Handler handler) : handler_(std::move(handler)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listen_fd_, 64) != 0 ||
        ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
        throw std::runtime_error("fake server: cannot listen on loopback");
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
}

FakeHttpServer::~FakeHttpServer() {
    stopping_ = true;
    ::shutdown(listen_fd_, SHUT_RDWR);
    ::close(listen_fd_);
    acceptor_.join();
    {
        std::lock_guard lock(mutex_);
        for (int fd : client_fds_) ::shutdown(fd, SHUT_RDWR);
    }
    for (auto& t : workers_) t.join();
}

void FakeHttpServer::accept_loop() {
    while (!stopping_) {
        pollfd p{listen_fd_, POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0) continue;
        const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) continue;
        std::lock_guard lock(mutex_);
        client_fds_.push_back(fd);
        workers_.emplace_back([this, fd] { serve(fd); });
    }
}

void FakeHttpServer::serve(int fd) {
    std::string buf;
    char chunk[65536];
    while (!stopping_) {
        // Read one request: headers, then Content-Length bytes of body.
        size_t header_end;
        while ((header_end = buf.find("\r\n\r\n")) == std::string::npos) {
            const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
            if (n <= 0) {
                ::close(fd);
                return;
            }
            buf.append(chunk, static_cast<size_t>(n));
        }
        size_t content_length = 0;
        const std::string headers = buf.substr(0, header_end);
        for (const char* key : {"Content-Length:", "content-length:"})
            if (auto p = headers.find(key); p != std::string::npos) content_length = std::stoul(headers.substr(p + std::strlen(key)));
        while (buf.size() < header_end + 4 + content_length) {
            const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
            if (n <= 0) {
                ::close(fd);
                return;
            }
            buf.append(chunk, static_cast<size_t>(n));
        }
        const std::string body = buf.substr(header_end + 4, content_length);
        buf.erase(0, header_end + 4 + content_length);
        ++requests_;
        const FakeReply reply = handler_(body);
        for (auto waited = std::chrono::milliseconds(0); waited < reply.delay && !stopping_; waited += std::chrono::milliseconds(10))
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        if (reply.close_without_reply || stopping_) {
            ::close(fd);
            return;
        }
        std::string out = reply.raw ? reply.body
                                    : "HTTP/1.1 " + std::to_string(reply.status) + " X\r\nContent-Type: application/json\r\nContent-Length: " +
                                          std::to_string(reply.body.size()) + "\r\n\r\n" + reply.body;
        for (size_t off = 0; off < out.size();) {
            const ssize_t n = ::send(fd, out.data() + off, out.size() - off, MSG_NOSIGNAL);
            if (n <= 0) {
                ::close(fd);
                return;
            }
            off += static_cast<size_t>(n);
        }
        if (reply.raw) {
            ::close(fd);
            return;
        }
    }
    ::close(fd);
}

std::string forward_json_rpc(const std::string& url, const std::string& body) {
    static std::mutex m;
    static std::map<std::string, std::unique_ptr<chain::HttpClient>> clients;
    chain::HttpClient* client;
    {
        std::lock_guard lock(m);
        auto& c = clients[url];
        if (!c) c = std::make_unique<chain::HttpClient>(*chain::Url::parse(url));
        client = c.get();
    }
    auto r = client->post(body);
    return r ? r->body : std::string("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32000,\"message\":\"upstream down\"}}");
}

}  // namespace cvex::test
