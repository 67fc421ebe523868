#include "attest/report/report_input.hpp"

#include <cctype>

#include <openssl/evp.h>
#include <openssl/sha.h>

#include "attest/report/snp_report.hpp"

namespace cvex::attest {

using cvex::Bytes;
using cvex::ByteView;
using cvex::Expected;
using cvex::Unexpected;

namespace {

constexpr size_t kWrappedReportOffset = 0x20;  // MSG_REPORT_RSP and the HCL header are both 32 bytes
constexpr uint32_t kHclSignature = 0x414C4348;  // "HCLA" little-endian
constexpr uint32_t kHclSnpReportType = 2;       // IGVM_REQUEST_DATA.report_type: 2 SNP, 4 TDX
constexpr size_t kHclRequestDataOffset = kWrappedReportOffset + kSnpReportSize;  // 0x4C0
constexpr size_t kHclRequestHeaderSize = 20;  // data_size, version, report_type, hash_type, var size

uint32_t u32(ByteView b, size_t off) {
    return uint32_t(b[off]) | uint32_t(b[off + 1]) << 8 | uint32_t(b[off + 2]) << 16 | uint32_t(b[off + 3]) << 24;
}

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

std::string strip_spaces(ByteView data) {
    std::string s;
    for (uint8_t b : data)
        if (!is_space(static_cast<char>(b))) s.push_back(static_cast<char>(b));
    return s;
}

bool looks_hex(const std::string& s) {
    const size_t start = s.rfind("0x", 0) == 0 ? 2 : 0;
    if (s.size() == start || (s.size() - start) % 2) return false;
    for (size_t i = start; i < s.size(); ++i)
        if (!std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
    return true;
}

bool looks_base64(const std::string& s) {
    if (s.empty() || s.size() % 4) return false;
    for (size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        const bool pad = c == '=' && i + 2 >= s.size();
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '/' && !pad) return false;
    }
    return true;
}

std::optional<Bytes> base64_decode(const std::string& s) {
    if (!looks_base64(s)) return std::nullopt;
    Bytes out(s.size() / 4 * 3);
    const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(s.data()), static_cast<int>(s.size()));
    if (n < 0) return std::nullopt;
    size_t pad = 0;
    if (s.size() >= 1 && s.back() == '=') ++pad;
    if (s.size() >= 2 && s[s.size() - 2] == '=') ++pad;
    out.resize(static_cast<size_t>(n) - pad);
    return out;
}

Expected<Bytes, ReportInputError> decode(ByteView data, ReportEncoding e) {
    if (e == ReportEncoding::kRaw) return Bytes(data.begin(), data.end());
    const std::string s = strip_spaces(data);
    if (e == ReportEncoding::kHex) {
        auto b = looks_hex(s) ? cvex::from_hex(s.rfind("0x", 0) == 0 ? s : "0x" + s) : std::nullopt;
        if (!b) return Unexpected{ReportInputError{"not hex: an even number of hex digits is expected (line breaks and a 0x prefix allowed)"}};
        return *b;
    }
    auto b = base64_decode(s);
    if (!b) return Unexpected{ReportInputError{"not base64 (RFC 4648 §4, padded; line breaks allowed)"}};
    return *b;
}

bool all_zero(ByteView b) {
    for (uint8_t x : b)
        if (x) return false;
    return true;
}

Expected<ReportInput, ReportInputError> unwrap_hcl(const Bytes& b, ReportInput in) {
    if (b.size() < kHclRequestDataOffset + kHclRequestHeaderSize)
        return Unexpected{ReportInputError{"Azure HCL report of " + std::to_string(b.size()) + " bytes is truncated (the header, the report and the request data need " +
                                           std::to_string(kHclRequestDataOffset + kHclRequestHeaderSize) + ")"}};
    const ByteView v(b.data(), b.size());
    const uint32_t type = u32(v, kHclRequestDataOffset + 8);
    if (type != kHclSnpReportType)
        return Unexpected{ReportInputError{"Azure HCL report of type " + std::to_string(type) + ", not 2 (SEV-SNP)"}};
    in.hcl_hash_type = u32(v, kHclRequestDataOffset + 12);
    const uint64_t var_size = u32(v, kHclRequestDataOffset + 16);
    const size_t var_off = kHclRequestDataOffset + kHclRequestHeaderSize;
    if (var_off + var_size > b.size())
        return Unexpected{ReportInputError{"Azure HCL report: variable data of " + std::to_string(var_size) + " bytes at byte " +
                                           std::to_string(var_off) + " runs past the end (" + std::to_string(b.size()) + " bytes)"}};
    in.report.assign(b.begin() + kWrappedReportOffset, b.begin() + kWrappedReportOffset + kSnpReportSize);
    in.hcl_variable_data.assign(b.begin() + var_off, b.begin() + var_off + var_size);
    in.container = ReportContainer::kAzureHcl;
    return in;
}

Expected<ReportInput, ReportInputError> unwrap(const Bytes& b, ReportInput in) {
    const ByteView v(b.data(), b.size());
    if (b.size() == kSnpReportSize) {
        in.report = b;
        return in;
    }
    if (b.size() >= kWrappedReportOffset + kSnpReportSize && u32(v, 0) == kHclSignature) return unwrap_hcl(b, std::move(in));
    if (b.size() >= kWrappedReportOffset + kSnpReportSize && u32(v, 4) == kSnpReportSize && all_zero(v.subspan(8, 24))) {
        if (u32(v, 0) != 0)
            return Unexpected{ReportInputError{"a firmware response (MSG_REPORT_RSP) with STATUS " + std::to_string(u32(v, 0)) + ": no report"}};
        if (!all_zero(v.subspan(kWrappedReportOffset + kSnpReportSize)))
            return Unexpected{ReportInputError{"a firmware response (MSG_REPORT_RSP) with non-zero bytes after its report"}};
        in.report.assign(b.begin() + kWrappedReportOffset, b.begin() + kWrappedReportOffset + kSnpReportSize);
        in.container = ReportContainer::kFirmwareResponse;
        return in;
    }
    if (b.size() > kSnpReportSize) {
        auto table = parse_cert_table(v.subspan(kSnpReportSize));
        if (!table)
            return Unexpected{ReportInputError{std::to_string(b.size()) + " bytes: a report followed by a certificate table that does not parse: " +
                                               table.error().message()}};
        if (table->empty()) return Unexpected{ReportInputError{"a report followed by an empty certificate table (no VCEK)"}};
        in.report.assign(b.begin(), b.begin() + kSnpReportSize);
        in.certificates = std::move(*table);
        in.container = ReportContainer::kExtendedReport;
        return in;
    }
    return Unexpected{ReportInputError{std::to_string(b.size()) + " bytes; an SEV-SNP report is " + std::to_string(kSnpReportSize) +
                                       " bytes (or a report followed by its certificate table, a firmware response, an Azure HCL report)"}};
}

}  // namespace

std::string_view to_string(ReportEncoding e) {
    switch (e) {
        case ReportEncoding::kRaw: return "raw";
        case ReportEncoding::kHex: return "hex";
        case ReportEncoding::kBase64: return "base64";
    }
    return "?";
}

std::optional<ReportEncoding> parse_report_encoding(std::string_view t) {
    if (t == "raw") return ReportEncoding::kRaw;
    if (t == "hex") return ReportEncoding::kHex;
    if (t == "base64") return ReportEncoding::kBase64;
    return std::nullopt;
}

std::string_view to_string(ReportContainer c) {
    switch (c) {
        case ReportContainer::kReport: return "report";
        case ReportContainer::kExtendedReport: return "extended report (report + certificate table)";
        case ReportContainer::kFirmwareResponse: return "firmware response (MSG_REPORT_RSP)";
        case ReportContainer::kAzureHcl: return "Azure HCL report";
    }
    return "?";
}

Expected<ReportInput, ReportInputError> decode_report_input(ByteView data, std::optional<ReportEncoding> inform) {
    ReportInput in;
    in.encoding_detected = !inform;
    const std::string text = data.size() == kSnpReportSize ? std::string() : strip_spaces(data);
    if (inform) in.encoding = *inform;
    else if (data.size() != kSnpReportSize && looks_hex(text)) in.encoding = ReportEncoding::kHex;
    else if (data.size() != kSnpReportSize && looks_base64(text)) in.encoding = ReportEncoding::kBase64;
    auto bytes = decode(data, in.encoding);
    if (!bytes) return Unexpected{bytes.error()};
    auto out = unwrap(*bytes, std::move(in));
    if (!out && inform == ReportEncoding::kRaw && data.size() != kSnpReportSize) {
        std::string detail = out.error().detail;
        const std::string s = strip_spaces(data);
        if (looks_hex(s)) detail += "; it looks like hex: use --inform hex";
        else if (looks_base64(s)) detail += "; it looks like base64: use --inform base64";
        return Unexpected{ReportInputError{detail}};
    }
    return out;
}

Bytes hcl_binding_digest(const ReportInput& in) {
    const EVP_MD* md = in.hcl_hash_type == 1 ? EVP_sha256() : in.hcl_hash_type == 2 ? EVP_sha384() : in.hcl_hash_type == 3 ? EVP_sha512() : nullptr;
    if (!md) return {};
    Bytes d(static_cast<size_t>(EVP_MD_get_size(md)));
    unsigned int n = 0;
    EVP_Digest(in.hcl_variable_data.data(), in.hcl_variable_data.size(), d.data(), &n, md, nullptr);
    return d;
}

}  // namespace cvex::attest
