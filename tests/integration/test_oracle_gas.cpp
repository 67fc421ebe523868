// The oracle's fulfilment gas limit (oracle/fulfilment_gas.hpp) against the coordinator itself.
// Alone, a fulfilment given too little gas reverts InsufficientGasForConsumer, and keeps
// reverting on every retry: the proof is the same each time. In a batch the entry is skipped
// instead, every time too. So for every shape of request — callback gas, words, and the proof's
// hash-to-curve counter, which adds calldata and work per rejected candidate — the limit the
// oracle sets must be at least the least gas at which the coordinator does not revert
// (eth_estimateGas), and a batch at its limit must fulfil every entry.
// (CI stop 27: a request whose proof had a high counter was retried 27 times, all reverted, when
// the coordinator's GAS_AFTER_CALLBACK had grown and the oracle's copy of it had not.)
// The reserve is now read from the coordinator through the host's RPC, so a host that lies about
// it can make fulfilments revert (as withholding them could): the oracle must say why, back off
// longer after each revert, never drop the request, and fulfil it once it reads the truth.
#include <catch2/catch.hpp>

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <regex>
#include <thread>

#include <nlohmann/json.hpp>

#include "chain/encoding/abi_codec.hpp"
#include "oracle/fulfilment_gas.hpp"
#include "oracle/vrf_oracle.hpp"
#include "chain/crypto/keccak.hpp"
#include "support/child_process.hpp"
#include "support/fake_http_server.hpp"
#include "support/oracle_net.hpp"

using namespace cvex;
using chain::U256;
using cvex::test::OracleNet;

namespace {

struct Shape {
    uint32_t callback_gas;
    uint32_t words;
    size_t count;
};

// The fulfilments of `count` requests from the first id on, proven by the net's key.
std::vector<oracle::Fulfilment> prove(OracleNet& net, const U256& first, size_t count) {
    std::vector<U256> ids;
    for (size_t i = 0; i < count; ++i) ids.push_back(first.wrapping_add(U256(i)));
    auto logs = net.coordinator().request_logs(net.deploy_block(), *net.eth()->block_number(), ids);
    REQUIRE(logs);
    REQUIRE(logs->size() == count);
    std::vector<oracle::Fulfilment> out;
    for (const auto& l : *logs) {
        auto r = oracle::parse_request_log(l);
        REQUIRE(r);
        auto f = net.prover().prove(*r, r->block_hash);
        REQUIRE(f);
        out.push_back(std::move(*f));
    }
    return out;
}

chain::CallRequest fulfil_call(OracleNet& net, const std::vector<oracle::Fulfilment>& batch, std::optional<uint64_t> gas) {
    std::vector<vrf::OnchainProof> proofs;
    std::vector<oracle::VrfRequest> requests;
    for (const auto& f : batch) {
        proofs.push_back(f.proof);
        requests.push_back(f.request);
    }
    auto data = net.coordinator().fulfil_calldata(proofs, requests);
    REQUIRE(data);
    return chain::CallRequest{net.oracle_address(), net.coordinator().address(), std::move(*data), std::nullopt, gas};
}

// The "(will retry at block R)" of each "likely ran out of gas" line: R less the block it
// reverted in, in order.
std::vector<uint64_t> revert_backoffs(const std::string& log) {
    static const std::regex line(R"(reverted in block (\d+) after using \d+ of its \d+ gas;[^\n]*likely ran out of gas\) \(will retry at block (\d+)\))");
    std::vector<uint64_t> out;
    for (auto it = std::sregex_iterator(log.begin(), log.end(), line); it != std::sregex_iterator(); ++it)
        out.push_back(std::stoull((*it)[2].str()) - std::stoull((*it)[1].str()));
    return out;
}

}  // namespace

TEST_CASE("the oracle's gas limit covers every fulfilment: alone above the coordinator's least gas, in a batch every entry fulfilled") {
    OracleNet::Options o;
    o.consumers = 1;
    OracleNet net(o);
    // The reserve is the coordinator's own (read, not copied).
    const auto reserve = net.coordinator().callback_reserve();
    REQUIRE(reserve);
    CHECK(reserve->exact_check == 5'000);
    CHECK(reserve->after_callback == 45'000);
    CHECK(reserve->after_callback_per_word == 40);

    // 60 requests of the common shape spread the hash-to-curve counters (each rejected
    // candidate is a coin toss: a counter of 3 or more comes one time in eight); a few of the
    // extreme shapes.
    const Shape shapes[] = {{100'000, 2, 60}, {0, 1, 4}, {2'500'000, 1, 3}, {500'000, 500, 3}, {200'000, 100, 3}};
    std::vector<oracle::Fulfilment> all;
    for (const auto& s : shapes) {
        const U256 first = net.request(0, 1, s.count, s.callback_gas, s.words);
        REQUIRE(net.eth()->evm_mine());  // one confirmation
        REQUIRE(net.eth()->evm_mine());
        for (auto& f : prove(net, first, s.count)) all.push_back(std::move(f));
    }

    std::map<size_t, size_t> counters;
    int64_t least_headroom = INT64_MAX;
    double worst_ratio = 0;
    for (const auto& f : all) {
        ++counters[f.proof.h_non_residue.size()];
        const uint64_t limit = oracle::fulfilment_gas_limit({f}, *reserve);
        auto needed = net.eth()->estimate_gas(fulfil_call(net, {f}, std::nullopt));
        INFO("request " << f.request.request_id.dec() << ": callback gas " << f.request.callback_gas_limit << ", " << f.request.num_words
                        << " words, hash-to-curve counter " << f.proof.h_non_residue.size() << ", limit " << limit);
        REQUIRE(needed);
        CHECK(*needed <= limit);
        // At its limit the call goes through (estimates are searched, this is the real thing).
        CHECK(net.eth()->call(fulfil_call(net, {f}, limit)));
        least_headroom = std::min(least_headroom, static_cast<int64_t>(limit) - static_cast<int64_t>(*needed));
        worst_ratio = std::max(worst_ratio, static_cast<double>(limit) / static_cast<double>(*needed));
    }
    // Proofs with a rejected candidate or more, and with three or more, were among them.
    CHECK(std::count_if(all.begin(), all.end(), [](const auto& f) { return f.proof.h_non_residue.size() >= 1; }) > 5);
    CHECK(std::any_of(all.begin(), all.end(), [](const auto& f) { return f.proof.h_non_residue.size() >= 3; }));
    // A limit, not a cost, but the balance warning counts it: not wildly above the need.
    CHECK(worst_ratio < 1.6);
    std::string spread;
    for (const auto& [c, n] : counters) spread += " " + std::to_string(c) + ":" + std::to_string(n);
    WARN("lone fulfilments: least headroom " << least_headroom << " gas, limit/need at most " << worst_ratio << "; counters (value:count)"
                                              << spread);

    // Batches: the common shape in tens, then everything at once; every entry fulfilled (a
    // skipped entry returns false).
    auto all_fulfilled = [&](const std::vector<oracle::Fulfilment>& batch) {
        auto out = net.eth()->call(fulfil_call(net, batch, oracle::fulfilment_gas_limit(batch, *reserve)));
        REQUIRE(out);
        const auto* fn = oracle::CoordinatorClient::abi().function("fulfillRandomWordsBatch");
        auto decoded = chain::abi_decode(fn->output_types(), *out);
        REQUIRE(decoded);
        const auto& flags = (*decoded)[0].list();
        return flags.size() == batch.size() && std::all_of(flags.begin(), flags.end(), [](const auto& v) { return v.boolean(); });
    };
    for (size_t i = 0; i + 10 <= 60; i += 10) CHECK(all_fulfilled({all.begin() + i, all.begin() + i + 10}));
    CHECK(all_fulfilled(all));

    // A full batch (100) of requests without a callback, at a counter of 2, stays one
    // transaction under the oracle's default gas cap (itself below EIP-7825's 2^24).
    const auto no_callback = std::find_if(all.begin(), all.end(), [](const auto& f) { return f.request.callback_gas_limit == 0; });
    REQUIRE(no_callback != all.end());
    oracle::Fulfilment typical = *no_callback;
    typical.proof.h_non_residue.resize(2);
    const oracle::OracleOptions defaults;
    CHECK(oracle::fulfilment_gas_limit(std::vector<oracle::Fulfilment>(defaults.max_batch, typical), *reserve) <= defaults.max_batch_gas);
    CHECK(defaults.max_batch_gas <= (uint64_t{1} << 24));
}

TEST_CASE("a host that lies about the coordinator's callback reserve gets reverted fulfilments: the oracle says why, backs off, and a restart fulfils") {
    OracleNet::Options o;
    o.anvil.block_time = 0.5;
    o.consumers = 1;
    OracleNet net(o);
    // The host answers GAS_AFTER_CALLBACK() with 0: the oracle's limits fall 45k short.
    const auto selector = chain::keccak256(cvex::as_view("GAS_AFTER_CALLBACK()"));
    const std::string lie_for = cvex::to_hex(cvex::ByteView(selector.bytes.data(), 4));
    std::atomic<bool> lying{true};
    std::atomic<size_t> lies{0};
    const std::string upstream = net.anvil().url();
    cvex::test::FakeHttpServer proxy([&](const std::string& body) {
        const auto j = nlohmann::json::parse(body, nullptr, false);
        if (lying && j.is_object() && j.value("method", "") == "eth_call") {
            const auto& call = j["params"][0];
            const std::string data = call.contains("input") ? call["input"].get<std::string>() : call.value("data", "");
            if (data.rfind(lie_for, 0) == 0) {
                ++lies;
                nlohmann::json reply = {{"jsonrpc", "2.0"}, {"id", j["id"]}, {"result", "0x" + std::string(64, '0')}};
                return cvex::test::FakeReply{200, reply.dump()};
            }
        }
        return cvex::test::FakeReply{200, cvex::test::forward_json_rpc(upstream, body)};
    });
    const auto dir = std::filesystem::temp_directory_path() / ("cvex-oracle-gas-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::vector<std::string> argv = {std::string(CVEX_BIN_DIR) + "/cvex-oracle", "--rpc-url", proxy.url(), "--coordinator",
                                           net.coordinator().address().checksum_hex(), "--start-block", std::to_string(net.deploy_block()),
                                           "--poll-ms", "50"};
    cvex::test::ChildProcess oracle(argv, net.oracle_env(), (dir / "oracle-lied-to.log").string());

    const U256 id = net.request(0, 1, 1);
    // Three reverts in a row: each says it likely ran out of gas, each waits twice as long.
    std::vector<uint64_t> backoffs;
    for (int i = 0; i < 160 && backoffs.size() < 3; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
        backoffs = revert_backoffs(oracle.log());
    }
    INFO(oracle.log());
    CHECK(lies.load() >= 1);
    REQUIRE(backoffs.size() >= 3);
    CHECK(backoffs[0] == 2);
    CHECK(backoffs[1] == 4);
    CHECK(backoffs[2] == 8);
    CHECK(net.pending() == std::vector<U256>{id});  // never dropped, never fulfilled short

    // The lie stops; the reserve is read at start, so the oracle is restarted: it fulfils.
    lying = false;
    oracle.stop(SIGTERM);
    oracle.restart();
    CHECK(net.wait_all_fulfilled(std::chrono::seconds(60)));
}
