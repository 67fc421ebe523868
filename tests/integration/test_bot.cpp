// The arbitrage bot end to end on Anvil (issue 7 §4): a real Uniswap V2 pair and V3 pool (npm
// artifacts, `cvex dex deploy --weth-as-a`), a GuardedVault (`cvex vault deploy`) allowing the
// measurement the bot's key is attested for, and `cvex bot run` as a real process trading through
// the vault. A whale opens a price gap; the bot closes it; the vault's value (from the chain,
// `cvex bot report`) grows by more than the gas spent. The kill switch holds the bot while the
// vault is paused; a SIGKILL mid-run sends no trade twice and leaves the PnL as it was.
#include <catch2/catch.hpp>

#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "chain/rpc/contract.hpp"
#include "bots/collect/decode.hpp"
#include "support/child_process.hpp"
#include "support/oracle_net.hpp"
#include "support/process.hpp"

using namespace cvex;
using chain::AbiValue;
using chain::U256;
using cvex::test::Anvil;
using cvex::test::ChildProcess;
using cvex::test::OracleNet;
using nlohmann::json;

namespace {

const std::string kCvex = std::string(CVEX_BIN_DIR) + "/cvex";

// One directory per test case: a bot's journal belongs to its chain, and each case has its own.
int g_case = 0;
std::string dir() {
    const auto d = std::filesystem::temp_directory_path() / ("cvex-bot-test-" + std::to_string(::getpid()) + "-" + std::to_string(g_case));
    std::filesystem::create_directories(d);
    return d.string();
}

json run_json(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
    const auto r = test::run_process(argv, env);
    INFO(argv[1] << " " << argv[2] << ": " << r.out << r.err);
    REQUIRE(r.exit_code == 0);
    return json::parse(r.out);
}

struct BotNet {
    OracleNet net;  // registry + the attested key (dev account 2) for measurement 0x5a…5a
    std::string url;
    json dex, vault;
    std::string bots_path;

    static OracleNet::Options options() {
        OracleNet::Options o;
        o.consumers = 0;  // automine while deploying; 1-second blocks once everything is in place
        return o;
    }

    // slippage_bps: the vault's price guard. 100 lets a whole 2 % gap be arbitraged; at the
    // default 50 the TWAP floor binds and the bot trades the smaller size the vault accepts.
    explicit BotNet(bool paper = false, int slippage_bps = 100) : net((++g_case, options())) {
        url = net.anvil().url();
        const std::vector<std::string> owner = {"ETH_RPC_URL=" + url, "CVEX_PRIVATE_KEY=" + Anvil::dev_key(0)};
        const std::string root = CVEX_SOURCE_DIR;
        dex = run_json({kCvex, "dex", "deploy", "--weth-as-a", "--root", root, "--fund", Anvil::dev_address(3), "--fund", Anvil::dev_address(0), "--out", dir() + "/dex.json"},
                       owner);
        vault = run_json({kCvex, "vault", "deploy", "--root", root, "--dex", dir() + "/dex.json", "--registry",
                          net.registry().address().checksum_hex(), "--measurement", "0x" + measurement_hex(),
                          "--deposit-a", "50ether", "--deposit-b", "125000ether", "--max-per-trade-a", "20ether", "--max-per-trade-b",
                          "50000ether", "--refill-a", "200ether", "--refill-b", "500000ether", "--refill-period", "60", "--max-slippage-bps", std::to_string(slippage_bps), "--out",
                          dir() + "/vault.json"},
                         owner);
        json bots = {{"bots", json::array({json{{"name", "arb"},
                                                {"strategy", "arbitrage"},
                                                {"vault", vault["vault"]},
                                                {"measurement", "0x" + measurement_hex()},
                                                {"base_token", dex["token_a"]},
                                                {"venue_a", {{"pool", dex["v2_pair"]}, {"kind", "v2_pair"}}},
                                                {"venue_b",
                                                 {{"pool", dex["v3_pool"]},
                                                  {"kind", "v3_pool"},
                                                  {"tick_lower", dex["v3_tick_lower"]},
                                                  {"tick_upper", dex["v3_tick_upper"]}}},
                                                {"min_profit", "1000000000000000"},
                                                {"paper", paper},
                                                {"base_per_native", "1000000000000000000"}}})}};
        bots_path = dir() + "/bots.json";
        std::ofstream(bots_path) << bots.dump(2);
        REQUIRE(net.eth()->rpc().call("evm_setIntervalMining", {1}, chain::Idempotency::kUnsafe));
        REQUIRE(net.eth()->evm_set_automine(false));
    }

    // OracleNet attests dev account 2 for the measurement 0x5a × 48.
    static std::string measurement_hex() {
        std::string h;
        for (int i = 0; i < 48; ++i) h += "5a";
        return h;
    }

    std::unique_ptr<ChildProcess> start_bot(const std::string& log) {
        return std::make_unique<ChildProcess>(
            std::vector<std::string>{kCvex, "bot", "run", "--config", bots_path, "--journal", dir() + "/bot.journal"},
            std::vector<std::string>{"ETH_RPC_URL=" + url, "CVEX_PRIVATE_KEY=" + Anvil::dev_key(2)}, log);
    }

    // A whale (dev account 3) sells `amount` of token A into the V2 pair: A gets cheap there.
    uint64_t open_gap(const std::string& amount) {
        auto r = run_json({kCvex, "dex", "swap", "--deployment", dir() + "/dex.json", "--venue", "v2", "--token-in", "A", "--amount", amount},
                          {"ETH_RPC_URL=" + url, "CVEX_PRIVATE_KEY=" + Anvil::dev_key(3)});
        return r["block"].get<uint64_t>();
    }

    std::vector<chain::Log> traded(uint64_t from) {
        chain::LogFilter f;
        f.addresses = {*chain::Address::parse(vault["vault"].get<std::string>())};
        f.topics = {std::vector<chain::Hash32>{cvex::bots::vault_traded_topic()}};
        f.from_block = from;
        f.to_block = *net.eth()->block_number();
        auto logs = net.eth()->logs(f);
        REQUIRE(logs);
        return *logs;
    }

    json report(std::optional<uint64_t> to_block = std::nullopt) {
        // From the block before the first trade (the default): deposits are not profit.
        std::vector<std::string> argv = {kCvex, "bot", "report", "--vault", vault["vault"], "--base-token", dex["token_a"], "--other-token",
                                         dex["token_b"]};
        if (to_block) argv.insert(argv.end(), {"--to-block", std::to_string(*to_block)});
        return run_json(argv, {"ETH_RPC_URL=" + url});
    }

    // Price of A in B on each pool, as doubles (reserves; sqrtPriceX96²), for the gap check.
    std::pair<double, double> prices() {
        auto v2 = chain::Contract(*chain::ContractAbi::from_signatures("P", {"getReserves()(uint112,uint112,uint32)", "token0()(address)"}),
                                  *chain::Address::parse(dex["v2_pair"].get<std::string>()), net.eth());
        auto r = *v2.call("getReserves", {});
        const bool a_is_0 = (*v2.call("token0", {}))[0].address() == *chain::Address::parse(dex["token_a"].get<std::string>());
        const double r0 = std::stod(r[0].word().dec()), r1 = std::stod(r[1].word().dec());
        const double v2_price = a_is_0 ? r1 / r0 : r0 / r1;
        auto v3 = chain::Contract(*chain::ContractAbi::from_signatures("Q", {"slot0()(uint160,int24,uint16,uint16,uint16,uint8,bool)"}),
                                  *chain::Address::parse(dex["v3_pool"].get<std::string>()), net.eth());
        const double sp = std::stod((*v3.call("slot0", {}))[0].word().dec()) / 79228162514264337593543950336.0;
        const double v3_price = a_is_0 ? sp * sp : 1.0 / (sp * sp);
        return {v2_price, v3_price};
    }
};

bool wait_for(const std::function<bool()>& done, std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return false;
}

U256 dec(const json& v) { return *U256::parse_dec(v.get<std::string>()); }

}  // namespace

TEST_CASE("the arbitrage bot closes an injected price gap within two blocks and the vault gains more than the gas") {
    BotNet b;
    auto bot = b.start_bot(dir() + "/bot-arb.log");
    std::this_thread::sleep_for(std::chrono::seconds(3));
    const auto [p2_before, p3_before] = b.prices();
    REQUIRE(std::abs(p2_before / p3_before - 1) < 0.001);

    const uint64_t gap_block = b.open_gap("10ether");
    const auto [p2_gap, p3_gap] = b.prices();
    INFO("gap: V2 " << p2_gap << " vs V3 " << p3_gap);
    REQUIRE(p3_gap / p2_gap - 1 > 0.015);

    REQUIRE(wait_for([&] { return b.traded(gap_block).size() >= 2; }, std::chrono::seconds(20)));
    INFO(bot->log());
    const auto trades = b.traded(gap_block);
    for (const auto& t : trades) CHECK(t.block_number <= gap_block + 2);
    const auto [p2_after, p3_after] = b.prices();
    INFO("after: V2 " << p2_after << " vs V3 " << p3_after);
    CHECK(std::abs(p3_after / p2_after - 1) < 0.0075);  // within the two pools' fees (0.3% each)

    const auto report = b.report();
    INFO(report.dump(2));
    REQUIRE(report["pnl"].get<std::string>()[0] != '-');
    CHECK(dec(report["pnl"]) > dec(report["gas_spent_wei"]));  // base token is WETH: the same unit as gas
    CHECK(report["trade_count"].get<size_t>() == trades.size());
}

TEST_CASE("the bot idles while the vault is paused and resumes afterwards, within the vault's default price guard") {
    BotNet b(false, 50);
    auto bot = b.start_bot(dir() + "/bot-pause.log");
    std::this_thread::sleep_for(std::chrono::seconds(2));
    const std::vector<std::string> owner = {"ETH_RPC_URL=" + b.url, "CVEX_PRIVATE_KEY=" + Anvil::dev_key(0)};
    REQUIRE(test::run_process({kCvex, "send", b.vault["vault"], "pause()"}, owner).exit_code == 0);
    const auto [p2_start, p3_start] = b.prices();
    const uint64_t gap_block = b.open_gap("10ether");
    const auto [p2_gap, p3_gap] = b.prices();
    INFO("start: V2 " << p2_start << " V3 " << p3_start << "; gap: V2 " << p2_gap << " V3 " << p3_gap);
    std::this_thread::sleep_for(std::chrono::seconds(4));
    CHECK(b.traded(gap_block).empty());
    CHECK(bot->log().find("idle") != std::string::npos);
    REQUIRE(test::run_process({kCvex, "send", b.vault["vault"], "unpause()"}, owner).exit_code == 0);
    CHECK(wait_for([&] { return b.traded(gap_block).size() >= 2; }, std::chrono::seconds(20)));
    INFO(bot->log());
    CHECK(bot->log().find("resuming") != std::string::npos);
}

TEST_CASE("a bot killed with SIGKILL mid-run and restarted sends no trade twice and reports the same PnL") {
    BotNet b;
    auto bot = b.start_bot(dir() + "/bot-kill.log");
    std::this_thread::sleep_for(std::chrono::seconds(2));
    const uint64_t gap_block = b.open_gap("10ether");
    // Killed while its trades are (very likely) in flight.
    std::this_thread::sleep_for(std::chrono::milliseconds(1200));
    bot->stop(SIGKILL);
    bot = b.start_bot(dir() + "/bot-kill.log");
    REQUIRE(wait_for([&] { return b.traded(gap_block).size() >= 2; }, std::chrono::seconds(20)));
    std::this_thread::sleep_for(std::chrono::seconds(4));  // let anything left settle
    const auto trades = b.traded(gap_block);
    std::set<chain::Hash32> txs;
    for (const auto& t : trades) txs.insert(t.transaction_hash);
    CHECK(txs.size() == trades.size());
    const auto [p2, p3] = b.prices();
    CHECK(std::abs(p3 / p2 - 1) < 0.0075);
    const uint64_t at = *b.net.eth()->block_number();
    const auto before = b.report(at);
    CHECK(before["pnl"].get<std::string>()[0] != '-');

    bot->stop(SIGKILL);
    bot = b.start_bot(dir() + "/bot-kill.log");
    std::this_thread::sleep_for(std::chrono::seconds(4));
    INFO(bot->log());
    CHECK(b.traded(gap_block).size() == trades.size());  // nothing new: the restarted bot found no gap
    // The PnL is the chain's: the same figures for the same block whatever ran in between.
    const auto after = b.report(at);
    CHECK(after["pnl"] == before["pnl"]);
    CHECK(after["trades"] == before["trades"]);
    CHECK(b.report()["trade_count"] == before["trade_count"]);
}

TEST_CASE("a paper bot makes the same decisions, simulates them, and sends nothing") {
    BotNet b(/*paper=*/true);
    auto bot = b.start_bot(dir() + "/bot-paper.log");
    std::this_thread::sleep_for(std::chrono::seconds(2));
    const uint64_t gap_block = b.open_gap("10ether");
    REQUIRE(wait_for([&] { return bot->log().find("trade paper") != std::string::npos; }, std::chrono::seconds(15)));
    INFO(bot->log());
    CHECK(bot->log().find("PAPER") != std::string::npos);
    std::this_thread::sleep_for(std::chrono::seconds(2));
    CHECK(b.traded(gap_block).empty());
    const auto [p2, p3] = b.prices();
    CHECK(p3 / p2 - 1 > 0.015);  // the gap is still there
}
