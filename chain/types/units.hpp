// Amounts as people write them: decimal, 0x-hex, or a decimal with a unit (wei, gwei, ether),
// e.g. "1.5ether" = 1500000000000000000.
#pragma once

#include <string>
#include <string_view>

#include "base/expected.hpp"
#include "chain/types/u256.hpp"

namespace cvex::chain {

Expected<U256, std::string> parse_amount(std::string_view text);

}  // namespace cvex::chain
