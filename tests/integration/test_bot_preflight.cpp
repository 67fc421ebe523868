// A bots config checked against the chain before anything runs (issue 21): each mistake is one
// plain line naming the config key and what the chain says, and `cvex bot run` exits 2 on it
// instead of retrying a call forever or idling in silence.
#include <catch2/catch.hpp>

#include "support/bot_net.hpp"
#include "support/process.hpp"

using namespace cvex;
using cvex::test::Anvil;
using cvex::test::BotNet;
using nlohmann::json;

namespace {

// `cvex bot check` (or `bot run`) on the config as changed by `edit`, as `key` (dev account index).
test::ProcessResult check(BotNet& b, const std::function<void(json&)>& edit, size_t key = 2, const std::string& command = "check") {
    json saved = b.bot_config();
    edit(b.bot_config());
    const std::string path = b.write_config("edited.json");
    b.bot_config() = saved;
    return test::run_process({BotNet::cvex(), "bot", command, "--config", path},
                             {"ETH_RPC_URL=" + b.url(), "CVEX_PRIVATE_KEY=" + Anvil::dev_key(key)});
}

}  // namespace

TEST_CASE("preflight: each misconfiguration fails with one line naming the key and what the chain says") {
    BotNet b;
    const std::string v2 = b.dex()["v2_pair"], v3 = b.dex()["v3_pool"], token_b = b.dex()["token_b"];
    const std::string vault = b.vault()["vault"];

    {  // the config as deployed is ready
        const auto r = check(b, [](json&) {});
        INFO(r.out << r.err);
        CHECK(r.exit_code == 0);
        CHECK(r.out.find("ok: 1 bot(s) ready") != std::string::npos);
    }
    {  // a V3 pool given as a V2 pair
        const auto r = check(b, [&](json& c) {  // the two pools' kinds swapped
            c["venue_a"]["pool"] = v3;
            c["venue_b"]["pool"] = v2;
        });
        INFO(r.err);
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("error: bots[0].venue_a.pool: " + v3 + " is a V3 pool, not a V2 pair") != std::string::npos);
        CHECK(r.err.find("error: bots[0].venue_b.pool: " + v2 + " is a V2 pair, not a V3 pool") != std::string::npos);
    }
    {  // a token given as a pool
        const auto r = check(b, [&](json& c) { c["venue_a"]["pool"] = token_b; });
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("error: bots[0].venue_a.pool: " + token_b + " is an ERC-20 token, not a V2 pair") != std::string::npos);
    }
    {  // no contract at the pool's address
        const auto r = check(b, [&](json& c) { c["venue_a"]["pool"] = Anvil::dev_address(7); });
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("error: bots[0].venue_a.pool: no contract at " + Anvil::dev_address(7)) != std::string::npos);
    }
    {  // a base token in neither pool
        const std::string registry = b.net().registry().address().checksum_hex();
        const auto r = check(b, [&](json& c) { c["base_token"] = registry; });
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("error: bots[0].base_token: " + registry + " is not a token of venue_a.pool") != std::string::npos);
        CHECK(r.err.find("error: bots[0].base_token: " + registry + " is not a token of venue_b.pool") != std::string::npos);
    }
    {  // a router the vault allows with another kind, and one it does not allow at all
        const std::string router = b.dex()["v2_router"], manager = b.dex()["v3_position_manager"];
        auto r = check(b, [&](json& c) { c["venue_b"] = {{"pool", v3}, {"kind", "v3_router"}, {"target", router}, {"tick_lower", -887220}, {"tick_upper", 887220}}; });
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("error: bots[0].venue_b.target: " + router + " is a target of kind UniswapV2Router in vault " + vault + ", not UniswapV3Router") !=
              std::string::npos);
        r = check(b, [&](json& c) { c["venue_b"] = {{"pool", v3}, {"kind", "v3_router"}, {"target", manager}, {"tick_lower", -887220}, {"tick_upper", 887220}}; });
        CHECK(r.err.find("error: bots[0].venue_b.target: " + manager + " is not a target of vault " + vault) != std::string::npos);
    }
    {  // a token the vault does not allow
        const auto call = test::run_process({BotNet::cvex(), "calldata", "setTokenLimits(address,(bool,uint96,uint96,uint32,uint96))", token_b, "(false,0,0,0,0)"});
        REQUIRE(call.exit_code == 0);
        const std::string data = call.out.substr(0, call.out.find('\n'));
        REQUIRE(test::run_process({BotNet::cvex(), "send", vault, "queue(bytes)", data}, b.owner_env()).exit_code == 0);
        REQUIRE(test::run_process({BotNet::cvex(), "send", vault, "execute(bytes)", data}, b.owner_env()).exit_code == 0);
        const auto r = check(b, [](json&) {});
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("token " + token_b + " is not allowed by vault " + vault) != std::string::npos);
    }
    {  // a key that is not attested, and a measurement the vault does not allow
        auto r = check(b, [](json&) {}, 4);
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("error: bots[0].measurement: key " + Anvil::dev_address(4) + " is not attested for measurement id") != std::string::npos);
        r = check(b, [](json& c) { c["measurement"] = "0x" + std::string(96, '1'); });
        CHECK(r.err.find("error: bots[0].measurement: vault " + vault + " does not allow measurement id") != std::string::npos);
    }
    {  // no vault at the vault's address; and `bot run` refuses like `bot check`
        const auto r = check(b, [&](json& c) { c["vault"] = Anvil::dev_address(7); }, 2, "run");
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("error: bots[0].vault: no contract at " + Anvil::dev_address(7)) != std::string::npos);
    }
}
