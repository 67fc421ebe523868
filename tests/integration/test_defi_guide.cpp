// The README's walk-through for DeFi teams, run as written (issue 21): the shell block between
// `<!-- defi-guide:begin -->` and `<!-- defi-guide:end -->` in README.md, with only its two ports
// (8545 for Anvil, 9110 for the bot's /metrics) replaced by free ones. It must end with the bot
// having traded through the vault and a report whose realised PnL exceeds the gas.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "support/anvil.hpp"
#include "support/process.hpp"

using namespace cvex;

namespace {

std::string guide() {
    std::ifstream in(std::string(CVEX_SOURCE_DIR) + "/README.md");
    std::stringstream text;
    text << in.rdbuf();
    const std::string s = text.str();
    const auto begin = s.find("<!-- defi-guide:begin -->");
    const auto end = s.find("<!-- defi-guide:end -->");
    if (begin == std::string::npos || end == std::string::npos) return "";
    const auto code = s.find("```sh\n", begin);
    const auto close = s.rfind("```", end);
    if (code == std::string::npos || close <= code) return "";
    return s.substr(code + 6, close - code - 6);
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
    for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
    return s;
}

}  // namespace

TEST_CASE("the README's DeFi walk-through, from an empty Anvil to a bot that traded through its vault, runs as written") {
    std::string script = guide();
    REQUIRE(!script.empty());
    script = replace_all(script, "8545", std::to_string(test::free_loopback_port()));
    script = replace_all(script, "9110", std::to_string(test::free_loopback_port()));
    const std::string path = std::string(CVEX_BIN_DIR) + "/../defi-guide-test.sh";
    std::ofstream(path) << "set -euo pipefail\ncd " << CVEX_SOURCE_DIR << "\n" << script;
    const auto r = test::run_process({"/usr/bin/timeout", "150", "/bin/bash", path});
    INFO(r.out << "\n--- stderr\n" << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.find("DEVELOPMENT ONLY") != std::string::npos);
    CHECK(r.out.find("ok: 1 bot(s) ready") != std::string::npos);
    // The report is the JSON object in the output; its realised PnL beats the gas.
    const auto at = r.out.find("{\n  \"vault\"");
    REQUIRE(at != std::string::npos);
    const auto end = r.out.find("\n}\n", at);
    REQUIRE(end != std::string::npos);
    const auto report = nlohmann::json::parse(r.out.substr(at, end + 2 - at));
    CHECK(report["trade_count"].get<size_t>() >= 2);
    CHECK(report["pnl"]["realised_minus_gas"].get<std::string>()[0] != '-');
    CHECK(report["pnl"]["realised_minus_gas"] != "0");
    CHECK(r.out.find("cvex_bot_trades_mined_total{bot=\"arb\"}") != std::string::npos);
}
