// The oracle's fulfilment gas limit (oracle/fulfilment_gas.hpp) against the coordinator itself.
// Alone, a fulfilment given too little gas reverts InsufficientGasForConsumer, and keeps
// reverting on every retry: the proof is the same each time. In a batch the entry is skipped
// instead, every time too. So for every shape of request — callback gas, words, and the proof's
// hash-to-curve counter, which adds calldata and work per rejected candidate — the limit the
// oracle sets must be at least the least gas at which the coordinator does not revert
// (eth_estimateGas), and a batch at its limit must fulfil every entry.
// (CI stop 27: a request whose proof had a high counter was retried 27 times, all reverted, when
// the coordinator's GAS_AFTER_CALLBACK had grown and the oracle's copy of it had not.)
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>

#include "chain/encoding/abi_codec.hpp"
#include "oracle/fulfilment_gas.hpp"
#include "oracle/vrf_oracle.hpp"
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
