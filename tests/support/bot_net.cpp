#include "support/bot_net.hpp"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "chain/rpc/contract.hpp"
#include "chain/rpc/http_client.hpp"
#include "chain/crypto/keccak.hpp"
#include "support/process.hpp"

namespace cvex::test {

using nlohmann::json;

namespace {

OracleNet::Options net_options(const BotNet::Options& options) {
    OracleNet::Options o;
    o.anvil.extra = options.anvil_args;
    o.consumers = 0;  // automine while deploying; 1-second blocks once everything is in place
    return o;
}

std::string fresh_dir() {
    static int n = 0;
    const auto d = std::filesystem::temp_directory_path() / ("cvex-botnet-" + std::to_string(::getpid()) + "-" + std::to_string(++n));
    std::filesystem::create_directories(d);
    return d.string();
}

}  // namespace

json run_json(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
    const auto r = run_process(argv, env);
    if (r.exit_code != 0) throw std::runtime_error(argv[1] + " " + (argv.size() > 2 ? argv[2] : "") + " exited " + std::to_string(r.exit_code) + ": " + r.out + r.err);
    return json::parse(r.out);
}

bool wait_for(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return done();
}

std::string http_get(uint16_t port, const std::string& path) {
    auto url = chain::Url::parse("http://127.0.0.1:" + std::to_string(port) + path);
    if (!url) return "";
    chain::HttpClient c(*url, chain::HttpTimeouts{std::chrono::milliseconds(1000), std::chrono::milliseconds(1000), std::chrono::milliseconds(3000)});
    auto r = c.get();
    return r && r->status == 200 ? r->body : "";
}

std::string BotNet::cvex() { return std::string(CVEX_BIN_DIR) + "/cvex"; }

std::string BotNet::measurement_hex() {
    std::string h;
    for (int i = 0; i < 48; ++i) h += "5a";
    return h;
}

std::vector<std::string> BotNet::owner_env() const { return {"ETH_RPC_URL=" + url_, "CVEX_PRIVATE_KEY=" + Anvil::dev_key(0)}; }

BotNet::BotNet(Options options) : options_(std::move(options)), net_(net_options(options_)), url_(net_.anvil().url()), dir_(fresh_dir()) {
    const std::string root = CVEX_SOURCE_DIR;
    dex_ = run_json({cvex(), "dex", "deploy", "--weth-as-a", "--root", root, "--fund", Anvil::dev_address(3), "--out", dir_ + "/dex.json"}, owner_env());
    std::vector<std::string> vault_argv = {cvex(), "vault", "deploy", "--root", root, "--dex", dir_ + "/dex.json", "--registry",
                                           net_.registry().address().checksum_hex(), "--measurement", "0x" + measurement_hex(),
                                           "--deposit-a", "50ether", "--deposit-b", "125000ether", "--max-per-trade-a", "20ether",
                                           "--max-per-trade-b", "50000ether", "--refill-a", "200ether", "--refill-b", "500000ether",
                                           "--refill-period", "60", "--max-slippage-bps", std::to_string(options_.slippage_bps)};
    // An option's flag replaces the default's value (the CLI reads a flag's first occurrence).
    for (size_t i = 0; i + 1 < options_.vault_args.size(); i += 2) {
        auto at = std::find(vault_argv.begin(), vault_argv.end(), options_.vault_args[i]);
        if (at != vault_argv.end()) *(at + 1) = options_.vault_args[i + 1];
        else vault_argv.insert(vault_argv.end(), {options_.vault_args[i], options_.vault_args[i + 1]});
    }
    vault_argv.insert(vault_argv.end(), {"--out", dir_ + "/vault.json"});
    vault_ = run_json(vault_argv, owner_env());
    json bot = {{"name", "arb"},
                {"strategy", "arbitrage"},
                {"vault", vault_["vault"]},
                {"measurement", "0x" + measurement_hex()},
                {"base_token", dex_["token_a"]},
                {"venue_a", {{"pool", dex_["v2_pair"]}, {"kind", "v2_pair"}}},
                {"venue_b", {{"pool", dex_["v3_pool"]}, {"kind", "v3_pool"}, {"tick_lower", dex_["v3_tick_lower"]}, {"tick_upper", dex_["v3_tick_upper"]}}},
                {"min_profit", "1000000000000000"},
                {"paper", options_.paper},
                {"base_per_native", "1000000000000000000"}};
    if (options_.bot.is_object()) bot.update(options_.bot);
    bots_ = {{"bots", json::array({bot})}};
    write_config();
    if (!options_.interval_mining) return;
    if (!net_.eth()->rpc().call("evm_setIntervalMining", {1}, chain::Idempotency::kUnsafe)) throw std::runtime_error("evm_setIntervalMining");
    if (!net_.eth()->evm_set_automine(false)) throw std::runtime_error("evm_setAutomine");
}

std::string BotNet::write_config(const std::string& name) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path) << bots_.dump(2);
    return path;
}

std::unique_ptr<ChildProcess> BotNet::start_bot(const std::string& log, const std::vector<std::string>& extra, const std::string& config) {
    std::vector<std::string> argv = {cvex(), "bot", "run", "--config", config.empty() ? dir_ + "/bots.json" : config, "--journal", dir_ + "/bot.journal"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return std::make_unique<ChildProcess>(argv, std::vector<std::string>{"ETH_RPC_URL=" + url_, "CVEX_PRIVATE_KEY=" + Anvil::dev_key(2)}, log);
}

uint64_t BotNet::open_gap(const std::string& amount, bool token_a) {
    auto r = run_json({cvex(), "dex", "swap", "--deployment", dir_ + "/dex.json", "--venue", "v2", "--token-in", token_a ? "A" : "B", "--amount", amount},
                      {"ETH_RPC_URL=" + url_, "CVEX_PRIVATE_KEY=" + Anvil::dev_key(3)});
    return r["block"].get<uint64_t>();
}

std::vector<chain::Log> BotNet::traded(uint64_t from) {
    static const chain::Hash32 topic = [] {
        const std::string sig = "Traded(address,address,address,address,uint256,uint256,bytes32)";
        return chain::keccak256(cvex::Bytes(sig.begin(), sig.end()));
    }();
    chain::LogFilter f;
    f.addresses = {*chain::Address::parse(vault_["vault"].get<std::string>())};
    f.topics = {std::vector<chain::Hash32>{topic}};
    f.from_block = from;
    f.to_block = *net_.eth()->block_number();
    auto logs = net_.eth()->logs(f);
    if (!logs) throw std::runtime_error("logs: " + logs.error().message());
    return *logs;
}

json BotNet::report(const std::vector<std::string>& extra) {
    std::vector<std::string> argv = {cvex(), "bot", "report", "--vault", vault_["vault"], "--base-token", dex_["token_a"], "--other-token", dex_["token_b"]};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return run_json(argv, {"ETH_RPC_URL=" + url_});
}

std::pair<double, double> BotNet::prices() {
    auto v2 = chain::Contract(*chain::ContractAbi::from_signatures("P", {"getReserves()(uint112,uint112,uint32)", "token0()(address)"}),
                              *chain::Address::parse(dex_["v2_pair"].get<std::string>()), net_.eth());
    auto r = *v2.call("getReserves", {});
    const bool a_is_0 = (*v2.call("token0", {}))[0].address() == *chain::Address::parse(dex_["token_a"].get<std::string>());
    const double r0 = std::stod(r[0].word().dec()), r1 = std::stod(r[1].word().dec());
    const double v2_price = a_is_0 ? r1 / r0 : r0 / r1;
    auto v3 = chain::Contract(*chain::ContractAbi::from_signatures("Q", {"slot0()(uint160,int24,uint16,uint16,uint16,uint8,bool)"}),
                              *chain::Address::parse(dex_["v3_pool"].get<std::string>()), net_.eth());
    const double sp = std::stod((*v3.call("slot0", {}))[0].word().dec()) / 79228162514264337593543950336.0;
    const double v3_price = a_is_0 ? sp * sp : 1.0 / (sp * sp);
    return {v2_price, v3_price};
}

}  // namespace cvex::test
