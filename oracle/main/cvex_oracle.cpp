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

// The development keys, read and decoded before anything else can copy the environment, then
// wiped from it. `error` names the first key that does not decode.
struct EnvironmentKeys {
    bool given = false;
    std::optional<cvex::vrf::VrfKey<cvex::vrf::Secp256k1Group>> vrf;
    std::optional<cvex::chain::LocalKey> eth;
    std::string error;
};

EnvironmentKeys take_keys_from_environment() {
    using namespace cvex;
    const char* vrf_hex = std::getenv("CVEX_VRF_KEY");
    const char* eth_hex = std::getenv("CVEX_PRIVATE_KEY");
    EnvironmentKeys keys;
    keys.given = vrf_hex && eth_hex;
    if (keys.given) {
        if (auto v = vrf::VrfKey<vrf::Secp256k1Group>::from_hex(vrf_hex)) keys.vrf.emplace(std::move(*v));
        else keys.error = std::string("CVEX_VRF_KEY: ") + vrf::to_string(v.error());
        if (auto e = chain::LocalKey::from_hex(eth_hex)) keys.eth.emplace(std::move(*e));
        else if (keys.error.empty()) keys.error = "CVEX_PRIVATE_KEY: not a valid secp256k1 secret key";
    }
    scrub_environment({"CVEX_VRF_KEY", "CVEX_PRIVATE_KEY"});
    return keys;
}

struct Args {
    std::vector<std::string> urls;
    size_t quorum = 0;
    cvex::oracle::OracleOptions options;
    cvex::chain::SenderOptions so;
};

// The command line (and ETH_RPC_URL); the error is the usage message's first line.
cvex::Expected<Args, std::string> parse_args(int argc, char** argv) {
    using cvex::Unexpected;
    Flags flags;
    for (int i = 1; i < argc; i += 2) {
        const std::string k = argv[i];
        if (k.rfind("--", 0) != 0 || i + 1 >= argc) return Unexpected{"expected --flag value pairs, got '" + k + "'"};
        flags.emplace_back(k, argv[i + 1]);
    }
    Args args;
    args.so.fees.max_fee_cap = cvex::chain::U256(200'000'000'000ULL);  // safe defaults, as in cvex-enclave
    args.so.fees.max_spend_per_hour = cvex::chain::U256(1'000'000'000'000'000'000ULL);
    for (const auto& [k, v] : flags)
        if (k == "--rpc-url") args.urls.push_back(v);
    if (args.urls.empty() && std::getenv("ETH_RPC_URL")) args.urls.push_back(std::getenv("ETH_RPC_URL"));
    if (args.urls.empty()) return Unexpected{std::string("--rpc-url (or ETH_RPC_URL) is required")};
    args.quorum = args.urls.size() / 2 + 1;
    if (auto e = parse_numbers(flags, args.options, args.so, args.quorum); !e.empty()) return Unexpected{e};
    if (args.quorum > args.urls.size())
        return Unexpected{"--quorum " + std::to_string(args.quorum) + ": more than the " + std::to_string(args.urls.size()) + " --rpc-url given"};
    const std::string* coordinator_text = last(flags, "--coordinator");
    if (!coordinator_text) return Unexpected{std::string("--coordinator is required")};
    auto coordinator = cvex::chain::Address::parse(*coordinator_text);
    if (!coordinator) return Unexpected{"--coordinator: not an address: " + *coordinator_text};
    args.options.coordinator = *coordinator;
    if (const std::string* j = last(flags, "--journal")) args.so.journal_path = *j;
    return args;
}

// How the oracle reads the chain: one endpoint, or a quorum of them (kept to report its stats).
struct ChainReads {
    std::shared_ptr<cvex::chain::RpcTransport> transport;
    std::shared_ptr<cvex::chain::QuorumRpc> quorum_rpc;  // null with one --rpc-url
};

cvex::Expected<ChainReads, std::string> connect_chain(const std::vector<std::string>& urls, size_t quorum) {
    using namespace cvex;
    ChainReads reads;
    if (urls.size() == 1) {
        auto c = chain::JsonRpcClient::connect(urls.front());
        if (!c) return Unexpected{"--rpc-url: " + c.error().message()};
        reads.transport = std::shared_ptr<chain::RpcTransport>(std::move(*c));
    } else {
        chain::QuorumOptions qo;
        qo.threshold = quorum;
        auto q = chain::QuorumRpc::connect(urls, qo, chain::QuorumRpc::member_defaults(), log_line);
        if (!q) return Unexpected{"--rpc-url: " + q.error().message()};
        reads.quorum_rpc = std::shared_ptr<chain::QuorumRpc>(std::move(*q));
        reads.transport = reads.quorum_rpc;
    }
    return reads;
}

std::string progress_line(const cvex::oracle::VrfOracle& oracle, const cvex::chain::QuorumRpc* quorum_rpc) {
    const auto c = oracle.metrics().snapshot();
    std::string line = "block " + std::to_string(c.head) + ": seen " + std::to_string(c.requests_seen) + ", fulfilled " +
                       std::to_string(c.requests_fulfilled) + ", pending " + std::to_string(c.pending) + ", failed attempts " +
                       std::to_string(c.requests_failed) + ", gas " + std::to_string(c.gas_used);
    if (quorum_rpc) {
        const auto s = quorum_rpc->stats();
        line += "; rpc quorum: " + std::to_string(s.no_quorum) + " held for disagreement, " + std::to_string(s.outvoted) +
                " answers outvoted, " + std::to_string(s.unreachable) + " unreachable";
    }
    return line;
}

// Runs the oracle until SIGINT or SIGTERM, logging its progress every 10 s.
void run_until_signalled(cvex::oracle::VrfOracle& oracle, const cvex::chain::QuorumRpc* quorum_rpc) {
    std::signal(SIGINT, [](int) { g_stop = true; });
    std::signal(SIGTERM, [](int) { g_stop = true; });
    auto last_report = std::chrono::steady_clock::now();
    oracle.run([&] {
        if (std::chrono::steady_clock::now() - last_report > std::chrono::seconds(10)) {
            last_report = std::chrono::steady_clock::now();
            log_line(progress_line(oracle, quorum_rpc));
        }
        return g_stop.load();
    });
}

}  // namespace

int main(int argc, char** argv) {
    using namespace cvex;
    chain::register_contract_errors();  // its logs decode every cvex contract's errors
    // The keys first, before anything else can copy the environment.
    EnvironmentKeys keys = take_keys_from_environment();
    auto args = parse_args(argc, argv);
    if (!args) return usage(args.error());
    if (!keys.given) return usage("CVEX_VRF_KEY and CVEX_PRIVATE_KEY must be set");
    if (!keys.error.empty()) return usage(keys.error);
    const auto pk = keys.vrf->public_key();
    auto secret = std::make_shared<vrf::VrfKey<vrf::Secp256k1Group>>(std::move(*keys.vrf));
    auto prover = oracle::Prover::create(secret, pk);
    if (!prover) return usage(prover.error().message());

    auto reads = connect_chain(args->urls, args->quorum);
    if (!reads) return usage(reads.error());
    auto eth = std::make_shared<chain::EthClient>(reads->transport);
    auto signer = std::make_shared<chain::LocalKey>(std::move(*keys.eth));
    auto sender = chain::Sender::create(eth, signer, args->so);
    if (!sender) {
        std::cerr << "error: " << sender.error().message() << "\n";
        return 1;
    }
    log_line("DEVELOPMENT MODE: keys from the environment, outside any confidential VM; proving key hash " + prover->key_hash().hex() +
             ", paying from " + signer->address().checksum_hex() + "; reading the chain through " + reads->transport->url());
    auto oracle =
        oracle::VrfOracle::create(args->options, eth, std::shared_ptr<chain::Sender>(std::move(*sender)), std::move(*prover), log_line);
    if (!oracle) {
        std::cerr << "error: " << oracle.error().message() << "\n";
        return 1;
    }
    run_until_signalled(**oracle, reads->quorum_rpc.get());
    log_line("stopped");
    return 0;
}
