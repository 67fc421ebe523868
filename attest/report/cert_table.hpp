// The SEV-SNP certificate table a host attaches to an extended report (GHCB spec v2, §4.1.8.1
// "SNP Extended Guest Request"; Linux returns it as configfs-tsm `auxblob` or through
// SNP_GET_EXT_REPORT): entries of {GUID (16 bytes), offset (u32 LE), length (u32 LE)} ending
// with an all-zero entry, offsets relative to the start of the table.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.hpp"
#include "base/expected.hpp"

namespace cvex::attest {

/// A GUID in the byte order `uuid_parse` gives (the order written in text), which is what
/// AMD's and the hypervisors' tooling put on the wire.
using Guid = std::array<uint8_t, 16>;

std::optional<Guid> parse_guid(std::string_view text);
std::string guid_to_string(const Guid& g);

// The table keys defined by the GHCB specification.
extern const Guid kGuidArk;   // c0b406a4-a803-4952-9743-3fb6014cd0ae
extern const Guid kGuidAsk;   // 4ab7b379-bbac-4fe4-a02f-05aef327c782
extern const Guid kGuidVcek;  // 63da758d-e664-4564-adc5-f4b93be8accd
extern const Guid kGuidVlek;  // a8074bc2-a25a-483e-aae6-39c045a0b8a1
extern const Guid kGuidCrl;   // 92f81bc3-5811-4d3d-97ff-d19f88dc67ea

struct CertTableEntry {
    Guid guid{};
    cvex::Bytes data;  // DER (a PEM entry is kept as given; the verifier accepts both)
};

struct CertTableError {
    enum Code { kTruncated, kNoTerminator, kEntryOutOfRange, kOverlapsHeader, kDuplicateGuid } code;
    size_t offset = 0;  // byte offset of the offending entry in the table
    std::string message() const;
};

using CertTable = std::vector<CertTableEntry>;

/// Parses a table. An empty or all-zero blob is an empty table (no certificates supplied).
cvex::Expected<CertTable, CertTableError> parse_cert_table(cvex::ByteView blob);
/// Serialises entries, data packed after the header and terminator.
cvex::Bytes serialize_cert_table(const CertTable& table);
/// The entry for `guid`, if present.
const CertTableEntry* find_cert(const CertTable& table, const Guid& guid);

}  // namespace cvex::attest
