// Fuzz target `rlp`: RLP decoding (chain/encoding/rlp.hpp) of arbitrary bytes. The decoder
// accepts only the canonical form, so every accepted input must re-encode to exactly its bytes.
#include <algorithm>

#include "chain/encoding/rlp.hpp"
#include "fuzz_check.hpp"

using namespace cvex;
using namespace cvex::chain;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const ByteView in = cvex::fuzz::bytes(data, size);
    auto item = rlp::decode(in);
    if (!item) {
        CVEX_FUZZ_CHECK(item.error().offset <= size, "an RLP error points inside the input");
        CVEX_FUZZ_CHECK(!item.error().message().empty(), "an RLP error has a message");
        return 0;
    }
    const Bytes again = rlp::encode(*item);
    CVEX_FUZZ_CHECK(again.size() == size && std::equal(again.begin(), again.end(), in.begin()),
                    "decode then encode gives the same bytes");

    // The typed cursor over the same bytes: a top-level string as an integer must agree with
    // the canonical-integer rules (no leading zero, at most 32 bytes).
    rlp::Decoder d(in);
    if (!item->is_list) {
        auto v = d.uint256();
        const bool canonical_int = item->bytes.size() <= 32 && (item->bytes.empty() || item->bytes[0] != 0);
        CVEX_FUZZ_CHECK(v.has_value() == canonical_int, "uint256() accepts exactly the canonical integers");
        if (v) {
            Bytes enc;
            rlp::encode_uint(enc, *v);
            CVEX_FUZZ_CHECK(enc == again, "an integer re-encodes to its bytes");
        }
    }
    return 0;
}
