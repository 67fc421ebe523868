// The JSON-RPC client against a real Anvil, and against loopback servers that fail in every way
// a provider can: nothing listening, garbage, HTTP errors, stalls, wrong ids, refused log ranges.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "chain/encoding/abi_codec.hpp"
#include "chain/encoding/abi_events.hpp"
#include "chain/rpc/contract_artifact.hpp"
#include "chain/rpc/eth_client.hpp"
#include "chain/crypto/local_key.hpp"
#include "chain/tx/transaction.hpp"
#include "support/anvil.hpp"
#include "support/fake_http_server.hpp"

using namespace cvex;
using namespace cvex::chain;
using namespace std::chrono_literals;
using cvex::test::Anvil;
using cvex::test::FakeHttpServer;
using cvex::test::FakeReply;

namespace {

std::unique_ptr<EthClient> client_for(const std::string& url, std::chrono::milliseconds read = 2000ms, int attempts = 3) {
    JsonRpcClient::Options o;
    o.timeouts.connect = 1000ms;
    o.timeouts.read = read;
    o.retry.max_attempts = attempts;
    o.retry.base_delay = 10ms;
    return std::move(*EthClient::connect(url, o));
}

// Anvil mines an automined transaction just after answering: poll for its receipt (bounded).
std::optional<Receipt> wait_receipt(EthClient& eth, const Hash32& hash) {
    for (int i = 0; i < 200; ++i) {
        auto r = eth.transaction_receipt(hash);
        if (r && *r) return **r;
        std::this_thread::sleep_for(25ms);
    }
    return std::nullopt;
}

ContractArtifact probe_artifact() {
    auto a = ContractArtifact::load(std::string(CVEX_SOURCE_DIR) + "/contracts/out/Probe.sol/Probe.json");
    REQUIRE(a);
    return *a;
}

// Deploys Probe(limit, note) from dev account 0 with a hand-built transaction; returns its address.
Address deploy_probe(EthClient& eth, uint64_t limit) {
    const auto art = probe_artifact();
    auto key = LocalKey::from_hex(Anvil::dev_key(0));
    Bytes code = art.bytecode;
    const Bytes args = *abi_encode(art.constructor->input_types(), {AbiValue(U256(limit)), AbiValue(std::string("hello"))});
    code.insert(code.end(), args.begin(), args.end());
    Transaction tx;
    tx.chain_id = 31337;
    tx.nonce = *eth.transaction_count(key->address(), BlockTag::pending());
    tx.gas_limit = 3'000'000;
    tx.max_fee_per_gas = U256(100'000'000'000);
    tx.max_priority_fee_per_gas = U256(1'000'000'000);
    tx.data = code;
    auto hash = eth.send_raw_transaction(sign_transaction(tx, *key)->encode());
    REQUIRE(hash);
    auto receipt = wait_receipt(eth, *hash);
    REQUIRE(receipt);
    REQUIRE(receipt->contract_address);
    return *receipt->contract_address;
}

}  // namespace

TEST_CASE("typed methods read a live Anvil") {
    Anvil anvil;
    auto eth = client_for(anvil.url());
    CHECK(eth->chain_id() == uint64_t{31337});
    CHECK(eth->block_number() == uint64_t{0});
    const Address dev = *Address::parse(Anvil::dev_address(0));
    CHECK(eth->balance(dev) == *U256::parse("10000000000000000000000"));
    CHECK(eth->transaction_count(dev) == uint64_t{0});
    CHECK(eth->code(dev)->empty());
    auto block = eth->block_by_number(BlockTag::latest());
    REQUIRE(block);
    REQUIRE(*block);
    CHECK((*block)->base_fee_per_gas);
    CHECK(eth->block_by_hash((*block)->hash)->value().number == 0);
    auto fees = eth->fee_history(4, BlockTag::latest(), {50});
    REQUIRE(fees);
    CHECK_FALSE(fees->base_fee_per_gas.empty());
    CHECK(eth->max_priority_fee());
}

TEST_CASE("a signed transfer is accepted, mined and readable back") {
    Anvil anvil;
    auto eth = client_for(anvil.url());
    auto key = LocalKey::from_hex(Anvil::dev_key(1));
    Transaction tx;
    tx.chain_id = 31337;
    tx.gas_limit = 21000;
    tx.max_fee_per_gas = U256(10'000'000'000);
    tx.max_priority_fee_per_gas = U256(1);
    tx.to = *Address::parse(Anvil::dev_address(2));
    tx.value = U256(12345);
    auto hash = eth->send_raw_transaction(sign_transaction(tx, *key)->encode());
    REQUIRE(hash);
    auto receipt = wait_receipt(*eth, *hash);
    REQUIRE(receipt);
    CHECK(receipt->status);
    CHECK(receipt->gas_used == 21000);
    auto info = eth->transaction_by_hash(*hash);
    REQUIRE(info);
    CHECK((*info)->from == key->address());
    CHECK((*info)->value == U256(12345));
}

TEST_CASE("eth_call surfaces revert data that decodes to the contract's reason") {
    Anvil anvil;
    auto eth = client_for(anvil.url());
    const Address probe = deploy_probe(*eth, 100);
    const auto art = probe_artifact();
    auto r = eth->call({std::nullopt, probe, *abi_encode_call(*art.function("failWithReason"), {}), std::nullopt, std::nullopt});
    REQUIRE_FALSE(r);
    REQUIRE(r.error().revert_data);
    CHECK(decode_revert(*r.error().revert_data).text == "Error(\"probe: reason\")");
    auto custom = eth->call({std::nullopt, probe,
                             *abi_encode_call(*art.function("store"), {AbiValue(U256(101)), AbiValue(std::string("x")), AbiValue(AbiValue::List{})}),
                             std::nullopt, std::nullopt});
    REQUIRE_FALSE(custom);
    CHECK(decode_revert(*custom.error().revert_data, art.errors).text == "TooLarge(101, 100)");
}

TEST_CASE("a batch returns each answer in order, errors per element") {
    Anvil anvil;
    auto eth = client_for(anvil.url());
    auto results = eth->rpc().batch({{"eth_chainId", nlohmann::json::array()}, {"no_such_method", nlohmann::json::array()},
                                     {"eth_blockNumber", nlohmann::json::array()}});
    REQUIRE(results);
    REQUIRE(results->size() == 3);
    CHECK((*results)[0]->get<std::string>() == "0x7a69");
    CHECK_FALSE((*results)[1]);
    CHECK((*results)[1].error().kind == RpcError::kRpc);
    CHECK((*results)[2]->get<std::string>() == "0x0");
}

TEST_CASE("eth_getLogs splits a range the node refuses and merges the parts in order") {
    Anvil anvil;
    auto direct = client_for(anvil.url());
    const Address probe = deploy_probe(*direct, 1000);
    const auto art = probe_artifact();
    auto key = LocalKey::from_hex(Anvil::dev_key(0));
    for (uint64_t v = 1; v <= 12; ++v) {  // one Stored event per block (automine)
        Transaction tx;
        tx.chain_id = 31337;
        tx.nonce = *direct->transaction_count(key->address(), BlockTag::pending());
        tx.gas_limit = 200000;
        tx.max_fee_per_gas = U256(100'000'000'000);
        tx.max_priority_fee_per_gas = U256(1);
        tx.to = probe;
        tx.data = *abi_encode_call(*art.function("store"), {AbiValue(U256(v)), AbiValue(std::string("n")), AbiValue(AbiValue::List{})});
        auto hash = direct->send_raw_transaction(sign_transaction(tx, *key)->encode());
        REQUIRE(hash);
        REQUIRE(wait_receipt(*direct, *hash));
    }
    // A provider that refuses more than 3 blocks per query, as hosted nodes do.
    std::atomic<int> refused{0};
    FakeHttpServer limited([&](const std::string& body) {
        auto j = nlohmann::json::parse(body);
        if (j.is_object() && j["method"] == "eth_getLogs") {
            const auto from = *U256::parse(j["params"][0]["fromBlock"].get<std::string>());
            const auto to = *U256::parse(j["params"][0]["toBlock"].get<std::string>());
            if (to.low_u64() - from.low_u64() + 1 > 3) {
                ++refused;
                return FakeReply{200, nlohmann::json{{"jsonrpc", "2.0"}, {"id", j["id"]},
                                                     {"error", {{"code", -32005}, {"message", "block range too large"}}}}.dump()};
            }
        }
        return FakeReply{200, cvex::test::forward_json_rpc(anvil.url(), body)};
    });
    auto eth = client_for(limited.url());
    LogFilter f;
    f.addresses = {probe};
    f.topics = {std::vector<Hash32>{art.event("Stored")->topic()}};
    f.from_block = 0;
    f.to_block = *eth->block_number();
    auto logs = eth->logs(f);
    REQUIRE(logs);
    REQUIRE(logs->size() == 12);
    for (size_t i = 0; i < logs->size(); ++i) {
        auto params = decode_log(*art.event("Stored"), (*logs)[i].topics, (*logs)[i].data);
        REQUIRE(params);
        CHECK((*params)[1].value.word() == U256(i + 1));
    }
    CHECK(refused > 0);
}

TEST_CASE("nothing listening is a refused connection, reported at once") {
    const uint16_t port = cvex::test::free_loopback_port();
    auto eth = client_for("http://127.0.0.1:" + std::to_string(port), 2000ms, 1);
    const auto start = std::chrono::steady_clock::now();
    auto r = eth->chain_id();
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == RpcError::kTransport);
    CHECK(r.error().transport->code == TransportError::kRefused);
    CHECK_THAT(r.error().message(), Catch::Contains("eth_chainId"));
    CHECK(std::chrono::steady_clock::now() - start < 1500ms);
}

TEST_CASE("a server answering garbage gives a malformed-response error naming the method") {
    FakeHttpServer server([](const std::string&) { return FakeReply{200, "<html>not json</html>"}; });
    auto r = client_for(server.url())->block_number();
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == RpcError::kMalformed);
    CHECK_THAT(r.error().message(), Catch::Contains("eth_blockNumber"));
}

TEST_CASE("a server that is not HTTP at all is a protocol error") {
    FakeHttpServer server([](const std::string&) { return FakeReply{200, "SSH-2.0-OpenSSH\r\n\r\n", 0ms, false, true}; });
    auto r = client_for(server.url(), 2000ms, 1)->chain_id();
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == RpcError::kTransport);
}

TEST_CASE("HTTP 503 and 429 are retried for safe methods, then reported with the status") {
    for (int status : {503, 429}) {
        FakeHttpServer server([status](const std::string&) { return FakeReply{status, "busy"}; });
        auto r = client_for(server.url(), 2000ms, 3)->chain_id();
        REQUIRE_FALSE(r);
        CHECK(r.error().kind == RpcError::kHttpStatus);
        CHECK(r.error().http_status == status);
        CHECK(r.error().retryable());
        CHECK(server.requests() == 3);
    }
}

TEST_CASE("eth_sendRawTransaction is never retried by the transport") {
    FakeHttpServer server([](const std::string&) { return FakeReply{503, "busy"}; });
    auto r = client_for(server.url(), 2000ms, 5)->send_raw_transaction(Bytes{0x02, 0xc0});
    REQUIRE_FALSE(r);
    CHECK(server.requests() == 1);
}

TEST_CASE("a stalled server times out within the read deadline") {
    FakeHttpServer server([](const std::string&) { return FakeReply{200, "{}", 5000ms}; });
    const auto start = std::chrono::steady_clock::now();
    auto r = client_for(server.url(), 300ms, 1)->chain_id();
    const auto took = std::chrono::steady_clock::now() - start;
    REQUIRE_FALSE(r);
    CHECK(r.error().transport->code == TransportError::kTimeout);
    CHECK(r.error().transport->phase == "read");
    CHECK(took < 1500ms);
}

TEST_CASE("an answer with another request's id is refused") {
    FakeHttpServer server([](const std::string&) { return FakeReply{200, R"({"jsonrpc":"2.0","id":987654,"result":"0x1"})"}; });
    auto r = client_for(server.url())->chain_id();
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == RpcError::kMalformed);
    CHECK_THAT(r.error().detail, Catch::Contains("id"));
}

TEST_CASE("a result of the wrong shape names the field") {
    FakeHttpServer server([](const std::string& body) {
        auto j = nlohmann::json::parse(body);
        return FakeReply{200, nlohmann::json{{"jsonrpc", "2.0"}, {"id", j["id"]}, {"result", 42}}.dump()};
    });
    auto r = client_for(server.url())->block_number();
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == RpcError::kMalformed);
}

TEST_CASE("bad URLs are refused before any connection") {
    CHECK_FALSE(JsonRpcClient::connect("ftp://example.com"));
    CHECK_FALSE(JsonRpcClient::connect("http://:8545"));
    CHECK(Url::parse("https://rpc.example.org/v1/key")->tls);
    CHECK(Url::parse("https://rpc.example.org/v1/key")->port == "443");
    CHECK(Url::parse("http://[::1]:8545")->host == "::1");
}

TEST_CASE("Anvil's mining controls: automine off keeps a transaction pending until evm_mine") {
    Anvil anvil;
    auto eth = client_for(anvil.url());
    REQUIRE(eth->evm_set_automine(false));
    auto key = LocalKey::from_hex(Anvil::dev_key(3));
    Transaction tx;
    tx.chain_id = 31337;
    tx.gas_limit = 21000;
    tx.max_fee_per_gas = U256(10'000'000'000);
    tx.max_priority_fee_per_gas = U256(1);
    tx.to = key->address();
    auto hash = eth->send_raw_transaction(sign_transaction(tx, *key)->encode());
    REQUIRE(hash);
    CHECK_FALSE(eth->transaction_receipt(*hash)->has_value());
    REQUIRE(eth->evm_mine());
    CHECK(eth->transaction_receipt(*hash)->has_value());
    REQUIRE(eth->anvil_set_balance(key->address(), U256(7)));
    CHECK(eth->balance(key->address()) == U256(7));
}
