// /dev/sev-guest: the SEV-SNP guest driver's ioctls (SNP_GET_REPORT, SNP_GET_EXT_REPORT,
// SNP_GET_DERIVED_KEY). Works on kernels without configfs-tsm and is the only way to a
// derived (sealing) key.
#pragma once

#include <string>

#include "attest/provider/attestation_provider.hpp"

namespace cvex::attest {

constexpr const char* kSevGuestDevice = "/dev/sev-guest";

class SevGuestDeviceProvider final : public AttestationProvider {
public:
    explicit SevGuestDeviceProvider(std::string device = kSevGuestDevice) : device_(std::move(device)) {}

    std::string_view name() const override { return "sev-guest-ioctl"; }
    /// SNP_GET_EXT_REPORT (report plus the host's certificate table), growing the certificate
    /// buffer when the hypervisor says it is too small.
    cvex::Expected<Evidence, ProviderError> get_evidence(const ReportData& report_data, unsigned vmpl) override;
    cvex::Expected<DerivedKey, ProviderError> derive_key(const DerivedKeyRequest& request) override;

private:
    std::string device_;
};

// The response parsers, separate so they can be tested without the device.

/// MSG_REPORT_RSP → the 1184-byte report. Errors name the status or size.
cvex::Expected<cvex::Bytes, ProviderError> parse_report_response(cvex::ByteView response);
/// MSG_KEY_RSP → the 32-byte key.
cvex::Expected<DerivedKey, ProviderError> parse_key_response(cvex::ByteView response);

}  // namespace cvex::attest
