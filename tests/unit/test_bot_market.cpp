// The bots' market state and its events (enclave-app/bot_market.hpp, bot_decode.hpp): real logs
// of a Uniswap V2 pair and V3 pool (Anvil, `cvex dex deploy` from the npm artifacts, then one
// swap on each), synthetic logs encoded by chain::abi_encode and cross-checked with
// chain::decode_log, malformed logs rejected with the field named, and how each event folds
// into the state.
#include <catch2/catch.hpp>

#include "chain/encoding/abi_codec.hpp"
#include "chain/encoding/abi_events.hpp"
#include "bots/collect/decode.hpp"
#include "bots/market/market.hpp"

using namespace cvex::bots;
using namespace cvex;
using namespace cvex::chain;

namespace {

U256 u(const char* dec) { return *U256::parse(dec); }
Address addr(const char* hex) { return *Address::parse(hex); }
Hash32 h(const char* hex) { return *Hash32::from_hex(hex); }
Hash32 topic_of_address(const Address& a) {
    Hash32 t;
    std::copy(a.bytes.begin(), a.bytes.end(), t.bytes.begin() + 12);
    return t;
}

Log make_log(const Address& at, std::vector<Hash32> topics, Bytes data, uint64_t block = 1, uint64_t index = 0) {
    Log l;
    l.address = at;
    l.topics = std::move(topics);
    l.data = std::move(data);
    l.block_number = block;
    l.log_index = index;
    return l;
}

Bytes encode(const std::vector<const char*>& types, const std::vector<AbiValue>& values) {
    std::vector<AbiType> t;
    for (const char* s : types) t.push_back(*parse_abi_type(s));
    return *abi_encode(t, values);
}

const Address kPool = addr("0x16f9301e11a53519ce2ebbb666100b4d40c6343e");
const Address kPair = addr("0xfa803697c45c71b3f0a249db2a17d9bf2507eeea");
const Address kVault = addr("0x1111111111111111111111111111111111111111");
const Address kTokenA = addr("0x5fbdb2315678afecb367f032d93f642f64180aa3");
const Address kTokenB = addr("0xe7f1725e7734ce288f8367e1bb143e90bb3f0512");
const Address kOther = addr("0x2222222222222222222222222222222222222222");

// The real Swap log of 3.7 A sold into the deployed V3 pool through SwapRouter (block 0x17).
Log real_swap_log() {
    return make_log(kPool,
                    {h("0xc42079f94a6350d7e6235f29174924f928cc2ac818eb64fed8004e115fbcca67"),
                     h("0x0000000000000000000000000165878a594ca255338adfa4d48449f69242eb8f"),
                     h("0x00000000000000000000000070997970c51812dc3a010c7d01b50e0d17dc79c8")},
                    *from_hex("0x00000000000000000000000000000000000000000000000033590a6584f20000"
                              "fffffffffffffffffffffffffffffffffffffffffffffe0de5f53b7fe3fd28c1"
                              "0000000000000000000000000000000000000031d0f4a3a4cf07fb1e0bbd97f2"
                              "000000000000000000000000000000000000000000000a968163f0a57b400036"
                              "000000000000000000000000000000000000000000000000000000000001315a"),
                    0x17, 2);
}

// The real Sync log of the deployed V2 pair after 123.45… B were sold into it (block 0x19).
Log real_sync_log() {
    return make_log(kPair, {h("0x1c411e9a96e071241c2f21f7726b17ae89e3cab4c78be50e062b03a9fffbbad1")},
                    *from_hex("0x000000000000000000000000000000000000000000000036351ac56633b34885"
                              "00000000000000000000000000000000000000000002116bf6d39fd341b66c35"),
                    0x19, 2);
}

Log swap_log(const std::vector<AbiValue>& values) {
    return make_log(kPool, {v3_swap_topic(), topic_of_address(kOther), topic_of_address(kVault)},
                    encode({"int256", "int256", "uint160", "uint128", "int24"}, values));
}

MarketState two_pool_state() {
    MarketState s;
    s.v2_pools.push_back(V2Pool{kPair, kTokenA, kTokenB, u("1000"), u("2000"), {5, 0}});
    V3Pool p;
    p.address = kPool;
    p.token0 = kTokenA;
    p.token1 = kTokenB;
    p.sqrt_price_x96 = u("3961408125713216879677197516800");
    p.liquidity = u("50000000000000000000054");
    p.tick = 78244;
    p.updated = {5, 0};
    s.v3_pools.push_back(p);
    s.vault.address = kVault;
    s.vault.tokens = {VaultToken{kTokenA, u("100"), u("50"), u("40")}, VaultToken{kTokenB, u("200"), u("80"), u("70")}};
    s.vault.snapshot_block = 5;
    return s;
}

}  // namespace

// ------------------------------------------------------------------------------ decoding

TEST_CASE("topic 0 of each followed event is keccak256 of its canonical signature") {
    CHECK(v2_sync_topic() == parse_abi_signature("Sync(uint112 reserve0, uint112 reserve1)")->topic());
    CHECK(v3_swap_topic() == h("0xc42079f94a6350d7e6235f29174924f928cc2ac818eb64fed8004e115fbcca67"));
    CHECK(erc20_transfer_topic() == h("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"));
    CHECK(vault_paused_topic() == parse_abi_signature("VaultPaused(address indexed by)")->topic());
    CHECK(vault_unpaused_topic() == parse_abi_signature("VaultUnpaused(address indexed by)")->topic());
    CHECK(vault_traded_topic() ==
          parse_abi_signature("Traded(address indexed enclave, address indexed target, address indexed tokenIn, address tokenOut, "
                              "uint256 amountIn, uint256 amountOut, bytes32 intentHash)")
              ->topic());
}

TEST_CASE("decode_v3_swap reads a real pool's Swap log") {
    auto e = decode_v3_swap(real_swap_log());
    REQUIRE(e);
    CHECK(e->pool == kPool);
    CHECK(e->sender == addr("0x0165878a594ca255338adfa4d48449f69242eb8f"));  // the SwapRouter
    CHECK(e->recipient == addr("0x70997970c51812dc3a010c7d01b50e0d17dc79c8"));
    CHECK(e->amount0 == SignedAmount{u("3700000000000000000"), false});
    CHECK(e->amount1 == SignedAmount{u("9188355076956614743871"), true});  // what `cvex dex swap` paid out
    CHECK(e->sqrt_price_x96 == u("3946848595927699190134725253106"));
    CHECK(e->liquidity == u("50000000000000000000054"));
    CHECK(e->tick == 78170);
    CHECK(e->position == LogPosition{0x17, 2});
}

TEST_CASE("decode_v2_sync reads a real pair's Sync log") {
    auto e = decode_v2_sync(real_sync_log());
    REQUIRE(e);
    CHECK(e->pool == kPair);
    CHECK(e->reserve0 == u("999950767856465168517"));
    CHECK(e->reserve1 == u("2500123456789012345678901"));
    CHECK(e->position == LogPosition{0x19, 2});
}

TEST_CASE("decode_v3_swap agrees with chain::decode_log on extreme values (negative tick, int256 min)") {
    const U256 int256_min = U256(1) << 255;
    const Log log = swap_log({AbiValue(int256_min), AbiValue::from_int(12345), AbiValue(kMinSqrtRatio), AbiValue(U256::max() >> 128),
                              AbiValue::from_int(kMinTick)});
    auto e = decode_v3_swap(log);
    REQUIRE(e);
    CHECK(e->amount0 == SignedAmount{int256_min, true});
    CHECK(e->amount1 == SignedAmount{U256(12345), false});
    CHECK(e->sqrt_price_x96 == kMinSqrtRatio);
    CHECK(e->liquidity == U256::max() >> 128);
    CHECK(e->tick == kMinTick);
    auto ref = decode_log(*parse_abi_signature("Swap(address indexed sender, address indexed recipient, int256 amount0, int256 amount1, "
                                               "uint160 sqrtPriceX96, uint128 liquidity, int24 tick)"),
                          log.topics, log.data);
    REQUIRE(ref);
    CHECK((*ref)[0].value.address() == e->sender);
    CHECK((*ref)[1].value.address() == e->recipient);
    CHECK((*ref)[4].value.word() == e->sqrt_price_x96);
    CHECK((*ref)[6].value == AbiValue::from_int(e->tick));
}

TEST_CASE("decode_v2_sync rejects dirty high bits, naming the reserve") {
    Log log = real_sync_log();
    log.data[13] = 1;  // above uint112 in reserve0's word
    CHECK(decode_v2_sync(log).error().field == "reserve0");
    CHECK(decode_v2_sync(log).error().code == LogErrorCode::kOutOfRange);
    log = real_sync_log();
    log.data[32] = 0x80;
    CHECK(decode_v2_sync(log).error().field == "reserve1");
}

TEST_CASE("decode_v3_swap rejects each out-of-range word, naming it") {
    Log log = real_swap_log();
    log.data[4 * 32 + 10] = 0x01;  // tick not sign-extended
    CHECK(decode_v3_swap(log).error().field == "tick");
    log = real_swap_log();
    log.data[2 * 32 + 11] = 0x01;  // bit 160 of sqrtPriceX96
    CHECK(decode_v3_swap(log).error().field == "sqrtPriceX96");
    log = real_swap_log();
    log.data[3 * 32 + 15] = 0x01;  // bit 128 of liquidity
    CHECK(decode_v3_swap(log).error().field == "liquidity");
    log = real_swap_log();
    log.topics[1].bytes[0] = 0xff;  // an address topic with dirty high bytes
    CHECK(decode_v3_swap(log).error().field == "sender");
}

TEST_CASE("decoders reject a wrong event, a wrong topic count, a wrong data length and a removed log") {
    Log log = real_sync_log();
    CHECK(decode_v3_swap(log).error().code == LogErrorCode::kWrongEvent);
    CHECK(decode_v3_swap(log).error().field == "topics[0]");
    log.topics.push_back(Hash32{});
    CHECK(decode_v2_sync(log).error().code == LogErrorCode::kTopicCount);
    log = real_sync_log();
    log.data.push_back(0);
    CHECK(decode_v2_sync(log).error().code == LogErrorCode::kDataLength);
    CHECK(decode_v2_sync(log).error().message() == "data: wrong data length");
    log = real_swap_log();
    log.removed = true;
    CHECK(decode_v3_swap(log).error().code == LogErrorCode::kRemoved);
}

TEST_CASE("decode_vault_transfer signs the amount by direction and refuses other transfers") {
    const Bytes value = encode({"uint256"}, {AbiValue(U256(500))});
    auto in = decode_vault_transfer(make_log(kTokenA, {erc20_transfer_topic(), topic_of_address(kOther), topic_of_address(kVault)}, value), kVault);
    REQUIRE(in);
    CHECK(in->token == kTokenA);
    CHECK(in->delta == SignedAmount{U256(500), false});
    auto out = decode_vault_transfer(make_log(kTokenA, {erc20_transfer_topic(), topic_of_address(kVault), topic_of_address(kOther)}, value), kVault);
    REQUIRE(out);
    CHECK(out->delta == SignedAmount{U256(500), true});
    auto self = decode_vault_transfer(make_log(kTokenA, {erc20_transfer_topic(), topic_of_address(kVault), topic_of_address(kVault)}, value), kVault);
    REQUIRE(self);
    CHECK(self->delta.magnitude.is_zero());
    auto other = decode_vault_transfer(make_log(kTokenA, {erc20_transfer_topic(), topic_of_address(kOther), topic_of_address(kPool)}, value), kVault);
    CHECK(other.error().code == LogErrorCode::kNotVault);
}

TEST_CASE("decode_vault_pause tells VaultPaused from VaultUnpaused") {
    auto p = decode_vault_pause(make_log(kVault, {vault_paused_topic(), topic_of_address(kOther)}, {}));
    REQUIRE(p);
    CHECK(p->paused);
    CHECK(p->by == kOther);
    auto up = decode_vault_pause(make_log(kVault, {vault_unpaused_topic(), topic_of_address(kOther)}, {}));
    REQUIRE(up);
    CHECK_FALSE(up->paused);
    CHECK(decode_vault_pause(make_log(kVault, {v2_sync_topic(), topic_of_address(kOther)}, {})).error().code == LogErrorCode::kWrongEvent);
}

TEST_CASE("decode_vault_traded reads every field of GuardedVault's Traded event") {
    const Hash32 intent = h("0xabababababababababababababababababababababababababababababababab");
    const Log log = make_log(kVault, {vault_traded_topic(), topic_of_address(kOther), topic_of_address(kPair), topic_of_address(kTokenA)},
                             encode({"address", "uint256", "uint256", "bytes32"},
                                    {AbiValue(kTokenB), AbiValue(U256(10)), AbiValue(U256(24)), AbiValue(intent)}),
                             9, 4);
    auto e = decode_vault_traded(log);
    REQUIRE(e);
    CHECK(e->enclave == kOther);
    CHECK(e->target == kPair);
    CHECK(e->token_in == kTokenA);
    CHECK(e->token_out == kTokenB);
    CHECK(e->amount_in == U256(10));
    CHECK(e->amount_out == U256(24));
    CHECK(e->intent_hash == intent);
    CHECK(e->position == LogPosition{9, 4});
    Log dirty = log;
    dirty.data[0] = 1;
    CHECK(decode_vault_traded(dirty).error().field == "tokenOut");
}

TEST_CASE("decode_bot_log dispatches on topic 0") {
    auto sync = decode_bot_log(real_sync_log(), kVault);
    REQUIRE(sync);
    CHECK(std::holds_alternative<V2SyncEvent>(*sync));
    auto swap = decode_bot_log(real_swap_log(), kVault);
    REQUIRE(swap);
    CHECK(std::holds_alternative<V3SwapEvent>(*swap));
    CHECK(decode_bot_log(make_log(kVault, {Hash32{}}, {}), kVault).error().code == LogErrorCode::kWrongEvent);
    CHECK(decode_bot_log(make_log(kVault, {}, {}), kVault).error().code == LogErrorCode::kWrongEvent);
}

TEST_CASE("new_block_event takes number, timestamp and base fee (zero before London)") {
    Block b;
    b.number = 42;
    b.timestamp = 1700000000;
    CHECK(new_block_event(b).base_fee_per_gas.is_zero());
    b.base_fee_per_gas = U256(7);
    const NewBlockEvent e = new_block_event(b);
    CHECK(e.number == 42);
    CHECK(e.timestamp == 1700000000);
    CHECK(e.base_fee_per_gas == U256(7));
}

// ------------------------------------------------------------------------------ applying

TEST_CASE("a Sync sets the pair's reserves; an older or repeated one is ignored") {
    MarketState s = two_pool_state();
    CHECK(*apply_event(s, V2SyncEvent{kPair, u("11"), u("22"), {6, 1}}) == true);
    CHECK(s.v2(kPair)->reserve0 == u("11"));
    CHECK(*apply_event(s, V2SyncEvent{kPair, u("99"), u("99"), {6, 1}}) == false);
    CHECK(*apply_event(s, V2SyncEvent{kPair, u("99"), u("99"), {6, 0}}) == false);
    CHECK(s.v2(kPair)->reserve1 == u("22"));
}

TEST_CASE("an event for a pool not in the state is an error naming the pool") {
    MarketState s = two_pool_state();
    auto r = apply_event(s, V2SyncEvent{kOther, u("1"), u("1"), {6, 0}});
    REQUIRE_FALSE(r);
    CHECK(r.error().code == MarketErrorCode::kUnknownPool);
    CHECK(r.error().field == "pool");
}

TEST_CASE("a Swap sets price, liquidity and tick, keeping known ticks only while the tick stays between them") {
    MarketState s = two_pool_state();
    s.v3(kPool)->initialized_below = 78000;
    s.v3(kPool)->initialized_above = 78600;
    V3SwapEvent e;
    e.pool = kPool;
    e.sqrt_price_x96 = u("3946848595927699190134725253106");
    e.liquidity = u("123");
    e.tick = 78170;
    e.position = {6, 0};
    CHECK(*apply_event(s, e));
    const V3Pool& p = *s.v3(kPool);
    CHECK(p.sqrt_price_x96 == e.sqrt_price_x96);
    CHECK(p.liquidity == u("123"));
    CHECK(p.tick == 78170);
    CHECK(p.initialized_below == 78000);
    e.tick = 77999;  // crossed 78000 downwards
    e.position = {7, 0};
    CHECK(*apply_event(s, e));
    CHECK_FALSE(s.v3(kPool)->initialized_below);
    CHECK_FALSE(s.v3(kPool)->initialized_above);
}

TEST_CASE("a V3 pool's range stops at the known initialized tick, else at the spacing boundary") {
    MarketState s = two_pool_state();
    V3Pool& p = *s.v3(kPool);
    CHECK(p.range(true)->bound_sqrt_price_x96 == *sqrt_ratio_at_tick(78240));
    CHECK(p.range(false)->bound_sqrt_price_x96 == *sqrt_ratio_at_tick(78300));
    CHECK(*apply_event(s, V3LiquidityEvent{kPool, u("777"), 77400, 79200, {6, 0}}));
    CHECK(p.liquidity == u("777"));
    CHECK(p.range(true)->bound_sqrt_price_x96 == *sqrt_ratio_at_tick(77400));
    CHECK(p.range(false)->bound_sqrt_price_x96 == *sqrt_ratio_at_tick(79200));
    CHECK(p.range(true)->liquidity == u("777"));
}

TEST_CASE("a vault snapshot replaces the vault's figures; an older one is ignored") {
    MarketState s = two_pool_state();
    VaultSnapshotEvent snap{9, false, 1'800'000'000, {VaultToken{kTokenA, u("1"), u("2"), u("3")}}, {VaultFloor{kTokenA, kTokenA, u("4")}}};
    CHECK(*apply_event(s, snap));
    CHECK_FALSE(s.vault.paused);
    CHECK(s.vault.attestation_expiry == 1'800'000'000);
    CHECK(s.vault.tokens.size() == 1);
    CHECK(s.vault.floors.size() == 1);
    CHECK(s.vault.snapshot_block == 9);
    snap.block = 8;
    snap.paused = true;
    CHECK(*apply_event(s, snap) == false);
    CHECK_FALSE(s.vault.paused);
}

TEST_CASE("vault transfers move the balance once, and only after the snapshot block") {
    MarketState s = two_pool_state();  // snapshot at block 5, balance A = 100
    CHECK(*apply_event(s, VaultTransferEvent{kTokenA, {u("30"), false}, {5, 9}}) == false);  // already in the snapshot
    CHECK(*apply_event(s, VaultTransferEvent{kTokenA, {u("30"), false}, {6, 1}}));
    CHECK(s.vault.token(kTokenA)->balance == u("130"));
    CHECK(*apply_event(s, VaultTransferEvent{kTokenA, {u("30"), false}, {6, 1}}) == false);  // replayed
    CHECK(*apply_event(s, VaultTransferEvent{kTokenA, {u("130"), true}, {6, 2}}));
    CHECK(s.vault.token(kTokenA)->balance.is_zero());
}

TEST_CASE("a transfer out of more than the balance is an error that leaves the state untouched") {
    MarketState s = two_pool_state();
    auto r = apply_event(s, VaultTransferEvent{kTokenB, {u("201"), true}, {6, 0}});
    REQUIRE_FALSE(r);
    CHECK(r.error().code == MarketErrorCode::kBalanceUnderflow);
    CHECK(r.error().field == "delta");
    CHECK(s.vault.token(kTokenB)->balance == u("200"));
    CHECK(apply_event(s, VaultTransferEvent{kOther, {u("1"), false}, {6, 0}}).error().code == MarketErrorCode::kUnknownToken);
}

TEST_CASE("pause, trade and pending-trade events update the vault") {
    MarketState s = two_pool_state();
    s.vault.paused = false;
    CHECK(*apply_event(s, VaultPauseEvent{true, kOther, {6, 0}}));
    CHECK(s.vault.paused);
    VaultTradedEvent t;
    t.token_in = kTokenA;
    t.amount_in = u("20");
    t.position = {7, 3};
    CHECK(*apply_event(s, t));
    CHECK(s.vault.last_trade_block == 7);
    CHECK(s.vault.token(kTokenA)->available_allowance == u("30"));  // 50 − 20
    CHECK(*apply_event(s, t) == false);                            // the same log again
    CHECK(*apply_event(s, PendingTradesEvent{2}));
    CHECK(s.vault.pending_trades == 2);
    CHECK(*apply_event(s, PendingTradesEvent{2}) == false);
}

TEST_CASE("a new block advances the clock; an older block is ignored") {
    MarketState s;
    CHECK(*apply_event(s, NewBlockEvent{10, 1000, u("7")}));
    CHECK(*apply_event(s, NewBlockEvent{9, 990, u("7")}) == false);
    CHECK(s.block.number == 10);
    CHECK(*apply_event(s, NewBlockEvent{10, 1001, u("8")}));  // a reorg's replacement head
    CHECK(s.block.timestamp == 1001);
}
