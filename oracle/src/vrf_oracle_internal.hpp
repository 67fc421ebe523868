// Constants and helpers the VRF oracle's source files share (vrf_oracle.cpp: following the chain;
// vrf_oracle_submit.cpp: submitting fulfilments and reading their receipts). Not part of the API.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "chain/types/u256.hpp"
#include "oracle/request.hpp"

namespace cvex::oracle::oracle_detail {

using chain::U256;

// Ids per pendingRequests() call during resync, and per eth_getLogs topic list.
constexpr uint64_t kPendingChunk = 4'096;
constexpr size_t kIdsPerLogQuery = 100;
// How many recent block hashes to keep for finding a fork point.
constexpr size_t kRecentBlocks = 512;
constexpr uint64_t kBlockhashWindow = 256;  // BLOCKHASH reaches the last 256 blocks

inline std::string id_list(const std::vector<U256>& ids) {
    std::string s;
    for (size_t i = 0; i < ids.size() && i < 8; ++i) s += (i ? "," : "") + ids[i].dec();
    if (ids.size() > 8) s += ",… (" + std::to_string(ids.size()) + ")";
    return s;
}

}  // namespace cvex::oracle::oracle_detail
