// How a bot judges its node (issue 21, RPC resilience). The host owns the RPC node, so a node
// that dies, freezes, lags or is swapped for another chain is part of the threat model: the bot
// must notice each, say so once, and never trade on what such a node says.
// - unreachable: a poll failed; polls are retried with exponential back-off (interval × 2^n, up
//   to a cap), logged when the state starts and when it ends, not at every attempt;
// - stalled: the head has not advanced for `stall_after` (a frozen node, or one cut off from its
//   peers), measured on the monotonic clock whether or not its calls succeed;
// - behind: the head's timestamp is older than `behind_after` by the wall clock (which the host
//   also controls: it only raises this alarm, never drives a trade).
// Pure state: the runner feeds it each poll's outcome and the time, and logs what it returns.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace cvex::bots {

struct RpcWatchOptions {
    std::chrono::milliseconds interval{100};       // between polls while all is well
    std::chrono::milliseconds backoff_max{10'000};  // the back-off's cap
    std::chrono::milliseconds stall_after{30'000};  // no new head for this long: stalled
    std::chrono::seconds behind_after{120};          // head timestamp older than this: behind
};

class RpcWatch {
public:
    using Clock = std::chrono::steady_clock;
    enum class State { kOk, kUnreachable, kStalled, kBehind };

    explicit RpcWatch(RpcWatchOptions options, Clock::time_point now = Clock::now());

    /// A poll that reached the node: its head and the head's timestamp; `wall_unix` is now by the
    /// wall clock. Returns the lines to log (state changes only).
    std::vector<std::string> on_success(uint64_t head, uint64_t head_timestamp, Clock::time_point now, uint64_t wall_unix);
    /// A poll that failed with `error`.
    std::vector<std::string> on_failure(const std::string& error, Clock::time_point now);

    State state() const { return state_; }
    /// How long to wait before the next poll.
    std::chrono::milliseconds next_delay() const;
    uint32_t consecutive_failures() const { return failures_; }
    /// True once after the node came back from being unreachable (the runner re-checks its chain).
    bool take_recovered();

private:
    std::vector<std::string> settle(State next, const std::string& why, Clock::time_point now);

    RpcWatchOptions options_;
    State state_ = State::kOk;
    uint32_t failures_ = 0;
    uint64_t head_ = 0;
    Clock::time_point head_changed_;
    Clock::time_point state_since_;
    bool recovered_ = false;
};

const char* to_string(RpcWatch::State s);

}  // namespace cvex::bots
