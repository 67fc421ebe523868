// The `cvex` command table. Each cmd_*.cpp registers its subcommands with a static
// CommandRegistrar, so adding a command never touches the dispatcher.
#pragma once

#include <iosfwd>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace cvex::cli {

using Args = std::vector<std::string>;

/// Exit codes shared by every subcommand.
enum ExitCode : int {
    kOk = 0,
    kFailed = 1,      // the input was usable but the check it asked for failed (invalid proof, bad evidence)
    kBadInput = 2,    // unusable input: wrong arguments, malformed hex, missing key
};

/// Thrown for unusable input; the dispatcher prints `error: <what>` on one line and exits 2.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct Command {
    std::string_view name;      // e.g. "abi-encode", or "vrf prove" for a two-word command
    std::string_view synopsis;  // arguments, as shown by `cvex help`
    std::string_view summary;   // one line
    int (*run)(const Args& args, std::ostream& out);
};

std::vector<Command>& command_table();

struct CommandRegistrar {
    explicit CommandRegistrar(Command c) { command_table().push_back(c); }
};

// Helpers for argument handling in subcommands.

/// The value following `--flag` in args, if present. Accepts `--flag=value` too.
const std::string* flag_value(const Args& args, std::string_view flag);
bool has_flag(const Args& args, std::string_view flag);
/// Arguments that are neither flags nor flag values (flags named in `valued` take a value).
Args positional(const Args& args, std::initializer_list<std::string_view> valued);
/// Reads an environment variable, or throws UsageError naming it.
std::string require_env(const char* name);

}  // namespace cvex::cli
