// `cvex --help`, `cvex help <command>`, `cvex <command> --help` and command groups (`cvex vrf`):
// every subcommand answers with its usage and exit 0, as `cast <command> --help` does.
#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "support/process.hpp"

using cvex::test::run_process;

namespace {
const std::string kCvex = std::string(CVEX_BIN_DIR) + "/cvex";

/// Command names from `cvex help`: lines "  <name> <synopsis>" whose next line is the summary.
std::vector<std::string> command_names() {
    const auto help = run_process({kCvex, "help"});
    REQUIRE(help.exit_code == 0);
    std::vector<std::string> names;
    std::istringstream in(help.out);
    std::string line;
    bool in_commands = false;
    while (std::getline(in, line)) {
        if (line == "Commands:") in_commands = true;
        if (!in_commands || line.rfind("  ", 0) != 0 || line.rfind("      ", 0) == 0) continue;
        // A name is one or two words before the synopsis, which starts with '<', '[', '-' or is empty.
        std::istringstream words(line);
        std::string w, name;
        while (words >> w && w[0] != '<' && w[0] != '[' && w[0] != '-' && w.find('|') == std::string::npos &&
               w.find('"') == std::string::npos) {
            if (!name.empty() && name.find(' ') != std::string::npos) break;
            name += name.empty() ? w : " " + w;
        }
        names.push_back(name);
    }
    return names;
}

std::vector<std::string> split(const std::string& name) {
    std::istringstream in(name);
    std::vector<std::string> out;
    for (std::string w; in >> w;) out.push_back(w);
    return out;
}
}  // namespace

TEST_CASE("every cvex subcommand answers --help with its usage and exit 0") {
    const auto names = command_names();
    REQUIRE(names.size() > 20);
    for (const auto& name : names) {
        INFO(name);
        auto argv = split(name);
        argv.insert(argv.begin(), kCvex);
        argv.push_back("--help");
        const auto r = run_process(argv);
        CHECK(r.exit_code == 0);
        CHECK(r.out.rfind("Usage: cvex " + name, 0) == 0);
        CHECK(r.err.empty());

        auto via_help = split(name);
        via_help.insert(via_help.begin(), {kCvex, "help"});
        const auto h = run_process(via_help);
        CHECK(h.exit_code == 0);
        CHECK(h.out == r.out);
    }
}

TEST_CASE("a command group lists its commands: exit 0 when asked, 2 when bare") {
    const auto asked = run_process({kCvex, "vrf", "--help"});
    CHECK(asked.exit_code == 0);
    CHECK(asked.out.find("vrf verify") != std::string::npos);
    CHECK(asked.out.find("vrf prove") != std::string::npos);

    const auto bare = run_process({kCvex, "vrf"});
    CHECK(bare.exit_code == 2);
    CHECK(bare.out.empty());
    CHECK(bare.err.find("Usage: cvex vrf <command>") != std::string::npos);
}

TEST_CASE("an unknown command is still an error naming it") {
    const auto r = run_process({kCvex, "no-such-command", "--help"});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("unknown command 'no-such-command'") != std::string::npos);
}
