// Fuzz target `ovmf`: the end of an OVMF firmware image as `cvex measure` reads it — the GUIDed
// footer table (attest/measure/footer_table.hpp) and the SEV metadata it points at
// (sev_metadata.hpp). The image is the operator's (the host's) file. Each entry found must lie in
// the image, and every GUID cvex reads must be answerable.
#include "attest/measure/footer_table.hpp"
#include "attest/measure/sev_metadata.hpp"
#include "fuzz_check.hpp"

using namespace cvex;
using namespace cvex::attest::measure;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::span<const uint8_t> image(data, size);
    auto table = FooterTable::parse(image, "ovmf");
    if (!table) {
        CVEX_FUZZ_CHECK(!table.error().message().empty(), "a footer error has a message");
        return 0;
    }
    for (const Guid& g : {kSevEsResetBlockGuid, kSevHashTableGuid, kSevMetadataGuid, kSvsmInfoGuid}) {
        if (const auto* entry = table->find(g)) CVEX_FUZZ_CHECK(entry->size() <= size, "an entry lies in the image");
        (void)table->u32(g);
    }
    (void)parse_sev_metadata(image, *table, "ovmf");
    return 0;
}
