#include "bots/runner/rpc_watch.hpp"

#include <algorithm>

namespace cvex::bots {

namespace {

std::string seconds(std::chrono::steady_clock::duration d) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
    return std::to_string(ms / 1000) + "." + std::to_string((ms % 1000) / 100) + " s";
}

}  // namespace

const char* to_string(RpcWatch::State s) {
    switch (s) {
        case RpcWatch::State::kOk: return "ok";
        case RpcWatch::State::kUnreachable: return "unreachable";
        case RpcWatch::State::kStalled: return "stalled";
        case RpcWatch::State::kBehind: return "behind";
    }
    return "?";
}

RpcWatch::RpcWatch(RpcWatchOptions options, Clock::time_point now) : options_(options), head_changed_(now), state_since_(now) {}

std::vector<std::string> RpcWatch::settle(State next, const std::string& why, Clock::time_point now) {
    if (next == state_) return {};
    std::vector<std::string> lines;
    if (state_ != State::kOk) lines.push_back(std::string("RPC no longer ") + to_string(state_) + " (after " + seconds(now - state_since_) + ")");
    if (next != State::kOk) lines.push_back("RPC " + std::string(to_string(next)) + ": " + why);
    state_ = next;
    state_since_ = now;
    return lines;
}

std::vector<std::string> RpcWatch::on_success(uint64_t head, uint64_t head_timestamp, Clock::time_point now, uint64_t wall_unix) {
    if (failures_ > 0) recovered_ = true;
    failures_ = 0;
    if (head != head_) {
        head_ = head;
        head_changed_ = now;
    }
    if (now - head_changed_ >= options_.stall_after)
        return settle(State::kStalled, "no new block since " + std::to_string(head_) + " for " + seconds(now - head_changed_) +
                                           " (limit " + seconds(options_.stall_after) + "); not trading on a frozen view", now);
    const auto behind = std::chrono::seconds(wall_unix > head_timestamp ? wall_unix - head_timestamp : 0);
    if (behind >= options_.behind_after)
        return settle(State::kBehind, "head " + std::to_string(head) + " is " + std::to_string(behind.count()) + " s old by this machine's clock (limit " +
                                          std::to_string(options_.behind_after.count()) + " s)", now);
    return settle(State::kOk, "", now);
}

std::vector<std::string> RpcWatch::on_failure(const std::string& error, Clock::time_point now) {
    ++failures_;
    // A node that cannot be reached is also not advancing: after stall_after it is both, and the
    // log says unreachable (the cause) once.
    return settle(State::kUnreachable, error + "; retrying with exponential back-off from " +
                                           std::to_string(options_.interval.count()) + " ms up to " +
                                           std::to_string(options_.backoff_max.count()) + " ms", now);
}

std::chrono::milliseconds RpcWatch::next_delay() const {
    if (failures_ == 0) return options_.interval;
    const auto shift = std::min<uint32_t>(failures_, 20);
    const auto d = options_.interval.count() << shift;
    return std::chrono::milliseconds(std::min<int64_t>(d, options_.backoff_max.count()));
}

bool RpcWatch::take_recovered() {
    const bool r = recovered_;
    recovered_ = false;
    return r;
}

}  // namespace cvex::bots
