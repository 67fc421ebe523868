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

// Gas a fulfilment needs besides the consumer's callback: calldata (≈ 1 kB of proof), the
// verifier (≈ 20k), the commitment, payment and event; measured at ≈ 45k in a batch and 67k
// alone (contracts/test/vrf/VRFGas.t.sol), with head room. The coordinator forwards the callback
// exactly `callbackGasLimit` and needs 64/63 of it plus GAS_FOR_CALL_EXACT_CHECK (5,000) and
// GAS_AFTER_CALLBACK (30,000) + 40 per word (a failed callback's words commitment and
// CallbackFailed) left. A limit, not what is paid: an entry that succeeds uses ≈ 45k besides its
// callback.
constexpr uint64_t kEntryOverhead = 85'000;
constexpr uint64_t kEntryPerWord = 40;
constexpr uint64_t kTxOverhead = 40'000;
// Ids per pendingRequests() call during resync, and per eth_getLogs topic list.
constexpr uint64_t kPendingChunk = 4'096;
constexpr size_t kIdsPerLogQuery = 100;
// How many recent block hashes to keep for finding a fork point.
constexpr size_t kRecentBlocks = 512;
constexpr uint64_t kBlockhashWindow = 256;  // BLOCKHASH reaches the last 256 blocks

inline uint64_t entry_gas(const VrfRequest& r) {
    return kEntryOverhead + kEntryPerWord * r.num_words + uint64_t{r.callback_gas_limit} * 64 / 63 + 5'000;
}

inline std::string id_list(const std::vector<U256>& ids) {
    std::string s;
    for (size_t i = 0; i < ids.size() && i < 8; ++i) s += (i ? "," : "") + ids[i].dec();
    if (ids.size() > 8) s += ",… (" + std::to_string(ids.size()) + ")";
    return s;
}

}  // namespace cvex::oracle::oracle_detail
