// ECVRF-SECP256K1-SHA256-TAI (RFC 9381) prove and verify, and the on-chain helpers the oracle adds
// to each fulfilment. Targets (issue 5 §4): prove <= 150 µs, verify <= 200 µs median.
// Alphas vary per iteration so hash-to-curve takes its natural mix of one or more tries.
#include <benchmark/benchmark.h>

#include <cstring>

#include "vrf/ecvrf.hpp"
#include "vrf/onchain_proof.hpp"
#include "vrf/vrf_key.hpp"

using namespace cvex::vrf;
using G = Secp256k1Group;

namespace {

const VrfKey<G>& key() {
    static const VrfKey<G> k = *VrfKey<G>::from_hex("c06f9e3f3eb4dcb24c0f16c7999257a3132724c63d927d1f4c31e54010fc8411");
    return k;
}

// A request-id-like 32-byte alpha.
std::array<uint8_t, 32> alpha_of(uint64_t i) {
    std::array<uint8_t, 32> a{};
    std::memcpy(a.data(), &i, sizeof i);
    a[31] = 0x5a;
    return a;
}

constexpr uint64_t kAlphas = 256;

struct Proved {
    std::array<uint8_t, 32> alpha;
    ProofBytes pi;
};

const std::vector<Proved>& proofs() {
    static const std::vector<Proved> all = [] {
        std::vector<Proved> v;
        for (uint64_t i = 0; i < kAlphas; ++i) {
            const auto a = alpha_of(i);
            v.push_back({a, prove<G>(key().public_key(), key(), a)->pi});
        }
        return v;
    }();
    return all;
}

void BM_vrf_prove_secp256k1(benchmark::State& state) {
    uint64_t i = 0;
    for (auto _ : state) {
        const auto a = alpha_of(i++ % kAlphas);
        auto r = prove<G>(key().public_key(), key(), a);
        if (!r) state.SkipWithError("prove failed");
        benchmark::DoNotOptimize(r);
    }
}

void BM_vrf_verify_secp256k1(benchmark::State& state) {
    const auto& ps = proofs();
    uint64_t i = 0;
    for (auto _ : state) {
        const auto& p = ps[i++ % ps.size()];
        auto r = verify<G>(key().public_key(), p.alpha, p.pi);
        if (!r) state.SkipWithError("verify failed");
        benchmark::DoNotOptimize(r);
    }
}

// What the oracle does besides proving: verify again and compute the helpers.
void BM_vrf_onchain_helpers_secp256k1(benchmark::State& state) {
    const auto& ps = proofs();
    uint64_t i = 0;
    for (auto _ : state) {
        const auto& p = ps[i++ % ps.size()];
        auto r = make_onchain_proof(key().public_key(), p.alpha, p.pi);
        if (!r) state.SkipWithError("make_onchain_proof failed");
        benchmark::DoNotOptimize(r);
    }
}

void BM_vrf_prove_p256(benchmark::State& state) {
    static const VrfKey<P256Group> k = *VrfKey<P256Group>::generate();
    uint64_t i = 0;
    for (auto _ : state) {
        const auto a = alpha_of(i++ % kAlphas);
        benchmark::DoNotOptimize(prove<P256Group>(k.public_key(), k, a));
    }
}

}  // namespace

BENCHMARK(BM_vrf_prove_secp256k1)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_vrf_verify_secp256k1)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_vrf_onchain_helpers_secp256k1)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_vrf_prove_p256)->Unit(benchmark::kMicrosecond);
BENCHMARK_MAIN();
