#include "attest/measure/sev_metadata.hpp"

#include <algorithm>

#include "attest/measure/launch_digest.hpp"

namespace cvex::attest::measure {
namespace {

using Kind = MeasureError::Kind;

constexpr size_t kHeader = 16;
constexpr size_t kItem = 12;

uint32_t le32(const uint8_t* p) { return static_cast<uint32_t>(p[0] | p[1] << 8 | p[2] << 16 | static_cast<uint32_t>(p[3]) << 24); }

bool known_type(uint32_t t) { return (t >= 0x1 && t <= 0x4) || t == 0x10; }

Unexpected<MeasureError> fail(Kind k, const std::string& subject, std::string detail) {
    return Unexpected(MeasureError{k, subject, "SEV metadata: " + std::move(detail)});
}

}  // namespace

Expected<std::vector<MetadataSection>, MeasureError> parse_sev_metadata(std::span<const uint8_t> image, const FooterTable& table,
                                                                              const std::string& subject) {
    std::vector<MetadataSection> out;
    if (table.find(kSevMetadataGuid) == nullptr) return out;
    const auto offset = table.u32(kSevMetadataGuid);
    if (!offset) return fail(Kind::kMalformedFirmware, subject, "its footer entry is shorter than 4 bytes");
    if (*offset > image.size())
        return fail(Kind::kTruncated, subject, "offset " + std::to_string(*offset) + " from the end leaves the image");
    // The header is read at `offset` bytes from the end: all of it must lie before the end.
    if (*offset < kHeader)
        return fail(Kind::kMalformedFirmware, subject, "offset " + std::to_string(*offset) + " from the end leaves no room for its 16-byte header");
    const uint8_t* h = &image[image.size() - *offset];
    if (!std::equal(h, h + 4, "ASEV")) return fail(Kind::kMalformedFirmware, subject, "no 'ASEV' signature");
    const uint32_t length = le32(h + 4), version = le32(h + 8), count = le32(h + 12);
    if (version != 1) return fail(Kind::kMalformedFirmware, subject, "version " + std::to_string(version) + " (only 1 is defined)");
    if (length > *offset) return fail(Kind::kTruncated, subject, "length " + std::to_string(length) + " runs past the end of the image");
    if (length < kHeader || (length - kHeader) / kItem < count)
        return fail(Kind::kMalformedFirmware, subject, std::to_string(count) + " sections do not fit in its length " + std::to_string(length));
    for (uint32_t i = 0; i < count; ++i) {
        const uint8_t* item = h + kHeader + i * kItem;
        const uint32_t gpa = le32(item), size = le32(item + 4), type = le32(item + 8);
        const std::string which = "section " + std::to_string(i);
        if (!known_type(type)) return fail(Kind::kMalformedFirmware, subject, which + " has unknown type " + std::to_string(type));
        if (gpa % kPageSize != 0 || size % kPageSize != 0 || size == 0 || uint64_t{gpa} + size > (1ull << 32))
            return fail(Kind::kMalformedFirmware, subject, which + " is not a non-empty page-aligned range below 4 GiB");
        out.push_back({gpa, size, static_cast<SectionType>(type)});
    }
    return out;
}

}  // namespace cvex::attest::measure
