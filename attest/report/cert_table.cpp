#include "attest/report/cert_table.hpp"

#include <algorithm>
#include <cstring>

namespace cvex::attest {

namespace {
constexpr size_t kEntrySize = 24;  // GUID 16 + offset 4 + length 4

uint32_t load_u32(const uint8_t* p) {
    return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}

void store_u32(uint8_t* p, uint32_t v) {
    for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}

Guid must_parse(const char* text) { return *parse_guid(text); }
}  // namespace

const Guid kGuidArk = must_parse("c0b406a4-a803-4952-9743-3fb6014cd0ae");
const Guid kGuidAsk = must_parse("4ab7b379-bbac-4fe4-a02f-05aef327c782");
const Guid kGuidVcek = must_parse("63da758d-e664-4564-adc5-f4b93be8accd");
const Guid kGuidVlek = must_parse("a8074bc2-a25a-483e-aae6-39c045a0b8a1");
const Guid kGuidCrl = must_parse("92f81bc3-5811-4d3d-97ff-d19f88dc67ea");

std::optional<Guid> parse_guid(std::string_view text) {
    // 8-4-4-4-12 hex digits.
    if (text.size() != 36 || text[8] != '-' || text[13] != '-' || text[18] != '-' || text[23] != '-') return std::nullopt;
    std::string hex;
    for (char c : text)
        if (c != '-') hex.push_back(c);
    Guid g;
    if (!cvex::from_hex_fixed(hex, g)) return std::nullopt;
    return g;
}

std::string guid_to_string(const Guid& g) {
    const std::string h = cvex::to_hex(g, false);
    return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20);
}

std::string CertTableError::message() const {
    const std::string at = " (entry at byte " + std::to_string(offset) + ")";
    switch (code) {
        case kTruncated: return "certificate table is truncated" + at;
        case kNoTerminator: return "certificate table has no all-zero terminating entry" + at;
        case kEntryOutOfRange: return "certificate table entry points outside the table" + at;
        case kOverlapsHeader: return "certificate table entry overlaps the table header" + at;
        case kDuplicateGuid: return "certificate table has the same GUID twice" + at;
    }
    return "bad certificate table";
}

cvex::Expected<CertTable, CertTableError> parse_cert_table(cvex::ByteView blob) {
    CertTable table;
    if (std::all_of(blob.begin(), blob.end(), [](uint8_t b) { return b == 0; })) return table;
    // First the structure: entries up to an all-zero terminator, then what each entry points at.
    size_t count = 0;
    for (;; ++count) {
        const size_t pos = count * kEntrySize;
        if (pos + kEntrySize > blob.size()) return cvex::Unexpected{CertTableError{CertTableError::kNoTerminator, pos}};
        const uint8_t* e = blob.data() + pos;
        if (std::all_of(e, e + kEntrySize, [](uint8_t b) { return b == 0; })) break;
    }
    const size_t header_end = (count + 1) * kEntrySize;
    for (size_t i = 0; i < count; ++i) {
        const size_t pos = i * kEntrySize;
        const uint8_t* e = blob.data() + pos;
        CertTableEntry entry;
        std::memcpy(entry.guid.data(), e, 16);
        const uint64_t off = load_u32(e + 16), len = load_u32(e + 20);
        if (off + len > blob.size()) return cvex::Unexpected{CertTableError{CertTableError::kEntryOutOfRange, pos}};
        if (len != 0 && off < header_end) return cvex::Unexpected{CertTableError{CertTableError::kOverlapsHeader, pos}};
        if (find_cert(table, entry.guid)) return cvex::Unexpected{CertTableError{CertTableError::kDuplicateGuid, pos}};
        entry.data.assign(blob.begin() + static_cast<long>(off), blob.begin() + static_cast<long>(off + len));
        table.push_back(std::move(entry));
    }
    return table;
}

cvex::Bytes serialize_cert_table(const CertTable& table) {
    const size_t header = (table.size() + 1) * kEntrySize;
    cvex::Bytes out(header, 0);
    for (size_t i = 0; i < table.size(); ++i) {
        uint8_t* e = out.data() + i * kEntrySize;
        std::memcpy(e, table[i].guid.data(), 16);
        store_u32(e + 16, static_cast<uint32_t>(out.size()));
        store_u32(e + 20, static_cast<uint32_t>(table[i].data.size()));
        out.insert(out.end(), table[i].data.begin(), table[i].data.end());
    }
    return out;
}

const CertTableEntry* find_cert(const CertTable& table, const Guid& guid) {
    for (const auto& e : table)
        if (e.guid == guid) return &e;
    return nullptr;
}

}  // namespace cvex::attest
