// `cvex measure` with a 64 MiB initrd beside coreutils' `sha384sum` of the same file, in the same
// run (issue 13 §1: at most 1.5× its time). Both run as processes, as a user would run them;
// BM_measure_vs_sha384sum times them back to back in each iteration and reports the ratio (json:1
// with --json, which also hashes every input with SHA-384). The
// library call alone (BM_measure_library, also with --json's extra SHA-384 of every input)
// shows what the process start costs.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "attest/measure/measure.hpp"
#include "attest/measure/vcpu_signature.hpp"
#include "support/process.hpp"
#include "support/vectors.hpp"

namespace m = cvex::attest::measure;

namespace {

// A 64 MiB initrd and a 1 MiB kernel of pseudo-random bytes, written once for the whole run.
struct Inputs {
    std::filesystem::path dir = std::filesystem::temp_directory_path() / ("cvex-bench-measure-" + std::to_string(::getpid()));
    std::string ovmf = cvex::test::shared_path("vectors/sev/measure/ovmf_AmdSev_suffix.bin");
    std::string kernel = (dir / "vmlinuz").string();
    std::string initrd = (dir / "initrd.img").string();

    Inputs() {
        std::filesystem::create_directories(dir);
        write(kernel, 1u << 20, 1);
        write(initrd, 64u << 20, 2);
    }
    ~Inputs() { std::filesystem::remove_all(dir); }

    static void write(const std::string& path, size_t size, uint64_t seed) {
        std::vector<uint64_t> buf(size / 8);
        uint64_t x = 0x9E3779B97F4A7C15ull * seed;
        for (auto& w : buf) w = (x ^= x << 13, x ^= x >> 7, x ^= x << 17);
        std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(buf.data()), static_cast<long>(size));
    }

    std::vector<std::string> cvex_args() const {
        return {std::string(CVEX_BIN_DIR) + "/cvex", "measure", "--mode", "snp", "--vcpus", "4", "--vcpu-type", "EPYC-Milan",
                "--ovmf", ovmf, "--kernel", kernel, "--initrd", initrd, "--append", "console=ttyS0"};
    }
};

const Inputs& inputs() {
    static const Inputs in;
    return in;
}

double run_seconds(const std::vector<std::string>& argv) {
    const auto t0 = std::chrono::steady_clock::now();
    const auto r = cvex::test::run_process(argv);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (r.exit_code != 0) throw std::runtime_error(argv[0] + " failed: " + r.err);
    return s;
}

void BM_measure_vs_sha384sum(benchmark::State& state) {
    auto cvex = inputs().cvex_args();
    if (state.range(0) != 0) cvex.push_back("--json");  // also SHA-256 and SHA-384 of every input
    const std::vector<std::string> sha = {"/usr/bin/sha384sum", inputs().initrd};
    run_seconds(sha);  // the file into the page cache for both
    double total_cvex = 0, total_sha = 0;
    for (auto _ : state) {
        const double c = run_seconds(cvex);
        total_sha += run_seconds(sha);
        total_cvex += c;
        state.SetIterationTime(c);
    }
    state.counters["sha384sum_ms"] = 1e3 * total_sha / static_cast<double>(state.iterations());
    state.counters["ratio"] = total_cvex / total_sha;
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * (64 << 20));
}

void BM_measure_library(benchmark::State& state) {
    m::MeasureRequest r;
    r.ovmf = inputs().ovmf;
    r.vcpus = 4;
    r.vcpu_sig = m::cpu_signature_by_name("EPYC-Milan");
    r.kernel = inputs().kernel;
    r.initrd = inputs().initrd;
    r.append = "console=ttyS0";
    r.input_digests = state.range(0) != 0;
    for (auto _ : state) {
        auto result = m::measure(r);
        if (!result) state.SkipWithError(result.error().message().c_str());
        benchmark::DoNotOptimize(result);
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * (64 << 20));
}

}  // namespace

BENCHMARK(BM_measure_vs_sha384sum)->ArgName("json")->Arg(0)->Arg(1)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(10);
BENCHMARK(BM_measure_library)->ArgName("json")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
