#include "chain/types/units.hpp"

namespace cvex::chain {

Expected<U256, AmountError> parse_amount(std::string_view text) {
    struct Unit {
        std::string_view suffix;
        unsigned decimals;
    };
    // Longest suffix first, so "gwei" is not read as "wei".
    for (const Unit u : {Unit{"ether", 18}, Unit{"gwei", 9}, Unit{"wei", 0}}) {
        if (text.size() <= u.suffix.size() || text.substr(text.size() - u.suffix.size()) != u.suffix) continue;
        std::string_view number = text.substr(0, text.size() - u.suffix.size());
        while (!number.empty() && number.back() == ' ') number.remove_suffix(1);
        std::string digits(number);
        unsigned frac = 0;
        if (const auto dot = number.find('.'); dot != std::string_view::npos) {
            frac = static_cast<unsigned>(number.size() - dot - 1);
            digits = std::string(number.substr(0, dot)) + std::string(number.substr(dot + 1));
        }
        if (frac > u.decimals) return Unexpected{AmountError{"'" + std::string(text) + "' has more decimals than " + std::string(u.suffix) + " allows"}};
        digits.append(u.decimals - frac, '0');
        auto v = U256::parse_dec(digits);
        if (!v) return Unexpected{AmountError{"'" + std::string(text) + "': " + to_string(v.error())}};
        return *v;
    }
    auto v = U256::parse(text);
    if (!v) return Unexpected{AmountError{"'" + std::string(text) + "': " + to_string(v.error())}};
    return *v;
}

}  // namespace cvex::chain
