// Command-line options for commands whose answer a validator acts on (`cvex attest verify`,
// `cvex validator`, `cvex vrf verify|prove`): they fail closed. An unknown option, an option
// without its value, an empty value (an unset shell variable: `--policy "$POLICY"`) and an
// option given twice (which of the two did the caller mean?) are unusable input, named.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "cli/command.hpp"

namespace cvex::cli {

struct ArgSpec {
    std::vector<std::string_view> valued;      // --flag VALUE, at most once
    std::vector<std::string_view> repeatable;  // --flag VALUE, any number of times
    std::vector<std::string_view> switches;    // --flag, at most once
    size_t min_positional = 0, max_positional = 0;
    std::string_view usage;
};

class ParsedArgs {
public:
    /// The value of a once-only flag, or nullptr.
    const std::string* get(std::string_view flag) const;
    /// Every value of a repeatable flag, in order.
    std::vector<std::string> all(std::string_view flag) const;
    bool has(std::string_view sw) const;
    const std::vector<std::string>& positional() const { return positional_; }

private:
    friend ParsedArgs parse_args(const Args& args, const ArgSpec& spec);
    std::map<std::string, std::vector<std::string>, std::less<>> values_;
    std::vector<std::string> switches_;
    std::vector<std::string> positional_;
};

/// Parses `args` ("--flag value" or "--flag=value"; "-" alone is a positional: standard input).
/// Throws UsageError naming what is wrong, followed by the usage line.
ParsedArgs parse_args(const Args& args, const ArgSpec& spec);

}  // namespace cvex::cli
