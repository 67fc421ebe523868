#include "bots/runner/mempool_feed.hpp"

namespace cvex::bots {

using chain::ConfigError;
using cvex::Unexpected;

namespace {

cvex::Expected<std::vector<chain::Address>, ConfigError> addresses_at(const nlohmann::json& v, const std::string& key, const std::string& at) {
    std::vector<chain::Address> out;
    if (!v.contains(key)) return out;
    const std::string where = at + "." + key;
    if (!v[key].is_array()) return Unexpected{ConfigError{where, "must be an array of addresses"}};
    for (size_t i = 0; i < v[key].size(); ++i) {
        auto a = chain::config_address(v[key][i], where + "[" + std::to_string(i) + "]");
        if (!a) return Unexpected{a.error()};
        out.push_back(*a);
    }
    return out;
}

}  // namespace

cvex::Expected<MempoolConfig, ConfigError> parse_mempool_config(const nlohmann::json& v, const std::string& at) {
    if (!v.is_object()) return Unexpected{ConfigError{at, "must be an object"}};
    if (auto ok = chain::only_keys(v, at, {"ws_url", "v2_routers", "v3_routers"}); !ok) return Unexpected{ok.error()};
    MempoolConfig c;
    if (!v.contains("ws_url") || !v["ws_url"].is_string()) return Unexpected{ConfigError{at + ".ws_url", "required: the node's ws:// URL"}};
    c.ws_url = v["ws_url"].get<std::string>();
    if (auto u = chain::WsUrl::parse(c.ws_url); !u) return Unexpected{ConfigError{at + ".ws_url", u.error().message()}};
    auto v2 = addresses_at(v, "v2_routers", at);
    if (!v2) return Unexpected{v2.error()};
    auto v3 = addresses_at(v, "v3_routers", at);
    if (!v3) return Unexpected{v3.error()};
    c.routes = MempoolRoutes{std::move(*v2), std::move(*v3)};
    return c;
}

std::optional<std::pair<chain::U256, chain::U256>> backrun_fees(const chain::TransactionInfo& tx, const chain::U256& base_fee) {
    const auto tip = tx.effective_tip(base_fee);
    const std::optional<chain::U256>& cap = tx.max_fee_per_gas ? tx.max_fee_per_gas : tx.gas_price;
    if (!tip || !cap || *tip < chain::U256(2)) return std::nullopt;
    const chain::U256 max_fee = cap->wrapping_sub(chain::U256(1));  // cap ≥ base fee + tip ≥ 2
    const chain::U256 ours = std::min(*tip >> 1, max_fee.wrapping_sub(base_fee));
    if (ours.is_zero()) return std::nullopt;
    return std::pair{ours, max_fee};
}

cvex::Expected<std::unique_ptr<MempoolFeed>, BotError> MempoolFeed::start(const MempoolConfig& config, Log log,
                                                                           chain::WsSubscriptionOptions options) {
    std::unique_ptr<MempoolFeed> feed(new MempoolFeed());
    MempoolFeed* self = feed.get();
    if (!log) log = [](const std::string&) {};
    auto sub = chain::PendingTxSubscription::start(
        config.ws_url, [self](const chain::TransactionInfo& tx) { self->push(tx); },
        [log](const chain::WsError& e) { log("mempool " + e.message() + "; reconnecting"); }, options);
    if (!sub) return bot_failure("mempool: " + sub.error().message());
    feed->sub_ = std::move(*sub);
    return feed;
}

MempoolFeed::~MempoolFeed() {
    if (sub_) sub_->stop();  // no callback runs after this: the queue may go
}

void MempoolFeed::push(const chain::TransactionInfo& tx) {
    {
        std::lock_guard lock(mutex_);
        if (queue_.size() >= kMaxQueued) queue_.pop_front();
        queue_.push_back(tx);
    }
    cv_.notify_one();
}

std::vector<chain::TransactionInfo> MempoolFeed::take() {
    std::lock_guard lock(mutex_);
    std::vector<chain::TransactionInfo> out(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.end()));
    queue_.clear();
    return out;
}

void MempoolFeed::wait_until(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    cv_.wait_until(lock, deadline, [this] { return !queue_.empty(); });
}

}  // namespace cvex::bots
