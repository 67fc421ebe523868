// The bots' decision path (issue 7 §5: ≤ 1 ms median from the event that reveals an
// opportunity to a signed transaction, RPC excluded). Stages, each timed on its own and chained:
//   1. decode: chain::Log → BotEvent (bot_decode.hpp)
//   2. decide: apply the event to the MarketState and run the strategy → Actions (bot_strategy.hpp)
//   3. sign: each action as the vault's trade call (vault_client.hpp), an EIP-1559 transaction
//      signed with a key held in KeyCustody, as the guest signs (nonce and fees as the
//      transaction manager would have them cached; no RPC).
// Each iteration feeds a new event (a later log position, alternating reserves) so the state
// really changes and the strategy really sizes a two-leg trade; BM_decide_no_gap is the common
// case where it finds nothing.
#include <benchmark/benchmark.h>

#include <array>

#include "bots/collect/decode.hpp"
#include "bots/math/full_math.hpp"
#include "bots/market/quote.hpp"
#include "bots/strategy/strategy.hpp"
#include "enclave-app/key_custody.hpp"
#include "bots/execute/vault_client.hpp"
#include "chain/tx/transaction.hpp"

using namespace cvex::enclave;
using namespace cvex::bots;
using namespace cvex;
using namespace cvex::chain;

namespace {

U256 ether(uint64_t n) { return U256(n).wrapping_mul(U256(1'000'000'000'000'000'000ULL)); }
Address addr(const char* hex) { return *Address::parse(hex); }

const Address kA = addr("0x5fbdb2315678afecb367f032d93f642f64180aa3");
const Address kB = addr("0xe7f1725e7734ce288f8367e1bb143e90bb3f0512");
const Address kPairDear = addr("0xaaaa00000000000000000000000000000000aaaa");
const Address kPairCheap = addr("0xbbbb00000000000000000000000000000000bbbb");
const Address kPoolV3 = addr("0xcccc00000000000000000000000000000000cccc");
const Address kRouterV2 = addr("0xdddd00000000000000000000000000000000dddd");
const Address kRouterV3 = addr("0xeeee00000000000000000000000000000000eeee");
const Address kVault = addr("0x1111111111111111111111111111111111111111");
const U256 kSqrtPrice2500 = *U256::parse("3961408125713216879677197516800");
const U256 kLiquidity = *U256::parse("50000000000000000000054");

MarketState make_state() {
    MarketState s;
    s.block = BlockInfo{100, 1'750'000'000, U256(1'000'000'000)};
    s.v2_pools = {V2Pool{kPairDear, kA, kB, ether(1'000), ether(2'600'000), {1, 0}},
                  V2Pool{kPairCheap, kA, kB, ether(1'000), ether(2'500'000), {1, 0}}};
    V3Pool p;
    p.address = kPoolV3;
    p.token0 = kA;
    p.token1 = kB;
    p.sqrt_price_x96 = kSqrtPrice2500;
    p.tick = 78244;
    p.liquidity = kLiquidity;
    p.initialized_below = -887220;
    p.initialized_above = 887220;
    s.v3_pools = {p};
    s.vault.address = kVault;
    s.vault.paused = false;
    s.vault.attestation_expiry = 1'750'086'400;
    s.vault.tokens = {VaultToken{kA, ether(1'000), ether(1'000), ether(1'000)},
                      VaultToken{kB, ether(3'000'000), ether(3'000'000), ether(3'000'000)}};
    return s;
}

ArbitrageStrategy make_arbitrage(const Venue& second) {
    ArbitrageConfig c;
    c.venue_a = Venue{kPairDear, TradeKind::kUniswapV2Router, kRouterV2};
    c.venue_b = second;
    c.base_token = kA;
    c.base_per_native = ether(1);
    return std::move(*ArbitrageStrategy::create(c));
}

const Venue kV2Second{kPairCheap, TradeKind::kUniswapV2Router, kRouterV2};
const Venue kV3Second{kPoolV3, TradeKind::kUniswapV3Router, kRouterV3};

// The real Swap log of the deployed pool (test_bot_market.cpp), its address set to ours.
Log swap_log() {
    Log l;
    l.address = kPoolV3;
    l.topics = {v3_swap_topic(), *Hash32::from_hex("0x0000000000000000000000000165878a594ca255338adfa4d48449f69242eb8f"),
                *Hash32::from_hex("0x00000000000000000000000070997970c51812dc3a010c7d01b50e0d17dc79c8")};
    l.data = *from_hex(
        "0x00000000000000000000000000000000000000000000000033590a6584f20000"
        "fffffffffffffffffffffffffffffffffffffffffffffe0de5f53b7fe3fd28c1"
        "0000000000000000000000000000000000000031d0f4a3a4cf07fb1e0bbd97f2"
        "000000000000000000000000000000000000000000000a968163f0a57b400036"
        "000000000000000000000000000000000000000000000000000000000001315a");
    l.block_number = 101;
    return l;
}

Log sync_log(const U256& r0, const U256& r1) {
    Log l;
    l.address = kPairDear;
    l.topics = {v2_sync_topic()};
    const auto a = r0.to_be(), b = r1.to_be();
    l.data.assign(a.begin(), a.end());
    l.data.insert(l.data.end(), b.begin(), b.end());
    l.block_number = 101;
    return l;
}

// Stage 1.
BotEvent decode(const Log& log) { return *decode_bot_log(log, kVault); }

// Stage 2.
std::vector<Action> decide(MarketState& state, const Strategy& strategy, const BotEvent& event) {
    (void)apply_event(state, event);
    return strategy.on_event(state, event);
}

// Two Sync events that both leave a gap against the cheap pool, fed alternately.
std::array<V2SyncEvent, 2> gap_syncs() {
    return {V2SyncEvent{kPairDear, ether(1'000), ether(2'600'000), {}}, V2SyncEvent{kPairDear, ether(1'001), ether(2'599'000), {}}};
}

void BM_decide_v2_sync_v2v2(benchmark::State& st) {
    MarketState state = make_state();
    const ArbitrageStrategy strategy = make_arbitrage(kV2Second);
    auto events = gap_syncs();
    uint64_t i = 0;
    size_t legs = 0;
    for (auto _ : st) {
        V2SyncEvent& e = events[i & 1];
        e.position = {101, ++i};
        const auto actions = decide(state, strategy, e);
        legs += actions.size();
        benchmark::DoNotOptimize(actions.data());
    }
    if (legs != 2 * i) st.SkipWithError("the strategy did not trade every time");
}

void BM_decide_v2_sync_v2v3(benchmark::State& st) {
    MarketState state = make_state();
    const ArbitrageStrategy strategy = make_arbitrage(kV3Second);
    auto events = gap_syncs();
    uint64_t i = 0;
    size_t legs = 0;
    for (auto _ : st) {
        V2SyncEvent& e = events[i & 1];
        e.position = {101, ++i};
        const auto actions = decide(state, strategy, e);
        legs += actions.size();
        benchmark::DoNotOptimize(actions.data());
    }
    if (legs != 2 * i) st.SkipWithError("the strategy did not trade every time");
}

void BM_decide_v3_swap_v2v3(benchmark::State& st) {
    MarketState state = make_state();
    const ArbitrageStrategy strategy = make_arbitrage(kV3Second);
    V3SwapEvent e = std::get<V3SwapEvent>(decode(swap_log()));
    uint64_t i = 0;
    size_t legs = 0;
    for (auto _ : st) {
        e.position = {101, ++i};
        e.sqrt_price_x96 = (i & 1) ? kSqrtPrice2500 : U256(*U256::parse("3946848595927699190134725253106"));
        const auto actions = decide(state, strategy, e);
        legs += actions.size();
        benchmark::DoNotOptimize(actions.data());
    }
    if (legs != 2 * i) st.SkipWithError("the strategy did not trade every time");
}

void BM_decide_no_gap(benchmark::State& st) {
    MarketState state = make_state();
    state.v2_pools[0].reserve1 = ether(2'500'000);
    const ArbitrageStrategy strategy = make_arbitrage(kV2Second);
    V2SyncEvent e{kPairDear, ether(1'000), ether(2'500'000), {}};
    uint64_t i = 0;
    for (auto _ : st) {
        e.position = {101, ++i};
        const auto actions = decide(state, strategy, e);
        benchmark::DoNotOptimize(actions.data());
    }
}

void BM_log_to_actions_v2(benchmark::State& st) {
    MarketState state = make_state();
    const ArbitrageStrategy strategy = make_arbitrage(kV2Second);
    std::array<Log, 2> logs = {sync_log(ether(1'000), ether(2'600'000)), sync_log(ether(1'001), ether(2'599'000))};
    uint64_t i = 0;
    for (auto _ : st) {
        Log& log = logs[i & 1];
        log.log_index = ++i;
        const auto actions = decide(state, strategy, decode(log));
        benchmark::DoNotOptimize(actions.data());
    }
}

void BM_log_to_actions_v3(benchmark::State& st) {
    MarketState state = make_state();
    const ArbitrageStrategy strategy = make_arbitrage(kV3Second);
    Log log = swap_log();
    uint64_t i = 0;
    for (auto _ : st) {
        log.log_index = ++i;
        const auto actions = decide(state, strategy, decode(log));
        benchmark::DoNotOptimize(actions.data());
    }
}

void BM_decode_v3_swap(benchmark::State& st) {
    const Log log = swap_log();
    for (auto _ : st) benchmark::DoNotOptimize(decode_v3_swap(log));
}

void BM_v2_amount_out(benchmark::State& st) {
    const U256 in = ether(3), r_in = ether(1'000), r_out = ether(2'600'000);
    for (auto _ : st) benchmark::DoNotOptimize(v2_amount_out(in, r_in, r_out));
}

void BM_v3_swap_exact_in(benchmark::State& st) {
    const MarketState s = make_state();
    const V3Range range = *s.v3_pools[0].range(false);
    const U256 in = ether(7'500);
    for (auto _ : st) benchmark::DoNotOptimize(v3_swap_exact_in(range, in, false));
}

void BM_optimal_round_trip_input(benchmark::State& st) {
    const MarketState s = make_state();
    const CpmmLeg a = PoolQuote::of(s, kPairDear, kA)->cpmm(), b = PoolQuote::of(s, kPoolV3, kB)->cpmm();
    for (auto _ : st) benchmark::DoNotOptimize(optimal_round_trip_input(a, b));
}

void BM_mul_div(benchmark::State& st) {
    const U256 a = *U256::parse("3946848595927699190134725253106"), b = *U256::parse("50000000000000000000054") << 96;
    const U256 d = *U256::parse("3946848595927699190134725253106000001");
    for (auto _ : st) benchmark::DoNotOptimize(mul_div(a, b, d));
}

}  // namespace

// The whole path of §5: a raw log to signed transactions ready to send.
void BM_log_to_signed_txs_v3(benchmark::State& st) {
    MarketState state = make_state();
    const ArbitrageStrategy strategy = make_arbitrage(kV3Second);
    auto custody = KeyCustody::create(4);
    if (!custody) {
        st.SkipWithError("key custody unavailable (RLIMIT_MEMLOCK)");
        return;
    }
    const auto handle = *(*custody)->generate_secp256k1();
    const auto signer = *CustodySigner::create(**custody, handle);
    const VaultClient vault(*Address::parse("0x00000000000000000000000000000000000000aa"), nullptr);
    const Hash32 measurement_id{};
    Log log = swap_log();
    uint64_t i = 0, nonce = 0, signed_txs = 0;
    for (auto _ : st) {
        log.log_index = ++i;
        for (const auto& a : decide(state, strategy, decode(log))) {
            Transaction tx;
            tx.chain_id = 31337;
            tx.nonce = nonce++;
            tx.max_priority_fee_per_gas = U256(1'000'000'000);
            tx.max_fee_per_gas = U256(3'000'000'000ULL);
            tx.gas_limit = 400'000;
            tx.to = vault.address();
            tx.data = *vault.trade_calldata(a, measurement_id);
            auto signed_tx = sign_transaction(std::move(tx), signer);
            benchmark::DoNotOptimize(signed_tx->encode());
            ++signed_txs;
        }
    }
    st.counters["signed_txs_per_event"] = static_cast<double>(signed_txs) / static_cast<double>(i ? i : 1);
}

BENCHMARK(BM_log_to_signed_txs_v3);
BENCHMARK(BM_decide_v2_sync_v2v2);
BENCHMARK(BM_decide_v2_sync_v2v3);
BENCHMARK(BM_decide_v3_swap_v2v3);
BENCHMARK(BM_decide_no_gap);
BENCHMARK(BM_log_to_actions_v2);
BENCHMARK(BM_log_to_actions_v3);
BENCHMARK(BM_decode_v3_swap);
BENCHMARK(BM_v2_amount_out);
BENCHMARK(BM_v3_swap_exact_in);
BENCHMARK(BM_optimal_round_trip_input);
BENCHMARK(BM_mul_div);
BENCHMARK_MAIN();
