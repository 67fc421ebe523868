#include "chain/rpc/quorum_rpc.hpp"

#include <algorithm>
#include <condition_variable>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "chain/crypto/keccak.hpp"
#include "chain/rpc/rpc_json.hpp"

namespace cvex::chain {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

struct QuorumRpc::Answer {
    bool done = false;
    RpcResult<json> result = Unexpected{RpcError{RpcError::kTransport, "", std::nullopt, 0, 0, "no answer in time", nullptr, std::nullopt}};
    std::string key;  // what it votes for; empty: no vote (unreachable, garbage)
};

namespace {

RpcError error(RpcError::Kind kind, const std::string& method, std::string message) {
    return RpcError{kind, method, std::nullopt, 0, 0, std::move(message), nullptr, std::nullopt};
}

// An answer's vote: the exact result, or the exact JSON-RPC error (a revert agreed by k is an
// answer too). Transport failures and malformed replies do not vote.
std::string vote_of(const RpcResult<json>& r) {
    if (r) return "r" + r->dump();
    if (r.error().kind == RpcError::kRpc)
        return "e" + std::to_string(r.error().code) + ":" + r.error().detail + ":" + r.error().data.dump();
    return "";
}

std::string short_digest(const std::string& s) {
    const auto h = keccak256(ByteView(reinterpret_cast<const uint8_t*>(s.data()), s.size()));
    return to_hex(ByteView(h.bytes.data(), 4));
}

// What an endpoint said, short enough for a log line.
std::string describe(const RpcResult<json>& r) {
    if (!r) return r.error().message();
    const json& v = *r;
    std::string preview = v.dump();
    if (v.is_array()) return std::to_string(v.size()) + " item(s), digest " + short_digest(preview);
    if (v.is_object() && v.contains("hash") && v.at("hash").is_string())
        return "hash " + v.at("hash").get<std::string>() + ", digest " + short_digest(preview);
    if (preview.size() > 90) preview = preview.substr(0, 90) + "…";
    return preview;
}

// The value ranked answers are ordered by: a quantity, or eth_feeHistory's next base fee.
std::optional<U256> rank_value(const std::string& method, const json& v) {
    if (method == "eth_feeHistory") {
        if (!v.is_object() || !v.contains("baseFeePerGas") || !v.at("baseFeePerGas").is_array() || v.at("baseFeePerGas").empty())
            return std::nullopt;
        auto q = rpc_json::quantity(v.at("baseFeePerGas").back(), "baseFeePerGas");
        return q ? std::optional<U256>(*q) : std::nullopt;
    }
    auto q = rpc_json::quantity(v, "result");
    return q ? std::optional<U256>(*q) : std::nullopt;
}

// Where a block tag sits in each method's parameters.
std::optional<size_t> tag_index(const std::string& method) {
    static const std::map<std::string, size_t> k = {{"eth_call", 1},    {"eth_getBalance", 1},          {"eth_getCode", 1},
                                                    {"eth_getStorageAt", 2}, {"eth_getTransactionCount", 1}, {"eth_getBlockByNumber", 0}};
    auto it = k.find(method);
    return it == k.end() ? std::nullopt : std::optional<size_t>(it->second);
}

enum class Kind { kExact, kHighest, kLowest, kBroadcast, kRefused };

Kind kind_of(const std::string& method) {
    if (method == "eth_sendRawTransaction") return Kind::kBroadcast;
    if (method == "eth_blockNumber" || method == "eth_estimateGas") return Kind::kHighest;
    if (method == "eth_gasPrice" || method == "eth_maxPriorityFeePerGas" || method == "eth_feeHistory") return Kind::kLowest;
    if (JsonRpcClient::is_safe_method(method)) return Kind::kExact;
    return Kind::kRefused;
}

}  // namespace

JsonRpcClient::Options QuorumRpc::member_defaults() {
    JsonRpcClient::Options o;
    o.timeouts = HttpTimeouts{std::chrono::milliseconds(2000), std::chrono::milliseconds(5000), std::chrono::milliseconds(10000)};
    o.retry.max_attempts = 2;
    o.retry.budget = std::chrono::milliseconds(2000);
    o.max_connections = 8;
    return o;
}

Expected<std::unique_ptr<QuorumRpc>, EndpointError> QuorumRpc::connect(const std::vector<std::string>& urls, QuorumOptions options,
                                                                     JsonRpcClient::Options member_options, Log log) {
    if (urls.empty()) return endpoint_failure("no RPC endpoint given");
    if (options.threshold == 0 || options.threshold > urls.size())
        return endpoint_failure("quorum " + std::to_string(options.threshold) + " must be between 1 and the " + std::to_string(urls.size()) +
                                " endpoint(s) given");
    if (std::set<std::string>(urls.begin(), urls.end()).size() != urls.size())
        return endpoint_failure("the same RPC endpoint is given twice (a quorum needs independent endpoints)");
    std::vector<std::shared_ptr<RpcTransport>> members;
    for (const auto& u : urls) {
        auto c = JsonRpcClient::connect(u, member_options);
        if (!c) return endpoint_failure(u + ": " + c.error().message());
        members.push_back(std::shared_ptr<RpcTransport>(std::move(*c)));
    }
    return std::make_unique<QuorumRpc>(std::move(members), options, std::move(log));
}

QuorumRpc::QuorumRpc(std::vector<std::shared_ptr<RpcTransport>> endpoints, QuorumOptions options, Log log)
    : endpoints_(std::move(endpoints)), options_(options), log_(std::move(log)) {
    options_.threshold = std::clamp<size_t>(options_.threshold, 1, std::max<size_t>(endpoints_.size(), 1));
    description_ = "quorum " + std::to_string(options_.threshold) + " of " + std::to_string(endpoints_.size()) + ":";
    for (const auto& e : endpoints_) description_ += " " + e->url();
}

// Every endpoint at once, each on its own thread (they may be slow or dead). Returns when all
// answered, or — for exact reads — a short grace after k identical answers, so a stalling
// endpoint never delays the quorum by more than that.
std::vector<QuorumRpc::Answer> QuorumRpc::ask_all(const std::string& method, const json& params) {
    struct Shared {
        std::mutex m;
        std::condition_variable cv;
        std::vector<Answer> answers;
        size_t finished = 0;
    };
    auto shared = std::make_shared<Shared>();
    shared->answers.resize(endpoints_.size());
    for (size_t i = 0; i < endpoints_.size(); ++i) {
        std::thread([shared, endpoint = endpoints_[i], i, method, params] {
            auto r = endpoint->call(method, params);
            std::lock_guard lock(shared->m);
            shared->answers[i].key = vote_of(r);
            shared->answers[i].result = std::move(r);
            shared->answers[i].done = true;
            ++shared->finished;
            shared->cv.notify_all();
        }).detach();
    }
    const bool exact = kind_of(method) == Kind::kExact;
    std::unique_lock lock(shared->m);
    std::optional<Clock::time_point> grace_until;
    while (shared->finished < endpoints_.size()) {
        if (exact && !grace_until) {
            std::map<std::string, size_t> votes;
            for (const auto& a : shared->answers)
                if (a.done && !a.key.empty() && ++votes[a.key] >= options_.threshold) grace_until = Clock::now() + options_.straggler_grace;
        }
        if (grace_until) {
            if (shared->cv.wait_until(lock, *grace_until) == std::cv_status::timeout) break;
        } else {
            shared->cv.wait(lock);
        }
    }
    std::vector<Answer> out = shared->answers;
    for (const auto& a : out)
        if (!a.done || (!a.result && a.result.error().kind != RpcError::kRpc)) ++unreachable_;
    return out;
}

RpcError QuorumRpc::quorum_error(const std::string& method, const std::vector<Answer>& answers, const std::string& what) const {
    std::ostringstream s;
    s << what << " (" << options_.threshold << " of " << endpoints_.size() << " needed):";
    for (size_t i = 0; i < answers.size(); ++i)
        s << " [" << i << "] " << endpoints_[i]->url() << " said " << (answers[i].done ? describe(answers[i].result) : "nothing in time") << ";";
    return error(RpcError::kQuorum, method, s.str());
}

void QuorumRpc::note_outvoted(const std::string& method, const std::vector<Answer>& answers, const std::string& winner) {
    for (size_t i = 0; i < answers.size(); ++i) {
        if (answers[i].key.empty() || answers[i].key == winner) continue;
        ++outvoted_;
        if (log_) log_("rpc quorum: " + method + ": endpoint [" + std::to_string(i) + "] " + endpoints_[i]->url() + " was outvoted: it said " +
                       describe(answers[i].result));
    }
}

RpcResult<json> QuorumRpc::agree_exact(const std::string& method, const json& params) {
    std::vector<Answer> answers;
    for (int attempt = 0; attempt < std::max(options_.attempts, 1); ++attempt) {
        if (attempt > 0) std::this_thread::sleep_for(options_.retry_delay);
        answers = ask_all(method, params);
        std::map<std::string, size_t> votes;
        for (const auto& a : answers)
            if (!a.key.empty()) ++votes[a.key];
        for (const auto& [key, n] : votes) {
            if (n < options_.threshold) continue;
            note_outvoted(method, answers, key);
            for (const auto& a : answers)
                if (a.key == key) return a.result;
        }
    }
    ++no_quorum_;
    RpcError e = quorum_error(method, answers, "no " + std::to_string(options_.threshold) + " endpoints agree");
    if (log_) log_("rpc quorum: HOLD: " + e.message());
    return Unexpected{e};
}

RpcResult<json> QuorumRpc::agree_ranked(const std::string& method, const json& params, bool highest) {
    std::vector<Answer> answers = ask_all(method, params);
    std::vector<std::pair<U256, size_t>> ranked;
    for (size_t i = 0; i < answers.size(); ++i)
        if (answers[i].result)
            if (auto v = rank_value(method, *answers[i].result)) ranked.emplace_back(*v, i);
    if (ranked.size() < options_.threshold) {
        // Not enough usable answers: k agreeing errors (a revert in eth_estimateGas) are the answer.
        std::map<std::string, size_t> votes;
        for (const auto& a : answers)
            if (!a.key.empty() && !a.result && ++votes[a.key] >= options_.threshold) return a.result;
        ++no_quorum_;
        RpcError e = quorum_error(method, answers, "fewer than " + std::to_string(options_.threshold) + " endpoints answered");
        if (log_) log_("rpc quorum: HOLD: " + e.message());
        return Unexpected{e};
    }
    std::sort(ranked.begin(), ranked.end(), [highest](const auto& a, const auto& b) { return highest ? b.first < a.first : a.first < b.first; });
    const auto& [chosen, index] = ranked[options_.threshold - 1];
    // A value far from the chosen one is a lie (or a broken node): say who said it.
    for (const auto& [v, i] : ranked) {
        const bool far = chosen.is_zero() ? U256(1000000000) < v : (chosen.wrapping_mul(U256(2)) < v || v.wrapping_mul(U256(2)) < chosen);
        if (!far) continue;
        ++outvoted_;
        if (log_) log_("rpc quorum: " + method + ": endpoint [" + std::to_string(i) + "] " + endpoints_[i]->url() + " was outvoted: it said " +
                       v.dec() + ", the quorum's value is " + chosen.dec());
    }
    return answers[index].result;
}

RpcResult<json> QuorumRpc::broadcast(const std::string& method, const json& params) {
    const auto hash = rpc_json::raw_transaction_hash(params);  // computed here, never taken from an endpoint
    if (!hash) return Unexpected{error(RpcError::kMalformed, method, hash.error())};
    std::vector<Answer> answers = ask_all(method, params);
    for (const auto& a : answers)
        if (a.result) return json(hash->hex());
    for (const auto& a : answers)
        if (a.done && !a.result && a.result.error().kind == RpcError::kRpc) return a.result;
    return answers.front().result;
}

RpcResult<uint64_t> QuorumRpc::head() {
    {
        std::lock_guard lock(head_mutex_);
        if (head_ != 0 && Clock::now() - head_time_ < options_.head_cache) return head_;
    }
    auto r = agree_ranked("eth_blockNumber", json::array(), true);
    if (!r) return Unexpected{r.error()};
    auto n = rpc_json::quantity_u64(*r, "result");
    if (!n) return Unexpected{error(RpcError::kMalformed, "eth_blockNumber", n.error())};
    std::lock_guard lock(head_mutex_);
    head_ = *n;
    head_time_ = Clock::now();
    return *n;
}

// "latest" differs between honest nodes a block apart: ask every endpoint about the same block.
json QuorumRpc::pin_latest(const std::string& method, json params) {
    auto pin = [&](json& tag) -> bool {
        if (!tag.is_string() || tag.get<std::string>() != "latest") return true;
        auto h = head();
        if (!h) return false;
        tag = rpc_json::quantity_text(*h);
        return true;
    };
    if (auto i = tag_index(method); i && params.is_array() && params.size() > *i) {
        if (!pin(params[*i])) return nullptr;
    } else if (method == "eth_getLogs" && params.is_array() && !params.empty() && params[0].is_object()) {
        for (const char* f : {"fromBlock", "toBlock"})
            if (params[0].contains(f) && !pin(params[0][f])) return nullptr;
    }
    return params;
}

RpcResult<json> QuorumRpc::call(std::string_view method_view, json params, Idempotency) {
    const std::string method(method_view);
    ++calls_;
    switch (kind_of(method)) {
        case Kind::kRefused: return Unexpected{error(RpcError::kQuorum, method, "not available through an RPC quorum (it changes a node's state)")};
        case Kind::kBroadcast: return broadcast(method, params);
        case Kind::kHighest: return agree_ranked(method, params, true);
        case Kind::kLowest: return agree_ranked(method, params, false);
        case Kind::kExact: break;
    }
    json pinned = pin_latest(method, std::move(params));
    if (pinned.is_null()) return Unexpected{error(RpcError::kQuorum, method, "no agreed head to read \"latest\" at")};
    return agree_exact(method, pinned);
}

RpcResult<std::vector<RpcResult<json>>> QuorumRpc::batch(const std::vector<RpcRequest>& requests, Idempotency idempotency) {
    std::vector<RpcResult<json>> out;
    for (const auto& r : requests) out.push_back(call(r.method, r.params, idempotency));
    return out;
}

QuorumStats QuorumRpc::stats() const { return QuorumStats{calls_.load(), no_quorum_.load(), outvoted_.load(), unreachable_.load()}; }

std::string QuorumRpc::prometheus() const {
    const QuorumStats s = stats();
    std::ostringstream m;
    auto counter = [&](const char* name, const char* help, uint64_t v) {
        m << "# HELP " << name << " " << help << "\n# TYPE " << name << " counter\n" << name << " " << v << "\n";
    };
    m << "# HELP cvex_rpc_quorum_threshold Endpoints that must agree (k).\n# TYPE cvex_rpc_quorum_threshold gauge\ncvex_rpc_quorum_threshold "
      << options_.threshold << "\n# HELP cvex_rpc_quorum_endpoints RPC endpoints asked (n).\n# TYPE cvex_rpc_quorum_endpoints gauge\n"
      << "cvex_rpc_quorum_endpoints " << endpoints_.size() << "\n";
    counter("cvex_rpc_quorum_calls_total", "Reads and broadcasts through the quorum.", s.calls);
    counter("cvex_rpc_quorum_no_agreement_total", "Reads without k agreeing endpoints: the guest held and proved nothing on them.", s.no_quorum);
    counter("cvex_rpc_quorum_outvoted_total", "Answers that differed from the quorum's (a lying or lagging endpoint).", s.outvoted);
    counter("cvex_rpc_quorum_unreachable_total", "Endpoint answers lost to transport or HTTP failures.", s.unreachable);
    return m.str();
}

}  // namespace cvex::chain
