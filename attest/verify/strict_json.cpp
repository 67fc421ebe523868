#include "attest/verify/strict_json.hpp"

#include <set>
#include <vector>

namespace cvex::attest {

using cvex::Expected;
using cvex::Unexpected;
using nlohmann::json;

namespace {

// The containers open at the parser's position, to name where a duplicate key sits.
struct Frame {
    bool array = false;
    std::string path;
    std::set<std::string> keys;
    std::string key;   // the key whose value is being parsed (objects)
    size_t index = 0;  // the element being parsed (arrays)
};

std::string child_path(const std::vector<Frame>& stack) {
    if (stack.empty()) return "";
    const Frame& f = stack.back();
    if (f.array) return f.path + "[" + std::to_string(f.index) + "]";
    return f.path.empty() ? f.key : f.path + "." + f.key;
}

}  // namespace

Expected<json, JsonError> parse_strict_json(std::string_view text) {
    std::vector<Frame> stack;
    std::optional<JsonError> duplicate;
    auto after_value = [&stack] {
        if (!stack.empty() && stack.back().array) ++stack.back().index;
    };
    json::parser_callback_t cb = [&](int, json::parse_event_t event, json& parsed) {
        switch (event) {
            case json::parse_event_t::object_start:
            case json::parse_event_t::array_start: {
                Frame f;
                f.array = event == json::parse_event_t::array_start;
                f.path = child_path(stack);
                stack.push_back(std::move(f));
                break;
            }
            case json::parse_event_t::key: {
                Frame& f = stack.back();
                f.key = parsed.get<std::string>();
                if (!f.keys.insert(f.key).second && !duplicate) duplicate = JsonError{child_path(stack), "appears twice"};
                break;
            }
            case json::parse_event_t::object_end:
            case json::parse_event_t::array_end:
                stack.pop_back();
                after_value();
                break;
            case json::parse_event_t::value:
                after_value();
                break;
        }
        return true;
    };
    try {
        json j = json::parse(text.begin(), text.end(), cb, /*allow_exceptions=*/true, /*ignore_comments=*/false);
        if (duplicate) return Unexpected{*duplicate};
        return j;
    } catch (const json::exception& e) {
        // nlohmann's message names the line and column; keep it, without the library's prefix.
        std::string what = e.what();
        if (const auto p = what.find("] "); p != std::string::npos) what = what.substr(p + 2);
        return Unexpected{JsonError{"", "not valid JSON (" + what + ")"}};
    }
}

}  // namespace cvex::attest
