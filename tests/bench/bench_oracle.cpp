// The VRF oracle on Anvil with 1-second blocks (issue 6 §5), in-process over the real contracts:
//  - latency: blocks from each request's confirmation block (blockNumber + minConfirmations) to
//    the block of its fulfilment; target: median <= 1 block;
//  - throughput: a backlog of ready requests fulfilled per second of chain time with batching;
//    target: >= 200/s;
//  - gas per fulfilled request, single and batched, with a counting-only consumer callback
//    (forge's VRFGas.t.sol gives the figures without any callback; Chainlink's ≈ 70k per
//    fulfillRandomWords is their own figure), and Chainlink's VRFCoordinatorV2_5 itself on the
//    same Anvil (support/chainlink_peer.hpp: native payment, one word, a no-op consumer), from
//    receipts as cvex's are: the peer in the same run.
//  - the RPC quorum's overhead (`bench_oracle --quorum`): the same latency and throughput runs with
//    the oracle reading through k = 2 of 3 endpoints against 1 of 1 (each endpoint a forwarding
//    HTTP proxy in front of the same Anvil, so both sides pay the same hop).
// Prints figures; not a test. Usage: bench_oracle [backlog=3000] | bench_oracle --quorum [backlog=600]
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <thread>

#include "chain/crypto/local_key.hpp"
#include "oracle/fulfilment_record.hpp"
#include "oracle/vrf_oracle.hpp"
#include "support/fake_http_server.hpp"
#include "chain/rpc/quorum_rpc.hpp"
#include "support/chainlink_peer.hpp"
#include "support/oracle_net.hpp"

using namespace cvex;
using chain::AbiValue;
using chain::U256;
using cvex::test::OracleNet;

namespace {

struct RunningOracle {
    std::atomic<bool> stop{false};
    std::unique_ptr<oracle::VrfOracle> oracle;
    std::thread thread;
    ~RunningOracle() {
        stop = true;
        if (thread.joinable()) thread.join();
    }
};

std::unique_ptr<RunningOracle> start(OracleNet& net, std::shared_ptr<chain::EthClient> eth = nullptr) {
    if (!eth) eth = net.eth();
    auto key = *vrf::VrfKey<vrf::Secp256k1Group>::from_hex(OracleNet::vrf_key_hex());
    const auto pk = key.public_key();
    auto prover = *oracle::Prover::create(std::make_shared<vrf::VrfKey<vrf::Secp256k1Group>>(std::move(key)), pk);
    auto signer = std::make_shared<chain::LocalKey>(std::move(*chain::LocalKey::from_hex(cvex::test::Anvil::dev_key(2))));
    chain::SenderOptions so;
    so.stuck_after = std::chrono::seconds(30);
    auto sender = std::shared_ptr<chain::Sender>(std::move(*chain::Sender::create(eth, signer, so)));
    oracle::OracleOptions o;
    o.coordinator = net.coordinator().address();
    o.start_block = net.deploy_block();
    o.poll_interval = std::chrono::milliseconds(50);
    auto r = std::make_unique<RunningOracle>();
    r->oracle = std::move(*oracle::VrfOracle::create(o, eth, sender, std::move(prover), [](const std::string&) {}));
    auto* raw = r.get();
    r->thread = std::thread([raw] { raw->oracle->run([raw] { return raw->stop.load(); }); });
    return r;
}

uint64_t timestamp(OracleNet& net, uint64_t block) {
    return (*net.eth()->block_by_number(chain::BlockTag::number(block)))->timestamp;
}

// Latency (median blocks from confirmation to fulfilment over `n` requests) and throughput
// (requests per second of chain time for a backlog) with the oracle reading through `eth`.
std::pair<uint64_t, double> latency_and_throughput(OracleNet& net, std::shared_ptr<chain::EthClient> eth, size_t n, size_t backlog) {
    auto running = start(net, eth);
    // A new oracle first reads the chain's history from the coordinator's deployment (through the
    // quorum, every range from every endpoint): one warm-up request fulfilled means it caught up,
    // so the latency below is the steady state's and not the start-up's.
    net.request(0, 1, 1, 20'000, 1);
    if (!net.wait_all_fulfilled(std::chrono::seconds(120))) return {UINT64_MAX, 0};
    const uint64_t from = *net.eth()->block_number() + 1;
    for (size_t i = 0; i < n; ++i) {
        net.request(0, static_cast<uint16_t>(1 + i % 3), 1, 20'000, 1);
        std::this_thread::sleep_for(std::chrono::milliseconds(700));
    }
    if (!net.wait_all_fulfilled(std::chrono::seconds(60))) return {UINT64_MAX, 0};
    auto records = oracle::read_fulfilments(*net.eth(), net.coordinator().address(), from, *net.eth()->block_number());
    std::vector<uint64_t> latency;
    for (const auto& r : *records) latency.push_back(r.block_number - r.request.ready_at());
    std::sort(latency.begin(), latency.end());
    running.reset();
    const uint64_t backlog_from = *net.eth()->block_number() + 1;
    for (size_t made = 0; made < backlog; made += 100) net.request(0, 1, std::min<size_t>(100, backlog - made), 20'000, 1);
    (void)net.eth()->evm_mine();
    const uint64_t start_block = *net.eth()->block_number();
    running = start(net, eth);
    if (!net.wait_all_fulfilled(std::chrono::seconds(180))) return {latency[latency.size() / 2], 0};
    running.reset();
    records = oracle::read_fulfilments(*net.eth(), net.coordinator().address(), backlog_from, *net.eth()->block_number());
    uint64_t last = 0;
    for (const auto& r : *records) last = std::max(last, r.block_number);
    const double seconds = static_cast<double>(timestamp(net, last) - timestamp(net, start_block));
    return {latency[latency.size() / 2], static_cast<double>(records->size()) / std::max(1.0, seconds)};
}

// Median (min–max) of a set of per-fulfilment gas figures; 0 when there are none.
uint64_t print_gas(const char* name, std::vector<uint64_t> gas, const char* what) {
    if (gas.empty()) {
        std::printf("%s: no fulfilments measured\n", name);
        return 0;
    }
    std::sort(gas.begin(), gas.end());
    std::printf("%s %llu (min %llu, max %llu over %zu lone fulfilments; %s)\n", name,
                static_cast<unsigned long long>(gas[gas.size() / 2]), static_cast<unsigned long long>(gas.front()),
                static_cast<unsigned long long>(gas.back()), gas.size(), what);
    return gas[gas.size() / 2];
}

// What the fulfilments in a receipt charged, in gas: their payments over the price the
// transaction paid (the OracleNet key's lane has no premium, and its cap is above Anvil's price).
uint64_t charged_gas(const chain::Contract& c, const chain::Receipt& r) {
    U256 paid;
    for (const auto& ev : c.events_in(r, "RandomWordsFulfilled")) paid = paid.wrapping_add(chain::param(ev, "payment")->word());
    auto q = paid.divmod(r.effective_gas_price);
    return q ? q->first.low_u64() : 0;
}

void print_charge(const char* name, std::vector<int64_t> diff, const char* what) {
    if (diff.empty()) return;
    std::sort(diff.begin(), diff.end());
    std::printf("%s %lld (min %lld, max %lld; %s)\n", name, static_cast<long long>(diff[diff.size() / 2]),
                static_cast<long long>(diff.front()), static_cast<long long>(diff.back()), what);
}

// 4a. cvex: `n` lone fulfilments without a callback — requests from an account without code
//     (the coordinator skips the call), each made once the previous one was fulfilled, so each
//     fulfilment is a transaction of its own. Both verifiers' gas varies with the seed (hash to
//     curve tries candidates until one is a point), hence a median.
std::vector<uint64_t> cvex_lone_gas(OracleNet& net, size_t n, std::vector<int64_t>& charged_minus_used) {
    const auto& c = net.coordinator().contract();
    const U256 price = *net.coordinator().request_price(net.key_hash(), 0, 1);
    const uint64_t from = *net.eth()->block_number() + 1;
    auto running = start(net);
    for (size_t i = 0; i < n; ++i) {
        auto p = c.send("requestRandomWords", {AbiValue(net.key_hash()), AbiValue(U256(1)), AbiValue(U256(0)), AbiValue(U256(1))}, price);
        if (!p || !c.sender()->wait(*p) || !net.wait_all_fulfilled(std::chrono::seconds(30))) break;
    }
    running.reset();
    const auto records = oracle::read_fulfilments(*net.eth(), net.coordinator().address(), from, *net.eth()->block_number());
    std::map<chain::Hash32, size_t> per_tx;
    if (records)
        for (const auto& r : *records) ++per_tx[r.transaction_hash];
    std::vector<uint64_t> gas;
    for (const auto& [hash, count] : per_tx) {
        if (count != 1) continue;
        const auto receipt = **net.eth()->transaction_receipt(hash);
        gas.push_back(receipt.gas_used);
        charged_minus_used.push_back(static_cast<int64_t>(charged_gas(c, receipt)) - static_cast<int64_t>(receipt.gas_used));
    }
    return gas;
}

// 5. The peer: Chainlink's VRFCoordinatorV2_5 on the same Anvil, `n` lone fulfilments.
std::vector<uint64_t> chainlink_lone_gas(OracleNet& net, size_t n) {
    std::vector<uint64_t> gas;
    try {
        cvex::test::ChainlinkPeer peer(net.eth(), net.owner());
        auto key = std::make_shared<chain::LocalKey>(std::move(*chain::LocalKey::from_hex(cvex::test::Anvil::dev_key(5))));
        auto fulfiller = std::shared_ptr<chain::Sender>(std::move(*chain::Sender::create(net.eth(), key)));
        (void)peer.request_and_fulfil(fulfiller);  // the first pays for cold slots a live coordinator has warm
        for (size_t i = 0; i < n; ++i) gas.push_back(peer.request_and_fulfil(fulfiller).gas_used);
    } catch (const std::exception& e) {
        std::printf("chainlink peer: %s\n", e.what());
    }
    return gas;
}

// 4b. cvex: `n` requests without a callback fulfilled together (the oracle batches what is
//     pending when it starts): gas per request from the receipts, and what the entries charged.
void print_batch(OracleNet& net, size_t n) {
    const auto& c = net.coordinator().contract();
    const U256 price = *net.coordinator().request_price(net.key_hash(), 0, 1);
    const uint64_t from = *net.eth()->block_number() + 1;
    std::vector<chain::PendingTx> sent;
    for (size_t i = 0; i < n; ++i)
        if (auto p = c.send("requestRandomWords", {AbiValue(net.key_hash()), AbiValue(U256(1)), AbiValue(U256(0)), AbiValue(U256(1))}, price))
            sent.push_back(*p);
    for (const auto& p : sent) (void)c.sender()->wait(p);
    (void)net.eth()->evm_mine();
    auto running = start(net);
    (void)net.wait_all_fulfilled(std::chrono::seconds(60));
    running.reset();
    auto records = oracle::read_fulfilments(*net.eth(), net.coordinator().address(), from, *net.eth()->block_number());
    if (!records || records->empty()) {
        std::printf("oracle_gas_per_request_no_callback_batch_%zu: no fulfilments measured\n", n);
        return;
    }
    std::set<chain::Hash32> hashes;
    for (const auto& r : *records) hashes.insert(r.transaction_hash);
    uint64_t used = 0, charged = 0;
    for (const auto& h : hashes) {
        const auto receipt = **net.eth()->transaction_receipt(h);
        used += receipt.gas_used;
        charged += charged_gas(c, receipt);
    }
    const double per = static_cast<double>(records->size());
    std::printf("oracle_gas_per_request_no_callback_batch_%zu %.0f (%zu requests in %zu transactions)\n", n, static_cast<double>(used) / per,
                records->size(), hashes.size());
    std::printf("oracle_gas_charged_minus_used_batch_%zu_per_request %.0f (what the entries charged less what their transactions used)\n", n,
                (static_cast<double>(charged) - static_cast<double>(used)) / per);
}

int quorum_overhead(size_t backlog) {
    OracleNet::Options options;
    options.anvil.block_time = 1;
    options.consumers = 1;
    OracleNet net(options);
    if (!net.consumers()[0].transact("setLight", {AbiValue(true)})) return 1;
    const std::string upstream = net.anvil().url();
    std::vector<std::unique_ptr<cvex::test::FakeHttpServer>> proxies;
    for (int i = 0; i < 3; ++i)
        proxies.push_back(std::make_unique<cvex::test::FakeHttpServer>(
            [upstream](const std::string& body) { return cvex::test::FakeReply{200, cvex::test::forward_json_rpc(upstream, body)}; }));
    auto single = std::make_shared<chain::EthClient>(std::shared_ptr<chain::RpcTransport>(std::move(*chain::JsonRpcClient::connect(proxies[0]->url()))));
    chain::QuorumOptions qo;
    qo.threshold = 2;
    auto quorum = std::shared_ptr<chain::RpcTransport>(
        std::move(*chain::QuorumRpc::connect({proxies[0]->url(), proxies[1]->url(), proxies[2]->url()}, qo, chain::QuorumRpc::member_defaults())));
    auto through_quorum = std::make_shared<chain::EthClient>(quorum);
    const auto one = latency_and_throughput(net, single, 20, backlog);
    const auto two_of_three = latency_and_throughput(net, through_quorum, 20, backlog);
    std::printf("oracle_quorum_latency_blocks_median 2-of-3 %llu vs 1-of-1 %llu (20 requests, 1-second blocks)\n",
                static_cast<unsigned long long>(two_of_three.first), static_cast<unsigned long long>(one.first));
    std::printf("oracle_quorum_fulfilled_per_second 2-of-3 %.0f vs 1-of-1 %.0f (ratio %.2f; a backlog of %zu)\n", two_of_three.second,
                one.second, one.second > 0 ? two_of_three.second / one.second : 0.0, backlog);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc > 1 && std::string(argv[1]) == "--quorum") return quorum_overhead(argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 600);
    const size_t backlog = argc > 1 && argv[1][0] != '-' ? std::strtoul(argv[1], nullptr, 10) : 3000;
    OracleNet::Options options;
    options.anvil.block_time = 1;
    options.consumers = 1;
    OracleNet net(options);
    auto& consumer = net.consumers()[0];
    if (!consumer.transact("setLight", {AbiValue(true)})) return 1;
    // Callbacks get 50,000 gas: the counting callback's first write (a fresh slot, 22.1k) must fit,
    // or every callback would run out of gas and the "incl. callback" figures would measure failures.

    // 1. Latency: one request every ~0.7 s, confirmations 1–3, the oracle running.
    auto running = start(net);
    const uint64_t latency_from = *net.eth()->block_number();
    for (int i = 0; i < 30; ++i) {
        net.request(0, static_cast<uint16_t>(1 + i % 3), 1, 50'000, 1);
        std::this_thread::sleep_for(std::chrono::milliseconds(700));
    }
    if (!net.wait_all_fulfilled(std::chrono::seconds(60))) {
        std::printf("latency run: not all fulfilled\n");
        return 1;
    }
    auto records = oracle::read_fulfilments(*net.eth(), net.coordinator().address(), latency_from, *net.eth()->block_number());
    if (!records) {
        std::printf("read_fulfilments: %s\n", records.error().message().c_str());
        return 1;
    }
    std::vector<uint64_t> latency;
    for (const auto& r : *records) latency.push_back(r.block_number - r.request.ready_at());
    std::sort(latency.begin(), latency.end());
    std::printf("oracle_latency_blocks_median %llu (max %llu, %zu requests, 1-second blocks; target <= 1)\n",
                static_cast<unsigned long long>(latency[latency.size() / 2]), static_cast<unsigned long long>(latency.back()), latency.size());
    running.reset();

    // 2. Throughput: a backlog made while the oracle is down, all ready, then one oracle.
    const uint64_t backlog_from = *net.eth()->block_number() + 1;
    for (size_t made = 0; made < backlog; made += 100) net.request(0, 1, std::min<size_t>(100, backlog - made), 50'000, 1);
    (void)net.eth()->evm_mine();
    const uint64_t start_block = *net.eth()->block_number();
    running = start(net);
    if (!net.wait_all_fulfilled(std::chrono::seconds(180))) {
        std::printf("throughput run: not all fulfilled\n");
        return 1;
    }
    running.reset();
    records = oracle::read_fulfilments(*net.eth(), net.coordinator().address(), backlog_from, *net.eth()->block_number());
    if (!records) return 1;
    uint64_t last = 0;
    std::set<chain::Hash32> txs;
    for (const auto& r : *records) {
        last = std::max(last, r.block_number);
        txs.insert(r.transaction_hash);
    }
    const double seconds = static_cast<double>(timestamp(net, last) - timestamp(net, start_block));
    uint64_t gas = 0;
    for (const auto& h : txs) gas += (*net.eth()->transaction_receipt(h))->gas_used;
    std::printf("oracle_fulfilled_per_second_median %.0f (%zu requests in %.0f s of chain time, %zu transactions; target >= 200)\n",
                static_cast<double>(records->size()) / std::max(1.0, seconds), records->size(), seconds, txs.size());
    std::printf("oracle_gas_per_request_batched_median %.0f (incl. a counting callback; Chainlink fulfillRandomWords ~70k each)\n",
                static_cast<double>(gas) / static_cast<double>(records->size()));

    // 3. Gas of a lone fulfilment (one request, fulfillRandomWords).
    running = start(net);
    const uint64_t single_from = *net.eth()->block_number() + 1;
    net.request(0, 1, 1, 50'000, 1);
    (void)net.wait_all_fulfilled(std::chrono::seconds(30));
    running.reset();
    records = oracle::read_fulfilments(*net.eth(), net.coordinator().address(), single_from, *net.eth()->block_number());
    if (records && records->size() == 1)
        std::printf("oracle_gas_single_fulfilment_median %llu (fulfillRandomWords, incl. a counting callback)\n",
                    static_cast<unsigned long long>((*net.eth()->transaction_receipt(records->front().transaction_hash))->gas_used));

    // 4. Without any callback: the oracle's own cost. Lone fulfilments beside Chainlink's
    //    coordinator (5.), then a batch of 100.
    constexpr size_t kLone = 15;
    std::vector<int64_t> lone_charge;
    const uint64_t cvex_lone = print_gas("oracle_gas_per_request_no_callback_single_median", cvex_lone_gas(net, kLone, lone_charge),
                                         "fulfillRandomWords, no callback");
    print_charge("oracle_gas_charged_minus_used_single_median", lone_charge,
                 "gas a lone fulfilment charges (payment / tx gas price) less its receipt's gasUsed");
    const uint64_t chainlink_lone = print_gas("chainlink_gas_single_fulfilment_median", chainlink_lone_gas(net, kLone),
                                              "VRFCoordinatorV2_5 on the same Anvil, native payment, one word, no-op consumer");
    if (cvex_lone > 0 && chainlink_lone > 0)
        std::printf("oracle_gas_single_vs_chainlink_ratio %.3f (cvex / Chainlink, lone fulfilment medians; target <= 1)\n",
                    static_cast<double>(cvex_lone) / static_cast<double>(chainlink_lone));
    for (size_t n : {size_t{10}, size_t{100}}) print_batch(net, n);
    return 0;
}
