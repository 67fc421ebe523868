#include "attest/measure/firmware_image.hpp"

#include <algorithm>

#include "attest/measure/launch_digest.hpp"

namespace cvex::attest::measure {

Expected<FirmwareImage, MeasureError> FirmwareImage::parse(std::vector<uint8_t> data, uint64_t end_gpa, const std::string& subject) {
    using Kind = MeasureError::Kind;
    if (data.empty()) return Unexpected(MeasureError{Kind::kTruncated, subject, "empty file"});
    if (data.size() % kPageSize != 0)
        return Unexpected(MeasureError{Kind::kTruncated, subject,
                                             std::to_string(data.size()) + " bytes is not a whole number of 4096-byte pages"});
    if (data.size() > end_gpa)
        return Unexpected(MeasureError{Kind::kInvalidArgument, subject, "does not fit below guest address " + std::to_string(end_gpa)});
    FirmwareImage img;
    auto table = FooterTable::parse(data, subject);
    if (!table) return Unexpected(std::move(table).error());
    img.table_ = std::move(*table);
    auto sections = parse_sev_metadata(data, img.table_, subject);
    if (!sections) return Unexpected(std::move(sections).error());
    img.sections_ = std::move(*sections);
    img.gpa_ = end_gpa - data.size();
    img.data_ = std::move(data);
    return img;
}

bool FirmwareImage::has_section(SectionType t) const {
    return std::any_of(sections_.begin(), sections_.end(), [t](const MetadataSection& s) { return s.type == t; });
}

std::optional<uint32_t> FirmwareImage::sev_hashes_table_gpa() const {
    const auto gpa = table_.u32(kSevHashTableGuid);
    if (!gpa || *gpa == 0) return std::nullopt;
    return gpa;
}

std::optional<uint64_t> FirmwareImage::svsm_entry() const {
    const auto offset = table_.u32(kSvsmInfoGuid);
    if (!offset) return std::nullopt;
    return gpa_ + *offset;
}

}  // namespace cvex::attest::measure
