// Onboarding a DeFi team on its own chain (issue 21): `cvex dev attest` attests a development key
// on a local chain only and says so; `cvex dex deploy` funds its deployer by default; `cvex vault
// deploy` finds an owner short of a deposit before its first transaction and fails as the CLI
// does for unusable input (`error: …`, exit 2).
#include <catch2/catch.hpp>

#include <filesystem>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "chain/rpc/contract.hpp"
#include "chain/crypto/keccak.hpp"
#include "support/bot_net.hpp"
#include "support/process.hpp"

using namespace cvex;
using cvex::test::Anvil;
using cvex::test::BotNet;
using nlohmann::json;

namespace {

std::string tmp(const std::string& name) {
    const auto d = std::filesystem::temp_directory_path() / ("cvex-onboarding-" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    return (d / name).string();
}

}  // namespace

TEST_CASE("dev attest: attests a development key on a local chain, loudly, and refuses what it cannot do") {
    test::OracleNet::Options o;
    o.consumers = 0;
    o.attest_oracle = false;
    test::OracleNet net(o);  // registry: validator dev 1, quorum 1, measurement 0x5a × 48 allowed
    const std::string registry = net.registry().address().checksum_hex();
    const std::vector<std::string> env = {"ETH_RPC_URL=" + net.anvil().url(), "CVEX_PRIVATE_KEY=" + Anvil::dev_key(5),
                                          "CVEX_VALIDATOR_KEY=" + Anvil::dev_key(1)};
    const std::string m = "0x" + BotNet::measurement_hex();

    auto r = test::run_process({BotNet::cvex(), "dev", "attest", "--registry", registry, "--measurement", "0x" + std::string(96, '1')}, env);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("error: dev attest: registry " + registry + " does not allow this measurement") != std::string::npos);

    r = test::run_process({BotNet::cvex(), "dev", "attest", "--registry", registry, "--measurement", m},
                          {env[0], env[1], "CVEX_VALIDATOR_KEY=" + Anvil::dev_key(6)});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("is not a validator of the registry") != std::string::npos);

    r = test::run_process({BotNet::cvex(), "dev", "attest", "--registry", registry, "--measurement", m}, env);
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.find("DEVELOPMENT ONLY: attesting " + Anvil::dev_address(5)) != std::string::npos);
    const auto j = json::parse(r.out);
    CHECK(j["development"] == true);
    CHECK(j["enclave"] == Anvil::dev_address(5));
    auto attested = net.registry().call("isAttestedFor", {chain::AbiValue(*chain::Address::parse(Anvil::dev_address(5))),
                                                          chain::AbiValue(chain::keccak256(cvex::Bytes(48, 0x5a)))});
    REQUIRE(attested);
    CHECK((*attested)[0].boolean());

    // Never on a chain that is not a local development chain.
    Anvil::Options other;
    other.extra = {"--chain-id", "5"};
    Anvil goerli(other);
    r = test::run_process({BotNet::cvex(), "dev", "attest", "--registry", registry, "--measurement", m},
                          {"ETH_RPC_URL=" + goerli.url(), env[1], env[2]});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("error: dev attest: chain id 5 is not a local development chain") != std::string::npos);
}

TEST_CASE("dex deploy funds its deployer by default; vault deploy refuses an owner short of a deposit before any transaction") {
    test::OracleNet::Options o;
    o.consumers = 0;
    test::OracleNet net(o);
    Anvil& anvil = net.anvil();
    const std::string root = CVEX_SOURCE_DIR;
    const std::vector<std::string> deployer = {"ETH_RPC_URL=" + anvil.url(), "CVEX_PRIVATE_KEY=" + Anvil::dev_key(0)};
    const auto dex = test::run_json({BotNet::cvex(), "dex", "deploy", "--weth-as-a", "--root", root, "--out", tmp("dex.json")}, deployer);
    auto eth = std::shared_ptr<chain::EthClient>(std::move(*chain::EthClient::connect(anvil.url())));
    const auto erc20 = *chain::ContractAbi::from_signatures("ERC20", {"balanceOf(address)(uint256)"});
    auto balance = [&](const std::string& token, const std::string& who) {
        return (*chain::Contract(erc20, *chain::Address::parse(token), eth).call("balanceOf", {chain::AbiValue(*chain::Address::parse(who))}))[0].word();
    };
    CHECK(balance(dex["token_b"], Anvil::dev_address(0)) >= *chain::U256::parse_dec("1000000000000000000000000"));  // 1,000,000 TKB
    // Token A is WETH: the deployer keeps ether for it, which `cvex vault deploy` wraps as a deposit needs.
    CHECK(*eth->balance(*chain::Address::parse(Anvil::dev_address(0))) >= *chain::U256::parse_dec("100000000000000000000"));

    // Account 5 has ether but no TKB: the deposit of token B cannot be made.
    const auto nonce_before = *eth->transaction_count(*chain::Address::parse(Anvil::dev_address(5)));
    const auto r = test::run_process({BotNet::cvex(), "vault", "deploy", "--root", root, "--dex", tmp("dex.json"), "--registry",
                                      net.registry().address().checksum_hex(),
                                      "--measurement", "0x" + BotNet::measurement_hex()},
                                     {"ETH_RPC_URL=" + anvil.url(), "CVEX_PRIVATE_KEY=" + Anvil::dev_key(5)});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.rfind("error: vault deploy: ", 0) == 0);
    CHECK(r.err.find("holds 0 of token B") != std::string::npos);
    CHECK(*eth->transaction_count(*chain::Address::parse(Anvil::dev_address(5))) == nonce_before);  // nothing was sent
}
