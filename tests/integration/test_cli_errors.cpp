// Issue 20: `cvex send`, `cvex call` and `cvex deploy` decode the custom errors of every cvex
// contract (compiled into the binary), of any artifact given with --abi, and print an unknown
// one with its raw data as cast does — against a real Anvil, the reverts made by a deployed Probe.
#include <catch2/catch.hpp>

#include "chain/contract_errors/contract_errors.hpp"
#include "support/abi_samples.hpp"
#include "support/anvil.hpp"
#include "support/process.hpp"

using cvex::test::Anvil;
using cvex::test::run_process;

namespace {
const std::string kCvex = std::string(CVEX_BIN_DIR) + "/cvex";
const std::string kOut = std::string(CVEX_SOURCE_DIR) + "/contracts/out";
}  // namespace

TEST_CASE("cvex send decodes a custom error of every cvex contract; call and deploy too; an unknown one is raw") {
    Anvil anvil;
    const std::vector<std::string> env = {"ETH_RPC_URL=" + anvil.url(), "CVEX_PRIVATE_KEY=" + Anvil::dev_key(0)};
    auto deployed = run_process({kCvex, "deploy", kOut + "/Probe.sol/Probe.json", "100", "x"}, env);
    REQUIRE(deployed.exit_code == 0);
    const std::string probe = deployed.out.substr(13, 42);

    size_t contracts = 0;
    for (const auto& c : cvex::chain::compiled_contract_errors()) {
        const auto& e = c.errors.back();
        const std::string data = cvex::to_hex(cvex::test::sample_revert_data(e));
        auto r = run_process({kCvex, "send", probe, "revertWith(bytes)", data}, env);
        INFO(c.contract << "." << e.canonical() << ": " << r.err);
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.err, Catch::Contains(e.name + "("));
        ++contracts;
    }
    CHECK(contracts >= 10);

    const auto& coordinator_errors = [] {
        for (const auto& c : cvex::chain::compiled_contract_errors())
            if (c.contract == "VRFCoordinator") return c.errors;
        return std::vector<cvex::chain::AbiSignature>{};
    }();
    REQUIRE_FALSE(coordinator_errors.empty());
    auto call = run_process({kCvex, "call", probe, "revertWith(bytes)", cvex::to_hex(cvex::test::sample_revert_data(coordinator_errors[0]))},
                            env);
    CHECK(call.exit_code == 1);
    CHECK_THAT(call.err, Catch::Contains(coordinator_errors[0].name + "("));

    // The coordinator's constructor refuses a zero registry: the deploy's revert is decoded.
    auto deploy = run_process({kCvex, "deploy", kOut + "/VRFCoordinator.sol/VRFCoordinator.json",
                               "0x0000000000000000000000000000000000000000", Anvil::dev_address(0)}, env);
    CHECK(deploy.exit_code == 1);
    CHECK_THAT(deploy.err, Catch::Contains("ZeroAddress()"));

    auto unknown = run_process({kCvex, "send", probe, "revertWith(bytes)",
                                "0x12345678000000000000000000000000000000000000000000000000000000000000002a"}, env);
    CHECK(unknown.exit_code == 1);
    CHECK_THAT(unknown.err,
               Catch::Contains("custom error 0x12345678: 0x000000000000000000000000000000000000000000000000000000000000002a"));
}

TEST_CASE("--abi FILE decodes the errors of a contract that is not one of cvex's") {
    Anvil anvil;
    const std::vector<std::string> env = {"ETH_RPC_URL=" + anvil.url(), "CVEX_PRIVATE_KEY=" + Anvil::dev_key(0)};
    const std::string probe = run_process({kCvex, "deploy", kOut + "/Probe.sol/Probe.json", "100", "x"}, env).out.substr(13, 42);
    // FlakyConsumer is a forge test fixture: its NotReadyYet(uint256,uint256) is not compiled in.
    const std::string flaky = kOut + "/VRFTestConsumers.sol/FlakyConsumer.json";
    const auto errors = cvex::chain::errors_from_abi_file(flaky);
    REQUIRE(errors);
    const cvex::chain::AbiSignature* not_ready = nullptr;
    for (const auto& e : *errors)
        if (e.name == "NotReadyYet") not_ready = &e;
    REQUIRE(not_ready != nullptr);
    const std::string data = cvex::to_hex(cvex::test::sample_revert_data(*not_ready));
    auto without = run_process({kCvex, "send", probe, "revertWith(bytes)", data}, env);
    CHECK_THAT(without.err, Catch::Contains("custom error 0x"));
    auto with = run_process({kCvex, "send", probe, "revertWith(bytes)", data, "--abi", flaky}, env);
    CHECK(with.exit_code == 1);
    CHECK_THAT(with.err, Catch::Contains("NotReadyYet(6, 7)"));
    auto bad = run_process({kCvex, "send", probe, "revertWith(bytes)", data, "--abi", "/nonexistent.json"}, env);
    CHECK(bad.exit_code == 2);
    CHECK_THAT(bad.err, Catch::Contains("--abi"));
}
