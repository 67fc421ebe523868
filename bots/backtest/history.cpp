#include "bots/backtest/history.hpp"

#include <algorithm>

#include "bots/collect/decode.hpp"

namespace cvex::bots {

uint64_t HistoryMarks::next_move(uint64_t block, uint64_t none, bool guard) const {
    auto it = pools_moved.upper_bound(block);
    uint64_t next = it == pools_moved.end() ? none : *it;
    if (!guard) return next;
    auto g = guard_moved.upper_bound(block);
    return g == guard_moved.end() ? next : std::min(next, *g);
}

uint64_t HistoryMarks::last_traded(uint64_t block) const {
    auto it = std::upper_bound(traded.begin(), traded.end(), block);
    return it == traded.begin() ? 0 : *(it - 1);
}

cvex::Expected<HistoryMarks, BotError> scan_history(chain::EthClient& client, const std::vector<chain::Address>& pools,
                                                    const chain::Address& vault, const chain::Address& registry, uint64_t from, uint64_t to, uint64_t chunk) {
    HistoryMarks marks;
    if (chunk == 0) chunk = 1;
    for (uint64_t lo = from; lo <= to; lo += chunk) {
        const uint64_t hi = std::min(to, lo + chunk - 1);
        // Every log of the pools, whatever its topic: over-marking only costs an evaluation.
        chain::LogFilter f;
        f.addresses = pools;
        f.from_block = lo;
        f.to_block = hi;
        auto logs = client.logs(f);
        if (!logs) return bot_failure("pool logs of blocks " + std::to_string(lo) + "–" + std::to_string(hi) + ": " + logs.error().message());
        for (const auto& l : *logs) marks.pools_moved.insert(l.block_number);
        chain::LogFilter g;
        g.addresses = {vault, registry};
        g.from_block = lo;
        g.to_block = hi;
        auto guard = client.logs(g);
        if (!guard) return bot_failure("vault and registry logs of blocks " + std::to_string(lo) + "–" + std::to_string(hi) + ": " + guard.error().message());
        for (const auto& l : *guard) {
            marks.guard_moved.insert(l.block_number);
            if (l.address == vault && !l.topics.empty() && l.topics[0] == vault_traded_topic()) marks.traded.push_back(l.block_number);
        }
        if (hi == to) break;
    }
    std::sort(marks.traded.begin(), marks.traded.end());
    return marks;
}

}  // namespace cvex::bots
