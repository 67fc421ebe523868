#include "cli/command.hpp"

#include <algorithm>
#include <cstdlib>

namespace cvex::cli {

std::vector<Command>& command_table() {
    static std::vector<Command> table;
    return table;
}

const std::string* flag_value(const Args& args, std::string_view flag) {
    for (size_t i = 0; i < args.size(); ++i) {
        if (args[i] == flag) {
            if (i + 1 >= args.size()) throw UsageError(std::string(flag) + " needs a value");
            return &args[i + 1];
        }
        if (args[i].size() > flag.size() && args[i].compare(0, flag.size(), flag) == 0 && args[i][flag.size()] == '=') {
            static thread_local std::string tail;
            tail = args[i].substr(flag.size() + 1);
            return &tail;
        }
    }
    return nullptr;
}

bool has_flag(const Args& args, std::string_view flag) {
    return std::find(args.begin(), args.end(), flag) != args.end();
}

Args positional(const Args& args, std::initializer_list<std::string_view> valued) {
    Args out;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        // A flag starts with "--"; negative numbers and "-" alone stay positional.
        if (a.size() > 2 && a[0] == '-' && a[1] == '-') {
            const bool takes_value = std::find(valued.begin(), valued.end(), a) != valued.end();
            if (takes_value) ++i;
            continue;
        }
        out.push_back(a);
    }
    return out;
}

std::string require_env(const char* name) {
    const char* v = std::getenv(name);
    if (v == nullptr || *v == '\0') throw UsageError(std::string("environment variable ") + name + " is not set");
    return v;
}

}  // namespace cvex::cli
