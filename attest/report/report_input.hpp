// The forms in which a validator receives an SEV-SNP report, turned into the 1184 report bytes
// (and whatever evidence travels with them):
//   encodings  raw bytes, hex (xxd -p, with or without 0x and line breaks) or base64
//              (RFC 4648 §4, line breaks allowed); detected unless given (--inform);
//   containers the bare report; the extended report as /dev/sev-guest's SNP_GET_EXT_REPORT and
//              configfs-tsm return it (`outblob` followed by `auxblob`: the report, then the
//              host's certificate table of GHCB spec §4.1.8.1, so the VCEK arrives with the
//              evidence); the firmware's MSG_REPORT_RSP (SNP ABI Table "MSG_REPORT_RSP": STATUS,
//              REPORT_SIZE, 24 reserved bytes, the report at 0x20); and Azure's HCL report
//              (the vTPM NV index 0x01400001: a 32-byte header starting "HCLA", the SNP report
//              at 0x20, then IGVM request data whose variable data REPORT_DATA binds).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "attest/report/cert_table.hpp"
#include "base/bytes.hpp"
#include "base/expected.hpp"

namespace cvex::attest {

/// The largest report input read: an extended report's certificate table is at most 64 KiB,
/// and hex doubles it. Anything larger is refused from its size, before it is read.
constexpr size_t kMaxReportInput = 192 * 1024;

enum class ReportEncoding { kRaw, kHex, kBase64 };
std::string_view to_string(ReportEncoding e);
std::optional<ReportEncoding> parse_report_encoding(std::string_view text);

enum class ReportContainer { kReport, kExtendedReport, kFirmwareResponse, kAzureHcl };
std::string_view to_string(ReportContainer c);

struct ReportInput {
    cvex::Bytes report;  // exactly 1184 bytes
    ReportEncoding encoding = ReportEncoding::kRaw;
    bool encoding_detected = true;  // false: given by the caller
    ReportContainer container = ReportContainer::kReport;
    CertTable certificates;          // kExtendedReport: the host's table
    cvex::Bytes hcl_variable_data;  // kAzureHcl: the runtime claims (JSON) REPORT_DATA binds
    uint32_t hcl_hash_type = 0;      // kAzureHcl: 1 SHA-256, 2 SHA-384, 3 SHA-512
};

struct ReportInputError {
    std::string detail;
    std::string message() const { return detail; }
};

/// Decodes `data` (at most kMaxReportInput bytes). `inform`: the caller's encoding, else detected.
cvex::Expected<ReportInput, ReportInputError> decode_report_input(cvex::ByteView data, std::optional<ReportEncoding> inform);

/// For kAzureHcl: the digest of the variable data REPORT_DATA must start with (empty for an
/// unknown hash type).
cvex::Bytes hcl_binding_digest(const ReportInput& input);

}  // namespace cvex::attest
