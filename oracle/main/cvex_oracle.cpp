// cvex-oracle: the VRF oracle outside a guest, for development and tests. Inside a confidential
// VM the same library runs in cvex-enclave with keys born in custody; here both keys come from
// the environment (CVEX_VRF_KEY, CVEX_PRIVATE_KEY), are decoded into locked memory and the
// variables are removed, and the banner says so.
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <map>
#include <thread>

#include "chain/contract_errors/contract_errors.hpp"
#include "chain/crypto/local_key.hpp"
#include "base/log_line.hpp"
#include "oracle/vrf_oracle.hpp"
#include "vrf/vrf_key.hpp"

namespace {

std::atomic<bool> g_stop{false};

void log_line(const std::string& line) { cvex::write_log_line(std::cout, "cvex-oracle", line); }

int usage(const std::string& why) {
    std::cerr << "error: " << why << "\n"
              << "usage: cvex-oracle --coordinator 0x… [--rpc-url URL] [--start-block N] [--journal FILE] [--max-batch N]\n"
                 "                   [--max-in-flight N] [--poll-ms N] [--replica I/N] [--takeover-blocks N]\n"
                 "  keys: CVEX_VRF_KEY (the proving key) and CVEX_PRIVATE_KEY (pays for fulfilments), development only\n";
    return 2;
}

std::optional<uint64_t> number(const std::string& s) {
    if (s.empty() || s.size() > 19 || s.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    return std::stoull(s);
}

}  // namespace

int main(int argc, char** argv) {
    using namespace cvex;
    chain::register_contract_errors();  // its logs decode every cvex contract's errors
    std::map<std::string, std::string> flags;
    for (int i = 1; i < argc; i += 2) {
        const std::string k = argv[i];
        if (k.rfind("--", 0) != 0 || i + 1 >= argc) return usage("expected --flag value pairs, got '" + k + "'");
        flags[k] = argv[i + 1];
    }
    oracle::OracleOptions options;
    std::string url = flags.count("--rpc-url") ? flags["--rpc-url"] : (std::getenv("ETH_RPC_URL") ? std::getenv("ETH_RPC_URL") : "");
    if (url.empty()) return usage("--rpc-url (or ETH_RPC_URL) is required");
    if (!flags.count("--coordinator")) return usage("--coordinator is required");
    auto coordinator = chain::Address::parse(flags["--coordinator"]);
    if (!coordinator) return usage("--coordinator: not an address: " + flags["--coordinator"]);
    options.coordinator = *coordinator;
    for (const auto& [flag, field] : std::vector<std::pair<std::string, uint64_t*>>{{"--start-block", &options.start_block}}) {
        if (!flags.count(flag)) continue;
        auto n = number(flags[flag]);
        if (!n) return usage(flag + ": not a number: " + flags[flag]);
        *field = *n;
    }
    for (const auto& [flag, field] : std::vector<std::pair<std::string, size_t*>>{{"--max-batch", &options.max_batch},
                                                                                  {"--max-in-flight", &options.max_in_flight}}) {
        if (!flags.count(flag)) continue;
        auto n = number(flags[flag]);
        if (!n || *n == 0) return usage(flag + ": not a positive number: " + flags[flag]);
        *field = *n;
    }
    if (flags.count("--poll-ms")) {
        auto n = number(flags["--poll-ms"]);
        if (!n || *n == 0) return usage("--poll-ms: not a positive number: " + flags["--poll-ms"]);
        options.poll_interval = std::chrono::milliseconds(*n);
    }
    if (flags.count("--replica")) {
        // I/N: this is replica I (0-based) of N serving the key.
        const std::string& r = flags["--replica"];
        const auto slash = r.find('/');
        auto i = slash == std::string::npos ? std::nullopt : number(r.substr(0, slash));
        auto n = slash == std::string::npos ? std::nullopt : number(r.substr(slash + 1));
        if (!i || !n || *n == 0 || *i >= *n) return usage("--replica: expected I/N with 0 <= I < N, got " + r);
        options.replica_index = *i;
        options.replica_count = *n;
    }
    if (flags.count("--takeover-blocks")) {
        auto n = number(flags["--takeover-blocks"]);
        if (!n) return usage("--takeover-blocks: not a number: " + flags["--takeover-blocks"]);
        options.takeover_blocks = *n;
    }
    for (const auto& [k, v] : flags)
        if (k != "--rpc-url" && k != "--coordinator" && k != "--start-block" && k != "--journal" && k != "--max-batch" &&
            k != "--max-in-flight" && k != "--poll-ms" && k != "--replica" && k != "--takeover-blocks")
            return usage("unknown flag " + k);

    const char* vrf_hex = std::getenv("CVEX_VRF_KEY");
    const char* eth_hex = std::getenv("CVEX_PRIVATE_KEY");
    if (!vrf_hex || !eth_hex) return usage("CVEX_VRF_KEY and CVEX_PRIVATE_KEY must be set");
    auto vrf_key = vrf::VrfKey<vrf::Secp256k1Group>::from_hex(vrf_hex);
    if (!vrf_key) return usage(std::string("CVEX_VRF_KEY: ") + vrf::to_string(vrf_key.error()));
    auto eth_key = chain::LocalKey::from_hex(eth_hex);
    if (!eth_key) return usage("CVEX_PRIVATE_KEY: not a valid secp256k1 secret key");
    ::unsetenv("CVEX_VRF_KEY");
    ::unsetenv("CVEX_PRIVATE_KEY");
    const auto pk = vrf_key->public_key();
    auto secret = std::make_shared<vrf::VrfKey<vrf::Secp256k1Group>>(std::move(*vrf_key));
    auto prover = oracle::Prover::create(secret, pk);
    if (!prover) return usage(prover.error());

    auto client = chain::EthClient::connect(url);
    if (!client) return usage("--rpc-url: " + client.error());
    std::shared_ptr<chain::EthClient> eth(std::move(*client));
    chain::SenderOptions so;
    if (flags.count("--journal")) so.journal_path = flags["--journal"];
    auto signer = std::make_shared<chain::LocalKey>(std::move(*eth_key));
    auto sender = chain::Sender::create(eth, signer, so);
    if (!sender) {
        std::cerr << "error: " << sender.error().text() << "\n";
        return 1;
    }
    log_line("DEVELOPMENT MODE: keys from the environment, outside any confidential VM; proving key hash " + prover->key_hash().hex() +
             ", paying from " + signer->address().checksum_hex());
    auto oracle = oracle::VrfOracle::create(options, eth, std::shared_ptr<chain::Sender>(std::move(*sender)), std::move(*prover), log_line);
    if (!oracle) {
        std::cerr << "error: " << oracle.error() << "\n";
        return 1;
    }
    std::signal(SIGINT, [](int) { g_stop = true; });
    std::signal(SIGTERM, [](int) { g_stop = true; });
    auto last_report = std::chrono::steady_clock::now();
    (*oracle)->run([&] {
        if (std::chrono::steady_clock::now() - last_report > std::chrono::seconds(10)) {
            last_report = std::chrono::steady_clock::now();
            const auto c = (*oracle)->metrics().snapshot();
            log_line("block " + std::to_string(c.head) + ": seen " + std::to_string(c.requests_seen) + ", fulfilled " +
                     std::to_string(c.requests_fulfilled) + ", pending " + std::to_string(c.pending) + ", failed attempts " +
                     std::to_string(c.requests_failed) + ", gas " + std::to_string(c.gas_used));
        }
        return g_stop.load();
    });
    log_line("stopped");
    return 0;
}
