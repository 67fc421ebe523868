// Fuzz target `abi_text`: ABI type and signature parsing (chain/encoding/abi_type.hpp) and values
// in cast's syntax (abi_text.hpp) — what `cvex abi-encode`, `calldata` and `decode-abi` take from
// their command line. Input: a type or signature text, then optionally a newline and a value text
// (parsed against that type) which is also decoded as ABI data against the signature, as
// `cvex decode-abi <sig> <data>` does. Round trips: a parsed type's canonical text parses to the
// same type; a parsed value encodes, and decodes back to itself.
#include <string>
#include <vector>

#include "chain/encoding/abi_codec.hpp"
#include "chain/encoding/abi_text.hpp"
#include "chain/encoding/abi_type.hpp"
#include "fuzz_check.hpp"

using namespace cvex;
using namespace cvex::chain;

namespace {

void check_type(std::string_view text, std::string_view value_text) {
    auto t = parse_abi_type(text);
    if (!t) {
        CVEX_FUZZ_CHECK(!t.error().message().empty(), "a type error has a message");
        return;
    }
    const std::string canonical = t->canonical();
    auto again = parse_abi_type(canonical);
    CVEX_FUZZ_CHECK(again.has_value() && *again == *t, "the canonical text parses to the same type");
    (void)t->is_dynamic();
    (void)t->head_size();
    if (value_text.empty()) return;
    auto v = parse_abi_value(*t, value_text);
    if (!v) return;
    CVEX_FUZZ_CHECK(abi_check(*t, *v).has_value(), "a parsed value has its type's shape and range");
    auto encoded = abi_encode({*t}, {*v});
    CVEX_FUZZ_CHECK(encoded.has_value(), "a parsed value encodes");
    auto decoded = abi_decode({*t}, *encoded);
    CVEX_FUZZ_CHECK(decoded.has_value() && decoded->size() == 1 && (*decoded)[0] == *v, "the encoding decodes to the value");
    (void)format_abi_value(*t, *v);
}

void check_signature(std::string_view text, std::string_view data_text) {
    auto sig = parse_abi_signature(text);
    if (!sig) return;
    const std::string canonical = sig->canonical();
    auto again = parse_abi_signature(canonical);
    CVEX_FUZZ_CHECK(again.has_value() && again->canonical() == canonical && again->input_types() == sig->input_types(),
                    "the canonical signature parses to the same inputs");
    (void)sig->selector();
    // `cvex decode-abi`: the data as raw bytes against the outputs (or the inputs).
    const auto types = sig->outputs.empty() ? sig->input_types() : sig->output_types();
    auto values = abi_decode(types, cvex::fuzz::bytes(reinterpret_cast<const uint8_t*>(data_text.data()), data_text.size()));
    if (values)
        for (size_t i = 0; i < types.size(); ++i) (void)format_abi_value(types[i], (*values)[i]);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto [head, tail] = cvex::fuzz::split_at(cvex::fuzz::text(data, size), '\n');
    check_type(head, tail);
    check_signature(head, tail);
    return 0;
}
