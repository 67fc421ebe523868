// Where a guest gets its attestation evidence. Real providers speak the Linux guest ABI
// (configfs-tsm, /dev/sev-guest); the simulated one is for machines without SEV and says so
// in every piece of evidence it produces.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
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

/// SNP_GET_DERIVED_KEY's selection (SNP ABI Table 19, MSG_KEY_REQ): which guest fields are mixed
/// into the key. Sealing keys bind at least the measurement and the policy.
struct DerivedKeyRequest {
    enum RootKey : uint32_t { kVcek = 0, kVmrk = 1 } root_key = kVcek;
    // GUEST_FIELD_SELECT bits (Table 19): 0 policy, 1 image id, 2 family id, 3 measurement,
    // 4 guest svn, 5 tcb version, 6 launch mitigation vector.
    uint64_t guest_field_select = (1u << 0) | (1u << 3);
    uint32_t vmpl = 0;
    uint32_t guest_svn = 0;
    uint64_t tcb_version = 0;
};

/// A 32-byte key derived by the firmware. Held by value only transiently; callers move it into
/// custody (locked memory) at once.
using DerivedKey = std::array<uint8_t, 32>;

class AttestationProvider {
public:
    virtual ~AttestationProvider() = default;
    virtual std::string_view name() const = 0;
    virtual bool simulated() const { return false; }
    /// A report carrying `report_data`, requested at privilege level `vmpl` (0–3).
    virtual cvex::Expected<Evidence, ProviderError> get_evidence(const ReportData& report_data, unsigned vmpl) = 0;
    virtual cvex::Expected<DerivedKey, ProviderError> derive_key(const DerivedKeyRequest& request) = 0;
};

enum class ProviderKind { kAuto, kConfigfs, kIoctl, kSimulated };

std::optional<ProviderKind> parse_provider_kind(std::string_view text);  // auto|configfs|ioctl|simulated
std::string_view to_string(ProviderKind kind);

}  // namespace cvex::attest
