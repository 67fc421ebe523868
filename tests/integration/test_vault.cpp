// The GuardedVault end to end on Anvil (issue 7 §4): a real Uniswap V2 + V3 deployed by
// `cvex dex deploy --weth-as-a`, a vault deployed and configured by `cvex vault deploy`, an
// AttestationRegistry (one validator, quorum 1) in which an Anvil dev account stands in for the
// guest's key. The vault rejects each forbidden trade with its own custom error, accepts one trade
// of each kind, and costs what it costs over the bare swap (printed).
//
// One deployment serves every test case: each starts from an evm_snapshot of it and reverts at
// the end, so the cases stay independent and the file runs in seconds.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <functional>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "chain/rpc/contract.hpp"
#include "chain/crypto/keccak.hpp"
#include "chain/crypto/local_key.hpp"
#include "support/anvil.hpp"
#include "support/process.hpp"

using namespace cvex;
using chain::AbiValue;
using chain::Address;
using cvex::Bytes;
using chain::Contract;
using chain::ContractError;
using cvex::Expected;
using chain::Hash32;
using chain::Receipt;
using chain::U256;
using cvex::test::Anvil;
using cvex::test::run_process;

namespace {

const std::string kCvex = std::string(CVEX_BIN_DIR) + "/cvex";
const std::string kRoot = CVEX_SOURCE_DIR;
const U256 kEther = U256(1'000'000'000'000'000'000ULL);
constexpr uint64_t kValidity = 86'400;  // the registry's attestation lifetime
constexpr uint64_t kRefillPeriod = 3'600;
enum Kind : uint64_t { kV2Router = 1, kV3Router = 2, kV2Pair = 3, kV3Pool = 4 };
enum Dev : size_t { kOwner = 0, kValidator = 1, kEnclave = 2, kTrader = 3, kGuardian = 4, kStranger = 5 };

U256 ether(uint64_t n) { return *U256(n).checked_mul(kEther); }
U256 add(const U256& a, const U256& b) { return *a.checked_add(b); }
U256 sub(const U256& a, const U256& b) { return *a.checked_sub(b); }
Address addr(const nlohmann::json& v) { return *Address::parse(v.get<std::string>()); }
Hash32 hash_of(const AbiValue& v) {
    Hash32 h;
    std::copy(v.bytes().begin(), v.bytes().end(), h.bytes.begin());
    return h;
}
U256 diff(const U256& a, const U256& b) { return a > b ? sub(a, b) : sub(b, a); }
Bytes v3_data(uint32_t fee) {  // abi.encode(uint24 fee, uint160 sqrtPriceLimitX96 = 0)
    Bytes d(64, 0);
    const auto w = U256(fee).to_be();
    std::copy(w.begin(), w.end(), d.begin());
    return d;
}

template <class T, class E>
T must(Expected<T, E> v, const std::string& what) {
    if constexpr (std::is_same_v<E, ContractError>) {
        INFO(what << ": " << (v ? "" : v.error().message()));
        REQUIRE(v);
    } else {
        INFO(what);
        REQUIRE(v);
    }
    if constexpr (!std::is_void_v<T>) return std::move(*v);
}

chain::ContractArtifact artifact(const std::string& name) {
    return must(chain::ContractArtifact::load(kRoot + "/contracts/out/" + name + ".sol/" + name + ".json"), "artifact " + name);
}

struct Intent {
    uint64_t kind = kV2Router;
    Address target, token_in, token_out;
    Bytes data;
    U256 amount_in, min_out, deadline, nonce;
    AbiValue value() const { return AbiValue::List{U256(kind), target, token_in, token_out, data, amount_in, min_out, deadline, nonce}; }
};

// Everything deployed once; test cases run on snapshots of it.
class Net {
public:
    Net() {
        eth = std::shared_ptr<chain::EthClient>(must(chain::EthClient::connect(anvil.url()), "connect"));
        for (size_t i = 0; i < 6; ++i) {
            auto key = std::make_shared<chain::LocalKey>(*chain::LocalKey::from_hex(Anvil::dev_key(i)));
            senders.push_back(std::shared_ptr<chain::Sender>(must(chain::Sender::create(eth, key), "sender")));
        }
        vault_abi = chain::ContractAbi::from_artifact(artifact("GuardedVault"));
        registry = std::make_unique<Contract>(must(
            Contract::deploy(artifact("AttestationRegistry"),
                             {address(kOwner), AbiValue::List{address(kValidator)}, U256(1), U256(kValidity)}, eth, senders[kOwner]),
            "deploy AttestationRegistry"));
        must(registry->transact("allowMeasurement", {measurement}), "allowMeasurement");
        measurement_id = chain::keccak256(measurement);

        dex = run_json({kCvex, "dex", "deploy", "--root", kRoot, "--weth-as-a", "--out", dex_file.string(), "--fund",
                        Anvil::dev_address(kOwner), "--fund", Anvil::dev_address(kTrader)});
        deployment = run_json({kCvex, "vault", "deploy", "--root", kRoot, "--dex", dex_file.string(), "--registry",
                               registry->address().checksum_hex(), "--measurement", cvex::to_hex(measurement), "--guardian",
                               Anvil::dev_address(kGuardian), "--deposit-a", "10ether", "--deposit-b", "25000ether", "--max-per-trade-a",
                               "1ether", "--max-per-trade-b", "2500ether", "--refill-a", "3ether", "--refill-b", "7500ether",
                               "--refill-period", std::to_string(kRefillPeriod), "--max-slippage-bps", "200", "--min-twap-window", "60"});
        vault_address = addr(deployment["vault"]);
        token_a = addr(dex["token_a"]);
        token_b = addr(dex["token_b"]);
        v2_router = addr(dex["v2_router"]);
        v3_router = addr(dex["v3_swap_router"]);
        v2_pair = addr(dex["v2_pair"]);
        v3_pool = addr(dex["v3_pool"]);
        attest(kEnclave);

        // The bare trader's standing approvals, and pools past their one-off first writes (V2's
        // price accumulators, V3's fee growth), so vault and bare swaps are measured alike.
        for (const Address& router : {v2_router, v3_router})
            must(erc20(token_a, kTrader).transact("approve", {router, U256::max()}), "approve");
        must(bind("UniswapV2Pair", {"sync()"}, v2_pair, kTrader).transact("sync", {}), "sync");
        must(v3(kTrader).transact("exactInputSingle", {AbiValue(AbiValue::List{token_a, token_b, U256(3000), address(kTrader), deadline(),
                                                                               U256(1'000'000'000'000ULL), U256(0), U256(0)})}),
             "V3 warm-up swap");
    }
    ~Net() { std::filesystem::remove(dex_file); }

    Address address(size_t dev) const { return senders.at(dev)->address(); }
    Contract vault(size_t as) const { return Contract(vault_abi, vault_address, eth, senders.at(as)); }
    Contract bind(const char* name, const std::vector<std::string>& sigs, const Address& at, size_t as = kOwner) const {
        return Contract(*chain::ContractAbi::from_signatures(name, sigs), at, eth, senders.at(as));
    }
    Contract erc20(const Address& token, size_t as = kOwner) const {
        return bind("ERC20", {"balanceOf(address)(uint256)", "approve(address,uint256)(bool)", "transfer(address,uint256)(bool)"}, token, as);
    }
    Contract v3(size_t as) const {
        return bind("SwapRouter", {"exactInputSingle((address,address,uint24,address,uint256,uint256,uint256,uint160))(uint256)"}, v3_router,
                    as);
    }
    U256 balance(const Address& token, const Address& of) const { return must(erc20(token).call("balanceOf", {of}), "balanceOf")[0].word(); }
    U256 deadline() const {
        auto head = must(eth->block_by_number(chain::BlockTag::latest()), "latest block");
        return U256(head->timestamp + 3600);
    }
    void advance(uint64_t seconds) const {
        must(eth->rpc().call("evm_increaseTime", nlohmann::json::array({seconds})), "evm_increaseTime");
        must(eth->evm_mine(), "evm_mine");
    }
    /// (floor, referenceOut) of minAmountOutFor.
    std::pair<U256, U256> floor_for(const Address& in, const Address& out, const U256& amount) const {
        const auto r = must(vault(kOwner).call("minAmountOutFor", {in, out, amount}), "minAmountOutFor");
        return {r[0].word(), r[1].word()};
    }
    /// A 1-A-for-B intent on `target` with the least minimum out the vault accepts.
    Intent sell_a(uint64_t kind, const Address& target, const U256& amount) const {
        Intent t{kind, target, token_a, token_b, kind == kV3Router ? v3_data(3000) : Bytes{}, amount, U256(0), deadline(), U256(0)};
        t.min_out = floor_for(token_a, token_b, amount).first;
        return t;
    }
    Expected<Receipt, ContractError> trade(size_t as, const Intent& t) const {
        return vault(as).transact("trade", {t.value(), AbiValue(measurement_id)});
    }
    Bytes sign(size_t dev, const Intent& t) const {
        const Hash32 digest = hash_of(must(vault(kOwner).call("hashIntent", {t.value()}), "hashIntent")[0]);
        return must(chain::LocalKey::from_hex(Anvil::dev_key(dev))->sign_digest(digest), "sign").to_rsv();
    }
    void attest(size_t dev) const {
        const Contract as(registry->abi(), registry->address(), eth, senders.at(dev));
        const Hash32 report = chain::keccak256(Bytes{1, 2, 3});
        const U256 bond = must(as.call("registrationBond", {}), "registrationBond")[0].word();
        const auto r = must(as.transact("register", {AbiValue(report), measurement, AbiValue(chain::keccak256(Bytes{9})), AbiValue(Hash32{})}, bond),
                            "register");
        const auto ev = as.events_in(r, "Registered").at(0);
        const U256 id = chain::param(ev, "registrationId")->word();
        // What a validator verified in the report: REPORT_DATA = [registration digest, bound data].
        const AbiValue report_data(AbiValue::List{*chain::param(ev, "registrationDigest"), *chain::param(ev, "boundData")});
        const Contract validator(registry->abi(), registry->address(), eth, senders.at(kValidator));
        must(validator.transact("approve", {address(dev), id, AbiValue(report), report_data, *chain::param(ev, "measurementId")}), "approve");
    }
    void resync() const {
        for (const auto& s : senders) must(s->resync(), "resync");
    }

    Anvil anvil;
    std::shared_ptr<chain::EthClient> eth;
    std::vector<std::shared_ptr<chain::Sender>> senders;
    chain::ContractAbi vault_abi;
    std::unique_ptr<Contract> registry;
    Bytes measurement = Bytes(48, 0x5a);
    Hash32 measurement_id;
    std::filesystem::path dex_file = std::filesystem::temp_directory_path() / ("cvex_test_vault_" + std::to_string(::getpid()) + ".json");
    nlohmann::json dex, deployment;
    Address vault_address, token_a, token_b, v2_router, v3_router, v2_pair, v3_pool;

private:
    nlohmann::json run_json(const std::vector<std::string>& argv) const {
        auto r = run_process(argv, {"ETH_RPC_URL=" + anvil.url(), "CVEX_PRIVATE_KEY=" + Anvil::dev_key(kOwner)});
        INFO(argv[1] << " " << argv[2] << ": " << r.err);
        REQUIRE(r.exit_code == 0);
        CHECK(r.out.find(Anvil::dev_key(kOwner).substr(2)) == std::string::npos);
        return nlohmann::json::parse(r.out);
    }
};

Net& net() {
    static Net n;
    return n;
}

// Each test case starts from the deployment and leaves it as it found it.
struct Fresh {
    Net& n = net();
    U256 snapshot = must(n.eth->evm_snapshot(), "evm_snapshot");
    ~Fresh() {
        (void)n.eth->evm_revert(snapshot);
        n.resync();
    }
};

// The revert's decoded custom error (its name and arguments), or a failed check.
chain::RevertReason rejected(const Expected<Receipt, ContractError>& r, const std::string& error) {
    INFO("expected " << error << (r ? ", but the trade went through" : ", got: " + r.error().message()));
    REQUIRE_FALSE(r);
    REQUIRE(r.error().revert);
    CHECK(r.error().revert->kind == chain::RevertReason::kCustom);
    CHECK(r.error().revert->name == error);
    return *r.error().revert;
}

// The Traded event of an accepted trade, checked against the intent and the vault's balances.
void check_traded(Net& n, const Receipt& receipt, const Intent& t, const U256& out_before, const Address& enclave, const Hash32& intent_hash) {
    const auto events = n.vault(kOwner).events_in(receipt, "Traded");
    REQUIRE(events.size() == 1);
    const auto& e = events[0];
    CHECK(chain::param(e, "enclave")->address() == enclave);
    CHECK(chain::param(e, "target")->address() == t.target);
    CHECK(chain::param(e, "tokenIn")->address() == t.token_in);
    CHECK(chain::param(e, "tokenOut")->address() == t.token_out);
    CHECK(chain::param(e, "amountIn")->word() == t.amount_in);
    const U256 out = chain::param(e, "amountOut")->word();
    CHECK(out >= t.min_out);
    CHECK(n.balance(t.token_out, n.vault_address) == add(out_before, out));
    CHECK(chain::param(e, "intentHash")->bytes() == Bytes(intent_hash.bytes.begin(), intent_hash.bytes.end()));
}

}  // namespace

// ------------------------------------------------------------------------------ deployment

TEST_CASE("vault deploy configures every check through the timelock and funds the vault") {
    Fresh f;
    Net& n = f.n;
    const auto& d = n.deployment;
    CHECK(d["owner"] == n.address(kOwner).checksum_hex());
    CHECK(d["guardian"] == n.address(kGuardian).checksum_hex());
    CHECK(d["registry"] == n.registry->address().checksum_hex());
    CHECK(d["measurement_id"] == n.measurement_id.hex());
    CHECK(d["registry_allows_measurement"] == true);
    CHECK(d["tokens"]["a"] == n.dex["weth"]);  // --weth-as-a
    CHECK(d["tokens"]["a_is_weth"] == true);
    CHECK(d["twap"]["time_advanced"] == true);  // Anvil: chain id 31337
    CHECK(d["deploy_block"].get<uint64_t>() > n.dex["deploy_block"].get<uint64_t>());

    const Contract v = n.vault(kOwner);
    const auto view = [&](const char* f, const std::vector<AbiValue>& args = {}) { return must(v.call(f, args), f); };
    CHECK(view("owner")[0].address() == n.address(kOwner));
    CHECK(view("guardian")[0].address() == n.address(kGuardian));
    CHECK(view("delay")[0].word() == U256(0));
    CHECK(view("isMeasurementAllowed", {AbiValue(n.measurement_id)})[0].boolean());
    REQUIRE(d["targets"].size() == 4);
    for (const auto& [target, kind] :
         {std::pair{n.v2_router, kV2Router}, std::pair{n.v3_router, kV3Router}, std::pair{n.v2_pair, kV2Pair}, std::pair{n.v3_pool, kV3Pool}})
        CHECK(view("targetKind", {target})[0].word() == U256(kind));
    CHECK(view("targetKind", {n.token_a})[0].word() == U256(0));
    const auto limits = view("tokenLimits", {n.token_a})[0].list();
    CHECK(limits[0].boolean());
    CHECK(limits[1].word() == ether(1));
    CHECK(limits[2].word() == ether(3));
    CHECK(limits[3].word() == U256(kRefillPeriod));
    CHECK(limits[4].word() == ether(3));
    CHECK(view("oracleOf", {n.token_b, n.token_a})[0].address() == n.v2_pair);
    const auto guard = view("priceGuard");
    CHECK(guard[0].word() == U256(200));
    CHECK(guard[1].word() == U256(60));
    CHECK(n.balance(n.token_a, n.vault_address) == ether(10));
    CHECK(n.balance(n.token_b, n.vault_address) == ether(25'000));
}

TEST_CASE("vault status reports balances, allowances left and the minimum outs of 1-token trades both ways") {
    Fresh f;
    Net& n = f.n;
    auto r = run_process({kCvex, "vault", "status", "--root", kRoot, "--vault", n.vault_address.checksum_hex(), "--rpc-url", n.anvil.url()});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto s = nlohmann::json::parse(r.out);
    CHECK(s["paused"] == false);
    CHECK(s["owner"] == n.address(kOwner).checksum_hex());
    REQUIRE(s["tokens"].size() == 2);
    for (const auto& t : s["tokens"]) {
        const bool is_a = addr(t["token"]) == n.token_a;
        CHECK(t["balance"] == (is_a ? ether(10) : ether(25'000)).dec());
        CHECK(t["available_allowance"] == (is_a ? ether(3) : ether(7'500)).dec());
        CHECK(t["symbol"] == (is_a ? "WETH" : "TKB"));
    }
    REQUIRE(s["oracles"].size() == 1);
    const auto& quotes = s["oracles"][0]["quotes"];
    REQUIRE(quotes.size() == 2);
    for (const auto& q : quotes) {
        INFO(q.dump());
        REQUIRE(q.contains("min_amount_out"));
        // At the DEX's price, 1 A = 2500 B: the reference of 1 A is 2500 B, of 1 B 1/2500 A.
        const bool a_in = addr(q["token_in"]) == n.token_a;
        const U256 expected = a_in ? ether(2500) : U256(400'000'000'000'000ULL);
        const U256 ref = *U256::parse_dec(q["reference_out"].get<std::string>());
        CHECK(diff(ref, expected) <= expected.divmod(U256(1'000'000))->first);
    }
    // The same, paused.
    must(n.vault(kGuardian).transact("pause", {}), "pause");
    r = run_process({kCvex, "vault", "status", "--root", kRoot, "--vault", n.vault_address.checksum_hex(), "--rpc-url", n.anvil.url()});
    REQUIRE(r.exit_code == 0);
    CHECK(nlohmann::json::parse(r.out)["paused"] == true);
}

TEST_CASE("vault deploy refuses unusable input before touching the chain") {
    const std::vector<std::string> env = {"CVEX_PRIVATE_KEY=" + Anvil::dev_key(0), "ETH_RPC_URL=http://127.0.0.1:1"};
    const auto deploy = [&](std::vector<std::string> extra) {
        std::vector<std::string> argv = {kCvex, "vault", "deploy", "--root", kRoot, "--dex", "/nonexistent.json", "--registry",
                                         Anvil::dev_address(1)};
        argv.insert(argv.end(), extra.begin(), extra.end());
        return run_process(argv, env);
    };
    auto short_measurement = deploy({"--measurement", cvex::to_hex(Bytes(47, 1))});
    CHECK(short_measurement.exit_code == 2);
    CHECK_THAT(short_measurement.err, Catch::Contains("measurement: 47 bytes, expected 48"));
    auto slippage = deploy({"--measurement", cvex::to_hex(Bytes(48, 1)), "--max-slippage-bps", "1001"});
    CHECK(slippage.exit_code == 2);
    CHECK_THAT(slippage.err, Catch::Contains("1001 bps"));
    auto cap = deploy({"--measurement", cvex::to_hex(Bytes(48, 1)), "--max-per-trade-a", "79228162514264337593543950336"});  // 2^96
    CHECK(cap.exit_code == 2);
    CHECK_THAT(cap.err, Catch::Contains("does not fit in uint96"));
    auto period = deploy({"--measurement", cvex::to_hex(Bytes(48, 1)), "--refill-period", "16777216"});
    CHECK(period.exit_code == 2);
    CHECK_THAT(period.err, Catch::Contains("refill period 16777216 s is above GuardedVault's 16777215 s"));
    auto unknown = deploy({"--measurement", cvex::to_hex(Bytes(48, 1)), "--max-slippage", "5"});
    CHECK(unknown.exit_code == 2);
    CHECK_THAT(unknown.err, Catch::Contains("unexpected argument '--max-slippage'"));
    auto no_dex = deploy({"--measurement", cvex::to_hex(Bytes(48, 1))});
    CHECK(no_dex.exit_code == 2);
    CHECK_THAT(no_dex.err, Catch::Contains("cannot open /nonexistent.json"));
}

// ------------------------------------------------------------------------------ rejections

TEST_CASE("a key that is not attested cannot trade, directly or by a signed intent") {
    Fresh f;
    Net& n = f.n;
    const Intent t = n.sell_a(kV2Router, n.v2_router, ether(1));
    const auto direct = rejected(n.trade(kStranger, t), "NotAttested");
    CHECK(direct.args.at(0).address() == n.address(kStranger));
    const auto relayed = n.vault(kTrader).transact("tradeWithIntent", {t.value(), AbiValue(n.measurement_id), n.sign(kStranger, t)});
    CHECK(rejected(relayed, "NotAttested").args.at(0).address() == n.address(kStranger));
}

TEST_CASE("an expired attestation cannot trade") {
    Fresh f;
    Net& n = f.n;
    REQUIRE(n.trade(kEnclave, n.sell_a(kV2Router, n.v2_router, ether(1))));  // attested: accepted
    n.advance(kValidity + 1);
    rejected(n.trade(kEnclave, n.sell_a(kV2Router, n.v2_router, ether(1))), "NotAttested");
}

TEST_CASE("a revoked key cannot trade") {
    Fresh f;
    Net& n = f.n;
    must(n.registry->transact("revokeKey", {n.address(kEnclave), std::string("suspected extraction")}), "revokeKey");
    rejected(n.trade(kEnclave, n.sell_a(kV2Router, n.v2_router, ether(1))), "NotAttested");
}

TEST_CASE("a trade over the per-trade cap is rejected") {
    Fresh f;
    Net& n = f.n;
    const auto e = rejected(n.trade(kEnclave, n.sell_a(kV2Router, n.v2_router, add(ether(1), U256(1)))), "OverTradeCap");
    CHECK(e.args.at(0).address() == n.token_a);
    CHECK(e.args.at(1).word() == add(ether(1), U256(1)));
    CHECK(e.args.at(2).word() == ether(1));
}

TEST_CASE("a run of trades over the epoch allowance is rejected until it refills") {
    Fresh f;
    Net& n = f.n;
    for (int i = 0; i < 3; ++i) {  // 3 A per hour, at most 1 A a trade
        INFO("trade " << i);
        REQUIRE(n.trade(kEnclave, n.sell_a(kV2Pair, n.v2_pair, ether(1))));
    }
    const auto e = rejected(n.trade(kEnclave, n.sell_a(kV2Pair, n.v2_pair, ether(1))), "OverEpochAllowance");
    CHECK(e.args.at(0).address() == n.token_a);
    CHECK(e.args.at(2).word() == U256(0));
    n.advance(kRefillPeriod);
    CHECK(must(n.vault(kOwner).call("availableAllowance", {n.token_a}), "availableAllowance")[0].word() == ether(3));
    CHECK(n.trade(kEnclave, n.sell_a(kV2Pair, n.v2_pair, ether(1))));
}

TEST_CASE("a minimum out below the TWAP reference less the allowed slippage is rejected") {
    Fresh f;
    Net& n = f.n;
    Intent t = n.sell_a(kV2Router, n.v2_router, ether(1));
    const auto [floor, reference] = n.floor_for(n.token_a, n.token_b, ether(1));
    t.min_out = sub(floor, U256(1));
    const auto e = rejected(n.trade(kEnclave, t), "SlippageTooHigh");
    CHECK(e.args.at(0).word() == t.min_out);
    CHECK(e.args.at(1).word() == floor);
    CHECK(e.args.at(2).word() == reference);
    // ⌈reference × (10000 − 200) / 10000⌉: 2 % under the reference, rounded against the trader.
    const auto [q, r] = *reference.wrapping_mul(U256(9800)).divmod(U256(10'000));
    CHECK(floor == (r.is_zero() ? q : add(q, U256(1))));
    CHECK(diff(reference, ether(2500)) <= ether(1));  // the TWAP is the DEX's price, 2500 B per A
}

TEST_CASE("a target that is not allow-listed for its kind is rejected") {
    Fresh f;
    Net& n = f.n;
    SECTION("an unlisted venue (the V3 pool itself)") {
        const auto e = rejected(n.trade(kEnclave, n.sell_a(kV2Router, n.v3_pool, ether(1))), "TargetNotAllowed");
        CHECK(e.args.at(0).address() == n.v3_pool);
        CHECK(e.args.at(1).word() == U256(kV2Router));
    }
    SECTION("a listed router called as another kind") {
        const auto e = rejected(n.trade(kEnclave, n.sell_a(kV3Router, n.v2_router, ether(1))), "TargetNotAllowed");
        CHECK(e.args.at(0).address() == n.v2_router);
    }
}

TEST_CASE("while paused by the guardian every trade is rejected, and the owner resumes trading") {
    Fresh f;
    Net& n = f.n;
    rejected(n.vault(kStranger).transact("pause", {}), "NotGuardian");
    must(n.vault(kGuardian).transact("pause", {}), "pause");
    const Intent t = n.sell_a(kV2Router, n.v2_router, ether(1));
    rejected(n.trade(kEnclave, t), "Paused");
    Intent pair = n.sell_a(kV2Pair, n.v2_pair, ether(1));
    rejected(n.trade(kEnclave, pair), "Paused");
    pair.nonce = U256(1);
    rejected(n.vault(kStranger).transact("tradeWithIntent", {pair.value(), AbiValue(n.measurement_id), n.sign(kEnclave, pair)}), "Paused");
    must(n.vault(kOwner).transact("unpause", {}), "unpause");
    CHECK(n.trade(kEnclave, t));
}

TEST_CASE("a signed intent is relayed once; its replay is rejected") {
    Fresh f;
    Net& n = f.n;
    Intent t = n.sell_a(kV2Router, n.v2_router, ether(1));
    t.nonce = U256(7);
    const Bytes signature = n.sign(kEnclave, t);
    const Hash32 digest = hash_of(must(n.vault(kOwner).call("hashIntent", {t.value()}), "hashIntent")[0]);
    const U256 before = n.balance(n.token_b, n.vault_address);
    const auto first = n.vault(kStranger).transact("tradeWithIntent", {t.value(), AbiValue(n.measurement_id), signature});
    INFO((first ? "" : first.error().message()));
    REQUIRE(first);
    check_traded(n, *first, t, before, n.address(kEnclave), digest);
    const auto e = rejected(n.vault(kTrader).transact("tradeWithIntent", {t.value(), AbiValue(n.measurement_id), signature}), "IntentReplayed");
    CHECK(e.args.at(0).address() == n.address(kEnclave));
    CHECK(e.args.at(1).word() == U256(7));
}

// ------------------------------------------------------------------------------ accepted trades

TEST_CASE("an attested enclave trades through each allowed kind, each with its Traded event") {
    Fresh f;
    Net& n = f.n;
    for (const auto& [kind, target] : {std::pair{kV2Router, n.v2_router}, std::pair{kV3Router, n.v3_router}, std::pair{kV2Pair, n.v2_pair},
                                       std::pair{kV3Pool, n.v3_pool}}) {
        INFO("kind " << kind);
        const U256 half = ether(1).divmod(U256(2))->first;  // four trades within the 3-A allowance
        const Intent t = n.sell_a(kind, target, half);
        const U256 in_before = n.balance(n.token_a, n.vault_address), out_before = n.balance(n.token_b, n.vault_address);
        const auto r = n.trade(kEnclave, t);
        INFO((r ? "" : r.error().message()));
        REQUIRE(r);
        check_traded(n, *r, t, out_before, n.address(kEnclave), Hash32{});
        CHECK(n.balance(n.token_a, n.vault_address) == sub(in_before, half));
    }
    // Back the other way: B for A on the pair and on the V3 pool (the other swap direction).
    for (const auto& [kind, target] : {std::pair{kV2Pair, n.v2_pair}, std::pair{kV3Pool, n.v3_pool}}) {
        INFO("kind " << kind);
        Intent back{kind, target, n.token_b, n.token_a, {}, ether(2500), U256(0), n.deadline(), U256(0)};
        // 0.5 % over the floor: the TWAP creeps towards the moved spot price by the next block.
        const U256 floor = n.floor_for(n.token_b, n.token_a, back.amount_in).first;
        back.min_out = add(floor, floor.divmod(U256(200))->first);
        const U256 a_before = n.balance(n.token_a, n.vault_address), b_before = n.balance(n.token_b, n.vault_address);
        const auto r = n.trade(kEnclave, back);
        INFO((r ? "" : r.error().message()));
        REQUIRE(r);
        check_traded(n, *r, back, a_before, n.address(kEnclave), Hash32{});
        CHECK(n.balance(n.token_b, n.vault_address) == sub(b_before, ether(2500)));
    }
}

TEST_CASE("a V3 pool trade pays only its own pool, only once; a stray callback is rejected") {
    Fresh f;
    Net& n = f.n;
    // Nothing is in progress: a callback from anyone, the allow-listed pool included, pays nothing.
    for (const size_t as : {kStranger, kEnclave}) {
        const auto e = rejected(n.vault(as).transact("uniswapV3SwapCallback", {AbiValue(ether(1)), AbiValue(U256(0)), Bytes{}}),
                                "UnexpectedCallback");
        CHECK(e.args.at(0).address() == n.address(as));
    }
    // A price limit that lets the swap fill only part: the vault pays the pool for that part only,
    // and the trade stands or falls by its minimum out.
    Intent t = n.sell_a(kV3Pool, n.v3_pool, ether(1));
    const auto slot0 = must(n.bind("Pool", {"slot0()(uint160,int24,uint16,uint16,uint16,uint8,bool)"}, n.v3_pool).call("slot0", {}), "slot0");
    const U256 sqrt_price = slot0[0].word();
    const bool a0 = n.token_a < n.token_b;
    // Selling A moves the price down if A is token0, up otherwise; stop it 0.001 % of the way.
    const U256 step = sqrt_price.divmod(U256(200'000))->first;
    const U256 limit = a0 ? sub(sqrt_price, step) : add(sqrt_price, step);
    const auto w = limit.to_be();
    t.data = Bytes(w.begin(), w.end());  // abi.encode(uint160 sqrtPriceLimitX96)
    const U256 in_before = n.balance(n.token_a, n.vault_address);
    const auto e = rejected(n.trade(kEnclave, t), "ReceivedTooLittle");  // a partial fill is below the floor
    CHECK(e.args.at(0).word() < t.min_out.divmod(U256(10))->first);
    CHECK(n.balance(n.token_a, n.vault_address) == in_before);
    t.data = Bytes(31, 0);
    rejected(n.trade(kEnclave, t), "BadPath");  // data is empty or one word
}

// ------------------------------------------------------------------------------ gas

// Ceilings ~3 % above what was measured on Anvil 1.7.1 (see the end of the test case below).
constexpr int64_t kRouterV2Ceiling = 54'500;
constexpr int64_t kRouterV3Ceiling = 61'000;
constexpr int64_t kPairVsTwoTxCeiling = 43'500;

TEST_CASE("the vault's gas overhead over the bare swap, per kind (issue 7 §5 target: 40k)") {
    Fresh f;
    Net& n = f.n;
    const U256 amount = ether(1);
    const Address trader = n.address(kTrader);
    struct Figure {
        std::string what;
        uint64_t vault = 0, bare = 0;
        int64_t overhead() const { return static_cast<int64_t>(vault) - static_cast<int64_t>(bare); }
    };
    // Each swap is measured in a block one second after the last: a V2 pair then updates its price
    // accumulators on both sides alike, as it does on a live chain where every block moves time.
    const auto next_second = [&] {
        const auto head = must(n.eth->block_by_number(chain::BlockTag::latest()), "latest block");
        must(n.eth->rpc().call("evm_setNextBlockTimestamp", nlohmann::json::array({head->timestamp + 1})), "evm_setNextBlockTimestamp");
    };
    // The bare swaps: what an EOA sends for the same 1 A → B, in one transaction, through Uniswap's
    // routers (the "V2 swap" and "V3 exactInputSingle").
    const auto bare_v2_router = [&] {
        next_second();
        return must(n.bind("Router", {"swapExactTokensForTokens(uint256,uint256,address[],address,uint256)(uint256[])"}, n.v2_router, kTrader)
                        .transact("swapExactTokensForTokens", {amount, U256(0), AbiValue::List{n.token_a, n.token_b}, trader, n.deadline()}),
                    "V2 router swap")
            .gas_used;
    };
    const auto bare_v3_router = [&] {
        next_second();
        return must(n.v3(kTrader).transact("exactInputSingle",
                                           {AbiValue(AbiValue::List{n.token_a, n.token_b, U256(3000), trader, n.deadline(), amount, U256(0), U256(0)})}),
                    "V3 router swap")
            .gas_used;
    };
    // Also the V2 pair itself from an EOA: transfer in, then swap. Two transactions (the second's
    // 21,000 not counted, as one contract call would pay it once), and unsafe for an EOA (anyone
    // may take the input between them), so only a reference.
    const auto bare_pair = [&] {
        const auto reserves = must(n.bind("Pair", {"getReserves()(uint112,uint112,uint32)"}, n.v2_pair).call("getReserves", {}), "reserves");
        const bool a0 = n.token_a < n.token_b;
        const U256 r_in = reserves[a0 ? 0 : 1].word(), r_out = reserves[a0 ? 1 : 0].word();
        const U256 in_fee = amount.wrapping_mul(U256(997));
        const U256 out = in_fee.wrapping_mul(r_out).divmod(add(r_in.wrapping_mul(U256(1000)), in_fee))->first;
        const auto sent = must(n.erc20(n.token_a, kTrader).transact("transfer", {n.v2_pair, amount}), "transfer");
        next_second();
        const auto swapped = must(n.bind("Pair", {"swap(uint256,uint256,address,bytes)"}, n.v2_pair, kTrader)
                                      .transact("swap", {a0 ? U256(0) : out, a0 ? out : U256(0), trader, Bytes{}}),
                                  "pair swap");
        return sent.gas_used + swapped.gas_used - 21'000;
    };
    struct Case {
        const char* what;
        uint64_t kind;
        Address target;
        std::function<uint64_t()> bare;
    };
    const std::vector<Case> cases = {{"V2 pair kind vs the V2 router swap", kV2Pair, n.v2_pair, bare_v2_router},
                                     {"V3 pool kind vs the V3 router swap", kV3Pool, n.v3_pool, bare_v3_router},
                                     {"V2 router kind vs the V2 router swap", kV2Router, n.v2_router, bare_v2_router},
                                     {"V3 router kind vs the V3 router swap", kV3Router, n.v3_router, bare_v3_router},
                                     {"V2 pair kind vs the pair's own transfer + swap", kV2Pair, n.v2_pair, bare_pair}};
    std::vector<Figure> figures;
    for (const auto& c : cases) {
        INFO(c.what);
        const U256 snapshot = must(n.eth->evm_snapshot(), "evm_snapshot");
        const Intent t = n.sell_a(c.kind, c.target, amount);
        next_second();
        const auto traded = n.trade(kEnclave, t);
        INFO((traded ? "" : traded.error().message()));
        REQUIRE(traded);
        const U256 vault_out = chain::param(n.vault(kOwner).events_in(*traded, "Traded").at(0), "amountOut")->word();
        must(n.eth->evm_revert(snapshot), "evm_revert");
        n.resync();

        const U256 b_before = n.balance(n.token_b, trader);
        const uint64_t bare = c.bare();
        CHECK(n.balance(n.token_b, trader) == add(b_before, vault_out));  // the same swap: the same amount out
        must(n.eth->evm_revert(snapshot), "evm_revert");
        n.resync();
        figures.push_back({c.what, traded->gas_used, bare});
    }
    for (const auto& f : figures)
        std::printf("vault gas (%s): vault.trade %llu, bare swap %llu, overhead %lld (target 40000: %s)\n", f.what.c_str(),
                    static_cast<unsigned long long>(f.vault), static_cast<unsigned long long>(f.bare), static_cast<long long>(f.overhead()),
                    f.overhead() <= 40'000 ? "met" : "NOT met");
    // Receipt gasUsed (after refunds; intrinsic and calldata included on both sides), deterministic
    // on Anvil. The kinds the bots trade through (the pools themselves) meet the target; the router
    // kinds, kept for multi-hop paths, also pay a cold router and an approve per trade.
    CHECK(figures[0].overhead() <= 40'000);
    CHECK(figures[1].overhead() <= 40'000);
    CHECK(figures[2].overhead() <= kRouterV2Ceiling);
    CHECK(figures[3].overhead() <= kRouterV3Ceiling);
    CHECK(figures[4].overhead() <= kPairVsTwoTxCeiling);
}
