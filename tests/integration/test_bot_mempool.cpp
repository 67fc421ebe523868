// The mempool collector end to end (issue 18 §1): a real Anvil with automine off and a real
// Uniswap V2 pair and router (`cvex dex deploy`); the subscription (chain/rpc/ws_subscription.hpp)
// sees a whale's V2 and V3 router swaps while they are pending, decode_pending_swap predicts the pair's
// reserves (the V3 pool's price, tick and liquidity after each hop: exactInputSingle,
// exactOutputSingle, and a two-hop exactInput WETH → B → WETH through the one pool), and once a
// block is mined the pair's Sync (the pool's Swap events, one per hop) reports exactly those.
// Then the WebSocket is cut (a loopback proxy between the collector and Anvil closes and, a
// second later, listens again): the collector reconnects, subscribes again and sees the next
// pending swap, predicted as exactly.
#include <catch2/catch.hpp>

#include <filesystem>
#include <mutex>
#include <thread>

#include "bots/collect/decode.hpp"
#include "bots/collect/mempool.hpp"
#include "chain/encoding/abi_codec.hpp"
#include "chain/rpc/contract.hpp"
#include "chain/rpc/eth_client.hpp"
#include "chain/rpc/ws_subscription.hpp"
#include "support/anvil.hpp"
#include "support/bot_net.hpp"
#include "support/tcp_proxy.hpp"

using namespace cvex;
using namespace cvex::test;
using chain::Address;
using chain::U256;
using json = nlohmann::json;

namespace {

Address address_of(const json& j) { return *Address::parse(j.get<std::string>()); }

// The whale's transaction through Anvil's unlocked dev account: eth_sendTransaction returns its
// hash at once, mined or not.
chain::Hash32 send_as(chain::EthClient& eth, const std::string& from, const Address& to, const std::string& sig,
                      const std::vector<chain::AbiValue>& args, uint64_t gas = 300'000) {  // headroom over one swap's estimate
    const Bytes data = *chain::abi_encode_call(*chain::parse_abi_signature(sig), args);
    chain::CallRequest dry{*Address::parse(from), to, data, std::nullopt, std::nullopt};
    auto tried = eth.call(dry, chain::BlockTag::pending());
    INFO(sig << ": " << (tried ? std::string("ok") : tried.error().message()));
    CHECK(tried);
    auto r = eth.rpc().call("eth_sendTransaction", json::array({{{"from", from}, {"to", to.checksum_hex()}, {"data", to_hex(data)}, {"gas", U256(gas).hex()}}}),
                            chain::Idempotency::kUnsafe);
    REQUIRE(r);
    return *chain::Hash32::from_hex(r->get<std::string>());
}

bots::MarketState read_market(chain::EthClient& eth, std::shared_ptr<chain::EthClient> shared, const Address& pair) {
    auto p = chain::Contract(*chain::ContractAbi::from_signatures("P", {"getReserves()(uint112,uint112,uint32)", "token0()(address)", "token1()(address)"}),
                             pair, std::move(shared));
    auto reserves = p.call("getReserves", {});
    REQUIRE(reserves);
    bots::MarketState s;
    s.block.timestamp = (*eth.block_by_number(chain::BlockTag::latest()))->timestamp;
    s.v2_pools.push_back(bots::V2Pool{pair, (*p.call("token0", {}))[0].address(), (*p.call("token1", {}))[0].address(), (*reserves)[0].word(),
                                      (*reserves)[1].word(), {}});
    return s;
}

// Mines the pending swap `tx`; the pair's Sync in its block.
bots::V2SyncEvent mined_sync(chain::EthClient& eth, const Address& pair, const chain::Hash32& tx) {
    REQUIRE(eth.evm_mine());
    auto receipt = eth.transaction_receipt(tx);
    REQUIRE(receipt);
    REQUIRE(*receipt);
    auto sent = eth.transaction_by_hash(tx);
    INFO("gas limit " << (*sent)->gas << ", used " << (*receipt)->gas_used << ", block " << (*receipt)->block_number);
    REQUIRE((*receipt)->status);
    chain::LogFilter f;
    f.addresses = {pair};
    f.topics = {std::vector<chain::Hash32>{bots::v2_sync_topic()}};
    f.from_block = f.to_block = (*receipt)->block_number;
    auto logs = eth.logs(f);
    REQUIRE(logs);
    REQUIRE(logs->size() == 1);
    auto sync = bots::decode_v2_sync(logs->front());
    REQUIRE(sync);
    return *sync;
}

struct Seen {
    std::mutex mutex;
    std::vector<chain::TransactionInfo> txs;
    std::vector<std::string> errors;
    std::string report() {
        std::lock_guard lock(mutex);
        std::string r = std::to_string(txs.size()) + " transactions seen; errors:";
        for (const auto& e : errors) r += "\n  " + e;
        return r;
    }
    std::optional<chain::TransactionInfo> find(const chain::Hash32& h) {
        std::lock_guard lock(mutex);
        for (const auto& t : txs)
            if (t.hash == h) return t;
        return std::nullopt;
    }
};

// A collector that records what it sees (and each failed connection) in `seen`.
std::unique_ptr<chain::PendingTxSubscription> collect(Seen& seen, uint16_t port, chain::WsSubscriptionOptions o) {
    auto sub = chain::PendingTxSubscription::start(
        "ws://127.0.0.1:" + std::to_string(port),
        [&seen](const chain::TransactionInfo& tx) {
            std::lock_guard lock(seen.mutex);
            seen.txs.push_back(tx);
        },
        [&seen](const chain::WsError& e) {
            std::lock_guard lock(seen.mutex);
            seen.errors.push_back(e.message());
        },
        o);
    REQUIRE(sub);
    return std::move(*sub);
}

// The whale sells `amount` of `in` for `out` through the V2 router; the transaction's hash.
chain::Hash32 whale_swap(chain::EthClient& eth, const Address& router, const char* amount, const Address& in, const Address& out) {
    const std::string whale = Anvil::dev_address(3);
    return send_as(eth, whale, router, "swapExactTokensForTokens(uint256,uint256,address[],address,uint256)",
                   {*U256::parse_dec(amount), U256(0), chain::AbiValue::List{in, out}, *Address::parse(whale), U256(1ULL << 40)});
}

bots::V3Pool read_v3(std::shared_ptr<chain::EthClient> shared, const json& dex) {
    auto p = chain::Contract(*chain::ContractAbi::from_signatures("V3", {"slot0()(uint160,int24,uint16,uint16,uint16,uint8,bool)", "liquidity()(uint128)",
                                                                         "fee()(uint24)", "tickSpacing()(int24)", "token0()(address)", "token1()(address)"}),
                             address_of(dex["v3_pool"]), std::move(shared));
    auto slot0 = p.call("slot0", {});
    REQUIRE(slot0);
    bots::V3Pool v;
    v.address = address_of(dex["v3_pool"]);
    v.token0 = (*p.call("token0", {}))[0].address();
    v.token1 = (*p.call("token1", {}))[0].address();
    v.fee_pips = static_cast<uint32_t>((*p.call("fee", {}))[0].word().low_u64());
    v.tick_spacing = static_cast<int32_t>(static_cast<int64_t>((*p.call("tickSpacing", {}))[0].word().low_u64()));
    v.sqrt_price_x96 = (*slot0)[0].word();
    v.tick = static_cast<int32_t>(static_cast<int64_t>((*slot0)[1].word().low_u64()));
    v.liquidity = (*p.call("liquidity", {}))[0].word();
    // The deployer's one position spans [v3_tick_lower, v3_tick_upper]: the only initialized ticks.
    v.initialized_below = dex["v3_tick_lower"].get<int32_t>();
    v.initialized_above = dex["v3_tick_upper"].get<int32_t>();
    return v;
}

// The whale calls SwapRouter (`sig` with one tuple argument); seen pending, predicted from the
// pool as it is now, mined: the pool's Swap events in the receipt, in order, report each predicted
// hop's price, tick, liquidity and amounts.
void check_v3_router_swap(std::shared_ptr<chain::EthClient> eth, const json& dex, Seen& seen, const char* sig, const chain::AbiValue::List& params,
                          size_t hops) {
    const Address router = address_of(dex["v3_swap_router"]), pool = address_of(dex["v3_pool"]);
    bots::MarketState state;
    state.block.timestamp = (*eth->block_by_number(chain::BlockTag::latest()))->timestamp;
    state.v3_pools.push_back(read_v3(eth, dex));
    const auto tx = send_as(*eth, Anvil::dev_address(3), router, sig, {chain::AbiValue(params)}, 600'000);
    REQUIRE(wait_for([&] { return seen.find(tx).has_value(); }, std::chrono::seconds(10)));
    auto predicted = bots::decode_pending_swap(*seen.find(tx), state, bots::MempoolRoutes{{}, {router}});
    INFO(sig << ": " << (predicted ? std::string("predicted") : predicted.error().message()));
    REQUIRE(predicted);
    REQUIRE(predicted->v3_pools.size() == hops);
    REQUIRE(eth->evm_mine());
    auto receipt = eth->transaction_receipt(tx);
    REQUIRE((receipt && *receipt && (*receipt)->status));
    std::vector<bots::V3SwapEvent> events;
    for (const auto& log : (*receipt)->logs)
        if (log.address == pool && !log.topics.empty() && log.topics[0] == bots::v3_swap_topic()) events.push_back(*bots::decode_v3_swap(log));
    REQUIRE(events.size() == hops);
    for (size_t i = 0; i < hops; ++i) {
        INFO("hop " << i);
        const auto& p = predicted->v3_pools[i];
        const auto& e = events[i];
        CHECK(e.sqrt_price_x96 == p.sqrt_price_x96);
        CHECK(e.tick == p.tick);
        CHECK(e.liquidity == p.liquidity);
        const auto& paid = p.zero_for_one ? e.amount0 : e.amount1;  // into the pool
        const auto& out = p.zero_for_one ? e.amount1 : e.amount0;
        CHECK((!paid.negative && paid.magnitude == p.amount_in));
        CHECK((out.negative && out.magnitude == p.amount_out));
    }
}

// Through the deployment's one V3 pool, each swap from the state the one before left: the whale
// sells 5 WETH (exactInputSingle), buys 2 WETH back with exactly as many B as the pool asks
// (exactOutputSingle), then sells 3 WETH round the path WETH → B → WETH through the same pool
// (exactInput: the second hop starts from the price the first leaves).
void check_v3_swaps(std::shared_ptr<chain::EthClient> eth, const json& dex, Seen& seen) {
    const Address whale = *Address::parse(Anvil::dev_address(3));
    const Address a = address_of(dex["token_a"]), b = address_of(dex["token_b"]);
    const uint32_t fee = read_v3(eth, dex).fee_pips;
    const U256 deadline(1ULL << 40);
    check_v3_router_swap(eth, dex, seen, "exactInputSingle((address,address,uint24,address,uint256,uint256,uint256,uint160))",
                         {a, b, U256(fee), whale, deadline, *U256::parse_dec("5000000000000000000"), U256(0), U256(0)}, 1);
    check_v3_router_swap(eth, dex, seen, "exactOutputSingle((address,address,uint24,address,uint256,uint256,uint256,uint160))",
                         {b, a, U256(fee), whale, deadline, *U256::parse_dec("2000000000000000000"), U256::max(), U256(0)}, 1);
    Bytes path;  // Path.sol: token | fee (3 bytes) | token | fee | token
    for (const Address* t : {&a, &b, &a}) {
        if (!path.empty()) path.insert(path.end(), {uint8_t(fee >> 16), uint8_t(fee >> 8), uint8_t(fee)});
        path.insert(path.end(), t->bytes.begin(), t->bytes.end());
    }
    check_v3_router_swap(eth, dex, seen, "exactInput((bytes,address,uint256,uint256,uint256))",
                         {path, whale, deadline, *U256::parse_dec("3000000000000000000"), U256(0)}, 2);
}

}  // namespace

TEST_CASE("a pending whale swap is seen, its reserves predicted exactly, and seen again after the socket drops") {
    Anvil anvil;
    auto eth = std::shared_ptr<chain::EthClient>(std::move(*chain::EthClient::connect(anvil.url())));
    const std::string dir = std::filesystem::temp_directory_path() / ("cvex-mempool-" + std::to_string(anvil.port()));
    std::filesystem::create_directories(dir);
    const std::string whale = Anvil::dev_address(3);
    const json dex = run_json({BotNet::cvex(), "dex", "deploy", "--weth-as-a", "--root", CVEX_SOURCE_DIR, "--fund", whale, "--out", dir + "/dex.json"},
                              {"ETH_RPC_URL=" + anvil.url(), "CVEX_PRIVATE_KEY=" + Anvil::dev_key(0)});
    const Address router = address_of(dex["v2_router"]), pair = address_of(dex["v2_pair"]);
    const Address token_a = address_of(dex["token_a"]), token_b = address_of(dex["token_b"]);
    for (const Address& t : {token_a, token_b})
        for (const Address& r : {router, address_of(dex["v3_swap_router"])}) send_as(*eth, whale, t, "approve(address,uint256)", {r, U256::max()});  // automine: mined
    REQUIRE(eth->evm_set_automine(false));

    TcpProxy proxy(anvil.port());
    Seen seen, hashed;
    chain::WsSubscriptionOptions o;
    o.backoff_base = std::chrono::milliseconds(200);
    o.backoff_max = std::chrono::milliseconds(1000);
    auto sub = collect(seen, proxy.port(), o);
    // A second collector asks for hashes only and reads each transaction back over HTTP.
    o.full_transactions = false;
    auto hash_sub = collect(hashed, anvil.port(), o);
    REQUIRE(wait_for([&] { return sub->subscriptions() == 1 && hash_sub->subscriptions() == 1; }, std::chrono::seconds(10)));
    CHECK(sub->full_transactions());  // Anvil offers them
    CHECK_FALSE(hash_sub->full_transactions());
    const bots::MempoolRoutes routes{{router}, {}};

    // A whale sells 40 WETH into the pair; it stays pending until we mine.
    const auto first = whale_swap(*eth, router, "40000000000000000000", token_a, token_b);
    const bool seen_first = wait_for([&] { return seen.find(first).has_value(); }, std::chrono::seconds(10));
    INFO(seen.report());
    REQUIRE(seen_first);
    REQUIRE(wait_for([&] { return hashed.find(first).has_value(); }, std::chrono::seconds(10)));
    CHECK(hashed.find(first)->input == seen.find(first)->input);
    REQUIRE(*eth->transaction_receipt(first) == std::nullopt);  // still pending when seen
    auto predicted = bots::decode_pending_swap(*seen.find(first), read_market(*eth, eth, pair), routes);
    REQUIRE(predicted);
    REQUIRE(predicted->pools.size() == 1);
    auto sync = mined_sync(*eth, pair, first);
    CHECK(sync.reserve0 == predicted->pools[0].reserve0);
    CHECK(sync.reserve1 == predicted->pools[0].reserve1);

    check_v3_swaps(eth, dex, seen);

    // The socket drops and nothing listens for a second: the collector backs off, reconnects and
    // subscribes again, and the next pending swap (the other way) is seen and predicted.
    proxy.close();
    std::this_thread::sleep_for(std::chrono::seconds(1));
    proxy.open();
    REQUIRE(wait_for([&] { return sub->subscriptions() == 2; }, std::chrono::seconds(15)));
    {
        std::lock_guard lock(seen.mutex);
        CHECK_FALSE(seen.errors.empty());  // the drop was reported
    }
    const auto second = whale_swap(*eth, router, "50000000000000000000000", token_b, token_a);
    REQUIRE(wait_for([&] { return seen.find(second).has_value(); }, std::chrono::seconds(10)));
    predicted = bots::decode_pending_swap(*seen.find(second), read_market(*eth, eth, pair), routes);
    REQUIRE(predicted);
    sync = mined_sync(*eth, pair, second);
    CHECK(sync.reserve0 == predicted->pools[0].reserve0);
    CHECK(sync.reserve1 == predicted->pools[0].reserve1);
    sub->stop();
    hash_sub->stop();
    std::filesystem::remove_all(dir);
}
