// Helpers the Sender's source files share (sender.cpp, sender_journal.cpp); not part of the API.
#pragma once

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>

#include "chain/rpc/sender.hpp"

namespace cvex::chain::sender_detail {

/// Case-insensitive substring test: nodes word the same error differently ("Nonce too low").
inline bool contains(std::string haystack, const char* needle) {
    std::transform(haystack.begin(), haystack.end(), haystack.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return haystack.find(needle) != std::string::npos;
}

inline SendError rpc_failure(const RpcError& e) { return {SendError::kRpc, e.message(), std::nullopt}; }

}  // namespace cvex::chain::sender_detail
