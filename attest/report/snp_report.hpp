// The SEV-SNP ATTESTATION_REPORT (AMD SEV-SNP ABI spec, Table "ATTESTATION_REPORT Structure";
// 1184 bytes, little-endian) for report versions 2, 3 and 5, parsed into typed fields and
// serialised back byte for byte. Version 3 adds CPUID_FAM_ID/MOD_ID/STEP at 0x188–0x18A;
// version 5 adds LAUNCH_MIT_VECTOR (0x1F8) and CURRENT_MIT_VECTOR (0x200). Everything the spec
// marks reserved must be zero: a report that sets such a bit was not produced by the firmware we
// know, so it is refused rather than silently accepted.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "base/bytes.hpp"
#include "base/expected.hpp"
#include "attest/report/snp_tcb.hpp"

namespace cvex::attest {

constexpr size_t kSnpReportSize = 0x4A0;     // 1184
constexpr size_t kSnpSignedSize = 0x2A0;     // the signature covers bytes 0x000–0x29F
constexpr size_t kSnpSigROffset = 0x2A0;     // 72-byte little-endian R
constexpr size_t kSnpSigSOffset = 0x2E8;     // 72-byte little-endian S
constexpr size_t kSnpSigComponentSize = 72;
constexpr uint32_t kSnpSigAlgoEcdsaP384Sha384 = 1;  // SNP ABI, "Signature Algorithm Encodings"

/// GUEST_POLICY (SNP ABI Table "GUEST_POLICY Structure").
struct GuestPolicy {
    uint64_t raw = 0;
    uint8_t abi_minor() const { return static_cast<uint8_t>(raw); }
    uint8_t abi_major() const { return static_cast<uint8_t>(raw >> 8); }
    bool smt_allowed() const { return bit(16); }
    bool reserved_must_be_one() const { return bit(17); }  // bit 17 is defined as reserved, must be one
    bool migrate_ma() const { return bit(18); }             // a migration agent may be associated
    bool debug() const { return bit(19); }                  // the hypervisor may debug the guest
    bool single_socket() const { return bit(20); }
    bool cxl_allowed() const { return bit(21); }
    bool mem_aes_256_xts() const { return bit(22); }
    bool rapl_dis() const { return bit(23); }
    bool ciphertext_hiding() const { return bit(24); }
    bool page_swap_disable() const { return bit(25); }
    bool bit(int i) const { return (raw >> i) & 1; }
    bool operator==(const GuestPolicy&) const = default;
};

/// PLATFORM_INFO (SNP ABI Table "PLATFORM_INFO Field"). Later firmware defines more bits
/// (Turin sets bit 6); unknown bits are kept and shown, not refused.
struct PlatformInfo {
    uint64_t raw = 0;
    bool smt_enabled() const { return raw & 1; }
    bool tsme_enabled() const { return (raw >> 1) & 1; }
    bool ecc_enabled() const { return (raw >> 2) & 1; }
    bool rapl_disabled() const { return (raw >> 3) & 1; }
    bool ciphertext_hiding_enabled() const { return (raw >> 4) & 1; }
    bool alias_check_complete() const { return (raw >> 5) & 1; }
    bool operator==(const PlatformInfo&) const = default;
};

/// The key that signed the report (SIGNING_KEY, bits 4:2 at 0x48).
enum class SigningKey : uint8_t { kVcek = 0, kVlek = 1, kNone = 7 };
std::string_view to_string(SigningKey key);

/// The 32-bit signer info at 0x48: AUTHOR_KEY_EN (bit 0), MASK_CHIP_KEY (bit 1),
/// SIGNING_KEY (bits 4:2); bits 31:5 reserved.
struct SignerInfo {
    bool author_key_en = false;
    bool mask_chip_key = false;
    SigningKey signing_key = SigningKey::kVcek;
    bool operator==(const SignerInfo&) const = default;
};

struct FirmwareVersion {
    uint8_t build = 0, minor = 0, major = 0;
    bool operator==(const FirmwareVersion&) const = default;
};

struct AttestationReport {
    uint32_t version = 0;                        // 0x000
    uint32_t guest_svn = 0;                      // 0x004
    GuestPolicy policy;                          // 0x008
    std::array<uint8_t, 16> family_id{};         // 0x010
    std::array<uint8_t, 16> image_id{};          // 0x020
    uint32_t vmpl = 0;                           // 0x030
    uint32_t signature_algo = 0;                 // 0x034
    uint64_t current_tcb = 0;                    // 0x038
    PlatformInfo platform_info;                  // 0x040
    SignerInfo signer;                           // 0x048 (0x04C reserved)
    std::array<uint8_t, 64> report_data{};       // 0x050
    std::array<uint8_t, 48> measurement{};       // 0x090
    std::array<uint8_t, 32> host_data{};         // 0x0C0
    std::array<uint8_t, 48> id_key_digest{};     // 0x0E0
    std::array<uint8_t, 48> author_key_digest{}; // 0x110
    std::array<uint8_t, 32> report_id{};         // 0x140
    std::array<uint8_t, 32> report_id_ma{};      // 0x160
    uint64_t reported_tcb = 0;                   // 0x180
    uint8_t cpuid_family = 0;                    // 0x188 (version 3+; reserved in version 2)
    uint8_t cpuid_model = 0;                     // 0x189
    uint8_t cpuid_stepping = 0;                  // 0x18A
    std::array<uint8_t, 64> chip_id{};           // 0x1A0
    uint64_t committed_tcb = 0;                  // 0x1E0
    FirmwareVersion current_fw;                  // 0x1E8 build, 0x1E9 minor, 0x1EA major
    FirmwareVersion committed_fw;                // 0x1EC build, 0x1ED minor, 0x1EE major
    uint64_t launch_tcb = 0;                     // 0x1F0
    uint64_t launch_mit_vector = 0;              // 0x1F8 (version 5+; reserved before)
    uint64_t current_mit_vector = 0;             // 0x200 (version 5+; reserved before)
    std::array<uint8_t, 72> signature_r{};       // 0x2A0, little-endian
    std::array<uint8_t, 72> signature_s{};       // 0x2E8, little-endian

    /// The product the report's CPUID fields name (version 3+), else nullopt.
    std::optional<SnpProduct> cpuid_product() const;
    /// TCB layout: from CPUID (version 3+); otherwise from `product` (Milan/Genoa when unknown —
    /// Turin firmware only emits version 3+ reports).
    TcbLayout layout(std::optional<SnpProduct> product = std::nullopt) const;
    bool operator==(const AttestationReport&) const = default;
};

struct ReportError {
    enum Code { kBadSize, kUnsupportedVersion, kReservedNonZero, kBadValue } code;
    std::string field;  // e.g. "RESERVED", "SIGNER_INFO.SIGNING_KEY"
    size_t offset = 0;  // byte offset in the report
    std::string detail;
    std::string message() const;
};

cvex::Expected<AttestationReport, ReportError> parse_report(cvex::ByteView bytes);
/// The exact 1184 bytes: parse_report(serialize_report(r)) == r and
/// serialize_report(parse_report(x)) == x for every report parse_report accepts.
cvex::Bytes serialize_report(const AttestationReport& report);

}  // namespace cvex::attest
