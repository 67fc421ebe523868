// How a bot judges its node (bot_rpc_watch.hpp): back-off with a cap, stall and lag detection,
// each state change reported once.
#include <catch2/catch.hpp>

#include "bots/runner/rpc_watch.hpp"

using namespace cvex::bots;
using namespace std::chrono_literals;

namespace {

RpcWatchOptions options() {
    RpcWatchOptions o;
    o.interval = 100ms;
    o.backoff_max = 2'000ms;
    o.stall_after = 5'000ms;
    o.behind_after = 60s;
    return o;
}

}  // namespace

TEST_CASE("rpc watch: failures back off exponentially up to the cap, logged once, and recovery is logged once") {
    const auto t0 = RpcWatch::Clock::now();
    RpcWatch w(options(), t0);
    CHECK(w.next_delay() == 100ms);
    auto lines = w.on_failure("eth_blockNumber: connection refused", t0);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].find("RPC unreachable: eth_blockNumber: connection refused") == 0);
    CHECK(w.next_delay() == 200ms);
    CHECK(w.on_failure("again", t0 + 1s).empty());
    CHECK(w.next_delay() == 400ms);
    for (int i = 0; i < 10; ++i) CHECK(w.on_failure("again", t0 + 2s).empty());
    CHECK(w.next_delay() == 2'000ms);  // capped
    CHECK(w.state() == RpcWatch::State::kUnreachable);
    lines = w.on_success(10, 1'000, t0 + 3s, 1'001);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].find("RPC no longer unreachable") == 0);
    CHECK(w.take_recovered());
    CHECK_FALSE(w.take_recovered());
    CHECK(w.next_delay() == 100ms);
}

TEST_CASE("rpc watch: a head that does not advance for stall_after is a stalled node, until it moves") {
    const auto t0 = RpcWatch::Clock::now();
    RpcWatch w(options(), t0);
    CHECK(w.on_success(5, 1'000, t0, 1'000).empty());
    CHECK(w.on_success(5, 1'000, t0 + 4'900ms, 1'004).empty());
    auto lines = w.on_success(5, 1'000, t0 + 5'000ms, 1'005);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].find("RPC stalled: no new block since 5") == 0);
    CHECK(w.on_success(5, 1'000, t0 + 6s, 1'006).empty());  // said once
    lines = w.on_success(6, 1'006, t0 + 7s, 1'007);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].find("RPC no longer stalled") == 0);
    CHECK(w.state() == RpcWatch::State::kOk);
}

TEST_CASE("rpc watch: a head older than behind_after by the wall clock is behind") {
    const auto t0 = RpcWatch::Clock::now();
    RpcWatch w(options(), t0);
    auto lines = w.on_success(7, 1'000, t0, 1'060);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].find("RPC behind: head 7 is 60 s old") == 0);
    CHECK(w.on_success(8, 1'100, t0 + 1s, 1'101).size() == 1);  // caught up
    CHECK(w.state() == RpcWatch::State::kOk);
}
