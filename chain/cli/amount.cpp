#include "chain/cli/amount.hpp"

#include "chain/cli/command.hpp"

namespace cvex::cli {

chain::U256 parse_amount(const std::string& text, const std::string& what) {
    struct Unit {
        const char* suffix;
        unsigned decimals;
    };
    // Longest suffix first, so "gwei" is not read as "wei".
    for (const Unit u : {Unit{"ether", 18}, Unit{"gwei", 9}, Unit{"wei", 0}}) {
        const std::string suffix = u.suffix;
        if (text.size() > suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0) {
            std::string number = text.substr(0, text.size() - suffix.size());
            while (!number.empty() && number.back() == ' ') number.pop_back();
            std::string digits = number;
            unsigned frac = 0;
            if (const auto dot = number.find('.'); dot != std::string::npos) {
                frac = static_cast<unsigned>(number.size() - dot - 1);
                digits = number.substr(0, dot) + number.substr(dot + 1);
            }
            if (frac > u.decimals) throw UsageError(what + ": '" + text + "' has more decimals than the unit allows");
            digits += std::string(u.decimals - frac, '0');
            auto v = chain::U256::parse_dec(digits);
            if (!v) throw UsageError(what + ": '" + text + "': " + chain::to_string(v.error()));
            return *v;
        }
    }
    auto v = chain::U256::parse(text);
    if (!v) throw UsageError(what + ": '" + text + "': " + chain::to_string(v.error()));
    return *v;
}

uint64_t parse_u64(const std::string& text, const std::string& what) {
    const chain::U256 v = parse_amount(text, what);
    if (!v.fits_u64()) throw UsageError(what + ": '" + text + "' does not fit in 64 bits");
    return v.low_u64();
}

}  // namespace cvex::cli
