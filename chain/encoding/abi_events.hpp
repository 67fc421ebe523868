// Logs and reverts: decoding an event's topics and data, and a revert's data into a reason
// a person can read — Error(string), Panic(uint256) with the compiler's meaning of the code, or
// a custom error from a list of known signatures.
#pragma once

#include <string>
#include <vector>

#include "chain/encoding/abi_type.hpp"
#include "chain/encoding/abi_value.hpp"

namespace cvex::chain {

/// One decoded event parameter. An indexed parameter of a dynamic type (string, bytes, arrays,
/// tuples) is only its keccak256 in the topic: `hashed` is then set and `value` holds 32 bytes.
struct DecodedParam {
    std::string name;
    AbiType type;
    AbiValue value;
    bool indexed = false;
    bool hashed = false;
};

/// Decodes a log of `event`: topic 0 must be the event's topic (not anonymous events), indexed
/// parameters come from topics 1.., the others from `data`.
Expected<std::vector<DecodedParam>, AbiError> decode_log(const AbiSignature& event, const std::vector<Hash32>& topics, ByteView data);

struct RevertReason {
    enum Kind { kEmpty, kError, kPanic, kCustom, kUnknown } kind = kEmpty;
    std::string name;            // "Error", "Panic", the custom error's name
    std::vector<AbiValue> args;  // decoded arguments
    std::string text;            // e.g. `Error("probe: reason")`, `Panic(0x12: division or modulo by zero)`, `TooLarge(101, 100)`
    Bytes raw;
};

/// The compiler's meaning of a Panic code (Solidity docs, "Panic via assert and Error via require").
std::string panic_meaning(uint64_t code);

RevertReason decode_revert(ByteView data, const std::vector<AbiSignature>& custom_errors = {});

}  // namespace cvex::chain
