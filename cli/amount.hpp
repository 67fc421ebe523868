// Parsing amounts and integers from the command line: decimal, 0x-hex, or a decimal with a
// unit (wei, gwei, ether), as cast accepts them.
#pragma once

#include <string>

#include "chain/types/u256.hpp"

namespace cvex::cli {

/// Throws UsageError naming `what` when `text` is not a valid amount.
chain::U256 parse_amount(const std::string& text, const std::string& what);
uint64_t parse_u64(const std::string& text, const std::string& what);

}  // namespace cvex::cli
