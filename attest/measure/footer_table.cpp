#include "attest/measure/footer_table.hpp"

#include <algorithm>

namespace cvex::attest::measure {
namespace {

using Kind = MeasureError::Kind;

constexpr size_t kTrailer = 32;            // the reset vector block after the table
constexpr size_t kEntryHeader = 2 + 16;    // u16 length + GUID, after each entry's data

uint16_t le16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | p[1] << 8); }

}  // namespace

Expected<FooterTable, MeasureError> FooterTable::parse(std::span<const uint8_t> image, const std::string& subject) {
    if (image.size() < kTrailer + kEntryHeader)
        return Unexpected(MeasureError{Kind::kTruncated, subject, "too small to hold a firmware footer table"});
    const size_t footer = image.size() - kTrailer - kEntryHeader;  // the footer's own length + GUID
    if (!std::equal(kFooterTableGuid.begin(), kFooterTableGuid.end(), image.begin() + static_cast<long>(footer) + 2))
        return Unexpected(MeasureError{Kind::kNoFooterTable, subject,
                                             "no OVMF footer table (GUID 96b582de-1fb2-45f7-baea-a366c55a082d 48 bytes "
                                             "before the end): not an SEV-capable OVMF or SVSM image"});
    const size_t total = le16(&image[footer]);
    if (total < kEntryHeader)
        return Unexpected(MeasureError{Kind::kMalformedFirmware, subject, "footer table length " + std::to_string(total) + " is too short"});
    const size_t table_size = total - kEntryHeader;
    if (table_size > footer)
        return Unexpected(MeasureError{Kind::kTruncated, subject,
                                             "footer table of " + std::to_string(total) + " bytes extends before the start of the image"});
    FooterTable t;
    std::span<const uint8_t> rest = image.subspan(footer - table_size, table_size);
    while (rest.size() >= kEntryHeader) {
        const uint8_t* header = &rest[rest.size() - kEntryHeader];
        const size_t len = le16(header);
        if (len < kEntryHeader || len > rest.size())
            return Unexpected(MeasureError{Kind::kMalformedFirmware, subject, "footer table entry of length " + std::to_string(len) +
                                                                                        " does not fit in the table"});
        FooterEntry e;
        std::copy(header + 2, header + kEntryHeader, e.guid.begin());
        if (t.find(e.guid) != nullptr)
            return Unexpected(MeasureError{Kind::kMalformedFirmware, subject, "footer table names the same GUID twice"});
        e.data.assign(rest.end() - static_cast<long>(len), rest.end() - static_cast<long>(kEntryHeader));
        t.entries_.push_back(std::move(e));
        rest = rest.first(rest.size() - len);
    }
    return t;
}

const std::vector<uint8_t>* FooterTable::find(const Guid& g) const {
    for (const auto& e : entries_)
        if (e.guid == g) return &e.data;
    return nullptr;
}

std::optional<uint32_t> FooterTable::u32(const Guid& g) const {
    const auto* d = find(g);
    if (d == nullptr || d->size() < 4) return std::nullopt;
    return static_cast<uint32_t>((*d)[0] | (*d)[1] << 8 | (*d)[2] << 16 | static_cast<uint32_t>((*d)[3]) << 24);
}

}  // namespace cvex::attest::measure
