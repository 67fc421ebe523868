// HttpClient: HTTP/1.1 POSTs to one endpoint over a small pool of keep-alive connections,
// `http://` or `https://` (OpenSSL, peer and host name verified). Every step has its own
// deadline (connect, write, read) and a failure names the step. Thread-safe: any number of
// callers share the pool. Boost.Beast stays inside the .cpp.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/expected.hpp"
#include "chain/rpc/endpoint_error.hpp"

namespace cvex::chain {

struct Url {
    bool tls = false;
    std::string host;
    std::string port;    // "80"/"443" when not given
    std::string target;  // path and query, "/" when empty

    /// http://host[:port][/path] or https://…; anything else is an error naming the problem.
    static Expected<Url, EndpointError> parse(std::string_view text);
    std::string str() const;
    /// The host is this machine (localhost, 127.0.0.0/8, ::1): plain HTTP there never crosses
    /// the host's network.
    bool loopback() const { return host == "localhost" || host == "::1" || host == "[::1]" || host.rfind("127.", 0) == 0; }
};

struct HttpTimeouts {
    std::chrono::milliseconds connect{5000};
    std::chrono::milliseconds write{10000};
    std::chrono::milliseconds read{30000};
};

struct HttpResponse {
    int status = 0;
    std::string body;
};

struct TransportError {
    enum Code {
        kBadUrl,
        kResolve,   // DNS
        kRefused,   // nothing listening
        kTimeout,   // a deadline passed (`phase` says which)
        kReset,     // the connection was reset or closed mid-exchange
        kTls,       // handshake or certificate verification failed
        kProtocol,  // not HTTP, or a response too large
    } code;
    std::string phase;  // "connect", "tls", "write", "read"
    std::string detail;
    std::string message() const;
};

class HttpClient {
public:
    HttpClient(Url url, HttpTimeouts timeouts = {}, size_t max_idle_connections = 16);
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    Expected<HttpResponse, TransportError> post(const std::string& body, std::string_view content_type = "application/json");
    /// GET `path` (default: the URL's own path), e.g. an enclave's /attestation.
    Expected<HttpResponse, TransportError> get(const std::string& path = "");
    const Url& url() const;

    static constexpr size_t kMaxResponseBytes = 64u << 20;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace cvex::chain
