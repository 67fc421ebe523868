// Amounts as people write them: decimal, 0x-hex, or a decimal with a unit (wei, gwei, ether),
// e.g. "1.5ether" = 1500000000000000000.
#pragma once

#include <string>
#include <string_view>

#include "base/expected.hpp"
#include "chain/types/u256.hpp"

namespace cvex::chain {

/// Why text is not an amount: it quotes the text ("'1.5wei' has more decimals than wei allows").
struct AmountError {
    std::string detail;
    std::string message() const { return detail; }
};

Expected<U256, AmountError> parse_amount(std::string_view text);

}  // namespace cvex::chain
