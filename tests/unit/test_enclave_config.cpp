// The cvex-enclave config file (enclave-app/enclave_config.hpp, bot_config.hpp): what it accepts,
// and that every refusal names the offending key.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "chain/crypto/keccak.hpp"
#include "enclave-app/enclave_config.hpp"
#include "enclave-app/host_config.hpp"

using namespace cvex;
using namespace cvex::enclave;
using namespace cvex::attest;
using namespace cvex::bots;
using nlohmann::json;

namespace {

const std::string kA = "0x00000000000000000000000000000000000000a1";
const std::string kB = "0x00000000000000000000000000000000000000b2";
const std::string kC = "0x00000000000000000000000000000000000000c3";
const std::string kMeasurement = "0x" + std::string(96, '7');

json base() {
    return json{{"rpc_url", "http://127.0.0.1:8545"}, {"chain_id", 31337}, {"contracts", {{"registry", kA}, {"coordinator", kB}}}};
}

json arbitrage() {
    return json{{"name", "arb"},
                {"strategy", "arbitrage"},
                {"vault", kC},
                {"measurement", kMeasurement},
                {"base_token", kA},
                {"venue_a", {{"pool", kB}, {"kind", "v2_pair"}}},
                {"venue_b", {{"pool", kC}, {"kind", "v3_router"}, {"target", kA}, {"tick_lower", -887220}, {"tick_upper", 887220}}}};
}

std::string error_key(const json& j) {
    auto c = parse_enclave_config(j.dump());
    REQUIRE_FALSE(c);
    return c.error().key;
}

}  // namespace

TEST_CASE("a minimal config parses with the documented defaults") {
    auto c = parse_enclave_config(base().dump());
    REQUIRE(c);
    CHECK(c->chain_id == 31337);
    CHECK(c->http_listen == "127.0.0.1");
    CHECK(c->http_port == 9100);
    CHECK_FALSE(c->oracle);
    CHECK(c->bots.empty());
}

TEST_CASE("an unknown or missing key is refused by name") {
    auto j = base();
    j["rpc_urll"] = "x";
    CHECK(error_key(j) == "rpc_urll");
    j = base();
    j.erase("rpc_url");
    CHECK(error_key(j) == "rpc_url");
    j = base();
    j["contracts"]["registry"] = "0x12";
    CHECK(error_key(j) == "contracts.registry");
    CHECK(parse_enclave_config("{not json").error().key == "(file)");
}

TEST_CASE("state_dir and simulated_chip are paths; a simulated chip needs the simulated provider") {
    auto j = base();
    CHECK_FALSE(parse_enclave_config(j.dump())->state_dir);
    j["state_dir"] = "/var/lib/cvex";
    j["provider"] = "simulated";
    j["simulated_chip"] = "/tmp/chip.seed";
    auto c = parse_enclave_config(j.dump());
    REQUIRE(c);
    CHECK(c->state_dir == "/var/lib/cvex");
    CHECK(c->simulated_chip == "/tmp/chip.seed");
    j["state_dir"] = "";
    CHECK(error_key(j) == "state_dir");
    j["state_dir"] = 3;
    CHECK(error_key(j) == "state_dir");
    j = base();
    j["simulated_chip"] = "/tmp/chip.seed";
    CHECK(error_key(j) == "simulated_chip");
}

TEST_CASE("an oracle replica takes its place among the replicas of its key") {
    auto j = base();
    j["oracle"] = json{{"replica_index", 1}, {"replica_count", 2}, {"takeover_blocks", 3}};
    auto c = parse_enclave_config(j.dump());
    REQUIRE(c);
    CHECK(c->oracle->replica_index == 1);
    CHECK(c->oracle->replica_count == 2);
    CHECK(c->oracle->takeover_blocks == 3);
    j["oracle"]["replica_index"] = 2;
    CHECK(error_key(j) == "oracle.replica_index");
    j["oracle"] = json{{"replica_count", 0}};
    CHECK(error_key(j) == "oracle.replica_count");
}

TEST_CASE("the oracle workload takes its keys and needs the coordinator") {
    auto j = base();
    j["oracle"] = {{"start_block", 7}, {"max_batch", 50}};
    auto c = parse_enclave_config(j.dump());
    REQUIRE(c);
    REQUIRE(c->oracle);
    CHECK(c->oracle->start_block == 7);
    CHECK(c->oracle->max_batch == 50);
    CHECK(c->oracle->max_in_flight == 4);
    j["oracle"]["max_batch"] = 0;
    CHECK(error_key(j) == "oracle.max_batch");
    j["oracle"] = {{"batch", 1}};
    CHECK(error_key(j) == "oracle.batch");
    j = base();
    j["contracts"].erase("coordinator");
    j["oracle"] = json::object();
    CHECK(error_key(j) == "oracle");
}

TEST_CASE("an arbitrage bot parses: venues, the measurement id, the V3 tick range") {
    auto j = base();
    auto bot = arbitrage();
    bot["paper"] = true;
    j["bots"] = json::array({bot});
    auto c = parse_enclave_config(j.dump());
    REQUIRE(c);
    REQUIRE(c->bots.size() == 1);
    const auto& b = c->bots[0];
    CHECK(b.name == "arb");
    CHECK(b.paper);
    std::array<uint8_t, 48> m;
    m.fill(0x77);
    CHECK(b.measurement_id == chain::keccak256(m));
    const auto& a = std::get<ArbitrageConfig>(b.strategy);
    CHECK(a.venue_a.kind == TradeKind::kUniswapV2Pair);
    CHECK(a.venue_a.target == a.venue_a.pool);  // the pair is its own target
    CHECK(a.venue_b.kind == TradeKind::kUniswapV3Router);
    REQUIRE(b.v3_ranges.size() == 1);
    CHECK(b.v3_ranges[0].lower == -887220);
    CHECK(b.v2_pools().size() == 1);
    CHECK(b.v3_pools().size() == 1);
}

TEST_CASE("a v3_pool venue targets the pool itself and still needs its tick range") {
    auto j = base();
    auto bot = arbitrage();
    bot["venue_b"] = {{"pool", kC}, {"kind", "v3_pool"}, {"tick_lower", -60}, {"tick_upper", 60}};
    j["bots"] = json::array({bot});
    const auto c = parse_enclave_config(j.dump());
    REQUIRE(c);
    const auto& a = std::get<ArbitrageConfig>(c->bots.at(0).strategy);
    CHECK(a.venue_b.kind == TradeKind::kUniswapV3Pool);
    CHECK(a.venue_b.target == a.venue_b.pool);  // the pool is its own target
    CHECK(c->bots.at(0).v2_pools().size() == 1);  // the V3 pool is not followed as a V2 pair
    bot["venue_b"]["target"] = kA;
    j["bots"] = json::array({bot});
    CHECK(error_key(j) == "bots[0].venue_b.target");
    bot["venue_b"].erase("target");
    bot["venue_b"].erase("tick_upper");
    j["bots"] = json::array({bot});
    CHECK(error_key(j) == "bots[0].venue_b.tick_lower");
}

TEST_CASE("a bad bot is refused naming the key inside the bots array") {
    auto with = [](const std::function<void(json&)>& edit) {
        auto j = base();
        auto bot = arbitrage();
        edit(bot);
        j["bots"] = json::array({bot});
        return error_key(j);
    };
    CHECK(with([](json& b) { b["strategy"] = "martingale"; }) == "bots[0].strategy");
    CHECK(with([](json& b) { b["venue_a"]["kind"] = "v4_hook"; }) == "bots[0].venue_a.kind");
    CHECK(with([](json& b) { b["venue_b"].erase("tick_lower"); }) == "bots[0].venue_b.tick_lower");
    CHECK(with([](json& b) { b["venue_a"]["target"] = kA; }) == "bots[0].venue_a.target");
    CHECK(with([](json& b) { b["measurement"] = "0x1234"; }) == "bots[0].measurement");
    CHECK(with([](json& b) { b["slippage_bps"] = 5000; }) == "bots[0].slippage_bps");
    CHECK(with([](json& b) { b["min_profit"] = 5; }) == "bots[0].min_profit");
    CHECK(with([](json& b) { b["colour"] = "red"; }) == "bots[0].colour");
    auto j = base();
    j["bots"] = json::array({arbitrage(), arbitrage()});
    CHECK(error_key(j) == "bots[1].name");
}

TEST_CASE("the guest checks its own report against the default policy unless the config names another") {
    auto d = parse_enclave_config(base().dump());
    REQUIRE(d);
    CHECK(d->attestation_policy.name == "default");
    CHECK(d->attestation_policy.vmpl == 0u);
    CHECK_FALSE(d->attestation_policy.min_tcb_per_product.empty());
    json j = base();
    j["attestation_policy"] = "permissive";
    auto p = parse_enclave_config(j.dump());
    REQUIRE(p);
    CHECK(p->attestation_policy.permissive);
    for (const json& bad : {json(""), json(7), json("/nonexistent/policy.json")}) {
        json k = base();
        k["attestation_policy"] = bad;
        INFO(bad.dump());
        CHECK(error_key(k) == "attestation_policy");
    }
}

TEST_CASE("a key given twice in the config is refused by name") {
    auto c = parse_enclave_config(R"({"rpc_url": "http://127.0.0.1:8545", "chain_id": 1, "chain_id": 31337, "contracts": {"registry": ")" + kA +
                                  R"("}})");
    REQUIRE_FALSE(c);
    CHECK(c.error().key == "chain_id");
    CHECK_THAT(c.error().detail, Catch::Contains("twice"));
}

TEST_CASE("the fee caps have safe defaults: 200 gwei per gas and 1 ether of fees an hour") {
    auto c = parse_enclave_config(base().dump());
    REQUIRE(c);
    REQUIRE(c->max_fee_wei);
    CHECK(*c->max_fee_wei == chain::U256(200'000'000'000ULL));
    CHECK(c->max_spend_per_hour_wei == chain::U256(1'000'000'000'000'000'000ULL));
    CHECK(c->confirmations == 3);
    auto j = base();
    j["gas"] = {{"max_spend_per_hour_wei", "5"}};
    c = parse_enclave_config(j.dump());
    REQUIRE(c);
    CHECK(c->max_spend_per_hour_wei == chain::U256(5));
}

TEST_CASE("rpc: several endpoints and a quorum, a majority by default") {
    auto j = base();
    j.erase("rpc_url");
    j["rpc"] = {{"urls", {"https://a.example", "https://b.example", "http://127.0.0.1:8545"}}};
    auto c = parse_enclave_config(j.dump());
    REQUIRE(c);
    CHECK(c->rpc_urls.size() == 3);
    CHECK(c->rpc_quorum == 2);
    j["rpc"]["quorum"] = 3;
    CHECK(parse_enclave_config(j.dump())->rpc_quorum == 3);
}

TEST_CASE("rpc: a bad quorum, a repeated endpoint, plain HTTP off loopback in a quorum, or both forms are refused by key") {
    auto j = base();
    j.erase("rpc_url");
    j["rpc"] = {{"urls", {"https://a.example", "https://b.example"}}, {"quorum", 3}};
    CHECK(error_key(j) == "rpc.quorum");
    j["rpc"] = {{"urls", {"https://a.example", "https://a.example"}}};
    CHECK(error_key(j) == "rpc.urls[1]");
    j["rpc"] = {{"urls", {"https://a.example", "http://b.example"}}};
    CHECK(error_key(j) == "rpc.urls[1]");
    j["rpc"] = {{"urls", json::array()}};
    CHECK(error_key(j) == "rpc.urls");
    j = base();
    j["rpc_url"] = "http://10.0.2.100:8545";  // one node is the host's view anyway (QEMU's guestfwd)
    CHECK(parse_enclave_config(j.dump()));
    j = base();
    j["rpc"] = {{"urls", {"https://a.example"}}};
    CHECK(error_key(j) == "rpc_url");
}
TEST_CASE("send: signed transactions through another endpoint, no fallback unless the config says so") {
    auto j = base();
    j["send"] = {{"url", "https://private-tx.example"}};
    auto c = parse_enclave_config(j.dump());
    REQUIRE(c);
    CHECK(c->send_url == "https://private-tx.example");
    CHECK_FALSE(c->send_fallback);
    j["send"]["fallback"] = true;
    CHECK(parse_enclave_config(j.dump())->send_fallback);
    CHECK_FALSE(parse_enclave_config(base().dump())->send_url);
}

TEST_CASE("send: plain HTTP off loopback, the read endpoint itself, a missing url or an unknown key are refused by key") {
    auto j = base();
    j["send"] = {{"url", "http://private-tx.example"}};
    CHECK(error_key(j) == "send.url");
    j["send"] = {{"url", "http://127.0.0.1:8545"}};  // the read endpoint
    CHECK(error_key(j) == "send.url");
    j["send"] = {{"fallback", true}};
    CHECK(error_key(j) == "send.url");
    j["send"] = {{"url", "https://private-tx.example"}, {"fallback", "yes"}};
    CHECK(error_key(j) == "send.fallback");
    j["send"] = {{"url", "https://private-tx.example"}, {"fallbak", true}};
    CHECK(error_key(j) == "send.fallbak");
    j["send"] = "https://private-tx.example";
    CHECK(error_key(j) == "send");
}

TEST_CASE("handover: a key set to receive through the KeyHandover contract, with its timeout") {
    auto j = base();
    const std::string key_set = "0x" + std::string(64, 'e');
    j["contracts"]["key_handover"] = kC;
    j["handover"] = {{"receive", key_set}};
    auto c = parse_enclave_config(j.dump());
    REQUIRE(c);
    CHECK(c->key_handover->checksum_hex() == chain::Address::parse(kC)->checksum_hex());
    CHECK(c->handover.receive->hex() == key_set);
    CHECK(c->handover.timeout_s == 600);
    j["handover"]["timeout_s"] = 30;
    CHECK(parse_enclave_config(j.dump())->handover.timeout_s == 30);
    // A holder only needs the contract: it serves every request the contract accepted.
    auto holder = base();
    holder["contracts"]["key_handover"] = kC;
    REQUIRE(parse_enclave_config(holder.dump()));
    CHECK_FALSE(parse_enclave_config(holder.dump())->handover.receive);
}

TEST_CASE("handover: without the contract, a zero or malformed key set, a zero timeout or an unknown key are refused by key") {
    auto j = base();
    j["handover"] = {{"receive", "0x" + std::string(64, 'e')}};
    CHECK(error_key(j) == "handover");  // needs contracts.key_handover
    j["contracts"]["key_handover"] = kC;
    j["handover"]["receive"] = "0x" + std::string(64, '0');
    CHECK(error_key(j) == "handover.receive");
    j["handover"]["receive"] = "0x1234";
    CHECK(error_key(j) == "handover.receive");
    j["handover"] = {{"receive", "0x" + std::string(64, 'e')}, {"timeout_s", 0}};
    CHECK(error_key(j) == "handover.timeout_s");
    j["handover"] = {{"recieve", "0x" + std::string(64, 'e')}};
    CHECK(error_key(j) == "handover.recieve");
}

TEST_CASE("a simulated platform handed in by the host replaces simulated_measurement, and only with the simulated provider") {
    auto j = base();
    j["provider"] = "simulated";
    j["simulated_platform"] = "/sys/firmware/qemu_fw_cfg/by_name/opt/cvex/sim-platform/raw";
    auto c = parse_enclave_config(j.dump());
    REQUIRE(c);
    CHECK(c->simulated_platform == "/sys/firmware/qemu_fw_cfg/by_name/opt/cvex/sim-platform/raw");
    CHECK(c->source == j.dump());  // published on /attestation as given
    j["simulated_measurement"] = kMeasurement;
    CHECK(error_key(j) == "simulated_platform");
    j.erase("simulated_measurement");
    j["provider"] = "auto";
    CHECK(error_key(j) == "simulated_platform");
}

TEST_CASE("the host may set only http.port; every trust-relevant key it tries is refused by name") {
    auto measured = parse_enclave_config(base().dump());
    REQUIRE(measured);
    auto ok = apply_host_config(*measured, R"({"http": {"port": 9200}})");
    REQUIRE(ok);
    CHECK(ok->http_port == 9200);
    CHECK(ok->source == measured->source);  // what /attestation publishes stays the measured config
    CHECK(ok->registry == measured->registry);

    for (const auto& [text, key] : std::vector<std::pair<std::string, std::string>>{
             {R"({"rpc_url": "http://evil:8545"})", "host config rpc_url"},
             {R"({"chain_id": 1})", "host config chain_id"},
             {R"({"contracts": {"registry": ")" + kC + R"("}})", "host config contracts"},
             {R"({"gas": {"max_fee_wei": "1"}})", "host config gas"},
             {R"({"provider": "simulated"})", "host config provider"},
             {R"({"bots": []})", "host config bots"},
             {R"({"http": {"listen": "0.0.0.0"}})", "host config http.listen"},
             {R"({"http": {"port": 0}})", "host config http.port"},
             {R"([1])", "host config"},
         }) {
        auto r = apply_host_config(*measured, text);
        INFO(text);
        REQUIRE_FALSE(r);
        CHECK(r.error().key == key);
    }
}
