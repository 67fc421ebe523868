#include "enclave-app/http_server.hpp"

#include <atomic>
#include <optional>
#include <sstream>
#include <thread>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace cvex::enclave {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kIdleTimeout = std::chrono::seconds(30);
constexpr size_t kMaxRequestBytes = 16 * 1024;  // GETs only: headers, no meaningful body
// Connections served at once; more are closed as soon as accepted, so a flood of idle
// connections (each held up to kIdleTimeout) cannot exhaust the guest's descriptors or memory.
constexpr size_t kMaxConnections = 64;

using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// Trust decision: a request is the network's (the host's) bytes. Beast's parser bounds the
// header and body sizes; only GET and HEAD reach the handler, which only reads state.
void limit(http::request_parser<http::string_body>& parser) {
    parser.body_limit(kMaxRequestBytes);
    parser.header_limit(kMaxRequestBytes);
}

Response respond(const Request& request, const HttpServer::Handler& handler) {
    HttpReply reply;
    if (request.method() != http::verb::get && request.method() != http::verb::head) {
        reply = {405, "text/plain", "only GET is served here\n"};
    } else {
        try {
            const auto method = request.method_string();
            const auto target = request.target();
            reply = handler(std::string_view(method.data(), method.size()), std::string_view(target.data(), target.size()));
        } catch (const std::exception& e) {
            reply = {500, "text/plain", std::string("internal error: ") + e.what() + "\n"};
        }
    }
    Response res(static_cast<http::status>(reply.status), request.version());
    res.set(http::field::server, "cvex-enclave");
    res.set(http::field::content_type, reply.content_type);
    res.keep_alive(request.keep_alive());
    if (request.method() != http::verb::head) res.body() = std::move(reply.body);
    res.prepare_payload();
    return res;
}

class Session : public std::enable_shared_from_this<Session> {
public:
    Session(tcp::socket socket, const HttpServer::Handler& handler, std::atomic<size_t>& open)
        : stream_(std::move(socket)), handler_(handler), open_(open) {
        ++open_;
    }
    ~Session() { --open_; }
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;
    void start() { read(); }

private:
    void read() {
        parser_.emplace();
        limit(*parser_);
        stream_.expires_after(kIdleTimeout);
        http::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, size_t) { self->on_read(ec); });
    }

    void on_read(beast::error_code ec) {
        if (ec) return close();
        auto res = std::make_shared<Response>(respond(parser_->get(), handler_));
        http::async_write(stream_, *res, [self = shared_from_this(), res](beast::error_code wec, size_t) {
            if (wec || !res->keep_alive()) return self->close();
            self->read();
        });
    }

    void close() {
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    }

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    const HttpServer::Handler& handler_;
    std::atomic<size_t>& open_;
};

}  // namespace

std::string HttpServer::answer(std::string_view bytes, const Handler& handler) {
    std::string out;
    while (!bytes.empty()) {
        http::request_parser<http::string_body> parser;
        limit(parser);
        parser.eager(true);
        beast::error_code ec;
        // Feed what is left until the request is complete. need_more ends it: every byte there
        // is was given, and Beast's contract is to call put again only with more data (a chunked
        // body cut after its final chunk otherwise trips its parse_chunk_header assertion).
        while (!ec && !parser.is_done() && !bytes.empty()) {
            const size_t used = parser.put(asio::buffer(bytes.data(), bytes.size()), ec);
            bytes.remove_prefix(used);
            if (used == 0) break;
        }
        // A bad or unfinished request: the connection closes (or times out) without an answer.
        if (ec || !parser.is_done()) return out;
        const Response res = respond(parser.get(), handler);
        std::ostringstream os;
        os << res;
        out += os.str();
        if (!res.keep_alive()) return out;
    }
    return out;
}

struct HttpServer::Impl {
    std::atomic<size_t> open_connections{0};  // first: outlives the sessions io destroys
    asio::io_context io{1};
    tcp::acceptor acceptor{io};
    Handler handler;
    std::thread thread;

    void accept() {
        acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
            if (ec == asio::error::operation_aborted) return;
            if (!ec && open_connections.load() >= kMaxConnections) {
                beast::error_code ignored;
                socket.close(ignored);  // at the cap: refuse rather than queue
            } else if (!ec) {
                std::make_shared<Session>(std::move(socket), handler, open_connections)->start();
            }
            accept();
        });
    }
};

cvex::Expected<std::unique_ptr<HttpServer>, GuestError> HttpServer::start(const std::string& host, uint16_t port, Handler handler) {
    auto impl = std::make_unique<Impl>();
    impl->handler = std::move(handler);
    beast::error_code ec;
    const auto address = asio::ip::make_address(host, ec);
    if (ec) return guest_failure("http listen address \"" + host + "\" is not an IP address");
    const tcp::endpoint endpoint(address, port);
    impl->acceptor.open(endpoint.protocol(), ec);
    if (!ec) impl->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) impl->acceptor.bind(endpoint, ec);
    if (!ec) impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return guest_failure("cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message());
    impl->accept();
    Impl* raw = impl.get();
    impl->thread = std::thread([raw] { raw->io.run(); });
    return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() {
    asio::post(impl_->io, [this] {
        beast::error_code ignored;
        impl_->acceptor.close(ignored);
    });
    impl_->io.stop();
    if (impl_->thread.joinable()) impl_->thread.join();
}

uint16_t HttpServer::port() const { return impl_->acceptor.local_endpoint().port(); }

}  // namespace cvex::enclave
