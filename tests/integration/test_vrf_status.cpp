// Issue 20 (no silent answers, callback failures you can act on) and issue 16 §2 (status and
// re-delivery), end to end: `cvex vrf fulfilments` and `cvex vrf status` against a real Anvil and
// the real oracle — pending, no such request, not a coordinator; a reverting and an out-of-gas
// callback reported with their decoded reasons by the chain, the CLI and the oracle's log; words
// re-delivered once the consumer is fixed.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <thread>

#include <nlohmann/json.hpp>

#include "support/child_process.hpp"
#include "support/oracle_net.hpp"
#include "support/process.hpp"

using namespace cvex;
using chain::AbiValue;
using chain::U256;
using cvex::test::Anvil;
using cvex::test::OracleNet;
using cvex::test::run_process;

namespace {

const std::string kCvex = std::string(CVEX_BIN_DIR) + "/cvex";
const std::string kOracleBin = std::string(CVEX_BIN_DIR) + "/cvex-oracle";

std::string log_path() {
    const auto dir = std::filesystem::temp_directory_path() / ("cvex-vrf-status-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    return (dir / "oracle.log").string();
}

struct Cli {
    std::vector<std::string> env;
    std::string coordinator;
    test::ProcessResult run(std::vector<std::string> argv) const {
        argv.insert(argv.begin(), kCvex);
        return run_process(argv, env);
    }
};

}  // namespace

TEST_CASE("fulfilments and status explain every request: pending, missing, not a coordinator, callbacks failed and re-delivered") {
    OracleNet::Options o;
    o.anvil.block_time = 1.0;
    OracleNet net(o);
    auto& consumer = net.consumers().at(0);
    const Cli cli{{"ETH_RPC_URL=" + net.anvil().url(), "CVEX_PRIVATE_KEY=" + Anvil::dev_key(5)}, net.coordinator().address().checksum_hex()};

    const U256 reverting = net.request(0, 1, 1, 100'000, 1);
    REQUIRE(consumer.transact("setRevertFor", {AbiValue(reverting), AbiValue(true)}));
    const U256 starved = net.request(0, 1, 1, 5'000, 1);  // storing the words needs far more than 5,000 gas
    const U256 fine = net.request(0, 1, 1, 100'000, 1);
    const U256 later = net.request(0, 200, 1, 100'000, 1);
    const uint64_t later_ready = *net.eth()->block_number() + 200;

    // --- Before any oracle runs: nothing is silent.
    auto pending = cli.run({"vrf", "fulfilments", "--coordinator", cli.coordinator, "--request-id", later.dec()});
    CHECK(pending.exit_code == 3);
    CHECK(pending.out.empty());
    CHECK_THAT(pending.err, Catch::Contains("pending (ready at block " + std::to_string(later_ready) + ")"));
    auto missing = cli.run({"vrf", "fulfilments", "--coordinator", cli.coordinator, "--request-id", "999"});
    CHECK(missing.exit_code == 1);
    CHECK_THAT(missing.err, Catch::Contains("no such request"));
    auto registry = cli.run({"vrf", "fulfilments", "--coordinator", net.registry().address().checksum_hex(), "--request-id", "1"});
    CHECK(registry.exit_code == 2);
    CHECK_THAT(registry.err, Catch::Contains("not a cvex coordinator"));
    auto account = cli.run({"vrf", "status", "1", "--coordinator", Anvil::dev_address(7)});
    CHECK(account.exit_code == 2);
    CHECK_THAT(account.err, Catch::Contains("not a cvex coordinator"));
    auto never = cli.run({"vrf", "status", fine.dec(), "--coordinator", cli.coordinator});
    CHECK(never.exit_code == 0);
    CHECK_THAT(never.out, Catch::Contains("its key's oracle has never fulfilled"));

    // --- The oracle fulfils the three that are ready.
    test::ChildProcess oracle({kOracleBin, "--rpc-url", net.anvil().url(), "--coordinator", cli.coordinator, "--start-block",
                               std::to_string(net.deploy_block()), "--poll-ms", "50"},
                              net.oracle_env(), log_path());
    for (int i = 0; i < 300 && net.pending().size() > 1; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    REQUIRE(net.pending() == std::vector<U256>{later});

    auto record = [&](const U256& id) {
        auto r = cli.run({"vrf", "fulfilments", "--coordinator", cli.coordinator, "--request-id", id.dec()});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        return nlohmann::json::parse(r.out);
    };
    const auto reverted = record(reverting);
    CHECK(reverted["callback_success"] == false);
    CHECK(reverted["callback"]["out_of_gas"] == false);
    CHECK(reverted["callback"]["reason"] == "CallbackReverted(" + reverting.dec() + ")");
    const auto out_of_gas = record(starved);
    CHECK(out_of_gas["callback"]["out_of_gas"] == true);
    CHECK(out_of_gas["callback"]["revert_data"] == "0x");
    const auto ok = record(fine);
    CHECK(ok["callback_success"] == true);
    CHECK_FALSE(ok.contains("callback"));

    // The oracle logs a failed callback when it collects the fulfilment's receipt, which may come
    // a poll after the chain shows the request fulfilled: wait for the line, not for the chain.
    const std::string reverted_line = "its callback reverted: CallbackReverted(" + reverting.dec() + ")";
    std::string log = oracle.log();
    for (int i = 0; i < 150 && (log.find(reverted_line) == std::string::npos || log.find("ran out of its gas limit") == std::string::npos); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        log = oracle.log();
    }
    CHECK_THAT(log, Catch::Contains("request " + reverting.dec() + " fulfilled in") &&
                        Catch::Contains("its callback reverted: CallbackReverted(" + reverting.dec() + ")"));
    CHECK_THAT(log, Catch::Contains("request " + starved.dec() + " fulfilled in") && Catch::Contains("ran out of its gas limit"));

    auto status = cli.run({"vrf", "status", reverting.dec(), "--coordinator", cli.coordinator, "--json"});
    REQUIRE(status.exit_code == 0);
    const auto s = nlohmann::json::parse(status.out);
    CHECK(s["state"] == "callback_failed");
    CHECK_THAT(s["summary"].get<std::string>(), Catch::Contains("callback failed: reverted: CallbackReverted(" + reverting.dec() + ")"));
    CHECK(s["key"]["attested"] == true);

    auto waiting = cli.run({"vrf", "status", later.dec(), "--coordinator", cli.coordinator});
    CHECK(waiting.exit_code == 0);
    CHECK_THAT(waiting.out, Catch::Contains("pending (ready at block " + std::to_string(later_ready) + ")") &&
                                Catch::Contains("its key's oracle last fulfilled in block"));

    // --- Fixed, the consumer gets the very words the fulfilment proved; only once.
    REQUIRE(consumer.transact("setRevertFor", {AbiValue(reverting), AbiValue(false)}));
    const std::string words = "[" + reverted["words"][0].get<std::string>() + "]";
    auto redelivered = cli.run({"send", cli.coordinator, "redeliver(uint256,uint256[])", reverting.dec(), words});
    INFO(redelivered.err);
    REQUIRE(redelivered.exit_code == 0);
    auto after = cli.run({"vrf", "status", reverting.dec(), "--coordinator", cli.coordinator, "--json"});
    REQUIRE(after.exit_code == 0);
    CHECK(nlohmann::json::parse(after.out)["state"] == "redelivered");
    auto fulfilments = consumer.call("fulfilments", {AbiValue(reverting)});
    REQUIRE(fulfilments);
    CHECK((*fulfilments)[0].word() == U256(1));
    auto again = cli.run({"send", cli.coordinator, "redeliver(uint256,uint256[])", reverting.dec(), words});
    CHECK(again.exit_code == 1);
    CHECK_THAT(again.err, Catch::Contains("NotRedeliverable(" + reverting.dec() + ")"));
}

TEST_CASE("`cvex vrf` lists its subcommands: on stdout with exit 0 for --help, on stderr with exit 2 alone") {
    auto help = run_process({kCvex, "vrf", "--help"});
    CHECK(help.exit_code == 0);
    for (const char* sub : {"vrf status", "vrf fulfilments", "vrf verify", "vrf prove"}) CHECK_THAT(help.out, Catch::Contains(sub));
    auto bare = run_process({kCvex, "vrf"});
    CHECK(bare.exit_code == 2);
    CHECK_THAT(bare.err, Catch::Contains("vrf status"));
    CHECK(bare.err.find("unknown command") == std::string::npos);
}
