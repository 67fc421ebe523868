// Logs → BotEvents: strict decoders for the events the bots' collectors follow. Each checks
// topic 0, the topic count, the exact data length and every word's range as Solidity's ABI
// coder would (an address topic's 12 high bytes zero, a uint112 reserve below 2^112, an int24
// tick sign-extended), and names the offending field. They decode by fixed offsets rather than
// through chain::decode_log, which is the reference they are tested against: the decision path
// has a latency budget (issue 7 §5) and these events have one fixed layout.
#pragma once

#include <string>
#include <string_view>

#include "base/expected.hpp"
#include "chain/types/hash.hpp"
#include "chain/rpc/rpc_types.hpp"
#include "bots/market/market.hpp"

namespace cvex::bots {

enum class LogErrorCode {
    kRemoved,     // a log a reorg removed: the collector must resync, not apply it
    kWrongEvent,  // topic 0 is not this event's signature hash
    kTopicCount,  // not as many topics as the event has indexed parameters + 1
    kDataLength,  // data is not exactly the non-indexed parameters' words
    kOutOfRange,  // a word outside its Solidity type (dirty high bits)
    kNotVault,    // a Transfer neither from nor to the vault
};

struct LogError {
    LogErrorCode code;
    std::string_view field;  // "topics[0]", "data", "reserve0", "tick", …
    std::string message() const;
};

template <class T>
using LogResult = cvex::Expected<T, LogError>;

/// keccak256 of the event signatures (topic 0).
const chain::Hash32& v2_sync_topic();      // Sync(uint112,uint112)
const chain::Hash32& v3_swap_topic();      // Swap(address,address,int256,int256,uint160,uint128,int24)
const chain::Hash32& erc20_transfer_topic();  // Transfer(address,address,uint256)
const chain::Hash32& vault_paused_topic();    // VaultPaused(address)
const chain::Hash32& vault_unpaused_topic();  // VaultUnpaused(address)
const chain::Hash32& vault_traded_topic();    // Traded(address,address,address,address,uint256,uint256,bytes32)

LogResult<V2SyncEvent> decode_v2_sync(const chain::Log& log);
LogResult<V3SwapEvent> decode_v3_swap(const chain::Log& log);
/// A token's Transfer into or out of `vault` (the token is the log's address).
LogResult<VaultTransferEvent> decode_vault_transfer(const chain::Log& log, const chain::Address& vault);
LogResult<VaultPauseEvent> decode_vault_pause(const chain::Log& log);
LogResult<VaultTradedEvent> decode_vault_traded(const chain::Log& log);

/// Any of the above, chosen by topic 0 (kWrongEvent for any other log).
LogResult<BotEvent> decode_bot_log(const chain::Log& log, const chain::Address& vault);

/// A block header as the event that advances the bots' clock (base fee 0 before London).
NewBlockEvent new_block_event(const chain::Block& block);

}  // namespace cvex::bots
