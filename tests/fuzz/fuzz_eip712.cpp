// Fuzz target `eip712`: EIP-712 typed data in the eth_signTypedData_v4 JSON shape
// (chain/encoding/eip712.hpp): the JSON text, then parse_typed_data, encodeType of every type,
// and the domain separator, message hash and signing hash. Nothing here may throw or crash;
// what hashes must hash the same twice.
#include <nlohmann/json.hpp>

#include "chain/encoding/eip712.hpp"
#include "fuzz_check.hpp"

using namespace cvex;
using namespace cvex::chain;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto j = nlohmann::json::parse(cvex::fuzz::text(data, size), nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) return 0;
    auto td = parse_typed_data(j);
    if (!td) {
        CVEX_FUZZ_CHECK(!td.error().message().empty(), "an EIP-712 error has a message");
        return 0;
    }
    for (const auto& [name, fields] : td->types) {
        auto enc = eip712_encode_type(td->types, name);
        CVEX_FUZZ_CHECK(enc.has_value() && enc->rfind(name + "(", 0) == 0, "encodeType starts with the type itself");
    }
    (void)eip712_domain_separator(*td);
    auto hash = eip712_signing_hash(*td);
    if (hash) {
        auto twice = eip712_signing_hash(*td);
        CVEX_FUZZ_CHECK(twice && *twice == *hash, "the signing hash is deterministic");
    }
    return 0;
}
