// One VRF key, two oracles (issue 14 §3): replicas with their own Ethereum keys, both attested
// with the key's hash, split the requests by id; the primary is SIGKILLed mid-run and the other
// takes its share over after the configured number of blocks; restarted, it rejoins. Every
// request is fulfilled exactly once under the one key hash, duplicates stay under 1 %.
#include <catch2/catch.hpp>

#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <thread>

#include "chain/rpc/eth_client.hpp"
#include "oracle/fulfilment_record.hpp"
#include "support/child_process.hpp"
#include "support/oracle_net.hpp"

using namespace cvex;
using chain::U256;
using cvex::test::ChildProcess;
using cvex::test::OracleNet;

namespace {

const std::string kOracleBin = std::string(CVEX_BIN_DIR) + "/cvex-oracle";
constexpr uint64_t kTakeoverBlocks = 4;

std::string temp_path(const std::string& name) {
    const auto dir = std::filesystem::temp_directory_path() / ("cvex-replicas-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    return (dir / name).string();
}

std::unique_ptr<ChildProcess> start_replica(OracleNet& net, size_t index, size_t dev, const std::string& log) {
    return std::make_unique<ChildProcess>(
        std::vector<std::string>{kOracleBin, "--rpc-url", net.anvil().url(), "--coordinator", net.coordinator().address().checksum_hex(),
                                 "--start-block", std::to_string(net.deploy_block()), "--poll-ms", "50", "--replica",
                                 std::to_string(index) + "/2", "--takeover-blocks", std::to_string(kTakeoverBlocks)},
        net.replica_env(dev), log);
}

}  // namespace

TEST_CASE("two replicas of one key: 1,000 requests, the primary SIGKILLed and restarted, each request fulfilled exactly once") {
    OracleNet::Options o;
    o.anvil.block_time = 1.0;
    o.consumers = 10;
    OracleNet net(o);
    const chain::Address a = net.oracle_address();  // replica 0: the key's registrant
    const chain::Address b = net.attest_account(4);  // replica 1: its own key, attested with the same VRF key
    const auto log_a = temp_path("replica-a.log"), log_b = temp_path("replica-b.log");
    auto replica_a = start_replica(net, 0, 2, log_a);
    auto replica_b = start_replica(net, 1, 4, log_b);

    // 1,000 requests in 40 transactions of 25 from 10 consumers, over about 20 blocks.
    uint64_t killed_at = 0;
    for (size_t round = 0; round < 4; ++round) {
        for (size_t c = 0; c < 10; ++c) {
            net.request(c, static_cast<uint16_t>(1 + c % 3), 25);
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
        if (round == 1) {
            replica_a->stop(SIGKILL);  // mid-run: half the requests made, many of its share pending
            killed_at = *net.eth()->block_number();
        }
    }
    // B alone serves for a while, then A comes back (its keys are the same: it rejoins).
    std::this_thread::sleep_for(std::chrono::seconds(8));
    replica_a = start_replica(net, 0, 2, log_a);
    const uint64_t restarted_at = *net.eth()->block_number();
    for (size_t c = 0; c < 2; ++c) net.request(c, 1, 25);  // 50 more, after the restart: A's share is A's again
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(150);
    while (std::chrono::steady_clock::now() < deadline && !net.pending().empty()) std::this_thread::sleep_for(std::chrono::milliseconds(250));
    INFO("replica A:\n" << replica_a->log() << "\nreplica B:\n" << replica_b->log());
    REQUIRE(net.pending().empty());

    // Exactly once, one key hash, and who fulfilled what.
    const uint64_t head = *net.eth()->block_number();
    auto records = oracle::read_fulfilments(*net.eth(), net.coordinator().address(), net.deploy_block(), head);
    REQUIRE(records);
    REQUIRE(records->size() == 1050);
    std::map<U256, int> times;
    std::map<chain::Address, size_t> by;
    uint64_t first_takeover = UINT64_MAX, worst_takeover_delay = 0;
    size_t taken_over = 0, a_after_restart = 0;
    for (const auto& r : *records) {
        ++times[r.request.request_id];
        CHECK(r.request.key_hash == net.key_hash());
        auto tx = net.eth()->transaction_by_hash(r.transaction_hash);
        REQUIRE(tx);
        REQUIRE(*tx);
        const chain::Address from = (*tx)->from;
        ++by[from];
        if (from == a && r.request.block_number > restarted_at) ++a_after_restart;
        const bool a_primary = r.request.request_id.to_be()[31] % 2 == 0;
        if (a_primary && from == b && r.request.ready_at() <= killed_at + kTakeoverBlocks) {
            ++taken_over;
            first_takeover = std::min(first_takeover, r.block_number);
            // Ready before the kill: B may take it only after the threshold, and must within two blocks of it.
            const uint64_t due = std::max(r.request.ready_at(), killed_at) + kTakeoverBlocks;
            worst_takeover_delay = std::max(worst_takeover_delay, r.block_number > due ? r.block_number - due : 0);
        }
    }
    for (const auto& [id, n] : times) {
        INFO("request " << id.dec());
        CHECK(n == 1);
    }
    CHECK(by[a] > 0);
    CHECK(by[b] > 0);
    CHECK(taken_over > 0);
    WARN("failover: primary killed at block " << killed_at << ", first takeover fulfilment in block " << first_takeover << " ("
                                              << (first_takeover - killed_at) << " blocks); " << taken_over
                                              << " requests taken over; worst delay past the threshold " << worst_takeover_delay
                                              << " blocks; fulfilled by A " << by[a] << ", by B " << by[b]);
    CHECK(first_takeover <= killed_at + kTakeoverBlocks + 2 + 1);  // + the block the request became ready in
    CHECK(worst_takeover_delay <= 2);

    // Duplicates: entries a replica sent that the other had fulfilled first (skipped, gas only).
    auto skipped = net.coordinator().contract().logs("FulfillmentSkipped", net.deploy_block(), head);
    REQUIRE(skipped);
    size_t duplicates = skipped->size();
    WARN("duplicate fulfilment attempts: " << duplicates << " of 1050 requests");
    CHECK(duplicates < 10);  // < 1 %
    // The restarted replica rejoined: it serves its share of the requests made after it came back.
    CHECK(a_after_restart > 10);
}
