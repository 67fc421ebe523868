// keccak256 throughput against a peer in the same run: OpenSSL's SHA3-256, the same
// keccak-f[1600] permutation with FIPS padding. Targets (issue 2): 32 bytes <= 450 ns,
// 1 MiB >= 250 MB/s; (issue 12) 1 MiB at least OpenSSL's throughput and 32 bytes at least 2x
// faster than OpenSSL, as ratios within one run (--benchmark_repetitions on a loaded machine).
#include <benchmark/benchmark.h>
#include <openssl/evp.h>

#include "chain/crypto/keccak.hpp"

using namespace cvex;
using namespace cvex::chain;

namespace {

Bytes make_input(size_t n) {
    Bytes b(n);
    for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(i * 31 + 7);
    return b;
}

void BM_keccak256(benchmark::State& state) {
    const Bytes in = make_input(static_cast<size_t>(state.range(0)));
    for (auto _ : state) benchmark::DoNotOptimize(keccak256(in));
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}

void BM_openssl_sha3_256(benchmark::State& state) {
    const Bytes in = make_input(static_cast<size_t>(state.range(0)));
    unsigned char out[32];
    unsigned int len = 0;
    const EVP_MD* md = EVP_sha3_256();
    for (auto _ : state) {
        EVP_Digest(in.data(), in.size(), out, &len, md, nullptr);
        benchmark::DoNotOptimize(out);
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}

}  // namespace

BENCHMARK(BM_keccak256)->Arg(32)->Arg(1 << 20);
BENCHMARK(BM_openssl_sha3_256)->Arg(32)->Arg(1 << 20);
BENCHMARK_MAIN();
