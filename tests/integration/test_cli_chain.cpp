// The chain commands of `cvex` against a real Anvil: deploy, call, send, receipt, logs, and the
// decoded custom-error revert.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "support/anvil.hpp"
#include "support/process.hpp"

using cvex::test::Anvil;
using cvex::test::run_process;

namespace {
const std::string kCvex = std::string(CVEX_BIN_DIR) + "/cvex";
const std::string kProbe = std::string(CVEX_SOURCE_DIR) + "/contracts/out/Probe.sol/Probe.json";
}  // namespace

TEST_CASE("deploy, call, send, receipt and logs work end to end through the CLI") {
    Anvil anvil;
    const std::vector<std::string> env = {"ETH_RPC_URL=" + anvil.url(), "CVEX_PRIVATE_KEY=" + Anvil::dev_key(0)};
    auto deployed = run_process({kCvex, "deploy", kProbe, "100", "hello"}, env);
    INFO(deployed.err);
    REQUIRE(deployed.exit_code == 0);
    REQUIRE(deployed.out.rfind("Deployed to: 0x", 0) == 0);
    const std::string probe = deployed.out.substr(13, 42);

    auto limit = run_process({kCvex, "call", probe, "limit()(uint256)"}, env);
    CHECK(limit.out == "100\n");

    auto sent = run_process({kCvex, "send", probe, "store(uint256,string,bytes32[])", "42", "note", "[]"}, env);
    INFO(sent.err);
    REQUIRE(sent.exit_code == 0);
    const auto receipt = nlohmann::json::parse(sent.out);
    CHECK(receipt["status"] == "success");
    CHECK(run_process({kCvex, "call", probe, "value()(uint256)"}, env).out == "42\n");

    auto again = run_process({kCvex, "receipt", receipt["transactionHash"].get<std::string>()}, env);
    CHECK(nlohmann::json::parse(again.out)["blockNumber"] == receipt["blockNumber"]);

    auto logs = run_process({kCvex, "logs", "--address", probe, "--event",
                             "Stored(address indexed by, uint256 indexed value, string note, bytes32[] tags)"}, env);
    REQUIRE(logs.exit_code == 0);
    const auto log = nlohmann::json::parse(logs.out.substr(0, logs.out.find('\n')));
    CHECK(log["args"]["value"] == "42");
    CHECK(log["args"]["note"] == "note");
    CHECK(log["args"]["by"] == Anvil::dev_address(0));
}

TEST_CASE("a send that would revert is refused with the decoded custom error and exit code 1") {
    Anvil anvil;
    const std::vector<std::string> env = {"ETH_RPC_URL=" + anvil.url(), "CVEX_PRIVATE_KEY=" + Anvil::dev_key(0)};
    const std::string probe = run_process({kCvex, "deploy", kProbe, "100", "x"}, env).out.substr(13, 42);
    auto r = run_process({kCvex, "send", probe, "store(uint256,string,bytes32[])", "101", "x", "[]", "--artifact", kProbe}, env);
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("TooLarge(101, 100)"));
    auto call = run_process({kCvex, "call", probe, "failWithReason()"}, env);
    CHECK(call.exit_code == 1);
    CHECK_THAT(call.err, Catch::Contains("probe: reason"));
}

TEST_CASE("chain commands without an RPC URL or with a bad key fail clearly, never echoing the key") {
    auto no_url = run_process({kCvex, "call", "0x5FbDB2315678afecb367f032d93F642f64180aa3", "limit()(uint256)"}, {"ETH_RPC_URL="});
    CHECK(no_url.exit_code == 2);
    CHECK_THAT(no_url.err, Catch::Contains("RPC URL"));
    const std::string bad_key = "0x" + std::string(63, '7') + "z";
    auto bad = run_process({kCvex, "address"}, {"CVEX_PRIVATE_KEY=" + bad_key});
    CHECK(bad.exit_code == 2);
    CHECK(bad.err.find(bad_key) == std::string::npos);
    CHECK(bad.out.find(bad_key) == std::string::npos);
}

TEST_CASE("transfer sends ether to a fresh account; a bad amount or address is refused") {
    Anvil anvil;
    const std::vector<std::string> env = {"ETH_RPC_URL=" + anvil.url(), "CVEX_PRIVATE_KEY=" + Anvil::dev_key(0)};
    const std::string to = "0x00000000000000000000000000000000000c0ffe";
    auto sent = run_process({kCvex, "transfer", to, "1.5ether"}, env);
    INFO(sent.out << sent.err);
    REQUIRE(sent.exit_code == 0);
    auto balance = run_process({cvex::test::foundry_bin("cast"), "balance", to, "--rpc-url", anvil.url()});
    CHECK(balance.out == "1500000000000000000\n");
    CHECK(run_process({kCvex, "transfer", to, "lots"}, env).exit_code == 2);
    CHECK(run_process({kCvex, "transfer", "0x12", "1"}, env).exit_code == 2);
}
