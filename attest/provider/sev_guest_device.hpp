// /dev/sev-guest: the SEV-SNP guest driver's ioctls (SNP_GET_REPORT, SNP_GET_EXT_REPORT,
// SNP_GET_DERIVED_KEY). Works on kernels without configfs-tsm and is the only way to a
// derived (sealing) key.
#pragma once

#include <memory>
#include <string>

#include "attest/provider/attestation_provider.hpp"
#include "attest/provider/sev_guest_ioctl.hpp"

namespace cvex::attest {

constexpr const char* kSevGuestDevice = "/dev/sev-guest";

/// How the provider reaches the driver: ioctl(2) on the device, or in tests a fake that plays
/// the kernel and the firmware (as ConfigfsClient does for configfs-tsm).
class SevGuestClient {
public:
    virtual ~SevGuestClient() = default;
    /// One request on the device: 0, or the errno of a failed ioctl (`io.fw_error` and
    /// `io.vmm_error` then say more). An error when the device cannot be opened.
    virtual cvex::Expected<int, ProviderError> request(unsigned long nr, sev_guest_abi::SnpGuestRequestIoctl& io) = 0;
};

/// The real client: opens `device` for each request.
std::unique_ptr<SevGuestClient> make_device_sev_guest_client(std::string device = kSevGuestDevice);

class SevGuestDeviceProvider final : public AttestationProvider {
public:
    explicit SevGuestDeviceProvider(std::string device = kSevGuestDevice) : client_(make_device_sev_guest_client(std::move(device))) {}
    explicit SevGuestDeviceProvider(std::unique_ptr<SevGuestClient> client) : client_(std::move(client)) {}

    std::string_view name() const override { return "sev-guest-ioctl"; }
    /// SNP_GET_EXT_REPORT (report plus the host's certificate table), growing the certificate
    /// buffer when the hypervisor says it is too small.
    cvex::Expected<Evidence, ProviderError> get_evidence(const ReportData& report_data, unsigned vmpl) override;
    /// SNP_GET_DERIVED_KEY: MSG_KEY_REQ (SNP ABI Table 19) in, MSG_KEY_RSP (Table 20) out; the
    /// response buffer is wiped before it leaves the stack.
    cvex::Expected<void, ProviderError> derive_key(const DerivedKeyRequest& request, DerivedKeyOut out) override;

private:
    std::unique_ptr<SevGuestClient> client_;
};

// The response parsers, separate so they can be tested without the device.

/// MSG_REPORT_RSP → the 1184-byte report. Errors name the status or size.
cvex::Expected<cvex::Bytes, ProviderError> parse_report_response(cvex::ByteView response);
/// MSG_KEY_RSP → the 32-byte key, written into `out` (untouched on error).
cvex::Expected<void, ProviderError> parse_key_response(cvex::ByteView response, DerivedKeyOut out);

}  // namespace cvex::attest
