// `cvex bot report --vault A --base-token T --other-token U`: a vault's trades, the gas they
// cost and its PnL in parts (realised, revaluation at a stated block's price, gas), from the
// chain alone (bot_report.hpp).
// `cvex bot check --config bots.json`: the config checked against the chain (bot_preflight.hpp).
// `cvex bot backtest --config bots.json --from-block A --to-block B`: one bot replayed over past
// blocks as it would have run live, its would-be trades reported as `cvex bot report` reports
// real ones (bots/backtest/backtest.hpp).
// `cvex bot run --config bots.json`: the bots outside a guest, for development and tests, with
// CVEX_PRIVATE_KEY as the trading key (inside a guest they run in cvex-enclave with its key);
// /metrics and /health on a loopback port.
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <ostream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "cli/amount.hpp"
#include "cli/chain_args.hpp"
#include "chain/crypto/local_key.hpp"
#include "base/log_line.hpp"
#include "bots/backtest/backtest.hpp"
#include "bots/runner/preflight.hpp"
#include "bots/report/report.hpp"
#include "bots/runner/runner.hpp"
#include "bots/runner/send_routes.hpp"
#include "chain/rpc/send_route.hpp"
#include "enclave-app/http_server.hpp"

namespace cvex::cli {
namespace {

chain::Address address_flag(const Args& args, std::string_view flag) {
    const std::string* v = flag_value(args, flag);
    if (!v) throw UsageError(std::string(flag) + " is required");
    return parse_address_arg(*v, std::string(flag));
}

int run_report(const Args& args, std::ostream& out) {
    check_flags(args, {"--rpc-url", "--vault", "--base-token", "--other-token", "--from-block", "--to-block", "--valuation-block", "--base-per-native"},
                {}, "bot report");
    const auto vault = address_flag(args, "--vault");
    const auto base = address_flag(args, "--base-token");
    const auto other = address_flag(args, "--other-token");
    cvex::bots::ReportOptions o;
    if (const std::string* f = flag_value(args, "--from-block")) o.from_block = parse_u64(*f, "--from-block");
    if (const std::string* t = flag_value(args, "--to-block")) o.to_block = parse_u64(*t, "--to-block");
    if (const std::string* v = flag_value(args, "--valuation-block")) o.valuation_block = parse_u64(*v, "--valuation-block");
    if (const std::string* b = flag_value(args, "--base-per-native")) o.base_per_native = parse_amount(*b, "--base-per-native");
    auto r = cvex::bots::vault_report(rpc_client_from(args), vault, base, other, o);
    if (!r) {
        std::cerr << "error: bot report: " << r.error().message() << "\n";
        return kFailed;
    }
    out << r->json() << "\n";
    return kOk;
}

std::vector<cvex::bots::BotConfig> load_config(const Args& args) {
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
    return std::move(*bots);
}

// The bots' reads fail fast (a few seconds) so that the bot's own back-off and its stall watch,
// not a long client timeout, decide how an unhealthy node is handled.
std::shared_ptr<chain::RpcTransport> bot_transport(const Args& args) {
    std::string url;
    if (const std::string* u = flag_value(args, "--rpc-url")) url = *u;
    else if (const char* env = std::getenv("ETH_RPC_URL"); env && *env) url = env;
    else throw UsageError("no RPC URL: pass --rpc-url or set ETH_RPC_URL");
    chain::JsonRpcClient::Options o;
    o.timeouts.connect = std::chrono::milliseconds(2'000);
    o.timeouts.read = std::chrono::milliseconds(5'000);
    o.retry.max_attempts = 3;
    o.retry.budget = std::chrono::milliseconds(2'000);
    auto c = chain::JsonRpcClient::connect(url, o);
    if (!c) throw UsageError("--rpc-url: " + c.error().message());
    return std::shared_ptr<chain::RpcTransport>(std::move(*c));
}

std::shared_ptr<chain::EthClient> bot_client(const Args& args) { return std::make_shared<chain::EthClient>(bot_transport(args)); }

// --send-rpc-url: the bots' signed transactions go there only (a private-transaction endpoint,
// chain/rpc/send_route.hpp); reads stay on --rpc-url. --send-fallback lets a failed send go
// through the read node (and so to its public mempool).
std::shared_ptr<chain::EthClient> bot_client_with_route(const Args& args, const chain::SendRoute::Log& log,
                                                         const std::shared_ptr<chain::RpcTransport>& reads) {
    const std::string* send = flag_value(args, "--send-rpc-url");
    if (!send) {
        if (has_flag(args, "--send-fallback")) throw UsageError("--send-fallback needs --send-rpc-url");
        return std::make_shared<chain::EthClient>(reads);
    }
    if (*send == reads->url()) throw UsageError("--send-rpc-url: the read endpoint; the send route must be another endpoint");
    auto s = chain::JsonRpcClient::connect(*send);
    if (!s) throw UsageError("--send-rpc-url: " + s.error().message());
    auto route = std::make_shared<chain::SendRoute>(reads, std::shared_ptr<chain::RpcTransport>(std::move(*s)), has_flag(args, "--send-fallback"), log);
    return std::make_shared<chain::EthClient>(route);
}

// Every problem of every bot on stderr, one line each; true when there were none.
bool preflight(const std::vector<cvex::bots::BotConfig>& bots, const chain::Address& key, const std::shared_ptr<chain::EthClient>& eth) {
    bool ok = true;
    for (size_t i = 0; i < bots.size(); ++i)
        for (const auto& p : cvex::bots::preflight_bot(bots[i], i, key, eth)) {
            std::cerr << "error: " << p.message() << "\n";
            ok = false;
        }
    return ok;
}

chain::LocalKey key_from_env_checked() {
    auto key = chain::LocalKey::from_hex(require_env("CVEX_PRIVATE_KEY"));
    if (!key) throw UsageError("CVEX_PRIVATE_KEY: not a valid secp256k1 secret key");
    return std::move(*key);
}

int run_check(const Args& args, std::ostream& out) {
    check_flags(args, {"--rpc-url", "--config"}, {}, "bot check");
    const auto bots = load_config(args);
    const auto key = key_from_env_checked();
    auto eth = bot_client(args);
    if (!preflight(bots, key.address(), eth)) return kBadInput;
    out << "ok: " << bots.size() << " bot(s) ready to trade with " << key.address().checksum_hex() << "\n";
    return kOk;
}

// The bot of --bot NAME, or the only bot of the config.
const cvex::bots::BotConfig& chosen_bot(const std::vector<cvex::bots::BotConfig>& bots, const Args& args) {
    const std::string* name = flag_value(args, "--bot");
    if (!name) {
        if (bots.size() != 1) throw UsageError("--bot NAME is required: the config has " + std::to_string(bots.size()) + " bots");
        return bots.front();
    }
    for (const auto& b : bots)
        if (b.name == *name) return b;
    throw UsageError("--bot: no bot named \"" + *name + "\" in the config");
}

// The trading address the simulations run from: --from, else CVEX_PRIVATE_KEY's address.
chain::Address trader_address(const Args& args) {
    if (const std::string* f = flag_value(args, "--from")) return parse_address_arg(*f, "--from");
    const char* env = std::getenv("CVEX_PRIVATE_KEY");
    if (!env || !*env) throw UsageError("--from ADDRESS (the bot's trading address) is required when CVEX_PRIVATE_KEY is not set");
    return key_from_env_checked().address();
}

int run_backtest(const Args& args, std::ostream& out) {
    check_flags(args, {"--rpc-url", "--config", "--from-block", "--to-block", "--bot", "--from"}, {}, "bot backtest");
    const auto bots = load_config(args);
    const auto& bot = chosen_bot(bots, args);
    cvex::bots::BacktestOptions o;
    o.trader = trader_address(args);
    const std::string* from = flag_value(args, "--from-block");
    const std::string* to = flag_value(args, "--to-block");
    if (!from || !to) throw UsageError("--from-block and --to-block are required");
    o.from_block = parse_u64(*from, "--from-block");
    o.to_block = parse_u64(*to, "--to-block");
    if (o.from_block > o.to_block) throw UsageError("--from-block " + *from + " is after --to-block " + *to);
    auto eth = bot_client(args);
    auto head = eth->block_number();
    if (!head) throw UsageError("--rpc-url: " + head.error().message());
    if (o.to_block > *head) throw UsageError("--to-block " + *to + " is beyond the chain's head " + std::to_string(*head));
    auto r = cvex::bots::run_backtest(bot, eth, o);
    if (!r) {
        std::cerr << "error: bot backtest: " << r.error().message() << "\n";
        return kFailed;
    }
    out << r->json() << "\n";
    return kOk;
}

std::atomic<bool> g_stop{false};

std::string health_json(const std::vector<std::unique_ptr<cvex::bots::Bot>>& bots, const chain::Address& key) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& b : bots) {
        const auto f = b->figures();
        const auto fatal = b->fatal();
        list.push_back({{"name", b->name()},
                        {"state", fatal ? "stopped" : f.idle ? "idle" : "trading"},
                        {"reason", fatal ? *fatal : f.idle ? std::string(cvex::bots::to_string(f.hold)) + (f.hold_detail.empty() ? "" : ": " + f.hold_detail) : ""},
                        {"head", f.head},
                        {"rpc", cvex::bots::to_string(f.rpc)}});
    }
    return nlohmann::ordered_json{{"state", "running"}, {"development", true}, {"key", key.checksum_hex()}, {"bots", list}}.dump() + "\n";
}

using Log = std::function<void(const std::string&)>;

uint16_t parse_http_port(const Args& args) {
    const std::string* p = flag_value(args, "--http-port");
    if (!p) return 0;
    const uint64_t v = parse_u64(*p, "--http-port");
    if (v > 65535) throw UsageError("--http-port: " + *p + " is not a TCP port");
    return static_cast<uint16_t>(v);
}

// A previous run's trades still in flight are mined (or dropped) before any new decision,
// so a restart never sends the same trade twice.
void wait_for_previous_run(chain::Sender& tx, const Log& log) {
    for (const auto& r : tx.recovered()) {
        if (r.state != chain::RecoveredTx::kPending && r.state != chain::RecoveredTx::kRebroadcast) continue;
        log("waiting for a previous run's transaction " + r.hash.hex());
        auto mined = tx.wait(chain::PendingTx{r.nonce, r.hash}, std::chrono::seconds(60));
        if (mined && mined->transaction_hash != r.hash)
            log("the previous run's transaction " + r.hash.hex() + " was replaced by " + mined->transaction_hash.hex() + ", mined in block " +
                std::to_string(mined->block_number));
    }
}

// Read-only figures, on loopback only: nothing served here can make the key sign.
std::unique_ptr<enclave::HttpServer> serve_figures(const std::vector<std::unique_ptr<cvex::bots::Bot>>& running, const chain::Address& address,
                                                   uint16_t http_port) {
    auto server = enclave::HttpServer::start("127.0.0.1", http_port, [&running, address](std::string_view method, std::string_view target) {
        if (method != "GET") return enclave::HttpReply{405, "text/plain", "GET only\n"};
        if (target == "/health") return enclave::HttpReply{200, "application/json", health_json(running, address)};
        if (target == "/metrics") {
            std::string m = "# HELP cvex_bot_up 1 while cvex bot run is up.\n# TYPE cvex_bot_up gauge\ncvex_bot_up 1\n";
            for (const auto& b : running) m += b->prometheus();
            return enclave::HttpReply{200, "text/plain; version=0.0.4", m};
        }
        return enclave::HttpReply{404, "text/plain", "not found: /health and /metrics\n"};
    });
    if (!server) throw UsageError("--http-port: " + server.error().message());
    return std::move(*server);
}

// Runs every bot on its own thread until SIGINT, SIGTERM or a bot's fatal error.
int run_until_stopped(const std::vector<std::unique_ptr<cvex::bots::Bot>>& running) {
    std::signal(SIGINT, [](int) { g_stop = true; });
    std::signal(SIGTERM, [](int) { g_stop = true; });
    std::vector<std::thread> threads;
    for (auto& b : running)
        threads.emplace_back([&b] {
            b->run([] { return g_stop.load(); });
            if (b->fatal()) g_stop = true;  // a node serving another chain stops every bot on it
        });
    for (auto& t : threads) t.join();
    for (const auto& b : running)
        if (auto f = b->fatal()) {
            std::cerr << "error: bot " << b->name() << ": " << *f << "\n";
            return kFailed;
        }
    return kOk;
}

int run_bots(const Args& args, std::ostream& out) {
    check_flags(args, {"--rpc-url", "--config", "--journal", "--http-port", "--send-rpc-url"}, {"--send-fallback"}, "bot run");
    const auto bots = load_config(args);
    const uint16_t http_port = parse_http_port(args);
    auto key = key_from_env_checked();
    auto log = [&out](const std::string& line) { cvex::write_log_line(out, "cvex-bot", line); };
    const auto reads = bot_transport(args);
    auto eth = bot_client_with_route(args, log, reads);
    if (!preflight(bots, key.address(), eth)) return kBadInput;
    // A bot's own "send" route: a named route of the one Sender (bots/runner/send_routes.hpp).
    auto routes = cvex::bots::make_send_routes(bots, reads, {reads->url()}, log);
    if (!routes) throw UsageError(routes.error().message());
    // Not sender_from_env: the bots' Sender keeps a journal, so a restart follows what was in flight,
    // and it logs every replacement with the old and the new hash.
    chain::SenderOptions so;
    if (const std::string* journal = flag_value(args, "--journal")) so.journal_path = *journal;
    so.log = log;
    so.routes = routes->clients;
    auto sender = chain::Sender::create(eth, std::make_shared<chain::LocalKey>(std::move(key)), so);
    if (!sender) throw std::runtime_error(sender.error().message());
    std::shared_ptr<chain::Sender> tx(std::move(*sender));
    log("DEVELOPMENT MODE: trading key from the environment, outside any confidential VM: " + tx->address().checksum_hex());
    wait_for_previous_run(*tx, log);
    std::vector<std::unique_ptr<cvex::bots::Bot>> running;
    for (const auto& b : bots) {
        const auto route = routes->routes.find(b.name);
        auto bot = cvex::bots::Bot::create(b, eth, tx, log, route == routes->routes.end() ? nullptr : route->second);
        if (!bot) throw UsageError(bot.error().message());
        running.push_back(std::move(*bot));
    }
    auto server = serve_figures(running, tx->address(), http_port);
    log("serving /health and /metrics at http://127.0.0.1:" + std::to_string(server->port()));
    if (const int rc = run_until_stopped(running); rc != kOk) return rc;
    log("stopped");
    return kOk;
}

const CommandRegistrar run{{"bot run", "--config bots.json [--journal FILE] [--http-port N] [--rpc-url URL] [--send-rpc-url URL [--send-fallback]]",
                            "Run trading bots outside a guest with CVEX_PRIVATE_KEY (development; in a guest: cvex-enclave); "
                            "/health and /metrics on 127.0.0.1",
                            run_bots}};

const CommandRegistrar check{{"bot check", "--config bots.json [--rpc-url URL]",
                              "Check a bots config against the chain (pools, vault targets, tokens, attestation of CVEX_PRIVATE_KEY)",
                              run_check}};

const CommandRegistrar backtest{{"bot backtest",
                                 "--config bots.json --from-block A --to-block B [--bot NAME] [--from ADDRESS] [--rpc-url URL]",
                                 "Replay one bot over past blocks as it would have run live; its would-be trades, gas and PnL "
                                 "in the form of bot report (JSON; its own trades do not move later blocks)",
                                 run_backtest}};

const CommandRegistrar report{{"bot report",
                               "--vault A --base-token T --other-token U [--from-block N] [--to-block N] [--valuation-block N] "
                               "[--base-per-native N] [--rpc-url URL]",
                               "A vault's trades and PnL in parts: realised, inventory revaluation at a stated block's price, gas (JSON)",
                               run_report}};

}  // namespace
}  // namespace cvex::cli
