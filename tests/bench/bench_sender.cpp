// Signed transfers sent and mined per second through one Sender against a real Anvil (automine),
// beside ethers.js 6 (tests/bench/ethers_sender.mjs) with the same concurrency against the same
// Anvil in the same run. Targets (issue 3): >= 1,000 transfers/s and >= 2x ethers.js.
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "chain/crypto/local_key.hpp"
#include "chain/rpc/sender.hpp"
#include "support/anvil.hpp"
#include "support/process.hpp"

using namespace cvex;
using namespace cvex::chain;
using namespace std::chrono;

int main(int argc, char** argv) {
    const int count = argc > 1 ? std::atoi(argv[1]) : 3000;
    const int concurrency = argc > 2 ? std::atoi(argv[2]) : 8;
    cvex::test::Anvil anvil(cvex::test::Anvil::Options{0, std::nullopt, false, "", "", {"--order", "fifo"}});
    auto eth = std::shared_ptr<EthClient>(std::move(*EthClient::connect(anvil.url())));
    auto key = std::make_shared<LocalKey>(std::move(*LocalKey::from_hex(cvex::test::Anvil::dev_key(1))));
    SenderOptions o;
    o.poll_interval = milliseconds(5);
    o.stuck_after = seconds(120);  // throughput, not replacement, is measured here
    auto sender = std::move(*Sender::create(eth, key, o));
    const Address to = *Address::parse("0x000000000000000000000000000000000000dEaD");

    const auto start = steady_clock::now();
    std::vector<std::vector<PendingTx>> sent(static_cast<size_t>(concurrency));
    std::vector<std::thread> callers;
    std::atomic<int> next{0}, failed{0};
    for (int c = 0; c < concurrency; ++c)
        callers.emplace_back([&, c] {
            while (next.fetch_add(1) < count) {
                auto p = sender->send(TxRequest{to, U256(1), {}, 21000});
                if (p) sent[static_cast<size_t>(c)].push_back(*p);
                else ++failed;
            }
        });
    for (auto& t : callers) t.join();
    callers.clear();
    for (int c = 0; c < concurrency; ++c)
        callers.emplace_back([&, c] {
            for (const auto& p : sent[static_cast<size_t>(c)])
                if (!sender->wait(p, seconds(120))) ++failed;
        });
    for (auto& t : callers) t.join();
    const double ours_s = duration<double>(steady_clock::now() - start).count();
    const double ours = count / ours_s;

    const auto peer = cvex::test::run_process({"/usr/bin/env", "node", std::string(CVEX_SOURCE_DIR) + "/tests/bench/ethers_sender.mjs",
                                               anvil.url(), cvex::test::Anvil::dev_key(2), std::to_string(count), std::to_string(concurrency)});
    double theirs = 0;
    if (peer.exit_code == 0) theirs = nlohmann::json::parse(peer.out).value("per_second", 0.0);
    std::printf("sender_transfers_per_second %.0f (%d transfers, %d callers, %.2f s, %d failed)\n", ours, count, concurrency, ours_s, failed.load());
    std::printf("ethers6_transfers_per_second %.0f%s\n", theirs, peer.exit_code == 0 ? "" : (" (peer failed: " + peer.err + ")").c_str());
    if (theirs > 0) std::printf("ratio %.2fx\n", ours / theirs);
    return failed == 0 ? 0 : 1;
}
