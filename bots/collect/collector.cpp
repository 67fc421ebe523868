#include "bots/collect/collector.hpp"

#include <algorithm>

#include "bots/collect/decode.hpp"
#include "chain/crypto/keccak.hpp"

namespace cvex::bots {

using chain::AbiValue;
using cvex::Unexpected;
using chain::U256;

namespace {

const chain::ContractAbi& pool_abi() {
    static const chain::ContractAbi a = *chain::ContractAbi::from_signatures(
        "UniswapPool", {"token0()(address)", "token1()(address)", "getReserves()(uint112,uint112,uint32)", "fee()(uint24)",
                        "tickSpacing()(int24)", "slot0()(uint160,int24,uint16,uint16,uint16,uint8,bool)", "liquidity()(uint128)"});
    return a;
}

int32_t int24(const AbiValue& v) {
    // Two's complement in a 256-bit word: the low 32 bits are the value for an int24.
    return static_cast<int32_t>(static_cast<uint32_t>(v.word().low_u64()));
}

}  // namespace

BotCollector::BotCollector(Options options, std::shared_ptr<chain::EthClient> client)
    : options_(std::move(options)), client_(std::move(client)), vault_(options_.vault, client_) {}

cvex::Expected<std::unique_ptr<BotCollector>, BotError> BotCollector::create(Options options, std::shared_ptr<chain::EthClient> client) {
    std::unique_ptr<BotCollector> c(new BotCollector(std::move(options), std::move(client)));
    auto registry = c->vault_.registry();
    if (!registry) return bot_failure("vault " + c->options_.vault.checksum_hex() + ": " + registry.error().message());
    c->registry_ = std::make_unique<attest::RegistryClient>(*registry, c->client_);
    // The tokens: every pool must trade the same pair.
    std::vector<chain::Address> pools = c->options_.v2_pools;
    for (const auto& r : c->options_.v3_pools) pools.push_back(r.pool);
    for (const auto& p : pools) {
        chain::Contract pool(pool_abi(), p, c->client_);
        auto t0 = pool.call("token0", {});
        auto t1 = pool.call("token1", {});
        if (!t0 || !t1) return bot_failure("pool " + p.checksum_hex() + ": " + (!t0 ? t0.error().message() : t1.error().message()));
        std::vector<chain::Address> pair = {(*t0)[0].address(), (*t1)[0].address()};
        if (c->tokens_.empty()) c->tokens_ = pair;
        else if (c->tokens_ != pair) return bot_failure("pool " + p.checksum_hex() + " trades another pair than " + pools.front().checksum_hex());
    }
    if (c->tokens_.empty()) return bot_failure("a bot needs at least one pool");
    return c;
}

cvex::Expected<V2Pool, BotError> BotCollector::read_v2(const chain::Address& p, uint64_t block) {
    chain::Contract pool(pool_abi(), p, client_);
    auto r = pool.call("getReserves", {}, chain::BlockTag::number(block));
    if (!r) return bot_failure(r.error().message());
    V2Pool v;
    v.address = p;
    v.token0 = tokens_[0];
    v.token1 = tokens_[1];
    v.reserve0 = (*r)[0].word();
    v.reserve1 = (*r)[1].word();
    v.updated = {block, 0};
    return v;
}

cvex::Expected<V3Pool, BotError> BotCollector::read_v3(const V3TickRange& range, uint64_t block) {
    chain::Contract pool(pool_abi(), range.pool, client_);
    const auto tag = chain::BlockTag::number(block);
    auto slot0 = pool.call("slot0", {}, tag);
    auto liquidity = pool.call("liquidity", {}, tag);
    auto fee = pool.call("fee", {}, tag);
    auto spacing = pool.call("tickSpacing", {}, tag);
    for (const auto* r : {&slot0, &liquidity, &fee, &spacing})
        if (!*r) return bot_failure("pool " + range.pool.checksum_hex() + ": " + r->error().message());
    V3Pool v;
    v.address = range.pool;
    v.token0 = tokens_[0];
    v.token1 = tokens_[1];
    v.fee_pips = static_cast<uint32_t>((*fee)[0].word().low_u64());
    v.tick_spacing = int24((*spacing)[0]);
    v.sqrt_price_x96 = (*slot0)[0].word();
    v.tick = int24((*slot0)[1]);
    v.liquidity = (*liquidity)[0].word();
    // The configured liquidity range bounds sizing while the price is inside it.
    if (v.tick >= range.lower && v.tick < range.upper) {
        v.initialized_below = range.lower;
        v.initialized_above = range.upper;
    }
    v.updated = {block, 0};
    return v;
}

cvex::Expected<VaultSnapshotEvent, BotError> BotCollector::vault_snapshot(uint64_t block) {
    const auto tag = chain::BlockTag::number(block);
    VaultSnapshotEvent s;
    s.block = block;
    auto paused = vault_.paused(tag);
    if (!paused) return bot_failure(paused.error().message());
    s.paused = *paused;
    auto att = registry_->attestation_of(options_.enclave, tag);
    if (!att) return bot_failure(att.error().message());
    s.attestation_expiry = att->valid ? att->expires_at : 0;
    for (const auto& t : tokens_) {
        auto balance = vault_.balance_of(t, tag);
        auto allowance = vault_.available_allowance(t, tag);
        auto limits = vault_.token_limits(t, tag);
        if (!balance || !allowance || !limits)
            return bot_failure("vault token " + t.checksum_hex() + ": " +
                               (!balance ? balance.error().message() : !allowance ? allowance.error().message() : limits.error().message()));
        const auto anchor = refill_anchors_.find(t);
        s.tokens.push_back(VaultToken{t, *balance, *allowance, limits->allowed ? limits->max_per_trade : U256(0), limits->refill_amount,
                                      limits->refill_period, anchor == refill_anchors_.end() ? 0 : anchor->second});
    }
    // The price guard both ways; a vault without a usable TWAP yet quotes nothing (the strategy
    // then leaves it to the simulation, which names the reason).
    for (const auto& [in, out] : {std::pair{tokens_[0], tokens_[1]}, std::pair{tokens_[1], tokens_[0]}})
        if (auto f = vault_.min_amount_out_for(in, out, U256(VaultFloor::kUnit), tag)) s.floors.push_back(VaultFloor{in, out, f->first});
    return s;
}

cvex::Expected<void, BotError> BotCollector::read_refill_anchors(uint64_t to_block) {
    // TokenLimitsSet(address indexed token, …): setTokenLimits restarts the token's refill clock,
    // and Allowance.accrue only ever moves it by whole periods, so its block time is the anchor.
    static const chain::Hash32 topic = [] {
        const std::string sig = "TokenLimitsSet(address,bool,uint96,uint96,uint32,uint96)";
        return chain::keccak256(cvex::Bytes(sig.begin(), sig.end()));
    }();
    if (to_block < limits_cursor_) return {};
    chain::LogFilter f;
    f.addresses = {options_.vault};
    f.topics = {std::vector<chain::Hash32>{topic}};
    f.from_block = limits_cursor_;
    f.to_block = to_block;
    auto logs = client_->logs(f);
    if (!logs) return bot_failure("TokenLimitsSet logs: " + logs.error().message());
    for (const auto& l : *logs) {
        if (l.topics.size() != 2) continue;
        chain::Address token;
        std::copy(l.topics[1].bytes.begin() + 12, l.topics[1].bytes.end(), token.bytes.begin());
        auto b = client_->block_by_number(chain::BlockTag::number(l.block_number));
        if (!b || !*b) return bot_failure("block " + std::to_string(l.block_number) + ": " + (b ? std::string("none") : b.error().message()));
        refill_anchors_[token] = (*b)->timestamp;
    }
    limits_cursor_ = to_block + 1;
    return {};
}

cvex::Expected<MarketState, BotError> BotCollector::snapshot() {
    auto head = client_->block_by_number(chain::BlockTag::latest());
    if (!head || !*head) return bot_failure("latest block: " + (head ? std::string("none") : head.error().message()));
    auto s = snapshot_at(**head);
    if (s) cursor_ = head->value().number;
    return s;
}

cvex::Expected<MarketState, BotError> BotCollector::snapshot_at(const chain::Block& b) {
    MarketState s;
    s.block = BlockInfo{b.number, b.timestamp, b.base_fee_per_gas.value_or(U256(0))};
    for (const auto& p : options_.v2_pools) {
        auto v = read_v2(p, b.number);
        if (!v) return Unexpected{v.error()};
        s.v2_pools.push_back(*v);
    }
    for (const auto& r : options_.v3_pools) {
        auto v = read_v3(r, b.number);
        if (!v) return Unexpected{v.error()};
        s.v3_pools.push_back(*v);
    }
    if (auto a = read_refill_anchors(b.number); !a) return Unexpected{a.error()};
    auto vault = vault_snapshot(b.number);
    if (!vault) return Unexpected{vault.error()};
    s.vault.address = options_.vault;
    if (auto applied = apply_event(s, BotEvent{*vault}); !applied) return bot_failure(applied.error().message());
    snapshot_block_ = b.number;
    return s;
}

cvex::Expected<std::vector<BotEvent>, BotError> BotCollector::poll() {
    auto head = client_->block_by_number(chain::BlockTag::latest());
    if (!head || !*head) return bot_failure("latest block: " + (head ? std::string("none") : head.error().message()));
    const chain::Block& b = **head;
    std::vector<BotEvent> events;
    if (b.number <= cursor_) return events;
    const uint64_t from = cursor_ + 1;
    const uint64_t to = std::min(b.number, cursor_ + options_.max_log_range);

    if (to - snapshot_block_ >= options_.resnapshot_every) {
        // Re-read the pools outright (heals a missed log or a reorg), as events at block `to`.
        for (const auto& p : options_.v2_pools) {
            auto v = read_v2(p, to);
            if (!v) return Unexpected{v.error()};
            events.push_back(V2SyncEvent{p, v->reserve0, v->reserve1, {to, UINT64_MAX}});
        }
        for (const auto& r : options_.v3_pools) {
            auto v = read_v3(r, to);
            if (!v) return Unexpected{v.error()};
            events.push_back(V3SwapEvent{r.pool, {}, {}, {}, {}, v->sqrt_price_x96, v->liquidity, v->tick, {to, UINT64_MAX - 1}});
        }
        snapshot_block_ = to;
        if (auto a = read_refill_anchors(to); !a) return Unexpected{a.error()};
    } else {
        chain::LogFilter filter;
        filter.addresses = options_.v2_pools;
        for (const auto& r : options_.v3_pools) filter.addresses.push_back(r.pool);
        filter.addresses.push_back(options_.vault);  // Traded: the rebalancer's cadence
        filter.topics = {std::vector<chain::Hash32>{v2_sync_topic(), v3_swap_topic(), vault_traded_topic()}};
        filter.from_block = from;
        filter.to_block = to;
        auto logs = client_->logs(filter);
        if (!logs) return bot_failure("pool logs: " + logs.error().message());
        for (const auto& l : *logs) {
            auto e = decode_bot_log(l, options_.vault);
            if (!e) return bot_failure("pool log in " + l.transaction_hash.hex() + ": " + e.error().message());
            events.push_back(std::move(*e));
        }
    }
    // V3 liquidity changes (mints, burns) carry no Swap: read it with the range every block.
    for (const auto& r : options_.v3_pools) {
        auto v = read_v3(r, to);
        if (!v) return Unexpected{v.error()};
        events.push_back(V3LiquidityEvent{r.pool, v->liquidity, v->initialized_below, v->initialized_above, {to, UINT64_MAX}});
    }
    std::optional<chain::Block> last;
    if (to == b.number) {
        last = b;
    } else {
        auto blk = client_->block_by_number(chain::BlockTag::number(to));
        if (!blk || !*blk) return bot_failure("block " + std::to_string(to) + ": " + (blk ? std::string("none") : blk.error().message()));
        last = **blk;
    }
    events.push_back(new_block_event(*last));
    auto vault = vault_snapshot(to);
    if (!vault) return Unexpected{vault.error()};
    events.push_back(std::move(*vault));
    cursor_ = to;
    return events;
}

}  // namespace cvex::bots
