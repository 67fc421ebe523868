// Where history moved, for the backtest (backtest.hpp): the blocks in which the bot's pools logged
// anything (a swap, a sync, a mint or burn: anything its strategy reads from a pool may have
// changed there), the blocks in which the vault or the attestation registry logged anything (a
// pause or unpause, new limits, a key attested: what lifts the kill switch), and the blocks of the
// vault's Traded events (the rebalancer's cadence counts from them), from eth_getLogs over the
// range in chunks — a handful of calls for 10,000 blocks.
#pragma once

#include <cstdint>
#include <set>
#include <vector>

#include "bots/bot_error.hpp"
#include "chain/rpc/eth_client.hpp"

namespace cvex::bots {

struct HistoryMarks {
    std::set<uint64_t> pools_moved;
    std::set<uint64_t> guard_moved;  // the vault's or the registry's logs
    std::vector<uint64_t> traded;  // ascending, one entry per Traded event

    /// The first block after `block` whose pools moved (or, with `guard`, the vault or registry
    /// too), or `none` when there is none.
    uint64_t next_move(uint64_t block, uint64_t none, bool guard) const;
    /// The latest block ≤ `block` with a Traded event, 0 when none.
    uint64_t last_traded(uint64_t block) const;
};

cvex::Expected<HistoryMarks, BotError> scan_history(chain::EthClient& client, const std::vector<chain::Address>& pools,
                                                    const chain::Address& vault, const chain::Address& registry, uint64_t from, uint64_t to, uint64_t chunk);

}  // namespace cvex::bots
