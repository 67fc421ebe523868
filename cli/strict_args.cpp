#include "cli/strict_args.hpp"

#include <algorithm>

namespace cvex::cli {

namespace {

bool contains(const std::vector<std::string_view>& v, std::string_view s) { return std::find(v.begin(), v.end(), s) != v.end(); }

// Echoed values are cut short: an error line stays one readable line whatever was passed.
std::string shown(const std::string& v) { return v.size() <= 60 ? v : v.substr(0, 57) + "..."; }

// One line names the problem; the usage follows only where the arguments' shape is wrong.
[[noreturn]] void fail(const std::string& what, const ArgSpec&) { throw UsageError(what); }
[[noreturn]] void fail_shape(const std::string& what, const ArgSpec& spec) {
    throw UsageError(what + (spec.usage.empty() ? "" : "\nusage: " + std::string(spec.usage)));
}

}  // namespace

const std::string* ParsedArgs::get(std::string_view flag) const {
    const auto it = values_.find(flag);
    return it == values_.end() || it->second.empty() ? nullptr : &it->second.front();
}

std::vector<std::string> ParsedArgs::all(std::string_view flag) const {
    const auto it = values_.find(flag);
    return it == values_.end() ? std::vector<std::string>{} : it->second;
}

bool ParsedArgs::has(std::string_view sw) const { return std::find(switches_.begin(), switches_.end(), sw) != switches_.end(); }

ParsedArgs parse_args(const Args& args, const ArgSpec& spec) {
    ParsedArgs out;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a.size() < 3 || a[0] != '-' || a[1] != '-') {
            out.positional_.push_back(a);
            continue;
        }
        const size_t eq = a.find('=');
        const std::string name = a.substr(0, eq);
        const bool once = contains(spec.valued, name);
        const bool repeatable = contains(spec.repeatable, name);
        if (contains(spec.switches, name)) {
            if (eq != std::string::npos) fail(name + " takes no value", spec);
            if (out.has(name)) fail(name + " is given twice", spec);
            out.switches_.push_back(name);
            continue;
        }
        if (!once && !repeatable) fail_shape("unknown option " + shown(name), spec);
        std::string value;
        if (eq != std::string::npos) {
            value = a.substr(eq + 1);
        } else {
            if (i + 1 >= args.size()) fail(name + " needs a value", spec);
            value = args[++i];
            if (value.size() > 2 && value.rfind("--", 0) == 0) fail(name + " needs a value (got the option " + value + ")", spec);
        }
        if (value.empty()) fail(name + " has an empty value", spec);
        auto& slot = out.values_[name];
        if (once && !slot.empty()) fail(name + " is given twice ('" + shown(slot.front()) + "', then '" + shown(value) + "'); give it once", spec);
        slot.push_back(value);
    }
    if (out.positional_.size() < spec.min_positional || out.positional_.size() > spec.max_positional) {
        if (out.positional_.size() > spec.max_positional)
            fail_shape("unexpected argument '" + shown(out.positional_[spec.max_positional]) + "'", spec);
        fail_shape("missing argument", spec);
    }
    return out;
}

}  // namespace cvex::cli
