// What the Ethereum JSON-RPC methods take and return (execution-apis), as typed values.
// JSON stays at this boundary: rpc_json.cpp converts, naming the field on any mismatch.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "chain/types/address.hpp"
#include "base/bytes.hpp"
#include "chain/types/hash.hpp"
#include "chain/types/u256.hpp"

namespace cvex::chain {

struct BlockTag {
    std::variant<uint64_t, std::string> v = std::string("latest");
    static BlockTag latest() { return {std::string("latest")}; }
    static BlockTag pending() { return {std::string("pending")}; }
    static BlockTag earliest() { return {std::string("earliest")}; }
    static BlockTag safe() { return {std::string("safe")}; }
    static BlockTag finalized() { return {std::string("finalized")}; }
    static BlockTag number(uint64_t n) { return {n}; }
    std::string str() const;  // "latest" or "0x1f"
};

struct Block {
    uint64_t number = 0;
    Hash32 hash;
    Hash32 parent_hash;
    uint64_t timestamp = 0;
    uint64_t gas_limit = 0;
    uint64_t gas_used = 0;
    std::optional<U256> base_fee_per_gas;  // since London
    std::vector<Hash32> transactions;      // hashes
};

struct Log {
    Address address;
    std::vector<Hash32> topics;
    Bytes data;
    uint64_t block_number = 0;
    Hash32 block_hash;
    Hash32 transaction_hash;
    uint64_t transaction_index = 0;
    uint64_t log_index = 0;
    bool removed = false;
};

struct Receipt {
    Hash32 transaction_hash;
    uint64_t block_number = 0;
    Hash32 block_hash;
    uint64_t transaction_index = 0;
    Address from;
    std::optional<Address> to;
    std::optional<Address> contract_address;
    bool status = false;  // EIP-658: true for success
    uint64_t gas_used = 0;
    uint64_t cumulative_gas_used = 0;
    U256 effective_gas_price;
    std::vector<Log> logs;
};

struct TransactionInfo {
    Hash32 hash;
    Address from;
    std::optional<Address> to;
    uint64_t nonce = 0;
    U256 value;
    uint64_t gas = 0;
    Bytes input;
    std::optional<uint64_t> block_number;  // absent while pending
    std::optional<Hash32> block_hash;
    // Fees as the sender set them: gasPrice (legacy, EIP-2930), or the EIP-1559 caps.
    std::optional<U256> gas_price;
    std::optional<U256> max_fee_per_gas;
    std::optional<U256> max_priority_fee_per_gas;

    /// The tip per gas a block with this base fee pays the proposer (EIP-1559: min(max priority
    /// fee, max fee - base fee); legacy: gas price - base fee) — what orders a block by fees.
    /// Absent when the transaction names no fee or could not pay the base fee.
    std::optional<U256> effective_tip(const U256& base_fee) const;
};

/// One call of an eth_simulateV1 block: whether it succeeded, what it returned (or its revert
/// data) and the gas it used.
struct SimulatedCall {
    bool success = false;
    Bytes return_data;
    uint64_t gas_used = 0;
    std::string error;  // the node's message for a failed call
};

struct FeeHistory {
    uint64_t oldest_block = 0;
    std::vector<U256> base_fee_per_gas;  // one more than the blocks asked for: the next block's
    std::vector<double> gas_used_ratio;
    std::vector<std::vector<U256>> reward;  // per block, per requested percentile
};

struct CallRequest {
    std::optional<Address> from;
    std::optional<Address> to;  // absent: contract creation (for eth_estimateGas)
    Bytes data;
    std::optional<U256> value;
    std::optional<uint64_t> gas;
};

struct LogFilter {
    std::vector<Address> addresses;                       // any of them; empty = all
    std::vector<std::optional<std::vector<Hash32>>> topics;  // per position: nullopt = any, else one of
    uint64_t from_block = 0;
    uint64_t to_block = 0;
};

}  // namespace cvex::chain
