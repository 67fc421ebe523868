// cvex: the command line over cvex's libraries. Subcommands register themselves (command.hpp).
#include <algorithm>
#include <exception>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "chain/contract_errors/contract_errors.hpp"
#include "cli/command.hpp"

using namespace cvex::cli;

namespace {

void print_help(std::ostream& os) {
    auto table = command_table();
    std::sort(table.begin(), table.end(), [](const Command& a, const Command& b) { return a.name < b.name; });
    os << "cvex - confidential execution for Ethereum\n\nUsage: cvex <command> [args...]\n\nCommands:\n";
    for (const auto& c : table) os << "  " << c.name << " " << c.synopsis << "\n      " << c.summary << "\n";
    os << "\nExit codes: 0 success, 1 check failed, 2 unusable input; `attest verify`: 3 PASS (SIMULATED); `vrf fulfilments`: 3 pending.\n";
}

void print_usage(std::ostream& os, const Command& c) {
    os << "Usage: cvex " << c.name << " " << c.synopsis << "\n\n" << c.summary << "\n";
}

/// Commands whose name starts with `group ` (e.g. "vrf prove" for "vrf"), sorted.
std::vector<const Command*> group_members(std::string_view group) {
    std::vector<const Command*> out;
    for (const auto& c : command_table())
        if (c.name.size() > group.size() && c.name.substr(0, group.size()) == group && c.name[group.size()] == ' ')
            out.push_back(&c);
    std::sort(out.begin(), out.end(), [](const Command* a, const Command* b) { return a->name < b->name; });
    return out;
}

void print_group(std::ostream& os, std::string_view group, const std::vector<const Command*>& members) {
    os << "Usage: cvex " << group << " <command> [args...]\n\nCommands:\n";
    for (const auto* c : members) os << "  " << c->name << " " << c->synopsis << "\n      " << c->summary << "\n";
    os << "\nSee `cvex help " << group << " <command>` for one command's usage.\n";
}

bool is_help(const std::string& a) { return a == "--help" || a == "-h"; }

/// The command named by the longest prefix of `args`, and how many words its name has.
const Command* find_command(const Args& args, size_t& words) {
    const Command* found = nullptr;
    words = 0;
    for (const auto& c : command_table()) {
        const size_t n = static_cast<size_t>(std::count(c.name.begin(), c.name.end(), ' ')) + 1;
        if (n > args.size() || n <= words) continue;
        std::string joined = args[0];
        for (size_t i = 1; i < n; ++i) joined += " " + args[i];
        if (joined == c.name) found = &c, words = n;
    }
    return found;
}

/// `cvex help [command…]`, `cvex <command> --help` and a bare command group (`cvex vrf`).
/// Returns -1 when the arguments are not a request for help.
int answer_help(const Args& args) {
    const bool explicit_help = !args.empty() && args[0] == "help";
    const Args named = explicit_help ? Args(args.begin() + 1, args.end()) : args;
    if (named.empty()) return -1;
    size_t words = 0;
    if (const Command* c = find_command(named, words)) {
        const bool wants = explicit_help || std::any_of(named.begin() + static_cast<long>(words), named.end(), is_help);
        if (!wants) return -1;
        print_usage(std::cout, *c);
        return kOk;
    }
    const auto members = group_members(named[0]);
    if (members.empty()) return -1;
    const bool wants = explicit_help || (named.size() >= 2 && is_help(named[1]));
    print_group(wants ? std::cout : std::cerr, named[0], members);
    return wants ? kOk : kBadInput;
}

}  // namespace

int main(int argc, char** argv) {
    std::ios::sync_with_stdio(false);
    cvex::chain::register_contract_errors();  // every cvex contract's custom errors decode everywhere
    Args args(argv + 1, argv + argc);
    if (args.empty() || (args.size() == 1 && (args[0] == "help" || is_help(args[0])))) {
        print_help(args.empty() ? std::cerr : std::cout);
        return args.empty() ? kBadInput : kOk;
    }
    if (const int rc = answer_help(args); rc >= 0) return rc;
    // Longest match first, so "vrf prove" wins over a hypothetical "vrf".
    size_t words = 0;
    const Command* found = find_command(args, words);
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
