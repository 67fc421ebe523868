// The guest's small read-only HTTP API (Boost.Beast): one I/O thread, keep-alive, bounded request
// sizes, idle timeouts and at most 64 connections at once (more are closed on accept). Handlers only read state; nothing here can make the guest sign.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "base/expected.hpp"
#include "enclave-app/guest_error.hpp"

namespace cvex::enclave {

struct HttpReply {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
};

class HttpServer {
public:
    /// Called on the I/O thread for every request; must not block for long.
    using Handler = std::function<HttpReply(std::string_view method, std::string_view target)>;

    /// Listens on host:port (port 0 picks a free one). Loopback by default in the config.
    static cvex::Expected<std::unique_ptr<HttpServer>, GuestError> start(const std::string& host, uint16_t port, Handler handler);
    ~HttpServer();  // stops accepting, closes connections, joins the thread
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    uint16_t port() const;

    /// What a connection that receives `bytes` is sent back, parsed by the same Beast parser with
    /// the same limits and dispatched as the server does: requests are answered in order while
    /// they ask for keep-alive; a malformed or unfinished request ends the exchange unanswered.
    /// No socket is involved (for tests and the `http` fuzz target).
    static std::string answer(std::string_view bytes, const Handler& handler);

    struct Impl;

private:
    explicit HttpServer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace cvex::enclave
