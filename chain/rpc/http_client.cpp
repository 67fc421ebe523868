#include "chain/rpc/http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/version.hpp>

#include <mutex>
#include <optional>
#include <vector>

namespace cvex::chain {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

Expected<Url, EndpointError> Url::parse(std::string_view text) {
    Url u;
    std::string_view rest;
    if (text.rfind("http://", 0) == 0) {
        rest = text.substr(7);
    } else if (text.rfind("https://", 0) == 0) {
        u.tls = true;
        rest = text.substr(8);
    } else {
        return endpoint_failure("URL '" + std::string(text) + "' must start with http:// or https://");
    }
    const size_t slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    u.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
    if (authority.find('@') != std::string_view::npos) return endpoint_failure("URL credentials are not supported");
    if (!authority.empty() && authority.front() == '[') {  // [::1]:8545
        const size_t close = authority.find(']');
        if (close == std::string_view::npos) return endpoint_failure("URL '" + std::string(text) + "' has an unclosed IPv6 address");
        u.host = std::string(authority.substr(1, close - 1));
        authority.remove_prefix(close + 1);
        if (!authority.empty() && authority.front() == ':') u.port = std::string(authority.substr(1));
    } else {
        const size_t colon = authority.find(':');
        u.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos) u.port = std::string(authority.substr(colon + 1));
    }
    if (u.host.empty()) return endpoint_failure("URL '" + std::string(text) + "' has no host");
    if (u.port.empty()) u.port = u.tls ? "443" : "80";
    for (char c : u.port)
        if (c < '0' || c > '9') return endpoint_failure("URL '" + std::string(text) + "' has a bad port");
    return u;
}

std::string Url::str() const { return std::string(tls ? "https://" : "http://") + host + ":" + port + target; }

std::string TransportError::message() const {
    const char* what = "transport error";
    switch (code) {
        case kBadUrl: what = "bad URL"; break;
        case kResolve: what = "cannot resolve host"; break;
        case kRefused: what = "connection refused"; break;
        case kTimeout: what = "timed out"; break;
        case kReset: what = "connection reset"; break;
        case kTls: what = "TLS failure"; break;
        case kProtocol: what = "not a valid HTTP response"; break;
    }
    std::string s = what;
    if (!phase.empty()) s += " (" + phase + ")";
    if (!detail.empty()) s += ": " + detail;
    return s;
}

namespace {

TransportError classify(const beast::error_code& ec, const char* phase) {
    TransportError e{TransportError::kReset, phase, ec.message()};
    if (ec == beast::error::timeout || ec == asio::error::timed_out) e.code = TransportError::kTimeout;
    else if (ec == asio::error::connection_refused) e.code = TransportError::kRefused;
    else if (ec.category() == asio::error::get_ssl_category() || ec.category() == asio::ssl::error::get_stream_category())
        e.code = TransportError::kTls;
    else if (ec.category() == beast::error_code(http::error::end_of_stream).category() && ec != http::error::end_of_stream)
        e.code = TransportError::kProtocol;
    return e;
}

// One connection with its own io_context, so each call runs its asynchronous steps (which is
// how Beast gives every step a deadline) on the calling thread.
struct Connection {
    asio::io_context ioc;
    std::optional<beast::tcp_stream> plain;
    std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
    beast::flat_buffer buffer;
    bool used = false;  // has served a request: a failure may just mean the server closed it

    beast::tcp_stream& lowest() { return secure ? beast::get_lowest_layer(*secure) : *plain; }
};

template <class Op>
beast::error_code run(asio::io_context& ioc, Op&& start) {
    beast::error_code result = asio::error::would_block;
    start([&result](beast::error_code ec, auto&&...) { result = ec; });
    ioc.restart();
    ioc.run();
    return result;
}

}  // namespace

struct HttpClient::Impl {
    Expected<HttpResponse, TransportError> send(http::request<http::string_body> req);
    Url url;
    HttpTimeouts timeouts;
    size_t max_idle;
    std::optional<ssl::context> tls_context;
    std::mutex mutex;
    std::vector<std::unique_ptr<Connection>> idle;

    Expected<std::unique_ptr<Connection>, TransportError> open() {
        auto c = std::make_unique<Connection>();
        tcp::resolver resolver(c->ioc);
        beast::error_code ec;
        const auto endpoints = resolver.resolve(url.host, url.port, ec);
        if (ec) return Unexpected{TransportError{TransportError::kResolve, "resolve", url.host + ": " + ec.message()}};
        if (url.tls) {
            c->secure.emplace(c->ioc, *tls_context);
            if (!SSL_set_tlsext_host_name(c->secure->native_handle(), url.host.c_str()))
                return Unexpected{TransportError{TransportError::kTls, "tls", "cannot set SNI"}};
            c->secure->set_verify_callback(ssl::host_name_verification(url.host));
        } else {
            c->plain.emplace(c->ioc);
        }
        c->lowest().expires_after(timeouts.connect);
        ec = run(c->ioc, [&](auto handler) { c->lowest().async_connect(endpoints, handler); });
        if (ec) return Unexpected{classify(ec, "connect")};
        if (url.tls) {
            c->lowest().expires_after(timeouts.connect);
            ec = run(c->ioc, [&](auto handler) { c->secure->async_handshake(ssl::stream_base::client, handler); });
            if (ec) return Unexpected{TransportError{TransportError::kTls, "tls", ec.message()}};
        }
        return c;
    }

    Expected<HttpResponse, TransportError> exchange(Connection& c, const http::request<http::string_body>& req, bool& keep_alive) {
        c.lowest().expires_after(timeouts.write);
        beast::error_code ec = c.secure ? run(c.ioc, [&](auto h) { http::async_write(*c.secure, req, h); })
                                        : run(c.ioc, [&](auto h) { http::async_write(*c.plain, req, h); });
        if (ec) return Unexpected{classify(ec, "write")};
        http::response_parser<http::string_body> parser;
        parser.body_limit(kMaxResponseBytes);
        c.lowest().expires_after(timeouts.read);
        ec = c.secure ? run(c.ioc, [&](auto h) { http::async_read(*c.secure, c.buffer, parser, h); })
                      : run(c.ioc, [&](auto h) { http::async_read(*c.plain, c.buffer, parser, h); });
        if (ec == http::error::body_limit) return Unexpected{TransportError{TransportError::kProtocol, "read", "response larger than 64 MiB"}};
        if (ec) return Unexpected{classify(ec, "read")};
        auto res = parser.release();
        keep_alive = res.keep_alive();
        return HttpResponse{static_cast<int>(res.result_int()), std::move(res.body())};
    }
};

HttpClient::HttpClient(Url url, HttpTimeouts timeouts, size_t max_idle_connections) : impl_(std::make_unique<Impl>()) {
    impl_->url = std::move(url);
    impl_->timeouts = timeouts;
    impl_->max_idle = max_idle_connections;
    if (impl_->url.tls) {
        impl_->tls_context.emplace(ssl::context::tls_client);
        impl_->tls_context->set_default_verify_paths();
        impl_->tls_context->set_verify_mode(ssl::verify_peer);
    }
}

HttpClient::~HttpClient() = default;

const Url& HttpClient::url() const { return impl_->url; }

Expected<HttpResponse, TransportError> HttpClient::post(const std::string& body, std::string_view content_type) {
    http::request<http::string_body> req{http::verb::post, impl_->url.target, 11};
    req.set(http::field::content_type, std::string(content_type));
    req.body() = body;
    return impl_->send(std::move(req));
}

Expected<HttpResponse, TransportError> HttpClient::get(const std::string& path) {
    http::request<http::string_body> req{http::verb::get, path.empty() ? impl_->url.target : path, 11};
    return impl_->send(std::move(req));
}

Expected<HttpResponse, TransportError> HttpClient::Impl::send(http::request<http::string_body> req) {
    req.set(http::field::host, url.host);
    req.set(http::field::user_agent, "cvex/0.1");
    req.keep_alive(true);
    req.prepare_payload();

    for (int attempt = 0;; ++attempt) {
        std::unique_ptr<Connection> conn;
        {
            std::lock_guard lock(mutex);
            if (!idle.empty()) {
                conn = std::move(idle.back());
                idle.pop_back();
            }
        }
        if (!conn) {
            auto opened = open();
            if (!opened) return Unexpected{opened.error()};
            conn = std::move(*opened);
        }
        bool keep_alive = false;
        auto res = exchange(*conn, req, keep_alive);
        if (!res) {
            // A pooled connection the server closed while idle fails at once with reset/EOF:
            // the request never reached the server, so one retry on a fresh connection is safe.
            const bool stale = conn->used && res.error().code == TransportError::kReset && attempt == 0;
            if (stale) continue;
            return res;
        }
        conn->used = true;
        if (keep_alive) {
            std::lock_guard lock(mutex);
            if (idle.size() < max_idle) idle.push_back(std::move(conn));
        }
        return res;
    }
}

}  // namespace cvex::chain
