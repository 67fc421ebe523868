#include "support/fake_ws_node.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

#include "support/fake_http_server.hpp"

namespace cvex::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using nlohmann::json;

namespace {
constexpr const char* kSubscription = "0xfeed";
}

struct FakeWsNode::Impl {
    asio::io_context ioc;
    tcp::acceptor acceptor{ioc};
};

FakeWsNode::FakeWsNode(std::string upstream_url) : upstream_(std::move(upstream_url)), impl_(std::make_unique<Impl>()) {
    const tcp::endpoint at(asio::ip::make_address("127.0.0.1"), 0);
    impl_->acceptor.open(at.protocol());
    impl_->acceptor.set_option(tcp::acceptor::reuse_address(true));
    impl_->acceptor.bind(at);
    impl_->acceptor.listen();
    port_ = impl_->acceptor.local_endpoint().port();
    acceptor_ = std::thread([this] { accept_loop(); });
}

FakeWsNode::~FakeWsNode() {
    stopping_ = true;
    ::shutdown(impl_->acceptor.native_handle(), SHUT_RDWR);  // wakes accept()
    acceptor_.join();
    {
        std::lock_guard lock(mutex_);
        for (int fd : fds_) ::shutdown(fd, SHUT_RDWR);  // wakes reads and writes
    }
    cv_.notify_all();
    for (auto& t : workers_) t.join();
    for (int fd : fds_) ::close(fd);
}

void FakeWsNode::announce(const std::string& hash_hex) {
    {
        std::lock_guard lock(mutex_);
        announced_.push_back(hash_hex);
    }
    cv_.notify_all();
}

void FakeWsNode::accept_loop() {
    while (!stopping_) {
        beast::error_code ec;
        tcp::socket s(impl_->ioc);
        impl_->acceptor.accept(s, ec);
        if (ec) {
            if (stopping_) return;
            continue;
        }
        const int fd = s.release(ec);
        if (ec) continue;
        // The worker's socket owns a duplicate; this one stays open until the destructor, so
        // shutting it down there never hits a descriptor number reused by something else.
        const int own = ::dup(fd);
        std::lock_guard lock(mutex_);
        fds_.push_back(fd);
        if (own >= 0) workers_.emplace_back([this, own] { serve(own); });
    }
}

void FakeWsNode::serve(int fd) {
    asio::io_context ioc;
    tcp::socket sock(ioc, tcp::v4(), fd);
    beast::flat_buffer buffer;
    beast::error_code ec;
    for (;;) {  // HTTP requests on this connection, until it closes or upgrades
        http::request<http::string_body> req;
        http::read(sock, buffer, req, ec);
        if (ec) return;
        if (websocket::is_upgrade(req)) {
            websocket::stream<tcp::socket> ws(std::move(sock));
            ws.accept(req, ec);
            if (!ec) serve_subscriber(&ws);
            return;
        }
        ++forwarded_;
        http::response<http::string_body> res{http::status::ok, req.version()};
        res.set(http::field::content_type, "application/json");
        res.body() = forward_json_rpc(upstream_, req.body());
        res.keep_alive(req.keep_alive());
        res.prepare_payload();
        http::write(sock, res, ec);
        if (ec || !req.keep_alive()) return;
    }
}

void FakeWsNode::serve_subscriber(void* stream) {
    auto& ws = *static_cast<websocket::stream<tcp::socket>*>(stream);
    beast::error_code ec;
    for (;;) {  // until a subscription for hashes is made
        beast::flat_buffer frame;
        ws.read(frame, ec);
        if (ec) return;
        const json r = json::parse(beast::buffers_to_string(frame.data()), nullptr, false);
        if (!r.is_object() || r.value("method", "") != "eth_subscribe") continue;
        const json params = r.value("params", json::array());
        json answer = {{"jsonrpc", "2.0"}, {"id", r.value("id", json())}};
        const bool full = params.is_array() && params.size() > 1 && params[1] == true;
        if (full) answer["error"] = {{"code", -32602}, {"message", "invalid argument 1: full pending transactions are not offered"}};
        else answer["result"] = kSubscription;
        ws.write(asio::buffer(answer.dump()), ec);
        if (ec) return;
        (full ? refused_ : subscribed_)++;
        if (!full) break;
    }
    std::unique_lock lock(mutex_);
    size_t next = announced_.size();  // what is announced from now on
    while (!stopping_) {
        cv_.wait_for(lock, std::chrono::milliseconds(50));
        while (next < announced_.size()) {
            const json n = {{"jsonrpc", "2.0"}, {"method", "eth_subscription"}, {"params", {{"subscription", kSubscription}, {"result", announced_[next++]}}}};
            lock.unlock();
            ws.write(asio::buffer(n.dump()), ec);
            lock.lock();
            if (ec) return;
        }
    }
}

}  // namespace cvex::test
