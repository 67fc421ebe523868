// cvex-enclave: one process per confidential VM. See enclave-app/guest.hpp and README.md.
#include <atomic>
#include <csignal>
#include <iostream>
#include <thread>

#include "base/log_line.hpp"
#include "chain/contract_errors/contract_errors.hpp"
#include "enclave-app/guest.hpp"
#include "enclave-app/host_config.hpp"

namespace {
std::atomic<bool> g_stop{false};

void log_line(const std::string& line) { cvex::write_log_line(std::cout, "cvex-enclave", line); }
}  // namespace

constexpr const char* kUsage =
    "usage: cvex-enclave --config <config.json> [--host-config <host.json>] [--check]\n"
    "  --host-config  the settings the host may give (only http.port; enclave-app/README.md)\n"
    "  --check        validate the config (and the host config) and exit\n";

int main(int argc, char** argv) {
    cvex::chain::register_contract_errors();  // the oracle's and bots' logs decode every cvex contract's errors
    std::string config_path, host_path;
    bool check = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--check") check = true;
        else if ((a == "--config" || a == "--host-config") && i + 1 < argc) (a == "--config" ? config_path : host_path) = argv[++i];
        else {
            const bool help = a == "--help" || a == "-h";
            std::cerr << (help ? "" : "error: unexpected argument '" + a + "'\n") << kUsage;
            return help ? 0 : 2;
        }
    }
    if (config_path.empty()) {
        std::cerr << "error: --config is required\n" << kUsage;
        return 2;
    }
    auto config = cvex::enclave::load_enclave_config(config_path);
    if (config && !host_path.empty()) config = cvex::enclave::load_host_config(std::move(*config), host_path);
    if (!config) {
        std::cerr << "error: " << config.error().message() << "\n";
        return 2;
    }
    if (check) {
        std::cout << "config ok: " << config_path << (host_path.empty() ? "" : " with host settings from " + host_path) << "\n";
        return 0;
    }
    std::signal(SIGINT, [](int) { g_stop = true; });
    std::signal(SIGTERM, [](int) { g_stop = true; });
    auto guest = cvex::enclave::Guest::create(std::move(*config), log_line);
    if (!guest) {
        std::cerr << "error: " << guest.error().message() << "\n";
        return 1;
    }
    if (!(*guest)->attest([] { return g_stop.load(); })) return g_stop ? 0 : 1;
    const bool ok = (*guest)->run_workloads([] { return g_stop.load(); });
    log_line("stopping");
    return ok || g_stop ? 0 : 1;
}
