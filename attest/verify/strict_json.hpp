// JSON for files a verifier decides on (policies, configs): parsed strictly. nlohmann accepts a
// repeated key silently and keeps the last value, so `{"vmpl": 1, "vmpl": 0}` would mean
// whatever the last writer wanted; RFC 8259 §4 leaves duplicate names' meaning undefined. Here a
// duplicate key anywhere in the document is an error naming its path.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/expected.hpp"

namespace cvex::attest {

struct JsonError {
    std::string path;    // "min_tcb.snp", "measurements[2]", or "" for the document
    std::string detail;  // "appears twice", "not valid JSON (…)"
    std::string message() const { return path.empty() ? detail : path + ": " + detail; }
};

/// Parses `text` as one JSON value, refusing duplicate object keys and invalid UTF-8.
cvex::Expected<nlohmann::json, JsonError> parse_strict_json(std::string_view text);

}  // namespace cvex::attest
