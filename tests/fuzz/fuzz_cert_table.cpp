// Fuzz target `cert_table`: the GHCB certificate table a host attaches to an extended report
// (attest/report/cert_table.hpp; configfs-tsm `auxblob`) — entirely host-chosen bytes. An accepted
// table serialises to a canonical layout that parses back to the same entries, whose bytes are
// stable from then on.
#include "attest/report/cert_table.hpp"
#include "fuzz_check.hpp"

using namespace cvex;
using namespace cvex::attest;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto table = parse_cert_table(cvex::fuzz::bytes(data, size));
    if (!table) {
        CVEX_FUZZ_CHECK(!table.error().message().empty(), "a table error has a message");
        return 0;
    }
    for (const auto& guid : {kGuidArk, kGuidAsk, kGuidVcek, kGuidVlek, kGuidCrl}) (void)find_cert(*table, guid);
    for (const auto& e : *table) {
        const std::string text = guid_to_string(e.guid);
        auto parsed = parse_guid(text);
        CVEX_FUZZ_CHECK(parsed && *parsed == e.guid, "a GUID's text parses back to it");
    }
    const Bytes blob = serialize_cert_table(*table);
    auto again = parse_cert_table(blob);
    CVEX_FUZZ_CHECK(again.has_value() && again->size() == table->size(), "the serialisation parses");
    for (size_t i = 0; i < table->size(); ++i)
        CVEX_FUZZ_CHECK((*again)[i].guid == (*table)[i].guid && (*again)[i].data == (*table)[i].data,
                        "the serialisation parses to the same entries in the same order");
    CVEX_FUZZ_CHECK(serialize_cert_table(*again) == blob, "the canonical serialisation is a fixed point");
    return 0;
}
