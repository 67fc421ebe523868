// SEV-SNP report verification speed (issue 4 §5): a real Milan report with its VCEK (DER) and
// AMD's ASK/ARK chain (PEM), certificates parsed every time: target ≤ 2 ms median; with the
// cache of verified certificates (only the report's ECDSA P-384 signature left): ≤ 1 ms.
#include <benchmark/benchmark.h>

#include "attest/verify/snp_verifier.hpp"
#include "support/vectors.hpp"

using namespace cvex::attest;

namespace {

struct Evidence {
    cvex::Bytes report, cert, chain;
};

Evidence load(const std::string& name, const std::string& cert, const std::string& chain) {
    auto bytes = [](const std::string& f) {
        const std::string s = cvex::test::read_file(cvex::test::shared_path("vectors/sev/" + f));
        return cvex::Bytes(s.begin(), s.end());
    };
    return {bytes(name + ".report.bin"), bytes(cert), bytes(chain)};
}

void run(benchmark::State& state, const Evidence& e, SnpCertCache* cache) {
    SnpVerifyOptions options;
    options.at = std::time(nullptr);
    options.cache = cache;
    for (auto _ : state) {
        auto v = verify_snp_report(e.report, e.cert, e.chain, options);
        if (!v || !v->ok()) state.SkipWithError("verification failed");
        benchmark::DoNotOptimize(v);
    }
}

void BM_SnpVerifyFull_Milan(benchmark::State& state) {
    static const Evidence e = load("milan-virtee", "milan-virtee.vcek.der", "amd-roots/ask_ark_milan.pem");
    run(state, e, nullptr);
}

void BM_SnpVerifyCached_Milan(benchmark::State& state) {
    static const Evidence e = load("milan-virtee", "milan-virtee.vcek.der", "amd-roots/ask_ark_milan.pem");
    SnpCertCache cache;
    run(state, e, &cache);
}

void BM_SnpVerifyFull_Turin(benchmark::State& state) {
    static const Evidence e = load("turin-v5", "turin-v5.vcek.der", "amd-roots/ask_ark_turin_vcek.pem");
    run(state, e, nullptr);
}

void BM_SnpVerifyCached_Turin(benchmark::State& state) {
    static const Evidence e = load("turin-v5", "turin-v5.vcek.der", "amd-roots/ask_ark_turin_vcek.pem");
    SnpCertCache cache;
    run(state, e, &cache);
}

void BM_SnpParseReport(benchmark::State& state) {
    static const Evidence e = load("milan-virtee", "milan-virtee.vcek.der", "amd-roots/ask_ark_milan.pem");
    for (auto _ : state) benchmark::DoNotOptimize(parse_report(e.report));
}

}  // namespace

BENCHMARK(BM_SnpVerifyFull_Milan)->Unit(benchmark::kMicrosecond)->Repetitions(5)->ReportAggregatesOnly(true);
BENCHMARK(BM_SnpVerifyCached_Milan)->Unit(benchmark::kMicrosecond)->Repetitions(5)->ReportAggregatesOnly(true);
BENCHMARK(BM_SnpVerifyFull_Turin)->Unit(benchmark::kMicrosecond)->Repetitions(5)->ReportAggregatesOnly(true);
BENCHMARK(BM_SnpVerifyCached_Turin)->Unit(benchmark::kMicrosecond)->Repetitions(5)->ReportAggregatesOnly(true);
BENCHMARK(BM_SnpParseReport)->Unit(benchmark::kNanosecond);

BENCHMARK_MAIN();
