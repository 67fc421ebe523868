// cvex: the command line over cvex's libraries. Subcommands register themselves (command.hpp).
#include <algorithm>
#include <exception>
#include <iostream>
#include <string>

#include "chain/cli/command.hpp"

using namespace cvex::cli;

namespace {

void print_help(std::ostream& os) {
    auto table = command_table();
    std::sort(table.begin(), table.end(), [](const Command& a, const Command& b) { return a.name < b.name; });
    os << "cvex - confidential execution for Ethereum\n\nUsage: cvex <command> [args...]\n\nCommands:\n";
    for (const auto& c : table) os << "  " << c.name << " " << c.synopsis << "\n      " << c.summary << "\n";
    os << "\nExit codes: 0 success, 1 check failed, 2 unusable input.\n";
}

}  // namespace

int main(int argc, char** argv) {
    std::ios::sync_with_stdio(false);
    Args args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
        print_help(args.empty() ? std::cerr : std::cout);
        return args.empty() ? kBadInput : kOk;
    }
    // Longest match first, so "vrf prove" wins over a hypothetical "vrf".
    const Command* found = nullptr;
    size_t words = 0;
    for (const auto& c : command_table()) {
        const size_t n = static_cast<size_t>(std::count(c.name.begin(), c.name.end(), ' ')) + 1;
        if (n > args.size() || n <= words) continue;
        std::string joined = args[0];
        for (size_t i = 1; i < n; ++i) joined += " " + args[i];
        if (joined == c.name) found = &c, words = n;
    }
    if (found == nullptr) {
        std::cerr << "error: unknown command '" << args[0] << "' (see `cvex help`)\n";
        return kBadInput;
    }
    const Args rest(args.begin() + static_cast<long>(words), args.end());
    try {
        const int rc = found->run(rest, std::cout);
        std::cout.flush();
        return rc;
    } catch (const UsageError& e) {
        std::cout.flush();
        std::cerr << "error: " << e.what() << "\n";
        return kBadInput;
    } catch (const std::exception& e) {
        std::cout.flush();
        std::cerr << "error: " << found->name << ": " << e.what() << "\n";
        return kBadInput;
    }
}
