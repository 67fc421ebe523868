// cvex-enclave: one process per confidential VM. See enclave-app/guest.hpp and README.md.
#include <atomic>
#include <csignal>
#include <iostream>
#include <thread>

#include "base/log_line.hpp"
#include "chain/contract_errors/contract_errors.hpp"
#include "enclave-app/guest.hpp"

namespace {
std::atomic<bool> g_stop{false};

void log_line(const std::string& line) { cvex::write_log_line(std::cout, "cvex-enclave", line); }
}  // namespace

int main(int argc, char** argv) {
    cvex::chain::register_contract_errors();  // the oracle's and bots' logs decode every cvex contract's errors
    if (argc != 3 || std::string(argv[1]) != "--config") {
        std::cerr << "usage: cvex-enclave --config <config.json>\n";
        return 2;
    }
    auto config = cvex::enclave::load_enclave_config(argv[2]);
    if (!config) {
        std::cerr << "error: " << config.error().message() << "\n";
        return 2;
    }
    std::signal(SIGINT, [](int) { g_stop = true; });
    std::signal(SIGTERM, [](int) { g_stop = true; });
    auto guest = cvex::enclave::Guest::create(std::move(*config), log_line);
    if (!guest) {
        std::cerr << "error: " << guest.error() << "\n";
        return 1;
    }
    if (!(*guest)->attest([] { return g_stop.load(); })) return g_stop ? 0 : 1;
    const bool ok = (*guest)->run_workloads([] { return g_stop.load(); });
    log_line("stopping");
    return ok || g_stop ? 0 : 1;
}
