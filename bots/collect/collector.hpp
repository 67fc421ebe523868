// The bots' collector: turns the chain into BotEvents (enclave-app/bot_market.hpp).
// - snapshot(): the pools' state by eth_call (V2 getReserves; V3 slot0 and liquidity, with the
//   liquidity's tick range from the config), the vault's (balances, paused, allowances, caps) and
//   the attestation's expiry, all at one block;
// - poll(): for the blocks since, the pools' Sync and Swap logs in chain order, then the new
//   block, then a fresh vault snapshot at that block (the vault's state is a few calls; its
//   transfers need not be replayed). Every `resnapshot_every` blocks the pools are re-read too,
//   so a missed log or a reorg heals.
#pragma once

#include <map>
#include <memory>
#include <vector>

#include "bots/bot_error.hpp"
#include "chain/rpc/contract.hpp"
#include "bots/runner/config.hpp"
#include "bots/market/market.hpp"
#include "attest/registry/registry_client.hpp"
#include "bots/execute/vault_client.hpp"

namespace cvex::bots {

class BotCollector {
public:
    struct Options {
        chain::Address vault;
        chain::Address enclave;  // whose attestation expiry the kill switch watches
        std::vector<chain::Address> v2_pools;
        std::vector<V3TickRange> v3_pools;
        uint64_t resnapshot_every = 20;
        uint64_t max_log_range = 2'000;
    };

    static cvex::Expected<std::unique_ptr<BotCollector>, BotError> create(Options options, std::shared_ptr<chain::EthClient> client);

    /// The full state at the latest block; poll() continues from the block after it.
    cvex::Expected<MarketState, BotError> snapshot();
    /// The same reads as of `block` (every call with its number as the block tag): the state a
    /// live bot whose head was `block` held, which a backtest replays. Blocks in increasing order
    /// (the refill anchors are read from the logs onwards).
    cvex::Expected<MarketState, BotError> snapshot_at(const chain::Block& block);
    /// Events of the blocks since the last call, in order (empty when there is no new block).
    cvex::Expected<std::vector<BotEvent>, BotError> poll();

    /// The vault's two tokens (from the pools), base order as the pools list them.
    const std::vector<chain::Address>& tokens() const { return tokens_; }

private:
    BotCollector(Options options, std::shared_ptr<chain::EthClient> client);
    cvex::Expected<VaultSnapshotEvent, BotError> vault_snapshot(uint64_t block);
    cvex::Expected<V2Pool, BotError> read_v2(const chain::Address& pool, uint64_t block);
    cvex::Expected<V3Pool, BotError> read_v3(const V3TickRange& range, uint64_t block);

    Options options_;
    std::shared_ptr<chain::EthClient> client_;
    VaultClient vault_;
    std::unique_ptr<attest::RegistryClient> registry_;
    std::vector<chain::Address> tokens_;
    cvex::Expected<void, BotError> read_refill_anchors(uint64_t to_block);

    uint64_t cursor_ = 0;  // the last block whose events were produced
    // When each token's allowance started refilling (its latest TokenLimitsSet's block time), read
    // from the vault's logs up to limits_cursor_.
    std::map<chain::Address, uint64_t> refill_anchors_;
    uint64_t limits_cursor_ = 0;
    uint64_t snapshot_block_ = 0;
};

}  // namespace cvex::bots
