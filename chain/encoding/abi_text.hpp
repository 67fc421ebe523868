// ABI values as text, in Foundry cast's syntax: arguments such as `1`, `-5`, `0xabc…`, `true`,
// `hello`, `[1,2]`, `(1,"a b")` are parsed against a type; decoded values print as
// `cast decode-abi` prints them (decimal integers with a `[1.234e5]` hint from 10000 up,
// checksummed addresses, quoted strings, `[a, b]` and `(a, b)`).
#pragma once

#include <string>
#include <string_view>

#include "chain/encoding/abi_type.hpp"
#include "chain/encoding/abi_value.hpp"

namespace cvex::chain {

Expected<AbiValue, AbiError> parse_abi_value(const AbiType& type, std::string_view text, const std::string& path = "value");
std::string format_abi_value(const AbiType& type, const AbiValue& value);

}  // namespace cvex::chain
