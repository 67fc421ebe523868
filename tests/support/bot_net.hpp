// A trading bot's world on a fresh Anvil for end-to-end tests: the AttestationRegistry with an
// attested key (OracleNet: dev account 2 for the measurement 0x5a × 48), a real Uniswap V2 pair
// and V3 pool (`cvex dex deploy --weth-as-a`), a GuardedVault over them (`cvex vault deploy`),
// and a bots.json for `cvex bot run` — every piece deployed by cvex's own commands.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/child_process.hpp"
#include "support/oracle_net.hpp"

namespace cvex::test {

class BotNet {
public:
    struct Options {
        bool paper = false;
        int slippage_bps = 100;  // the vault's price guard; 100 lets a whole 2 % gap be arbitraged
        std::vector<std::string> vault_args;  // `cvex vault deploy` flag/value pairs, replacing the defaults
        nlohmann::json bot;                   // keys merged into the bot's config
        std::vector<std::string> anvil_args;  // more anvil arguments (e.g. how much state history it keeps)
        bool interval_mining = true;          // 1-second blocks once deployed; false: automine stays on
    };

    explicit BotNet(Options options);
    BotNet() : BotNet(Options{}) {}

    static std::string cvex();
    static std::string measurement_hex();  // 48 bytes of 0x5a, without 0x

    OracleNet& net() { return net_; }
    const std::string& url() const { return url_; }
    const std::string& dir() const { return dir_; }
    const nlohmann::json& dex() const { return dex_; }
    const nlohmann::json& vault() const { return vault_; }
    nlohmann::json& bot_config() { return bots_["bots"][0]; }
    /// Writes the bots' config (after changes to bot_config()) and returns its path.
    std::string write_config(const std::string& name = "bots.json");
    std::vector<std::string> owner_env() const;

    /// `cvex bot run` as dev account 2 (attested), its output in `log`; extra flags appended.
    std::unique_ptr<ChildProcess> start_bot(const std::string& log, const std::vector<std::string>& extra = {},
                                            const std::string& config = "");
    /// A whale (dev account 3) sells `amount` of token A (or B) into the V2 pair; returns the block.
    uint64_t open_gap(const std::string& amount, bool token_a = true);
    /// The vault's Traded logs from `from`.
    std::vector<chain::Log> traded(uint64_t from);
    /// `cvex bot report` with extra flags.
    nlohmann::json report(const std::vector<std::string>& extra = {});
    /// Price of A in B on the V2 pair and the V3 pool.
    std::pair<double, double> prices();

private:
    Options options_;
    OracleNet net_;
    std::string url_, dir_;
    nlohmann::json dex_, vault_, bots_;
};

/// `cvex …` that must exit 0; its stdout as JSON.
nlohmann::json run_json(const std::vector<std::string>& argv, const std::vector<std::string>& env);
/// Polls `done` every 200 ms until it holds (true) or `timeout` passes (false).
bool wait_for(const std::function<bool()>& done, std::chrono::milliseconds timeout);
/// GET http://127.0.0.1:port/path; the body, or "" when nothing answered.
std::string http_get(uint16_t port, const std::string& path);

}  // namespace cvex::test
