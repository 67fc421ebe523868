// cvex-oracle: the VRF oracle outside a guest, for development and tests. Inside a confidential
// VM the same library runs in cvex-enclave with keys born in custody; here both keys come from
// the environment (CVEX_VRF_KEY, CVEX_PRIVATE_KEY), are decoded into locked memory and wiped
// from the process's environment block, and the banner says so. With several --rpc-url it reads
// the chain through a quorum of them (chain/rpc/quorum_rpc.hpp).
#include <strings.h>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <map>
#include <optional>
#include <vector>
#include <thread>

#include "chain/contract_errors/contract_errors.hpp"
#include "chain/crypto/local_key.hpp"
#include "base/log_line.hpp"
#include "chain/rpc/quorum_rpc.hpp"
#include "oracle/vrf_oracle.hpp"
#include "vrf/vrf_key.hpp"

extern char** environ;

namespace {

std::atomic<bool> g_stop{false};

void log_line(const std::string& line) { cvex::write_log_line(std::cout, "cvex-oracle", line); }

int usage(const std::string& why) {
    std::cerr << "error: " << why << "\n"
              << "usage: cvex-oracle --coordinator 0x… [--rpc-url URL]… [--quorum K] [--start-block N] [--journal FILE] [--max-batch N]\n"
                 "                   [--max-in-flight N] [--poll-ms N] [--replica I/N] [--takeover-blocks N] [--confirmations N]\n"
                 "                   [--max-fee-gwei N] [--max-spend-wei N]\n"
                 "  keys: CVEX_VRF_KEY (the proving key) and CVEX_PRIVATE_KEY (pays for fulfilments), development only\n"
                 "  --rpc-url repeated: every read must be agreed by K of them (default: a majority)\n"
                 "  fee caps: 200 gwei per gas and 1 ether of fees per hour unless given\n";
    return 2;
}

std::optional<uint64_t> number(const std::string& s) {
    if (s.empty() || s.size() > 19 || s.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    return std::stoull(s);
}

// unsetenv only unlinks a variable from `environ`; its bytes stay in the block the kernel shows
// as /proc/self/environ (and in a core dump). Wipe them in place, then unlink.
void scrub_environment(std::initializer_list<const char*> names) {
    for (const char* name : names) {
        const size_t n = std::strlen(name);
        std::vector<char*> entries;
        for (char** e = environ; e && *e; ++e)
            if (std::strncmp(*e, name, n) == 0 && (*e)[n] == '=') entries.push_back(*e);
        ::unsetenv(name);
        for (char* entry : entries) ::explicit_bzero(entry, std::strlen(entry));
    }
}

using Flags = std::vector<std::pair<std::string, std::string>>;

const std::string* last(const Flags& flags, const std::string& name) {
    const std::string* v = nullptr;
    for (const auto& [k, value] : flags)
        if (k == name) v = &value;
    return v;
}

// Parses every numeric flag into `options`/`so`; an error message, or empty.
std::string parse_numbers(const Flags& flags, cvex::oracle::OracleOptions& options, cvex::chain::SenderOptions& so, size_t& quorum) {
    for (const auto& [k, v] : flags) {
        if (k == "--rpc-url" || k == "--coordinator" || k == "--journal") continue;
        if (k == "--replica") {
            // I/N: this is replica I (0-based) of N serving the key.
            const auto slash = v.find('/');
            auto i = slash == std::string::npos ? std::nullopt : number(v.substr(0, slash));
            auto n = slash == std::string::npos ? std::nullopt : number(v.substr(slash + 1));
            if (!i || !n || *n == 0 || *i >= *n) return "--replica: expected I/N with 0 <= I < N, got " + v;
            options.replica_index = *i;
            options.replica_count = *n;
            continue;
        }
        auto n = number(v);
        if (!n) return k + ": not a number: " + v;
        if (k == "--start-block") options.start_block = *n;
        else if (k == "--confirmations") options.min_confirmations = *n;
        else if (k == "--takeover-blocks") options.takeover_blocks = *n;
        else if (k == "--max-spend-wei") so.fees.max_spend_per_hour = cvex::chain::U256(*n);
        else if (*n == 0) return k + ": not a positive number: " + v;
        else if (k == "--max-batch") options.max_batch = *n;
        else if (k == "--max-in-flight") options.max_in_flight = *n;
        else if (k == "--poll-ms") options.poll_interval = std::chrono::milliseconds(*n);
        else if (k == "--quorum") quorum = *n;
        else if (k == "--max-fee-gwei") so.fees.max_fee_cap = cvex::chain::U256(*n).wrapping_mul(cvex::chain::U256(1'000'000'000));
        else return "unknown flag " + k;
    }
    return "";
}

}  // namespace

int main(int argc, char** argv) {
    using namespace cvex;
    chain::register_contract_errors();  // its logs decode every cvex contract's errors
    // The keys first, before anything else can copy the environment.
    const char* vrf_hex = std::getenv("CVEX_VRF_KEY");
    const char* eth_hex = std::getenv("CVEX_PRIVATE_KEY");
    const bool keys_given = vrf_hex && eth_hex;
    std::optional<vrf::VrfKey<vrf::Secp256k1Group>> vrf_key;
    std::optional<chain::LocalKey> eth_key;
    std::string key_error;
    if (keys_given) {
        if (auto v = vrf::VrfKey<vrf::Secp256k1Group>::from_hex(vrf_hex)) vrf_key.emplace(std::move(*v));
        else key_error = std::string("CVEX_VRF_KEY: ") + vrf::to_string(v.error());
        if (auto e = chain::LocalKey::from_hex(eth_hex)) eth_key.emplace(std::move(*e));
        else if (key_error.empty()) key_error = "CVEX_PRIVATE_KEY: not a valid secp256k1 secret key";
    }
    scrub_environment({"CVEX_VRF_KEY", "CVEX_PRIVATE_KEY"});

    Flags flags;
    for (int i = 1; i < argc; i += 2) {
        const std::string k = argv[i];
        if (k.rfind("--", 0) != 0 || i + 1 >= argc) return usage("expected --flag value pairs, got '" + k + "'");
        flags.emplace_back(k, argv[i + 1]);
    }
    oracle::OracleOptions options;
    chain::SenderOptions so;
    so.fees.max_fee_cap = chain::U256(200'000'000'000ULL);                     // safe defaults, as in cvex-enclave
    so.fees.max_spend_per_hour = chain::U256(1'000'000'000'000'000'000ULL);
    std::vector<std::string> urls;
    for (const auto& [k, v] : flags)
        if (k == "--rpc-url") urls.push_back(v);
    if (urls.empty() && std::getenv("ETH_RPC_URL")) urls.push_back(std::getenv("ETH_RPC_URL"));
    if (urls.empty()) return usage("--rpc-url (or ETH_RPC_URL) is required");
    size_t quorum = urls.size() / 2 + 1;
    if (auto e = parse_numbers(flags, options, so, quorum); !e.empty()) return usage(e);
    if (quorum > urls.size()) return usage("--quorum " + std::to_string(quorum) + ": more than the " + std::to_string(urls.size()) + " --rpc-url given");
    const std::string* coordinator_text = last(flags, "--coordinator");
    if (!coordinator_text) return usage("--coordinator is required");
    auto coordinator = chain::Address::parse(*coordinator_text);
    if (!coordinator) return usage("--coordinator: not an address: " + *coordinator_text);
    options.coordinator = *coordinator;

    if (!keys_given) return usage("CVEX_VRF_KEY and CVEX_PRIVATE_KEY must be set");
    if (!key_error.empty()) return usage(key_error);
    const auto pk = vrf_key->public_key();
    auto secret = std::make_shared<vrf::VrfKey<vrf::Secp256k1Group>>(std::move(*vrf_key));
    auto prover = oracle::Prover::create(secret, pk);
    if (!prover) return usage(prover.error().message());

    std::shared_ptr<chain::RpcTransport> transport;
    std::shared_ptr<chain::QuorumRpc> quorum_rpc;
    if (urls.size() == 1) {
        auto c = chain::JsonRpcClient::connect(urls.front());
        if (!c) return usage("--rpc-url: " + c.error());
        transport = std::shared_ptr<chain::RpcTransport>(std::move(*c));
    } else {
        chain::QuorumOptions qo;
        qo.threshold = quorum;
        auto q = chain::QuorumRpc::connect(urls, qo, chain::QuorumRpc::member_defaults(), log_line);
        if (!q) return usage("--rpc-url: " + q.error());
        quorum_rpc = std::shared_ptr<chain::QuorumRpc>(std::move(*q));
        transport = quorum_rpc;
    }
    auto eth = std::make_shared<chain::EthClient>(transport);
    if (const std::string* j = last(flags, "--journal")) so.journal_path = *j;
    auto signer = std::make_shared<chain::LocalKey>(std::move(*eth_key));
    auto sender = chain::Sender::create(eth, signer, so);
    if (!sender) {
        std::cerr << "error: " << sender.error().message() << "\n";
        return 1;
    }
    log_line("DEVELOPMENT MODE: keys from the environment, outside any confidential VM; proving key hash " + prover->key_hash().hex() +
             ", paying from " + signer->address().checksum_hex() + "; reading the chain through " + transport->url());
    auto oracle = oracle::VrfOracle::create(options, eth, std::shared_ptr<chain::Sender>(std::move(*sender)), std::move(*prover), log_line);
    if (!oracle) {
        std::cerr << "error: " << oracle.error().message() << "\n";
        return 1;
    }
    std::signal(SIGINT, [](int) { g_stop = true; });
    std::signal(SIGTERM, [](int) { g_stop = true; });
    auto last_report = std::chrono::steady_clock::now();
    (*oracle)->run([&] {
        if (std::chrono::steady_clock::now() - last_report > std::chrono::seconds(10)) {
            last_report = std::chrono::steady_clock::now();
            const auto c = (*oracle)->metrics().snapshot();
            std::string line = "block " + std::to_string(c.head) + ": seen " + std::to_string(c.requests_seen) + ", fulfilled " +
                               std::to_string(c.requests_fulfilled) + ", pending " + std::to_string(c.pending) + ", failed attempts " +
                               std::to_string(c.requests_failed) + ", gas " + std::to_string(c.gas_used);
            if (quorum_rpc) {
                const auto s = quorum_rpc->stats();
                line += "; rpc quorum: " + std::to_string(s.no_quorum) + " held for disagreement, " + std::to_string(s.outvoted) +
                        " answers outvoted, " + std::to_string(s.unreachable) + " unreachable";
            }
            log_line(line);
        }
        return g_stop.load();
    });
    log_line("stopped");
    return 0;
}
