// OVMF's GUIDed footer table: a list of (data, u16 length, GUID) entries read backwards from just
// below the last 32 bytes of the firmware, terminated at its top by the table's own GUID and total
// length. QEMU and the reference read it to find the SEV-ES reset vector, the SEV metadata and
// the SEV hashes table. Layout: OvmfPkg/ResetVector/Ia16/ResetVectorVtf0.asm (tianocore/edk2),
// QEMU hw/i386/pc_sysfw_ovmf.c (pc_system_parse_ovmf_flash).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "attest/measure/guid.hpp"
#include "attest/measure/measure_error.hpp"
#include "base/expected.hpp"

namespace cvex::attest::measure {

/// GUIDs of the entries cvex reads (ResetVectorVtf0.asm; the SVSM one from Coconut SVSM).
inline constexpr Guid kFooterTableGuid = guid("96b582de-1fb2-45f7-baea-a366c55a082d");       // OVMF_TABLE_FOOTER_GUID
inline constexpr Guid kSevEsResetBlockGuid = guid("00f771de-1a7e-4fcb-890e-68c77e2fb44e");   // SEV_ES_RESET_BLOCK_GUID
inline constexpr Guid kSevHashTableGuid = guid("7255371f-3a3b-4b04-927b-1da6efa8d454");      // SEV_HASH_TABLE_RV_GUID
inline constexpr Guid kSevMetadataGuid = guid("dc886566-984a-4798-a75e-5585a7bf67cc");       // OVMF_SEV_METADATA_GUID
inline constexpr Guid kSvsmInfoGuid = guid("a789a612-0597-4c4b-a49f-cbb1fe9d1ddd");          // SVSM_INFO_GUID

struct FooterEntry {
    Guid guid;
    std::vector<uint8_t> data;
};

class FooterTable {
public:
    /// Parses the table of `image`. No footer GUID at its place is kNoFooterTable; lengths that
    /// leave the image are kTruncated; an entry shorter than its header or a GUID twice is
    /// kMalformedFirmware (QEMU and the reference would each pick a different copy).
    static Expected<FooterTable, MeasureError> parse(std::span<const uint8_t> image, const std::string& subject);

    const std::vector<uint8_t>* find(const Guid& g) const;
    /// The entry's first four bytes, little-endian (every entry cvex reads starts with a u32);
    /// nullopt if the entry is absent or shorter.
    std::optional<uint32_t> u32(const Guid& g) const;

private:
    std::vector<FooterEntry> entries_;
};

}  // namespace cvex::attest::measure
