#include "chain/rpc/ws_subscription.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include <nlohmann/json.hpp>

#include "chain/rpc/eth_client.hpp"
#include "chain/rpc/rpc_json.hpp"

namespace cvex::chain {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using json = nlohmann::json;
using Ms = std::chrono::milliseconds;

Expected<WsUrl, EndpointError> WsUrl::parse(std::string_view text) {
    if (text.rfind("ws://", 0) != 0) return endpoint_failure("URL '" + std::string(text) + "' must start with ws://");
    // The same authority rules as an http:// URL: reuse its parser.
    auto http = Url::parse("http://" + std::string(text.substr(5)));
    if (!http) return Unexpected{EndpointError{"URL '" + std::string(text) + "': " + http.error().message()}};
    return WsUrl{http->host, http->port, http->target};
}

std::string WsError::message() const {
    const char* what = "subscription failed";
    switch (code) {
        case kResolve: what = "cannot resolve host"; break;
        case kConnect: what = "cannot connect"; break;
        case kHandshake: what = "WebSocket handshake failed"; break;
        case kWrite: what = "write failed"; break;
        case kRead: what = "connection lost"; break;
        case kRefused: what = "eth_subscribe refused"; break;
        case kMalformed: what = "malformed frame"; break;
        case kFetch: what = "eth_getTransactionByHash failed"; break;
    }
    return detail.empty() ? what : std::string(what) + ": " + detail;
}

namespace {

using Ws = websocket::stream<beast::tcp_stream>;

Unexpected<WsError> ws_failure(WsError::Code code, std::string detail) { return Unexpected{WsError{code, std::move(detail)}}; }

}  // namespace

struct PendingTxSubscription::Impl {
    WsUrl url;
    OnTransaction on_tx;
    OnError on_error;
    WsSubscriptionOptions opt;
    PendingTxSubscription* owner = nullptr;
    std::atomic<bool> stopping{false};
    std::mutex mutex;
    std::condition_variable wake;
    std::thread thread;
    std::shared_ptr<EthClient> http;  // hash mode only, made on first use

    void loop();
    Expected<void, WsError> session();
    Expected<std::string, WsError> subscribe(asio::io_context& ioc, Ws& ws, bool full, uint64_t id);
    Expected<void, WsError> deliver(const json& result);
    Expected<json, WsError> read_json(asio::io_context& ioc, Ws& ws, beast::flat_buffer& buffer, std::optional<Ms> limit);

    /// Runs one asynchronous step on this thread until it completes, `limit` passes (the socket
    /// is closed: a timeout) or stop() is called (closed: aborted). Beast's examples give each
    /// step its own deadline; this is that, made interruptible.
    template <class Start>
    beast::error_code step(asio::io_context& ioc, Ws& ws, std::optional<Ms> limit, Start&& start) {
        beast::error_code result = asio::error::would_block;
        start([&result](beast::error_code ec, auto&&...) { result = ec; });
        ioc.restart();
        using Clock = std::chrono::steady_clock;
        const auto deadline = limit ? Clock::now() + *limit : Clock::time_point::max();
        bool timed_out = false;
        while (result == asio::error::would_block) {
            const auto now = Clock::now();
            if (stopping.load() || now >= deadline) {
                timed_out = !stopping.load();
                beast::error_code ignored;
                beast::get_lowest_layer(ws).socket().close(ignored);
                // Only until the cancelled step completes: the WebSocket's ping timer is more work.
                while (result == asio::error::would_block && ioc.run_one_for(Ms(1000)) > 0) {
                }
                break;
            }
            ioc.run_one_for(std::min<Clock::duration>(Ms(100), deadline - now));
        }
        if (timed_out) return beast::error::timeout;
        return result;
    }
};

Expected<std::unique_ptr<PendingTxSubscription>, EndpointError> PendingTxSubscription::start(const std::string& url, OnTransaction on_tx,
                                                                                             OnError on_error, WsSubscriptionOptions options) {
    auto parsed = WsUrl::parse(url);
    if (!parsed) return Unexpected{parsed.error()};
    std::unique_ptr<PendingTxSubscription> sub(new PendingTxSubscription());
    sub->impl_ = std::make_unique<Impl>();
    Impl& impl = *sub->impl_;
    impl.url = *parsed;
    impl.on_tx = std::move(on_tx);
    impl.on_error = std::move(on_error);
    impl.opt = options;
    impl.owner = sub.get();
    impl.thread = std::thread([&impl] { impl.loop(); });
    return sub;
}

PendingTxSubscription::~PendingTxSubscription() { stop(); }

void PendingTxSubscription::stop() {
    if (!impl_ || !impl_->thread.joinable()) return;
    {
        std::lock_guard lock(impl_->mutex);
        impl_->stopping = true;
    }
    impl_->wake.notify_all();
    impl_->thread.join();
}

void PendingTxSubscription::Impl::loop() {
    Ms backoff = opt.backoff_base;
    while (!stopping.load()) {
        const uint64_t before = owner->subscriptions_.load();
        auto ended = session();
        if (stopping.load()) return;
        if (!ended && on_error) on_error(ended.error());
        if (owner->subscriptions_.load() != before) backoff = opt.backoff_base;  // it worked for a while: start over
        std::unique_lock lock(mutex);
        wake.wait_for(lock, backoff, [this] { return stopping.load(); });
        backoff = std::min(backoff * 2, opt.backoff_max);
    }
}

Expected<json, WsError> PendingTxSubscription::Impl::read_json(asio::io_context& ioc, Ws& ws, beast::flat_buffer& buffer,
                                                               std::optional<Ms> limit) {
    buffer.clear();
    auto ec = step(ioc, ws, limit, [&](auto h) { ws.async_read(buffer, h); });
    if (ec) return ws_failure(WsError::kRead, ec == beast::error::timeout ? "no answer in time" : ec.message());
    // The frame is the host's: parse without exceptions, check the shape before use.
    json j = json::parse(beast::buffers_to_string(buffer.data()), nullptr, false);
    if (j.is_discarded() || !j.is_object()) return ws_failure(WsError::kMalformed, "not a JSON object");
    return j;
}

Expected<std::string, WsError> PendingTxSubscription::Impl::subscribe(asio::io_context& ioc, Ws& ws, bool full, uint64_t id) {
    json params = json::array({"newPendingTransactions"});
    if (full) params.push_back(true);
    const std::string request = json{{"jsonrpc", "2.0"}, {"id", id}, {"method", "eth_subscribe"}, {"params", params}}.dump();
    auto ec = step(ioc, ws, opt.write, [&](auto h) { ws.async_write(asio::buffer(request), h); });
    if (ec) return ws_failure(WsError::kWrite, ec.message());
    beast::flat_buffer buffer;
    const auto deadline = std::chrono::steady_clock::now() + opt.reply;
    for (;;) {  // frames before the answer (another subscription's) are skipped
        const auto left = std::chrono::duration_cast<Ms>(deadline - std::chrono::steady_clock::now());
        auto frame = read_json(ioc, ws, buffer, std::max(left, Ms(1)));
        if (!frame) return Unexpected{frame.error()};
        if (!frame->contains("id") || (*frame)["id"] != id) continue;
        if (frame->contains("error")) return ws_failure(WsError::kRefused, (*frame)["error"].dump());
        if (!frame->contains("result") || !(*frame)["result"].is_string()) return ws_failure(WsError::kMalformed, "eth_subscribe: no subscription id");
        return (*frame)["result"].get<std::string>();
    }
}

Expected<void, WsError> PendingTxSubscription::Impl::session() {
    asio::io_context ioc;
    Ws ws(ioc);
    tcp::resolver resolver(ioc);
    beast::error_code ec;
    const auto endpoints = resolver.resolve(url.host, url.port, ec);
    if (ec) return ws_failure(WsError::kResolve, url.host + ": " + ec.message());
    ec = step(ioc, ws, opt.connect, [&](auto h) { beast::get_lowest_layer(ws).async_connect(endpoints, h); });
    if (ec) return ws_failure(WsError::kConnect, url.str() + ": " + ec.message());
    // From here the WebSocket's own timers: the upgrade's deadline, and a ping when idle (a peer
    // that stops answering is dropped after `idle`).
    websocket::stream_base::timeout timeouts{opt.handshake, opt.idle, true};
    ws.set_option(timeouts);
    ws.read_message_max(opt.max_frame_bytes);
    ec = step(ioc, ws, opt.handshake, [&](auto h) { ws.async_handshake(url.host + ":" + url.port, url.target, h); });
    if (ec) return ws_failure(WsError::kHandshake, ec.message());

    bool full = opt.full_transactions;
    auto id = subscribe(ioc, ws, full, 1);
    if (!id && full && id.error().code == WsError::kRefused) {  // no full transactions here: hashes
        full = false;
        id = subscribe(ioc, ws, false, 2);
    }
    if (!id) return Unexpected{id.error()};
    owner->full_ = full;
    owner->subscriptions_.fetch_add(1);

    beast::flat_buffer buffer;
    for (;;) {
        auto frame = read_json(ioc, ws, buffer, std::nullopt);
        if (!frame) {
            if (frame.error().code != WsError::kMalformed) return Unexpected{frame.error()};
            if (on_error) on_error(frame.error());
            continue;
        }
        const json& params = frame->value("params", json());
        if (frame->value("method", "") != "eth_subscription" || !params.is_object() || params.value("subscription", json()) != *id) continue;
        if (auto done = deliver(params.value("result", json())); !done && on_error) on_error(done.error());
    }
}

Expected<void, WsError> PendingTxSubscription::Impl::deliver(const json& result) {
    if (result.is_object()) {
        auto tx = rpc_json::transaction(result);
        if (!tx) return ws_failure(WsError::kMalformed, tx.error());
        on_tx(*tx);
        return {};
    }
    auto hash = rpc_json::hash(result, "result");
    if (!hash) return ws_failure(WsError::kMalformed, hash.error());
    if (!http) {
        JsonRpcClient::Options o;
        o.retry.max_attempts = 2;
        auto client = EthClient::connect(url.http(), o);
        if (!client) return ws_failure(WsError::kFetch, client.error().message());
        http = std::move(*client);
    }
    auto tx = http->transaction_by_hash(*hash);
    if (!tx) return ws_failure(WsError::kFetch, tx.error().message());
    if (*tx) on_tx(**tx);  // null: already dropped from the pool
    return {};
}

}  // namespace cvex::chain
