// The VRF oracle end to end on Anvil (issue 6 §4): cvex-oracle as a real process against the
// real contracts, deployed by cvex's client. Every fulfilment is re-verified from chain data alone
// (oracle/fulfilment_record.hpp) and against what each consumer recorded.
#include <catch2/catch.hpp>

#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <map>
#include <random>
#include <thread>

#include "chain/encoding/abi_codec.hpp"
#include "chain/crypto/keccak.hpp"
#include "oracle/fulfilment_record.hpp"
#include "support/child_process.hpp"
#include "support/fake_http_server.hpp"
#include "support/oracle_net.hpp"

using namespace cvex;
using chain::AbiValue;
using chain::U256;
using cvex::test::ChildProcess;
using cvex::test::OracleNet;

namespace {

const std::string kOracleBin = std::string(CVEX_BIN_DIR) + "/cvex-oracle";

std::string temp_path(const std::string& name) {
    const auto dir = std::filesystem::temp_directory_path() / ("cvex-oracle-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    return (dir / name).string();
}

std::unique_ptr<ChildProcess> start_oracle(OracleNet& net, const std::string& url, const std::string& log, std::vector<std::string> extra = {}) {
    std::vector<std::string> argv = {kOracleBin, "--rpc-url", url, "--coordinator", net.coordinator().address().checksum_hex(),
                                     "--start-block", std::to_string(net.deploy_block()), "--poll-ms", "50"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return std::make_unique<ChildProcess>(argv, net.oracle_env(), log);
}

// keccak256(abi.encode(uint256[] words)), as VRFLoadConsumer stores it.
chain::Hash32 words_hash(const std::vector<U256>& words) {
    AbiValue::List l;
    for (const auto& w : words) l.emplace_back(w);
    return chain::keccak256(*chain::abi_encode({*chain::parse_abi_type("uint256[]")}, {AbiValue(l)}));
}

// Checks every fulfilment against the chain and the consumers: each id fulfilled exactly once,
// its proof valid (read_fulfilments verifies), and the consumer saw exactly these words once.
void check_fulfilments(OracleNet& net, size_t expected) {
    auto head = *net.eth()->block_number();
    auto records = oracle::read_fulfilments(*net.eth(), net.coordinator().address(), net.deploy_block(), head);
    INFO((records ? "" : records.error().message()));
    REQUIRE(records);
    std::map<U256, int> times;
    for (const auto& r : *records) ++times[r.request.request_id];
    CHECK(records->size() == expected);
    for (const auto& [id, n] : times) {
        INFO("request " << id.dec());
        CHECK(n == 1);
    }
    size_t checked = 0;
    for (const auto& r : *records) {
        if (!r.callback_success) continue;
        for (auto& c : net.consumers()) {
            auto f = c.call("fulfilments", {AbiValue(r.request.request_id)});
            if (!f || (*f)[0].word().is_zero()) continue;
            CHECK((*f)[0].word() == U256(1));
            auto h = c.call("wordsHash", {AbiValue(r.request.request_id)});
            REQUIRE(h);
            CHECK(cvex::to_hex((*h)[0].bytes()) == words_hash(r.words).hex());
            ++checked;
        }
    }
    CHECK(checked > 0);
}

size_t count_logs(OracleNet& net, const std::string& event) {
    auto head = *net.eth()->block_number();
    auto logs = net.coordinator().contract().logs(event, net.deploy_block(), head);
    REQUIRE(logs);
    return logs->size();
}

OracleNet::Options net_options(std::optional<double> block_time, size_t consumers, bool attest = true) {
    OracleNet::Options o;
    o.anvil.block_time = block_time;
    o.consumers = consumers;
    o.attest_oracle = attest;
    return o;
}

}  // namespace

TEST_CASE("1,000 requests from 10 consumers with mixed confirmations are all fulfilled exactly once, words verified") {
    OracleNet net(net_options(0.5, 10));
    // One consumer's callbacks revert: its requests are fulfilled all the same, the rest unaffected.
    REQUIRE(net.consumers()[9].transact("setRevertAll", {AbiValue(true)}));
    // A request for another key: skipped by this oracle, left pending.
    auto other = vrf::VrfKey<vrf::Secp256k1Group>::generate();
    REQUIRE(other);
    const auto other_xy = *oracle::decompress_point(other->public_key());
    const auto other_hash = oracle::key_hash_of(other_xy);
    // Its oracle is attested with it (the coordinator takes requests only for such keys).
    REQUIRE(net.coordinator().register_proving_key(other_xy, net.attest_account(5, &other_hash)));
    const U256 foreign = net.request(0, 1, 1, 100'000, 1, &other_hash);

    const auto log = temp_path("oracle-1000.log");
    auto oracle = start_oracle(net, "http://127.0.0.1:" + std::to_string(net.anvil().port()), log);
    for (size_t round = 0; round < 4; ++round)
        for (size_t c = 0; c < 10; ++c) net.request(c, static_cast<uint16_t>(1 + (c + round) % 6), 25);

    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(150);
    while (std::chrono::steady_clock::now() < deadline && net.pending().size() > 1) std::this_thread::sleep_for(std::chrono::milliseconds(250));
    INFO(oracle->log());
    CHECK(net.pending() == std::vector<U256>{foreign});
    check_fulfilments(net, 1000);
    CHECK(count_logs(net, "FulfillmentSkipped") == 0);
    CHECK(oracle->log().find("skipping request " + foreign.dec()) != std::string::npos);
}

TEST_CASE("the oracle killed with SIGKILL three times during a run loses no request and fulfils none twice") {
    OracleNet net(net_options(0.25, 3));
    const auto log = temp_path("oracle-kill.log");
    const auto journal = temp_path("oracle-kill.journal");
    const std::string url = "http://127.0.0.1:" + std::to_string(net.anvil().port());
    auto oracle = start_oracle(net, url, log, {"--journal", journal, "--max-batch", "10"});
    std::atomic<bool> done{false};
    std::thread requester([&] {
        for (size_t i = 0; i < 30; ++i) {
            net.request(i % 3, static_cast<uint16_t>(1 + i % 3), 10);
            std::this_thread::sleep_for(std::chrono::milliseconds(150));
        }
        done = true;
    });
    std::mt19937 rng(42);
    for (int kill = 0; kill < 3; ++kill) {
        std::this_thread::sleep_for(std::chrono::milliseconds(700 + rng() % 900));
        oracle->stop(SIGKILL);
        oracle = start_oracle(net, url, log, {"--journal", journal, "--max-batch", "10"});
    }
    requester.join();
    INFO(oracle->log());
    REQUIRE(net.wait_all_fulfilled(std::chrono::seconds(90)));
    check_fulfilments(net, 300);
    // No attempt at an already fulfilled request: the restarted oracle followed the transactions
    // its predecessor left in flight and filtered through pendingRequests before sending.
    CHECK(count_logs(net, "FulfillmentSkipped") == 0);
}

TEST_CASE("a reorg that removes pending requests: the vanished ones are never fulfilled, the re-included ones with their new seed") {
    OracleNet net(net_options(1, 2));
    const auto log = temp_path("oracle-reorg.log");
    auto oracle = start_oracle(net, "http://127.0.0.1:" + std::to_string(net.anvil().port()), log);
    // Consumer 0's requests will be re-included one block later; consumer 1's vanish.
    const U256 first = net.request(0, 4, 3);
    const U256 lost = net.request(1, 4, 2);
    REQUIRE(lost == first.wrapping_add(U256(3)));
    auto first_log = net.coordinator().request_logs(net.deploy_block(), *net.eth()->block_number(), {first});
    REQUIRE(first_log);
    REQUIRE(first_log->size() == 1);
    const auto old_block = first_log->front().block_number;
    const auto old_hash = first_log->front().block_hash;
    auto raw = net.eth()->rpc().call("eth_getRawTransactionByHash", {first_log->front().transaction_hash.hex()});
    REQUIRE(raw);
    const uint64_t head = *net.eth()->block_number();
    REQUIRE(head < old_block + 4);  // not yet ready
    const uint64_t depth = head - old_block + 1;
    auto reorg = net.eth()->rpc().call("anvil_reorg", {depth, nlohmann::json::array({nlohmann::json::array({*raw, 1})})},
                                       chain::Idempotency::kUnsafe);
    INFO((reorg ? "" : reorg.error().message()));
    REQUIRE(reorg);

    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(40);
    while (std::chrono::steady_clock::now() < deadline && !net.pending().empty()) std::this_thread::sleep_for(std::chrono::milliseconds(250));
    INFO(oracle->log());
    CHECK(net.request_count() == first.wrapping_add(U256(2)));  // the lost requests' ids never came back
    CHECK(net.pending().empty());
    auto records = oracle::read_fulfilments(*net.eth(), net.coordinator().address(), net.deploy_block(), *net.eth()->block_number());
    REQUIRE(records);
    REQUIRE(records->size() == 3);
    for (const auto& r : *records) {
        CHECK(r.request.requester == net.consumers()[0].address());
        CHECK(r.request.block_number == old_block + 1);
        CHECK(r.request_block_hash != old_hash);  // proven with the seed of the block it is in now
    }
    CHECK(oracle->log().find("reorg") != std::string::npos);
    CHECK(count_logs(net, "FulfillmentSkipped") == 0);
}

TEST_CASE("behind an RPC proxy that drops and delays responses the oracle recovers and catches up") {
    OracleNet net(net_options(0.5, 2));
    std::mt19937 rng(7);
    std::mutex rng_mutex;
    std::atomic<size_t> dropped{0}, delayed{0};
    const std::string upstream = net.anvil().url();
    cvex::test::FakeHttpServer proxy([&](const std::string& body) {
        int roll;
        {
            std::lock_guard lock(rng_mutex);
            roll = static_cast<int>(rng() % 100);
        }
        cvex::test::FakeReply reply{200, cvex::test::forward_json_rpc(upstream, body)};
        if (roll < 15) {
            ++dropped;
            reply.close_without_reply = true;  // the node may have acted: the answer is lost
        } else if (roll < 30) {
            ++delayed;
            reply.delay = std::chrono::milliseconds(200 + roll * 20);
        }
        return reply;
    });
    const auto log = temp_path("oracle-faults.log");
    auto oracle = start_oracle(net, proxy.url(), log, {"--max-batch", "20"});
    for (size_t i = 0; i < 10; ++i) net.request(i % 2, 2, 20);
    INFO(oracle->log());
    REQUIRE(net.wait_all_fulfilled(std::chrono::seconds(120)));
    check_fulfilments(net, 200);
    CHECK(oracle->running());
    CHECK(dropped > 10);
    CHECK(delayed > 10);
}

TEST_CASE("a key that is not attested, expired or revoked cannot fulfil: the coordinator rejects it and the oracle holds") {
    OracleNet net(net_options(std::nullopt, 1, false));
    // Never attested: the coordinator refuses the request rather than take a fee that would strand.
    // (The consumer's ABI does not know the coordinator's errors: its revert shows the selector.)
    const std::string no_attested_oracle = cvex::to_hex(cvex::ByteView(chain::keccak256(cvex::as_view("NoAttestedOracle(bytes32)")).bytes.data(), 4));
    CHECK_THROWS_WITH(net.request(0, 1, 1), Catch::Contains(no_attested_oracle));

    // Attested when the request is made, expired by the time it is proven.
    net.attest_oracle();
    const U256 id = net.request(0, 1, 1);
    REQUIRE(net.eth()->evm_mine());
    auto logs = net.coordinator().request_logs(net.deploy_block(), *net.eth()->block_number(), {id});
    REQUIRE(logs);
    const auto request = *oracle::parse_request_log(logs->at(0));
    const auto f = net.prover().prove(request, request.block_hash);
    REQUIRE(f);
    auto fulfil = [&] {
        return net.coordinator().contract().transact("fulfillRandomWords", {vrf::to_abi_value(f->proof), oracle::commitment_value(request)});
    };
    REQUIRE(net.eth()->rpc().call("evm_increaseTime", {3601}, chain::Idempotency::kUnsafe));
    REQUIRE(net.eth()->evm_mine());
    auto r = fulfil();
    REQUIRE_FALSE(r);
    CHECK(r.error().message().find("KeyNotAttested") != std::string::npos);

    // The oracle holds the request while its key is unusable, and fulfils once it is attested.
    const auto log = temp_path("oracle-attest.log");
    auto oracle = start_oracle(net, net.anvil().url(), log);
    std::this_thread::sleep_for(std::chrono::seconds(2));
    REQUIRE(net.eth()->evm_mine());
    std::this_thread::sleep_for(std::chrono::seconds(1));
    CHECK(net.pending() == std::vector<U256>{id});
    CHECK(oracle->log().find("holding requests") != std::string::npos);
    net.attest_oracle();
    for (int i = 0; i < 40 && !net.pending().empty(); ++i) {
        REQUIRE(net.eth()->evm_mine());
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    INFO(oracle->log());
    CHECK(net.pending().empty());
    oracle->stop(SIGTERM);

    // Expired: past the validity period (3600 s) the same kind of proof is refused.
    const U256 id2 = net.request(0, 1, 1);
    REQUIRE(net.eth()->evm_mine());
    logs = net.coordinator().request_logs(net.deploy_block(), *net.eth()->block_number(), {id2});
    const auto request2 = *oracle::parse_request_log(logs->at(0));
    const auto f2 = net.prover().prove(request2, request2.block_hash);
    REQUIRE(net.eth()->rpc().call("evm_increaseTime", {3601}, chain::Idempotency::kUnsafe));
    REQUIRE(net.eth()->evm_mine());
    r = net.coordinator().contract().transact("fulfillRandomWords", {vrf::to_abi_value(f2->proof), oracle::commitment_value(request2)});
    REQUIRE_FALSE(r);
    CHECK(r.error().message().find("KeyNotAttested") != std::string::npos);

    // Revoked: re-attested, then the owner revokes the key.
    net.attest_oracle();
    REQUIRE(net.registry().transact("revokeKey", {AbiValue(net.oracle_address()), AbiValue(std::string("test: key compromised"))}));
    r = net.coordinator().contract().transact("fulfillRandomWords", {vrf::to_abi_value(f2->proof), oracle::commitment_value(request2)});
    REQUIRE_FALSE(r);
    CHECK(r.error().message().find("KeyNotAttested") != std::string::npos);
    CHECK(net.pending() == std::vector<U256>{id2});
}

TEST_CASE("cvex-oracle wipes its keys from its environment block (/proc/self/environ)") {
    OracleNet net(net_options(std::nullopt, 1));
    const auto log = temp_path("oracle-environ.log");
    auto oracle = start_oracle(net, net.anvil().url(), log);
    // Wait for the banner: by then the keys have been decoded and wiped.
    for (int i = 0; i < 100 && oracle->log().find("DEVELOPMENT MODE") == std::string::npos; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    REQUIRE(oracle->log().find("DEVELOPMENT MODE") != std::string::npos);
    std::ifstream in("/proc/" + std::to_string(oracle->pid()) + "/environ", std::ios::binary);
    REQUIRE(in);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string environ_block = ss.str();
    CHECK(environ_block.find("CVEX_VRF_KEY") == std::string::npos);
    CHECK(environ_block.find("CVEX_PRIVATE_KEY") == std::string::npos);
    for (const auto& var : net.oracle_env()) {
        const std::string value = var.substr(var.find('=') + 1);
        const std::string bare = value.rfind("0x", 0) == 0 ? value.substr(2) : value;
        CHECK(environ_block.find(bare) == std::string::npos);
    }
    CHECK(environ_block.find("PATH=") != std::string::npos);  // the rest of the block is intact
}
