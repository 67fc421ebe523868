// A bot's view of the mempool (issue 18 §1–2): the config that turns it on, and the queue between
// the WebSocket subscription's thread (chain/rpc/ws_subscription.hpp) and the bot's loop, which
// wakes as soon as a pending transaction arrives instead of at its next poll.
//
//   "mempool": { "ws_url": "ws://127.0.0.1:8545",
//                "v2_routers": ["0x…UniswapV2Router02"], "v3_routers": ["0x…SwapRouter"] }
//
// Trust decision: the WebSocket is the host's node, like the RPC. A pending transaction is only
// a hint: the host may invent one to lure a back-run, but a back-run is simulated behind it and
// its every leg carries the vault's minimum output, so an invented or withheld swap costs at most
// the gas of a reverted trade, bounded by the Sender's hourly spend budget.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bots/bot_error.hpp"
#include "bots/collect/mempool.hpp"
#include "chain/encoding/json_config.hpp"
#include "chain/rpc/ws_subscription.hpp"

namespace cvex::bots {

struct MempoolConfig {
    std::string ws_url;     // the node's WebSocket (ws://host:port[/path])
    MempoolRoutes routes;   // routers whose swaps are decoded (the bot's pools are always)
};

/// Parses a bot's "mempool" object; errors name the key (`bots[0].mempool.ws_url`).
cvex::Expected<MempoolConfig, chain::ConfigError> parse_mempool_config(const nlohmann::json& v, const std::string& at);

/// The fees per gas (tip, fee cap) a back-run of `tx` pays when the next block's base fee is
/// `base_fee`: half of `tx`'s effective tip, under a fee cap 1 wei below `tx`'s, so that a block
/// ordered by tip (builders) or by fee cap (Anvil) puts the back-run after it. None when `tx`
/// leaves nothing to undercut (a tip below 2 wei, or a cap that only just pays the base fee).
std::optional<std::pair<chain::U256, chain::U256>> backrun_fees(const chain::TransactionInfo& tx, const chain::U256& base_fee);

class MempoolFeed {
public:
    using Log = std::function<void(const std::string&)>;
    /// Subscribes (reconnecting with back-off on its own thread); only a bad URL fails here.
    static cvex::Expected<std::unique_ptr<MempoolFeed>, BotError> start(const MempoolConfig& config, Log log,
                                                                         chain::WsSubscriptionOptions options = {});
    ~MempoolFeed();

    /// Everything queued since the last call, oldest first.
    std::vector<chain::TransactionInfo> take();
    /// Sleeps until `deadline` or until a transaction is queued, whichever is first.
    void wait_until(std::chrono::steady_clock::time_point deadline);

    static constexpr size_t kMaxQueued = 4096;  // beyond, the oldest go first

private:
    MempoolFeed() = default;
    void push(const chain::TransactionInfo& tx);

    std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<chain::TransactionInfo> queue_;
    std::unique_ptr<chain::PendingTxSubscription> sub_;  // last: stopped first, before the queue goes
};

}  // namespace cvex::bots
