#include "cli/amount.hpp"

#include "cli/command.hpp"
#include "chain/types/units.hpp"

namespace cvex::cli {

chain::U256 parse_amount(const std::string& text, const std::string& what) {
    auto v = chain::parse_amount(text);
    if (!v) throw UsageError(what + ": " + v.error().message());
    return *v;
}

uint64_t parse_u64(const std::string& text, const std::string& what) {
    const chain::U256 v = parse_amount(text, what);
    if (!v.fits_u64()) throw UsageError(what + ": '" + text + "' does not fit in 64 bits");
    return v.low_u64();
}

}  // namespace cvex::cli
