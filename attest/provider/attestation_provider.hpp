// Where a guest gets its attestation evidence. Real providers speak the Linux guest ABI
// (configfs-tsm, /dev/sev-guest); the simulated one is for machines without SEV and says so
// in every piece of evidence it produces.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "base/bytes.hpp"
#include "base/expected.hpp"
#include "attest/report/cert_table.hpp"

namespace cvex::attest {

/// The 64 bytes a guest asks the firmware to sign into REPORT_DATA (SNP ABI Table 22, MSG_REPORT_REQ).
using ReportData = std::array<uint8_t, 64>;

struct Evidence {
    cvex::Bytes report;   // the 1184-byte ATTESTATION_REPORT
    CertTable certs;       // VCEK/VLEK (and ASK/ARK if the host supplies them); may be empty
    std::string provider;  // "configfs-tsm", "sev-guest-ioctl", "simulated"
    bool simulated = false;
};

enum class ProviderErrc {
    kUnavailable,     // the interface is not present on this machine
    kUnsupported,     // the provider cannot do this (e.g. derived keys through configfs-tsm)
    kWrongProvider,   // configfs-tsm is backed by another TSM (e.g. tdx_guest)
    kIo,              // a system call failed
    kConflict,        // another writer changed the configfs entry while we used it (generation check)
    kFirmware,        // the firmware or the hypervisor refused the request
    kBadResponse,     // the response has the wrong size or status
    kInvalidArgument, // e.g. VMPL above 3
};

struct ProviderError {
    ProviderErrc code;
    std::string detail;  // says which file, ioctl or field; never carries key material
    std::string message() const;
};

// GUEST_FIELD_SELECT bits of MSG_KEY_REQ (SNP ABI Table 19): the guest fields mixed into a
// derived key.
constexpr uint64_t kFieldPolicy = 1u << 0;
constexpr uint64_t kFieldImageId = 1u << 1;
constexpr uint64_t kFieldFamilyId = 1u << 2;
constexpr uint64_t kFieldMeasurement = 1u << 3;
constexpr uint64_t kFieldGuestSvn = 1u << 4;
constexpr uint64_t kFieldTcbVersion = 1u << 5;

/// SNP_GET_DERIVED_KEY's selection (SNP ABI Table 19, MSG_KEY_REQ): the root key and which guest
/// fields are mixed into the key. The firmware refuses a TCB_VERSION above the platform's
/// CommittedTcb and a GUEST_SVN above the launch ID block's.
struct DerivedKeyRequest {
    enum RootKey : uint32_t { kVcek = 0, kVmrk = 1 } root_key = kVcek;
    uint64_t guest_field_select = kFieldPolicy | kFieldMeasurement;
    uint32_t vmpl = 0;
    uint32_t guest_svn = 0;
    uint64_t tcb_version = 0;
};

/// The derivation a guest seals its keys under: the chip's VCEK as root; POLICY, MEASUREMENT and
/// TCB_VERSION selected, so another image, policy or chip derives another key; `tcb_version` the
/// platform's COMMITTED_TCB (report offset 0x1E0), so a firmware rolled back below it cannot
/// derive this key again; VMPL 0, where the guest's runtime runs.
DerivedKeyRequest sealing_key_request(uint64_t committed_tcb);

/// A 32-byte key derived by the firmware, written by the provider into memory the caller owns
/// (locked memory: it is a secret and is never returned by value).
using DerivedKeyOut = std::span<uint8_t, 32>;

class AttestationProvider {
public:
    virtual ~AttestationProvider() = default;
    virtual std::string_view name() const = 0;
    virtual bool simulated() const { return false; }
    /// A report carrying `report_data`, requested at privilege level `vmpl` (0–3).
    virtual cvex::Expected<Evidence, ProviderError> get_evidence(const ReportData& report_data, unsigned vmpl) = 0;
    /// Writes the firmware's key for `request` into `out`; `out` is untouched on failure.
    virtual cvex::Expected<void, ProviderError> derive_key(const DerivedKeyRequest& request, DerivedKeyOut out) = 0;
};

enum class ProviderKind { kAuto, kConfigfs, kIoctl, kSimulated };

std::optional<ProviderKind> parse_provider_kind(std::string_view text);  // auto|configfs|ioctl|simulated
std::string_view to_string(ProviderKind kind);

}  // namespace cvex::attest
