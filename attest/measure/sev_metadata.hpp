// OVMF's SEV metadata: the memory ranges the hypervisor must add to an SNP guest before launch,
// each with how it is measured. Pointed to by the footer entry kSevMetadataGuid (a u32 offset
// from the end of the image); "ASEV", u32 length, u32 version (1), u32 count, then count × {u32
// base, u32 size, u32 type}. OvmfPkg/ResetVector/X64/OvmfSevMetadata.asm and
// OvmfPkg/Include/WorkArea.h (tianocore/edk2); Coconut SVSM uses the same format.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "attest/measure/footer_table.hpp"
#include "attest/measure/measure_error.hpp"
#include "base/expected.hpp"

namespace cvex::attest::measure {

/// OVMF_SECTION_TYPE_* of OvmfSevMetadata.asm.
enum class SectionType : uint32_t {
    kSnpSecMem = 0x1,        // pre-validated memory, zero pages
    kSnpSecrets = 0x2,       // the secrets page
    kCpuid = 0x3,            // the CPUID page
    kSvsmCaa = 0x4,          // the SVSM calling area, zero pages
    kSnpKernelHashes = 0x10, // the page holding the SEV hashes table (measured direct boot)
};

struct MetadataSection {
    uint32_t gpa;
    uint32_t size;
    SectionType type;
};

/// The sections, in file order (their measuring order), or none when the image has no metadata
/// entry. Sections must be page-aligned, non-empty, of a known type and below 4 GiB.
Expected<std::vector<MetadataSection>, MeasureError> parse_sev_metadata(std::span<const uint8_t> image, const FooterTable& table,
                                                                              const std::string& subject);

}  // namespace cvex::attest::measure
