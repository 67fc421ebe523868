// ABI encoding and strict decoding (Solidity ABI spec, "Formal Specification of the Encoding").
// Decoding never trusts the input: offsets and lengths are bounds-checked, padding and integer
// ranges are checked as Solidity's ABI coder v2 does, and every error names the value's path.
#pragma once

#include <vector>

#include "chain/encoding/abi_type.hpp"
#include "chain/encoding/abi_value.hpp"

namespace cvex::chain {

/// Checks that `value` has the shape and range of `type` (error names `path`).
Expected<void, AbiError> abi_check(const AbiType& type, const AbiValue& value, const std::string& path = "value");

/// abi.encode(values...) for the given types.
Expected<Bytes, AbiError> abi_encode(const std::vector<AbiType>& types, const std::vector<AbiValue>& values);
/// selector || abi.encode(args): what a call sends.
Expected<Bytes, AbiError> abi_encode_call(const AbiSignature& sig, const std::vector<AbiValue>& args);

/// abi.decode(data, (types...)). Trailing bytes after the last value are allowed (as Solidity).
Expected<std::vector<AbiValue>, AbiError> abi_decode(const std::vector<AbiType>& types, ByteView data);

}  // namespace cvex::chain
