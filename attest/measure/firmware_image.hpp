// A firmware image as the hypervisor maps it for an SNP launch: its bytes, the guest-physical
// address it is placed at (an OVMF ends at 4 GiB; a Coconut SVSM ends below OVMF and its
// variable store), its footer table and its SEV metadata.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "attest/measure/footer_table.hpp"
#include "attest/measure/measure_error.hpp"
#include "attest/measure/sev_metadata.hpp"
#include "base/expected.hpp"

namespace cvex::attest::measure {

inline constexpr uint64_t kFourGiB = 1ull << 32;

class FirmwareImage {
public:
    /// `end_gpa`: where the image ends in guest memory. The image must be a whole, non-zero number
    /// of pages that fits below `end_gpa`, with a footer table and well-formed SEV metadata.
    static Expected<FirmwareImage, MeasureError> parse(std::vector<uint8_t> data, uint64_t end_gpa, const std::string& subject);

    std::span<const uint8_t> data() const { return data_; }
    uint64_t gpa() const { return gpa_; }
    const FooterTable& table() const { return table_; }
    const std::vector<MetadataSection>& sections() const { return sections_; }
    bool has_section(SectionType t) const;

    /// The application processors' reset EIP (footer kSevEsResetBlockGuid); nullopt without one.
    std::optional<uint32_t> sev_es_reset_eip() const { return table_.u32(kSevEsResetBlockGuid); }
    /// Where QEMU writes the SEV hashes table; nullopt if absent or zero (not supported).
    std::optional<uint32_t> sev_hashes_table_gpa() const;
    /// A Coconut SVSM's entry point: the kSvsmInfoGuid entry's offset plus the image's GPA.
    std::optional<uint64_t> svsm_entry() const;

private:
    std::vector<uint8_t> data_;
    uint64_t gpa_ = 0;
    FooterTable table_;
    std::vector<MetadataSection> sections_;
};

}  // namespace cvex::attest::measure
