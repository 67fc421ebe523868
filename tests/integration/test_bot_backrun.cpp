// Back-running end to end (issue 18 §2): Anvil with 1-second blocks, a real Uniswap V2 pair and
// V3 pool, a GuardedVault and `cvex bot run` with its mempool on (the node's WebSocket). In each
// of 50 trials a whale's router swap, sent right after a block, sits in the mempool and opens a
// gap between the two pools; the bot sees it pending, predicts the pair's reserves, simulates its
// round trip behind it and sends it with lower fees. Captured: the bot's trades land in the
// whale's block, after it. Never allowed: a trade of the bot's in that block before the whale.
// In all, the vault's realised PnL beats the gas the bot paid.
#include <catch2/catch.hpp>

#include <csignal>
#include <thread>

#include <nlohmann/json.hpp>

#include "bots/collect/decode.hpp"
#include "chain/encoding/abi_codec.hpp"
#include "support/bot_net.hpp"

using namespace cvex;
using chain::Address;
using chain::U256;
using cvex::test::Anvil;
using cvex::test::BotNet;
using json = nlohmann::json;

namespace {

constexpr int kTrials = 50;

Address address_of(const json& j) { return *Address::parse(j.get<std::string>()); }

// A transaction from an Anvil dev account (unlocked): its hash at once, mined or not. Anvil sets
// its fees as a wallet would (a 1 gwei tip over the next base fee).
chain::Hash32 send_as(chain::EthClient& eth, const std::string& from, const Address& to, const std::string& sig,
                      const std::vector<chain::AbiValue>& args) {
    const Bytes data = *chain::abi_encode_call(*chain::parse_abi_signature(sig), args);
    auto r = eth.rpc().call("eth_sendTransaction", json::array({{{"from", from}, {"to", to.checksum_hex()}, {"data", to_hex(data)}, {"gas", "0x493e0"}}}),
                            chain::Idempotency::kUnsafe);
    REQUIRE(r);
    return *chain::Hash32::from_hex(r->get<std::string>());
}

chain::Receipt receipt_of(chain::EthClient& eth, const chain::Hash32& tx) {
    std::optional<chain::Receipt> got;
    REQUIRE(test::wait_for([&] {
        auto r = eth.transaction_receipt(tx);
        if (r && *r) got = **r;
        return got.has_value();
    }, std::chrono::seconds(10)));
    return *got;
}

uint64_t wait_next_block(chain::EthClient& eth) {
    const uint64_t now = *eth.block_number();
    while (*eth.block_number() == now) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return now + 1;
}

// Where the bot's trades of one trial landed relative to the whale's swap.
struct Trial {
    int same_block_after = 0, same_block_before = 0, later = 0;
};

Trial judge(BotNet& b, const chain::Receipt& whale) {
    Trial t;
    for (const auto& log : b.traded(whale.block_number)) {
        if (log.block_number != whale.block_number) ++t.later;
        else if (log.transaction_index > whale.transaction_index) ++t.same_block_after;
        else ++t.same_block_before;
    }
    return t;
}

}  // namespace

TEST_CASE("the bot back-runs a pending whale swap in the same block, right after it, in most of 50 trials, and earns more than its gas") {
    BotNet::Options options;
    options.vault_args = {"--refill-a", "100000ether", "--refill-b", "1000000000ether"};  // 50 round trips' worth
    BotNet b(options);
    auto eth = b.net().eth();
    const Address router = address_of(b.dex()["v2_router"]);
    const Address token_a = address_of(b.dex()["token_a"]), token_b = address_of(b.dex()["token_b"]);
    const std::string whale = Anvil::dev_address(3);
    for (const Address& t : {token_a, token_b}) receipt_of(*eth, send_as(*eth, whale, t, "approve(address,uint256)", {router, U256::max()}));

    std::string ws = b.url();
    ws.replace(0, 4, "ws");  // http://127.0.0.1:port → ws://127.0.0.1:port: Anvil serves both
    b.bot_config()["mempool"] = {{"ws_url", ws}, {"v2_routers", json::array({b.dex()["v2_router"]})}};
    b.write_config();
    const uint64_t from = *eth->block_number();
    auto bot = b.start_bot(b.dir() + "/bot-backrun.log");
    REQUIRE(test::wait_for([&] { return bot->log().find("watching vault") != std::string::npos; }, std::chrono::seconds(20)));

    int captured = 0, before = 0, missed = 0;
    for (int i = 0; i < kTrials; ++i) {
        // Alternately 10 A and 25,000 B into the pair (2 % of its price either way): the gap
        // points one way, then the other, and the pools stay near 2,500 B per A.
        const bool sell_a = i % 2 == 0;
        wait_next_block(*eth);
        const auto tx = send_as(*eth, whale, router, "swapExactTokensForTokens(uint256,uint256,address[],address,uint256)",
                                {*U256::parse_dec(sell_a ? "10000000000000000000" : "25000000000000000000000"), U256(0),
                                 chain::AbiValue::List{sell_a ? token_a : token_b, sell_a ? token_b : token_a}, *Address::parse(whale), U256(1ULL << 40)});
        const chain::Receipt whale_receipt = receipt_of(*eth, tx);
        REQUIRE(whale_receipt.status);
        // The bot's trades are mined by the block after the whale's, or not at all.
        const Address enclave = *Address::parse(Anvil::dev_address(2));
        REQUIRE(test::wait_for([&] {
            return *eth->block_number() > whale_receipt.block_number + 1 &&
                   *eth->transaction_count(enclave, chain::BlockTag::pending()) == *eth->transaction_count(enclave, chain::BlockTag::latest());
        }, std::chrono::seconds(10)));
        const Trial t = judge(b, whale_receipt);
        if (t.same_block_after > 0 && t.same_block_before == 0) ++captured;
        else if (t.same_block_before > 0) ++before;
        else ++missed;
        UNSCOPED_INFO("trial " << i << ": whale " << tx.hex() << " in block " << whale_receipt.block_number << " at index "
                               << whale_receipt.transaction_index << "; bot trades after it " << t.same_block_after << ", before it "
                               << t.same_block_before << ", later " << t.later);
    }
    bot->stop(SIGTERM);
    INFO(bot->log());
    CHECK(before == 0);             // fee ordering never puts a back-run ahead of its swap
    CHECK(captured >= kTrials * 8 / 10);
    CHECK(bot->log().find("back-run after") != std::string::npos);

    const auto report = b.report({"--from-block", std::to_string(from), "--base-per-native", "1ether"});
    INFO(report.dump(2));
    // Realised PnL (each round trip's base out − base in) less the gas of every trade, in WETH.
    const std::string net = report["pnl"]["realised_minus_gas"].get<std::string>();
    WARN("back-runs captured in the whale's block, after it: " << captured << " of " << kTrials << " (missed " << missed << "); "
         << report["trade_count"] << " trades, realised " << report["pnl"]["realised"] << " wei of WETH, gas " << report["gas_spent_wei"]
         << " wei, realised less gas " << net);
    CHECK(net[0] != '-');
    CHECK(net != "0");
}
