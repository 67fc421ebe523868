// Fuzz target `abi`: strict ABI decoding (chain/encoding/abi_codec.hpp) against the fixed
// signatures of abi_signatures.hpp. Input: byte 0 picks the signature (mod their count) and, with
// its top bit, the signature's outputs instead of its inputs; the rest is the data to decode.
// Round trip: what decodes re-encodes, the re-encoding decodes to the same values, and encoding
// those again gives the same bytes (the decoder may accept non-canonical offsets, so the input
// itself need not come back). Every decoded value must also print (cvex decode-abi).
#include <vector>

#include "abi_signatures.hpp"
#include "chain/encoding/abi_codec.hpp"
#include "chain/encoding/abi_text.hpp"
#include "fuzz_check.hpp"

using namespace cvex;
using namespace cvex::chain;

namespace {

const std::vector<AbiSignature>& signatures() {
    static const std::vector<AbiSignature> sigs = [] {
        std::vector<AbiSignature> out;
        for (const auto text : cvex::fuzz::kAbiSignatures) {
            auto sig = parse_abi_signature(text);
            CVEX_FUZZ_CHECK(sig.has_value(), "every signature of the table parses");
            out.push_back(std::move(*sig));
        }
        return out;
    }();
    return sigs;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const AbiSignature& sig = signatures()[data[0] % signatures().size()];
    const bool outputs = (data[0] & 0x80) != 0 && !sig.outputs.empty();
    const std::vector<AbiType> types = outputs ? sig.output_types() : sig.input_types();
    const ByteView body = cvex::fuzz::bytes(data + 1, size - 1);

    auto values = abi_decode(types, body);
    if (!values) {
        CVEX_FUZZ_CHECK(!values.error().message().empty(), "an ABI error has a message");
        return 0;
    }
    CVEX_FUZZ_CHECK(values->size() == types.size(), "one value per type");
    auto encoded = abi_encode(types, *values);
    CVEX_FUZZ_CHECK(encoded.has_value(), "decoded values pass abi_check and re-encode");
    auto back = abi_decode(types, *encoded);
    CVEX_FUZZ_CHECK(back.has_value() && *back == *values, "the re-encoding decodes to the same values");
    auto again = abi_encode(types, *back);
    CVEX_FUZZ_CHECK(again.has_value() && *again == *encoded, "the canonical encoding is a fixed point");
    for (size_t i = 0; i < types.size(); ++i) (void)format_abi_value(types[i], (*values)[i]);
    return 0;
}
