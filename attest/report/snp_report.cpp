// Offsets: AMD SEV-SNP ABI spec (pub. 56860), Table "ATTESTATION_REPORT Structure".
#include "attest/report/snp_report.hpp"

#include <cstdio>
#include <cstring>
#include <vector>

namespace cvex::attest {

using cvex::Bytes;
using cvex::ByteView;
using cvex::Expected;
using cvex::Unexpected;

namespace {

uint32_t get_u32(ByteView b, size_t off) {
    uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = (v << 8) | b[off + i];
    return v;
}
uint64_t get_u64(ByteView b, size_t off) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | b[off + i];
    return v;
}
template <size_t N>
void get(ByteView b, size_t off, std::array<uint8_t, N>& out) {
    std::memcpy(out.data(), b.data() + off, N);
}
void put_u32(Bytes& b, size_t off, uint32_t v) {
    for (int i = 0; i < 4; ++i) b[off + i] = static_cast<uint8_t>(v >> (8 * i));
}
void put_u64(Bytes& b, size_t off, uint64_t v) {
    for (int i = 0; i < 8; ++i) b[off + i] = static_cast<uint8_t>(v >> (8 * i));
}
template <size_t N>
void put(Bytes& b, size_t off, const std::array<uint8_t, N>& a) {
    std::memcpy(b.data() + off, a.data(), N);
}

struct Reserved {
    size_t begin, end;  // [begin, end)
    const char* name;
};

// The reserved ranges per version. Version 2 reserves 0x188–0x19F entirely; version 3 defines
// the CPUID bytes 0x188–0x18A; version 5 defines the mitigation vectors at 0x1F8–0x207.
std::vector<Reserved> reserved_ranges(uint32_t version) {
    std::vector<Reserved> r = {
        {0x04C, 0x050, "RESERVED (after SIGNER_INFO)"},
        {0x1EB, 0x1EC, "RESERVED (after CURRENT_MAJOR)"},
        {0x1EF, 0x1F0, "RESERVED (after COMMITTED_MAJOR)"},
        {0x330, 0x4A0, "SIGNATURE reserved tail"},
    };
    if (version == 2) r.push_back({0x188, 0x1A0, "RESERVED (before CHIP_ID)"});
    else r.push_back({0x18B, 0x1A0, "RESERVED (after CPUID_STEP)"});
    if (version >= 5) r.push_back({0x208, 0x2A0, "RESERVED (after CURRENT_MIT_VECTOR)"});
    else r.push_back({0x1F8, 0x2A0, "RESERVED (after LAUNCH_TCB)"});
    return r;
}

std::string hex_offset(size_t off) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%03zX", off);
    return buf;
}

}  // namespace

std::string_view to_string(SigningKey key) {
    switch (key) {
        case SigningKey::kVcek: return "VCEK";
        case SigningKey::kVlek: return "VLEK";
        case SigningKey::kNone: return "none";
    }
    return "?";
}

std::string ReportError::message() const {
    std::string what;
    switch (code) {
        case kBadSize: what = "bad report size"; break;
        case kUnsupportedVersion: what = "unsupported report version"; break;
        case kReservedNonZero: what = "reserved field is non-zero"; break;
        case kBadValue: what = "invalid value"; break;
    }
    // A size has no offset: "at offset 0x4A1" would name the file size as a position.
    if (code == kBadSize) return "report: " + detail;
    return what + ": " + field + " at offset " + hex_offset(offset) + (detail.empty() ? "" : " (" + detail + ")");
}

std::optional<SnpProduct> AttestationReport::cpuid_product() const {
    if (version < 3) return std::nullopt;
    return product_from_cpuid(cpuid_family, cpuid_model);
}

TcbLayout AttestationReport::layout(std::optional<SnpProduct> product) const {
    if (auto p = cpuid_product()) return tcb_layout(*p);
    return product ? tcb_layout(*product) : TcbLayout::kMilanGenoa;
}

Expected<AttestationReport, ReportError> parse_report(ByteView b) {
    if (b.size() != kSnpReportSize)
        return Unexpected{ReportError{ReportError::kBadSize, "report", 0,
                                      std::to_string(b.size()) + " bytes; an SEV-SNP report is " + std::to_string(kSnpReportSize) + " bytes"}};
    AttestationReport r;
    r.version = get_u32(b, 0x000);
    if (r.version != 2 && r.version != 3 && r.version != 5)
        return Unexpected{ReportError{ReportError::kUnsupportedVersion, "VERSION", 0x000,
                                      "version " + std::to_string(r.version) + "; supported: 2, 3, 5"}};
    for (const Reserved& range : reserved_ranges(r.version))
        for (size_t i = range.begin; i < range.end; ++i)
            if (b[i] != 0) return Unexpected{ReportError{ReportError::kReservedNonZero, range.name, i, ""}};

    r.guest_svn = get_u32(b, 0x004);
    r.policy.raw = get_u64(b, 0x008);
    // GUEST_POLICY bits 63:26 are reserved and must be zero (the firmware refuses such a policy at launch).
    if (r.policy.raw >> 26)
        return Unexpected{ReportError{ReportError::kReservedNonZero, "POLICY bits 63:26", 0x008, "policy " + tcb_hex(r.policy.raw)}};
    get(b, 0x010, r.family_id);
    get(b, 0x020, r.image_id);
    r.vmpl = get_u32(b, 0x030);
    r.signature_algo = get_u32(b, 0x034);
    r.current_tcb = get_u64(b, 0x038);
    r.platform_info.raw = get_u64(b, 0x040);
    const uint32_t signer = get_u32(b, 0x048);
    if (signer >> 5)
        return Unexpected{ReportError{ReportError::kReservedNonZero, "SIGNER_INFO bits 31:5", 0x048, ""}};
    r.signer.author_key_en = signer & 1;
    r.signer.mask_chip_key = (signer >> 1) & 1;
    const uint32_t key = (signer >> 2) & 7;
    if (key != 0 && key != 1 && key != 7)
        return Unexpected{ReportError{ReportError::kBadValue, "SIGNER_INFO.SIGNING_KEY", 0x048,
                                      "value " + std::to_string(key) + " is reserved (0 VCEK, 1 VLEK, 7 none)"}};
    r.signer.signing_key = static_cast<SigningKey>(key);
    get(b, 0x050, r.report_data);
    get(b, 0x090, r.measurement);
    get(b, 0x0C0, r.host_data);
    get(b, 0x0E0, r.id_key_digest);
    get(b, 0x110, r.author_key_digest);
    get(b, 0x140, r.report_id);
    get(b, 0x160, r.report_id_ma);
    r.reported_tcb = get_u64(b, 0x180);
    if (r.version >= 3) {
        r.cpuid_family = b[0x188];
        r.cpuid_model = b[0x189];
        r.cpuid_stepping = b[0x18A];
    }
    get(b, 0x1A0, r.chip_id);
    r.committed_tcb = get_u64(b, 0x1E0);
    r.current_fw = {b[0x1E8], b[0x1E9], b[0x1EA]};
    r.committed_fw = {b[0x1EC], b[0x1ED], b[0x1EE]};
    r.launch_tcb = get_u64(b, 0x1F0);
    if (r.version >= 5) {
        r.launch_mit_vector = get_u64(b, 0x1F8);
        r.current_mit_vector = get_u64(b, 0x200);
    }
    get(b, kSnpSigROffset, r.signature_r);
    get(b, kSnpSigSOffset, r.signature_s);
    return r;
}

Bytes serialize_report(const AttestationReport& r) {
    Bytes b(kSnpReportSize, 0);
    put_u32(b, 0x000, r.version);
    put_u32(b, 0x004, r.guest_svn);
    put_u64(b, 0x008, r.policy.raw);
    put(b, 0x010, r.family_id);
    put(b, 0x020, r.image_id);
    put_u32(b, 0x030, r.vmpl);
    put_u32(b, 0x034, r.signature_algo);
    put_u64(b, 0x038, r.current_tcb);
    put_u64(b, 0x040, r.platform_info.raw);
    put_u32(b, 0x048, (r.signer.author_key_en ? 1u : 0u) | (r.signer.mask_chip_key ? 2u : 0u) |
                          (static_cast<uint32_t>(r.signer.signing_key) << 2));
    put(b, 0x050, r.report_data);
    put(b, 0x090, r.measurement);
    put(b, 0x0C0, r.host_data);
    put(b, 0x0E0, r.id_key_digest);
    put(b, 0x110, r.author_key_digest);
    put(b, 0x140, r.report_id);
    put(b, 0x160, r.report_id_ma);
    put_u64(b, 0x180, r.reported_tcb);
    if (r.version >= 3) {
        b[0x188] = r.cpuid_family;
        b[0x189] = r.cpuid_model;
        b[0x18A] = r.cpuid_stepping;
    }
    put(b, 0x1A0, r.chip_id);
    put_u64(b, 0x1E0, r.committed_tcb);
    b[0x1E8] = r.current_fw.build, b[0x1E9] = r.current_fw.minor, b[0x1EA] = r.current_fw.major;
    b[0x1EC] = r.committed_fw.build, b[0x1ED] = r.committed_fw.minor, b[0x1EE] = r.committed_fw.major;
    put_u64(b, 0x1F0, r.launch_tcb);
    if (r.version >= 5) {
        put_u64(b, 0x1F8, r.launch_mit_vector);
        put_u64(b, 0x200, r.current_mit_vector);
    }
    put(b, kSnpSigROffset, r.signature_r);
    put(b, kSnpSigSOffset, r.signature_s);
    return b;
}

}  // namespace cvex::attest
