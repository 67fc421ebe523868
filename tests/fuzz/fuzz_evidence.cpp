// Fuzz target `evidence`: the published attestation evidence a validator fetches from a guest or
// an evidence URL (attest/registry/published_evidence.hpp) — network bytes, the host's to shape.
// Round trip: accepted evidence serialises to JSON that parses to the same evidence (its
// serialisation is a fixed point).
#include "attest/registry/published_evidence.hpp"
#include "fuzz_check.hpp"

using namespace cvex;
using namespace cvex::attest;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto e = parse_published_evidence(cvex::fuzz::text(data, size));
    if (!e) {
        CVEX_FUZZ_CHECK(!e.error().message().empty(), "an evidence error has a message");
        return 0;
    }
    const std::string json = to_json(*e);
    auto again = parse_published_evidence(json);
    CVEX_FUZZ_CHECK(again.has_value(), "serialised evidence parses");
    CVEX_FUZZ_CHECK(to_json(*again) == json, "the serialisation is a fixed point");
    return 0;
}
