// Fixed-layout decoders of the logs the bots follow (bot_decode.hpp). ABI words are 32 bytes,
// big-endian; indexed value types sit in topics 1.. (Solidity ABI spec, "Events").
#include "bots/collect/decode.hpp"

#include <algorithm>
#include <cstring>
#include <string>

#include "chain/crypto/keccak.hpp"

namespace cvex::bots {

using chain::Address;
using chain::Hash32;
using chain::Log;
using chain::U256;
using cvex::Unexpected;

namespace {

Hash32 topic_of(const char* signature) {
    return chain::keccak256(cvex::ByteView(reinterpret_cast<const uint8_t*>(signature), std::strlen(signature)));
}

LogError err(LogErrorCode c, std::string_view field) { return LogError{c, field}; }

// Checks what every event shares: not removed, topic 0, topic count, data length.
std::optional<LogError> check_shape(const Log& log, const Hash32& topic0, size_t topics, size_t data_words) {
    if (log.removed) return err(LogErrorCode::kRemoved, "removed");
    if (log.topics.empty() || log.topics[0] != topic0) return err(LogErrorCode::kWrongEvent, "topics[0]");
    if (log.topics.size() != topics) return err(LogErrorCode::kTopicCount, "topics");
    if (log.data.size() != data_words * 32) return err(LogErrorCode::kDataLength, "data");
    return std::nullopt;
}

const uint8_t* word(const Log& log, size_t i) { return log.data.data() + 32 * i; }

// A big-endian word straight into limbs (U256::from_be shifts byte by byte: ~10× slower).
U256 uint_word(const uint8_t* w) {
    uint64_t limbs[4];
    for (int i = 0; i < 4; ++i) {
        uint64_t v = 0;
        for (int j = 0; j < 8; ++j) v = (v << 8) | w[(3 - i) * 8 + j];
        limbs[i] = v;
    }
    return U256::from_limbs(limbs[0], limbs[1], limbs[2], limbs[3]);
}

// The first `zero_bytes` bytes of the word must be zero (a uintN with N = 8·(32 − zero_bytes)).
bool high_zero(const uint8_t* w, size_t zero_bytes) {
    return std::all_of(w, w + zero_bytes, [](uint8_t b) { return b == 0; });
}

cvex::Expected<Address, LogError> address_word(const uint8_t* w, std::string_view field) {
    if (!high_zero(w, 12)) return Unexpected{err(LogErrorCode::kOutOfRange, field)};
    Address a;
    std::copy(w + 12, w + 32, a.bytes.begin());
    return a;
}

SignedAmount int256_word(const uint8_t* w) {
    const U256 v = uint_word(w);
    if (!v.bit(255)) return SignedAmount{v, false};
    return SignedAmount{(~v).wrapping_add(U256(1)), true};  // |v| of a two's-complement negative
}

LogPosition position_of(const Log& log) { return LogPosition{log.block_number, log.log_index}; }

}  // namespace

std::string LogError::message() const {
    const char* what = "bad log";
    switch (code) {
        case LogErrorCode::kRemoved: what = "log was removed by a reorg"; break;
        case LogErrorCode::kWrongEvent: what = "not this event's signature"; break;
        case LogErrorCode::kTopicCount: what = "wrong number of topics"; break;
        case LogErrorCode::kDataLength: what = "wrong data length"; break;
        case LogErrorCode::kOutOfRange: what = "value outside its ABI type"; break;
        case LogErrorCode::kNotVault: what = "transfer neither from nor to the vault"; break;
    }
    return std::string(field) + ": " + what;
}

const Hash32& v2_sync_topic() {
    static const Hash32 t = topic_of("Sync(uint112,uint112)");
    return t;
}
const Hash32& v3_swap_topic() {
    static const Hash32 t = topic_of("Swap(address,address,int256,int256,uint160,uint128,int24)");
    return t;
}
const Hash32& erc20_transfer_topic() {
    static const Hash32 t = topic_of("Transfer(address,address,uint256)");
    return t;
}
const Hash32& vault_paused_topic() {
    static const Hash32 t = topic_of("VaultPaused(address)");
    return t;
}
const Hash32& vault_unpaused_topic() {
    static const Hash32 t = topic_of("VaultUnpaused(address)");
    return t;
}
const Hash32& vault_traded_topic() {
    static const Hash32 t = topic_of("Traded(address,address,address,address,uint256,uint256,bytes32)");
    return t;
}

LogResult<V2SyncEvent> decode_v2_sync(const Log& log) {
    if (auto e = check_shape(log, v2_sync_topic(), 1, 2)) return Unexpected{*e};
    // uint112: the top 18 bytes of each word are zero.
    if (!high_zero(word(log, 0), 18)) return Unexpected{err(LogErrorCode::kOutOfRange, "reserve0")};
    if (!high_zero(word(log, 1), 18)) return Unexpected{err(LogErrorCode::kOutOfRange, "reserve1")};
    return V2SyncEvent{log.address, uint_word(word(log, 0)), uint_word(word(log, 1)), position_of(log)};
}

LogResult<V3SwapEvent> decode_v3_swap(const Log& log) {
    if (auto e = check_shape(log, v3_swap_topic(), 3, 5)) return Unexpected{*e};
    V3SwapEvent ev;
    ev.pool = log.address;
    auto sender = address_word(log.topics[1].bytes.data(), "sender");
    if (!sender) return Unexpected{sender.error()};
    auto recipient = address_word(log.topics[2].bytes.data(), "recipient");
    if (!recipient) return Unexpected{recipient.error()};
    ev.sender = *sender;
    ev.recipient = *recipient;
    ev.amount0 = int256_word(word(log, 0));
    ev.amount1 = int256_word(word(log, 1));
    if (!high_zero(word(log, 2), 12)) return Unexpected{err(LogErrorCode::kOutOfRange, "sqrtPriceX96")};  // uint160
    ev.sqrt_price_x96 = uint_word(word(log, 2));
    if (!high_zero(word(log, 3), 16)) return Unexpected{err(LogErrorCode::kOutOfRange, "liquidity")};  // uint128
    ev.liquidity = uint_word(word(log, 3));
    // int24: bytes 0..28 are all copies of bit 23 (0x00 or 0xff).
    const uint8_t* t = word(log, 4);
    const uint8_t fill = (t[29] & 0x80) ? 0xff : 0x00;
    if (!std::all_of(t, t + 29, [fill](uint8_t b) { return b == fill; })) return Unexpected{err(LogErrorCode::kOutOfRange, "tick")};
    const uint32_t raw = (static_cast<uint32_t>(t[29]) << 16) | (static_cast<uint32_t>(t[30]) << 8) | t[31];
    ev.tick = fill ? static_cast<int32_t>(raw | 0xff000000u) : static_cast<int32_t>(raw);
    ev.position = position_of(log);
    return ev;
}

LogResult<VaultTransferEvent> decode_vault_transfer(const Log& log, const Address& vault) {
    if (auto e = check_shape(log, erc20_transfer_topic(), 3, 1)) return Unexpected{*e};
    auto from = address_word(log.topics[1].bytes.data(), "from");
    if (!from) return Unexpected{from.error()};
    auto to = address_word(log.topics[2].bytes.data(), "to");
    if (!to) return Unexpected{to.error()};
    if (*from != vault && *to != vault) return Unexpected{err(LogErrorCode::kNotVault, "to")};
    const U256 value = uint_word(word(log, 0));
    VaultTransferEvent ev{log.address, {}, position_of(log)};
    if (*from == *to) ev.delta = SignedAmount{U256(), false};  // to itself: the balance stays
    else ev.delta = SignedAmount{value, *from == vault};
    return ev;
}

LogResult<VaultPauseEvent> decode_vault_pause(const Log& log) {
    const bool paused = !log.topics.empty() && log.topics[0] == vault_paused_topic();
    if (auto e = check_shape(log, paused ? vault_paused_topic() : vault_unpaused_topic(), 2, 0)) return Unexpected{*e};
    auto by = address_word(log.topics[1].bytes.data(), "by");
    if (!by) return Unexpected{by.error()};
    return VaultPauseEvent{paused, *by, position_of(log)};
}

LogResult<VaultTradedEvent> decode_vault_traded(const Log& log) {
    if (auto e = check_shape(log, vault_traded_topic(), 4, 4)) return Unexpected{*e};
    VaultTradedEvent ev;
    auto enclave = address_word(log.topics[1].bytes.data(), "enclave");
    if (!enclave) return Unexpected{enclave.error()};
    auto target = address_word(log.topics[2].bytes.data(), "target");
    if (!target) return Unexpected{target.error()};
    auto token_in = address_word(log.topics[3].bytes.data(), "tokenIn");
    if (!token_in) return Unexpected{token_in.error()};
    auto token_out = address_word(word(log, 0), "tokenOut");
    if (!token_out) return Unexpected{token_out.error()};
    ev.enclave = *enclave;
    ev.target = *target;
    ev.token_in = *token_in;
    ev.token_out = *token_out;
    ev.amount_in = uint_word(word(log, 1));
    ev.amount_out = uint_word(word(log, 2));
    std::copy(word(log, 3), word(log, 3) + 32, ev.intent_hash.bytes.begin());
    ev.position = position_of(log);
    return ev;
}

LogResult<BotEvent> decode_bot_log(const Log& log, const Address& vault) {
    if (log.removed) return Unexpected{err(LogErrorCode::kRemoved, "removed")};
    if (log.topics.empty()) return Unexpected{err(LogErrorCode::kWrongEvent, "topics[0]")};
    const Hash32& t = log.topics[0];
    auto wrap = [](auto r) -> LogResult<BotEvent> {
        if (!r) return Unexpected{r.error()};
        return BotEvent{*r};
    };
    if (t == v2_sync_topic()) return wrap(decode_v2_sync(log));
    if (t == v3_swap_topic()) return wrap(decode_v3_swap(log));
    if (t == erc20_transfer_topic()) return wrap(decode_vault_transfer(log, vault));
    if (t == vault_paused_topic() || t == vault_unpaused_topic()) return wrap(decode_vault_pause(log));
    if (t == vault_traded_topic()) return wrap(decode_vault_traded(log));
    return Unexpected{err(LogErrorCode::kWrongEvent, "topics[0]")};
}

NewBlockEvent new_block_event(const chain::Block& block) {
    return NewBlockEvent{block.number, block.timestamp, block.base_fee_per_gas.value_or(U256())};
}

}  // namespace cvex::bots
