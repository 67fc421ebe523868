// `cvex dex deploy` and `cvex dex swap` against a real Anvil: Uniswap V2 + V3 and WETH from the
// npm packages' own artifacts, two TestTokens, a V2 pair and a V3 pool at one price; swaps through
// both routers cost what a Uniswap swap is known to cost (V2 ≈ 132k gas, V3 exactInputSingle
// ≈ 131k); with --weth-as-a token A is the WETH9 itself; a bad deployment file is refused with
// the field that is wrong.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "chain/rpc/contract.hpp"
#include "support/anvil.hpp"
#include "support/process.hpp"

using namespace cvex;
using cvex::test::Anvil;
using cvex::test::run_process;
using chain::Address;
using chain::U256;

namespace {

const std::string kCvex = std::string(CVEX_BIN_DIR) + "/cvex";
const std::string kRoot = CVEX_SOURCE_DIR;
const U256 kEther = U256(1'000'000'000'000'000'000ULL);

U256 mul(const U256& a, const U256& b) { return *a.checked_mul(b); }
U256 div(const U256& a, const U256& b) { return a.divmod(b)->first; }
U256 dec(const nlohmann::json& v) { return *U256::parse_dec(v.get<std::string>()); }
Address addr(const nlohmann::json& v) { return *Address::parse(v.get<std::string>()); }

std::filesystem::path temp_file(const std::string& name) {
    return std::filesystem::temp_directory_path() / ("cvex_test_dex_" + std::to_string(::getpid()) + "_" + name);
}

// A deployed DEX on a fresh Anvil, dev account 1 funded with both tokens.
struct Dex {
    Anvil anvil;
    std::shared_ptr<chain::EthClient> eth;
    nlohmann::json deployment;
    std::filesystem::path file = temp_file("deployment.json");

    explicit Dex(std::vector<std::string> extra = {}) {
        eth = std::shared_ptr<chain::EthClient>(std::move(*chain::EthClient::connect(anvil.url())));
        std::vector<std::string> argv = {kCvex, "dex", "deploy", "--root", kRoot, "--out", file.string(), "--fund", Anvil::dev_address(1)};
        argv.insert(argv.end(), extra.begin(), extra.end());
        auto r = run_process(argv, env(0));
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        deployment = nlohmann::json::parse(r.out);
        std::ifstream f(file);
        CHECK(nlohmann::json::parse(f) == deployment);  // --out holds what was printed
        CHECK(r.out.find(Anvil::dev_key(0).substr(2)) == std::string::npos);
        CHECK(r.err.find(Anvil::dev_key(0).substr(2)) == std::string::npos);
    }
    ~Dex() { std::filesystem::remove(file); }

    std::vector<std::string> env(int dev) const { return {"ETH_RPC_URL=" + anvil.url(), "CVEX_PRIVATE_KEY=" + Anvil::dev_key(dev)}; }

    chain::Contract bind(const char* field, const std::vector<std::string>& sigs) const {
        return chain::Contract(*chain::ContractAbi::from_signatures(field, sigs), addr(deployment[field]), eth);
    }
    std::vector<chain::AbiValue> call(const char* field, const std::string& sig, const std::vector<chain::AbiValue>& args = {}) const {
        auto out = bind(field, {sig}).call(sig.substr(0, sig.find('(')), args);
        INFO(field << " " << sig << ": " << (out ? "" : out.error().message()));
        REQUIRE(out);
        return *out;
    }
    nlohmann::json swap(const std::string& venue, const std::string& token_in, const std::string& amount) const {
        auto r = run_process({kCvex, "dex", "swap", "--deployment", file.string(), "--venue", venue, "--token-in", token_in, "--amount", amount},
                             env(1));
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        return nlohmann::json::parse(r.out);
    }
};

}  // namespace

TEST_CASE("dex deploy puts code at every address of the deployment") {
    Dex dex;
    for (const char* field : {"weth", "v2_factory", "v2_router", "v3_factory", "v3_swap_router", "v3_position_manager", "v3_quoter",
                              "v3_descriptor", "token_a", "token_b", "v2_pair", "v3_pool"}) {
        INFO(field);
        const std::string text = dex.deployment[field].get<std::string>();
        CHECK(Address::parse(text));  // checksummed (parse refuses a wrong mixed case)
        auto code = dex.eth->code(addr(dex.deployment[field]));
        REQUIRE(code);
        CHECK_FALSE(code->empty());
    }
    // The factories know the pair and the pool the deployment names.
    const auto a = addr(dex.deployment["token_a"]), b = addr(dex.deployment["token_b"]);
    CHECK(dex.call("v2_factory", "getPair(address,address)(address)", {a, b})[0].address() == addr(dex.deployment["v2_pair"]));
    CHECK(dex.call("v3_factory", "getPool(address,address,uint24)(address)", {a, b, U256(3000)})[0].address() ==
          addr(dex.deployment["v3_pool"]));
    CHECK(dex.deployment["v3_tick_lower"] == -887220);
    CHECK(dex.deployment["v3_tick_upper"] == 887220);
}

TEST_CASE("the V2 reserves and the V3 pool's sqrtPriceX96 are both at the configured price") {
    Dex dex;  // defaults: 1000 A for 2,500,000 B, so B per A = 2500 and sqrtPriceX96 = 50 · 2^96 (or 2^96 / 50)
    const bool a_is_token0 = addr(dex.deployment["token_a"]) < addr(dex.deployment["token_b"]);
    const auto reserves = dex.call("v2_pair", "getReserves()(uint112,uint112,uint32)");
    const U256 reserve_a = reserves[a_is_token0 ? 0 : 1].word(), reserve_b = reserves[a_is_token0 ? 1 : 0].word();
    CHECK(reserve_a == mul(U256(1000), kEther));
    CHECK(reserve_b == mul(U256(2'500'000), kEther));

    const auto slot0 = dex.call("v3_pool", "slot0()(uint160,int24,uint16,uint16,uint16,uint8,bool)");
    const U256 sqrt_price = slot0[0].word();
    CHECK(sqrt_price == dec(dex.deployment["v3_sqrt_price_x96"]));
    const U256 q96 = U256(1) << 96;
    CHECK(sqrt_price == (a_is_token0 ? mul(U256(50), q96) : div(q96, U256(50))));
    // Full-range liquidity is in the pool: it holds the V3 amounts of both tokens, give or take rounding.
    const auto held_b = dex.bind("token_b", {"balanceOf(address)(uint256)"}).call("balanceOf", {addr(dex.deployment["v3_pool"])});
    REQUIRE(held_b);
    CHECK((*held_b)[0].word() > mul(U256(2'499'999), kEther));
}

TEST_CASE("an uneven price gives the floor of the exact square root, the same in both pools") {
    Dex dex({"--amount-a", "777ether", "--amount-b", "1234567.891ether"});
    const bool a_is_token0 = addr(dex.deployment["token_a"]) < addr(dex.deployment["token_b"]);
    const auto slot0 = dex.call("v3_pool", "slot0()(uint160,int24,uint16,uint16,uint16,uint8,bool)");
    const U256 s = slot0[0].word();
    // sqrtPriceX96² / 2^192 = token1 / token0, to the 64-bit precision of a long double.
    long double price = 1234567.891L / 777.0L;
    if (!a_is_token0) price = 1.0L / price;
    const long double from_pool = std::ldexp(static_cast<long double>(std::stold(s.dec())), -96);
    CHECK(std::fabs(from_pool * from_pool / price - 1.0L) < 1e-15L);
    const auto reserves = dex.call("v2_pair", "getReserves()(uint112,uint112,uint32)");
    CHECK(reserves[a_is_token0 ? 0 : 1].word() == mul(U256(777), kEther));
}

TEST_CASE("a V2 swapExactTokensForTokens and a V3 exactInputSingle through cvex dex swap cost about the known gas") {
    Dex dex;
    const bool a_is_token0 = addr(dex.deployment["token_a"]) < addr(dex.deployment["token_b"]);
    const auto reserves = dex.call("v2_pair", "getReserves()(uint112,uint112,uint32)");
    const U256 reserve_in = reserves[a_is_token0 ? 0 : 1].word(), reserve_out = reserves[a_is_token0 ? 1 : 0].word();
    const auto balance_b = [&] {
        return dex.call("token_b", "balanceOf(address)(uint256)", {*Address::parse(Anvil::dev_address(1))})[0].word();
    };
    // Each swap comes a mainnet slot after the last change to its pool, as on a live chain: a
    // swap in the same second skips the oracle writes (V2's price accumulators, V3's observation).
    const auto next_slot = [&] { REQUIRE(dex.eth->rpc().call("evm_increaseTime", nlohmann::json::array({12}))); };
    const U256 before = balance_b();

    next_slot();
    const auto v2 = dex.swap("v2", "A", "1ether");
    // UniswapV2Library.getAmountOut: in · 997 · reserveOut / (reserveIn · 1000 + in · 997).
    const U256 in_fee = mul(kEther, U256(997));
    CHECK(dec(v2["amount_out"]) == div(mul(in_fee, reserve_out), *mul(reserve_in, U256(1000)).checked_add(in_fee)));
    CHECK_FALSE(v2["approve_tx"].is_null());  // the first swap approves the router
    next_slot();
    const auto v3 = dex.swap("v3", "A", "1ether");
    CHECK(dec(v3["amount_out"]) > U256(0));
    CHECK(balance_b() == *before.checked_add(dec(v2["amount_out"]))->checked_add(dec(v3["amount_out"])));

    // The first swap of each pool after its liquidity: V2 writes its price accumulators from zero
    // (the known ≈ 132k), V3 its first fee growth. Later swaps rewrite non-zero slots and cost less.
    const uint64_t v2_gas = v2["gas_used"], v3_gas = v3["gas_used"];
    next_slot();
    const uint64_t v2_again = dex.swap("v2", "A", "1ether")["gas_used"];
    next_slot();
    const uint64_t v3_again = dex.swap("v3", "A", "1ether")["gas_used"];
    std::printf("dex gas: V2 swapExactTokensForTokens %llu first, %llu after; V3 exactInputSingle %llu first, %llu after "
                "(known: V2 ≈ 132k, V3 ≈ 131k)\n",
                static_cast<unsigned long long>(v2_gas), static_cast<unsigned long long>(v2_again), static_cast<unsigned long long>(v3_gas),
                static_cast<unsigned long long>(v3_again));
    CHECK(v2_gas > 120'000);
    CHECK(v2_gas < 145'000);
    CHECK(v3_gas > 110'000);
    CHECK(v3_gas < 145'000);
    CHECK(v2_again < v2_gas);
    CHECK(v3_again < v3_gas);

    // Back the other way: B in, A out, approving token B first.
    const auto back = dex.swap("v3", "B", "2500ether");
    CHECK(back["token_in"] == dex.deployment["token_b"]);
    CHECK(dec(back["amount_out"]) > U256(0));
    CHECK_FALSE(back["approve_tx"].is_null());
}

TEST_CASE("with --weth-as-a token A is the deployed WETH9, wrapped from the deployer's ETH for the pools and every funded account") {
    Dex dex({"--weth-as-a"});
    CHECK(dex.deployment["token_a"] == dex.deployment["weth"]);
    const auto weth_of = [&](const Address& who) { return dex.call("weth", "balanceOf(address)(uint256)", {who})[0].word(); };
    // The V2 pair holds the 1000 WETH of its reserves, and a funded account 100 WETH (the default
    // with --weth-as-a) beside its 1,000,000 TKB.
    CHECK(weth_of(addr(dex.deployment["v2_pair"])) == mul(U256(1000), kEther));
    const Address funded = *Address::parse(Anvil::dev_address(1));
    CHECK(weth_of(funded) == mul(U256(100), kEther));
    CHECK(dex.call("token_b", "balanceOf(address)(uint256)", {funded})[0].word() == mul(U256(1'000'000), kEther));
    // Every WETH in existence was wrapped by the deployer: V2 + V3 liquidity and the funding.
    const U256 supply = dex.call("weth", "totalSupply()(uint256)")[0].word();
    CHECK(supply == mul(U256(2100), kEther));
    CHECK(*dex.eth->balance(addr(dex.deployment["weth"])) == supply);
    // Token A swaps like any ERC-20.
    CHECK(dec(dex.swap("v2", "A", "1ether")["amount_out"]) > mul(U256(2400), kEther));

    // More ETH than the deployer holds (a dev account has 10,000): refused before any transaction.
    const uint64_t nonce = *dex.eth->transaction_count(*Address::parse(Anvil::dev_address(0)));
    auto r = run_process({kCvex, "dex", "deploy", "--root", kRoot, "--weth-as-a", "--amount-a", "6000ether"}, dex.env(0));
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("weth as token A: wrapping 12000000000000000000000 wei needs more than the deployer's balance"));
    CHECK(*dex.eth->transaction_count(*Address::parse(Anvil::dev_address(0))) == nonce);
}

TEST_CASE("dex swap refuses a bad deployment file, naming what is wrong") {
    Dex dex;
    const auto try_swap = [&](const std::string& path) {
        return run_process({kCvex, "dex", "swap", "--deployment", path, "--venue", "v2", "--token-in", "A", "--amount", "1"}, dex.env(1));
    };
    const auto write = [](const std::filesystem::path& p, const std::string& text) { std::ofstream(p) << text; };
    const auto bad = temp_file("bad.json");

    auto missing = try_swap("/nonexistent/deployment.json");
    CHECK(missing.exit_code == 2);
    CHECK_THAT(missing.err, Catch::Contains("cannot open /nonexistent/deployment.json"));

    write(bad, "{ not json");
    auto garbage = try_swap(bad.string());
    CHECK(garbage.exit_code == 2);
    CHECK_THAT(garbage.err, Catch::Contains("is not JSON"));

    nlohmann::json j = dex.deployment;
    j.erase("v2_router");
    write(bad, j.dump());
    auto no_router = try_swap(bad.string());
    CHECK(no_router.exit_code == 2);
    CHECK_THAT(no_router.err, Catch::Contains("field \"v2_router\" is missing"));

    j = dex.deployment;
    std::string text = j["token_a"];
    const size_t letter = text.find_first_of("abcdefABCDEF", 2);
    REQUIRE(letter != std::string::npos);
    text[letter] ^= 0x20;  // flip its case: the EIP-55 checksum no longer holds
    j["token_a"] = text;
    write(bad, j.dump());
    auto checksum = try_swap(bad.string());
    CHECK(checksum.exit_code == 2);
    CHECK_THAT(checksum.err, Catch::Contains("field \"token_a\"") && Catch::Contains("checksum"));

    // Well-formed, but for a chain where nothing was deployed.
    Anvil other;
    auto elsewhere = run_process({kCvex, "dex", "swap", "--deployment", dex.file.string(), "--venue", "v2", "--token-in", "A", "--amount", "1",
                                  "--rpc-url", other.url()},
                                 dex.env(1));
    CHECK(elsewhere.exit_code == 1);
    CHECK_THAT(elsewhere.err, Catch::Contains("no code at the deployment's v2_router"));
    std::filesystem::remove(bad);
}

TEST_CASE("dex commands refuse unknown options and bad values before touching the chain") {
    auto r = run_process({kCvex, "dex", "deploy", "--rpc", "http://127.0.0.1:1"}, {"CVEX_PRIVATE_KEY=" + Anvil::dev_key(0)});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("unexpected argument '--rpc'"));
    auto venue = run_process({kCvex, "dex", "swap", "--deployment", "x", "--venue", "v4", "--token-in", "A", "--amount", "1"});
    CHECK(venue.exit_code == 2);
    CHECK_THAT(venue.err, Catch::Contains("--venue 'v4'"));
    auto root = run_process({kCvex, "dex", "deploy", "--root", "/nonexistent", "--rpc-url", "http://127.0.0.1:1"},
                            {"CVEX_PRIVATE_KEY=" + Anvil::dev_key(0)});
    CHECK(root.exit_code == 2);
    CHECK_THAT(root.err, Catch::Contains("/nonexistent/node_modules/"));
    auto amount = run_process({kCvex, "dex", "deploy", "--amount-a", "lots"}, {"CVEX_PRIVATE_KEY=" + Anvil::dev_key(0)});
    CHECK(amount.exit_code == 2);
    CHECK_THAT(amount.err, Catch::Contains("--amount-a"));
}
