// `cvex bot report --vault A --base-token T --other-token U`: a vault's trades, the gas they
// cost and its PnL at the reference price, from the chain alone (enclave-app/bot_report.hpp).
// `cvex bot run --config bots.json`: the bots outside a guest, for development and tests, with
// CVEX_PRIVATE_KEY as the trading key (inside a guest they run in cvex-enclave with its key).
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <ostream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "cli/amount.hpp"
#include "cli/chain_args.hpp"
#include "chain/crypto/local_key.hpp"
#include "base/log_line.hpp"
#include "bots/report/report.hpp"
#include "bots/runner/runner.hpp"

namespace cvex::cli {
namespace {

chain::Address address_flag(const Args& args, std::string_view flag) {
    const std::string* v = flag_value(args, flag);
    if (!v) throw UsageError(std::string(flag) + " is required");
    return parse_address_arg(*v, std::string(flag));
}

int run_report(const Args& args, std::ostream& out) {
    check_flags(args, {"--rpc-url", "--vault", "--base-token", "--other-token", "--from-block", "--to-block"}, {}, "bot report");
    const auto vault = address_flag(args, "--vault");
    const auto base = address_flag(args, "--base-token");
    const auto other = address_flag(args, "--other-token");
    const std::string* from = flag_value(args, "--from-block");
    std::optional<uint64_t> to;
    if (const std::string* t = flag_value(args, "--to-block")) to = parse_u64(*t, "--to-block");
    auto r = cvex::bots::vault_report(rpc_client_from(args), vault, base, other, from ? parse_u64(*from, "--from-block") : 0, to);
    if (!r) {
        out << "error: " << r.error() << "\n";
        return kFailed;
    }
    out << r->json() << "\n";
    return kOk;
}

std::atomic<bool> g_stop{false};

int run_bots(const Args& args, std::ostream& out) {
    check_flags(args, {"--rpc-url", "--config", "--journal"}, {}, "bot run");
    const std::string* path = flag_value(args, "--config");
    if (!path) throw UsageError("--config <bots.json> is required (a JSON object with a \"bots\" array)");
    std::ifstream in(*path);
    if (!in) throw UsageError("--config: cannot read " + *path);
    std::stringstream text;
    text << in.rdbuf();
    const auto j = nlohmann::json::parse(text.str(), nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("bots")) throw UsageError("--config: not a JSON object with a \"bots\" array");
    auto bots = cvex::bots::parse_bot_configs(j["bots"]);
    if (!bots) throw UsageError(bots.error().message());
    auto key = chain::LocalKey::from_hex(require_env("CVEX_PRIVATE_KEY"));
    if (!key) throw UsageError("CVEX_PRIVATE_KEY: not a valid secp256k1 secret key");
    auto eth = rpc_client_from(args);
    // Not sender_from_env: the bots' Sender keeps a journal, so a restart follows what was in flight.
    chain::SenderOptions so;
    if (const std::string* journal = flag_value(args, "--journal")) so.journal_path = *journal;
    auto sender = chain::Sender::create(eth, std::make_shared<chain::LocalKey>(std::move(*key)), so);
    if (!sender) throw std::runtime_error(sender.error().text());
    std::shared_ptr<chain::Sender> tx(std::move(*sender));
    auto log = [&out](const std::string& line) { cvex::write_log_line(out, "cvex-bot", line); };
    log("DEVELOPMENT MODE: trading key from the environment, outside any confidential VM: " + tx->address().checksum_hex());
    // A previous run's trades still in flight are mined (or dropped) before any new decision,
    // so a restart never sends the same trade twice.
    for (const auto& r : tx->recovered()) {
        if (r.state != chain::RecoveredTx::kPending && r.state != chain::RecoveredTx::kRebroadcast) continue;
        log("waiting for a previous run's transaction " + r.hash.hex());
        (void)tx->wait(chain::PendingTx{r.nonce, r.hash}, std::chrono::seconds(60));
    }
    std::vector<std::unique_ptr<cvex::bots::Bot>> running;
    for (const auto& b : *bots) {
        auto bot = cvex::bots::Bot::create(b, eth, tx, log);
        if (!bot) throw UsageError(bot.error());
        running.push_back(std::move(*bot));
    }
    std::signal(SIGINT, [](int) { g_stop = true; });
    std::signal(SIGTERM, [](int) { g_stop = true; });
    std::vector<std::thread> threads;
    for (auto& b : running) threads.emplace_back([&b] { b->run([] { return g_stop.load(); }); });
    for (auto& t : threads) t.join();
    log("stopped");
    return kOk;
}

const CommandRegistrar run{{"bot run", "--config bots.json [--journal FILE] [--rpc-url URL]",
                            "Run trading bots outside a guest with CVEX_PRIVATE_KEY (development; in a guest: cvex-enclave)", run_bots}};

const CommandRegistrar report{{"bot report", "--vault A --base-token T --other-token U [--from-block N] [--to-block N] [--rpc-url URL]",
                               "A vault's trades, their gas and its PnL at the reference price, from the chain (JSON)", run_report}};

}  // namespace
}  // namespace cvex::cli
