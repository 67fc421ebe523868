// cvex keccak <0xhex|text>: as `cast keccak`: a 0x-prefixed argument is hex, anything else UTF-8 text.
#include <ostream>

#include "cli/command.hpp"
#include "chain/crypto/keccak.hpp"

namespace cvex::cli {
namespace {

int run_keccak(const Args& args, std::ostream& out) {
    if (args.size() != 1) throw UsageError("usage: cvex keccak <0xhex|text>");
    const std::string& in = args[0];
    cvex::Bytes data;
    if (in.rfind("0x", 0) == 0) {
        auto bytes = cvex::from_hex(in);
        if (!bytes) throw UsageError("keccak: '" + in + "' is not valid hex (odd length or non-hex digit)");
        data = std::move(*bytes);
    } else {
        data.assign(in.begin(), in.end());
    }
    out << chain::keccak256(data).hex() << "\n";
    return kOk;
}

const CommandRegistrar reg{{"keccak", "<0xhex|text>", "Keccak-256 of hex bytes or UTF-8 text (as cast keccak)", run_keccak}};

}  // namespace
}  // namespace cvex::cli
