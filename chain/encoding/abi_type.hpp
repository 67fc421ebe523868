// Solidity ABI types (docs.soliditylang.org, "Contract ABI Specification"): parsed from their
// canonical text ("uint256", "(address,bytes)[]", "bytes32[4]") and from signatures such as
// "transfer(address to, uint256 amount)(bool)" or "Stored(address indexed by, string note)".
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/expected.hpp"
#include "chain/types/hash.hpp"

namespace cvex::chain {

struct AbiError {
    std::string where;    // the type text position, or the value path ("arg 2[3].1")
    std::string detail;   // what is wrong
    std::string message() const { return where.empty() ? detail : where + ": " + detail; }
};

struct AbiType {
    enum Kind { kUint, kInt, kAddress, kBool, kFixedBytes, kBytes, kString, kArray, kFixedArray, kTuple };
    Kind kind = kUint;
    unsigned size = 256;                  // bits for kUint/kInt, bytes for kFixedBytes, length for kFixedArray
    std::vector<AbiType> components;      // element type (arrays) or members (tuples)

    static AbiType uint(unsigned bits = 256) { return {kUint, bits, {}}; }
    static AbiType int_(unsigned bits = 256) { return {kInt, bits, {}}; }
    static AbiType address() { return {kAddress, 20, {}}; }
    static AbiType boolean() { return {kBool, 1, {}}; }
    static AbiType fixed_bytes(unsigned n) { return {kFixedBytes, n, {}}; }
    static AbiType bytes() { return {kBytes, 0, {}}; }
    static AbiType string() { return {kString, 0, {}}; }
    static AbiType array(AbiType element) { return {kArray, 0, {std::move(element)}}; }
    static AbiType fixed_array(AbiType element, unsigned n) { return {kFixedArray, n, {std::move(element)}}; }
    static AbiType tuple(std::vector<AbiType> members) { return {kTuple, 0, std::move(members)}; }

    /// The canonical form used in signatures: "uint256", "(address,bytes)[]".
    std::string canonical() const;
    /// Dynamic types are encoded out of line (bytes, string, T[], and anything containing them).
    bool is_dynamic() const;
    /// Bytes this type occupies in the head of an encoding (32 for dynamic types).
    size_t head_size() const;
    bool operator==(const AbiType&) const = default;
};

/// One parameter of a signature: its type, optional name, and `indexed` (events).
struct AbiParam {
    AbiType type;
    std::string name;
    bool indexed = false;
};

/// A function, event or error: `name(inputs)` and, for functions, optional `(outputs)`.
struct AbiSignature {
    std::string name;
    std::vector<AbiParam> inputs;
    std::vector<AbiParam> outputs;

    /// "name(type1,type2)", which selectors and topics hash.
    std::string canonical() const;
    std::vector<AbiType> input_types() const;
    std::vector<AbiType> output_types() const;
    /// First 4 bytes of keccak256(canonical()).
    std::array<uint8_t, 4> selector() const;
    /// keccak256(canonical()): an event's topic 0.
    Hash32 topic() const;
};

Expected<AbiType, AbiError> parse_abi_type(std::string_view text);
/// Accepts "f(uint256,(address,bytes)[])", named and `indexed` parameters, and an output list
/// "f(uint256)(bool)". A bare "(uint256,bool)" has an empty name.
Expected<AbiSignature, AbiError> parse_abi_signature(std::string_view text);

}  // namespace cvex::chain
