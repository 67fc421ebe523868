#include "attest/provider/provider_select.hpp"

#include <sys/stat.h>

#include "attest/provider/configfs_tsm.hpp"
#include "attest/provider/sev_guest_device.hpp"

namespace cvex::attest {

using cvex::Expected;
using cvex::Unexpected;

namespace {
bool path_exists(const std::string& p) {
    struct stat st;
    return ::stat(p.c_str(), &st) == 0;
}
}  // namespace

Expected<std::unique_ptr<AttestationProvider>, ProviderError> open_provider(const ProviderSelection& s) {
    const bool want_configfs = s.kind == ProviderKind::kConfigfs || s.kind == ProviderKind::kAuto;
    const bool want_ioctl = s.kind == ProviderKind::kIoctl || s.kind == ProviderKind::kAuto;
    if (want_configfs && path_exists(s.configfs_root))
        return std::unique_ptr<AttestationProvider>(
            std::make_unique<ConfigfsTsmProvider>(make_posix_configfs_client(), ConfigfsTsmProvider::Options{s.configfs_root, 5}));
    if (want_ioctl && path_exists(s.sev_guest_device))
        return std::unique_ptr<AttestationProvider>(std::make_unique<SevGuestDeviceProvider>(s.sev_guest_device));
    if (s.kind == ProviderKind::kSimulated) {
        auto platform = SimulatedSnpPlatform::create(s.simulated_guest);
        if (!platform) return Unexpected{ProviderError{ProviderErrc::kUnavailable, "simulated platform: " + platform.error().message()}};
        return std::unique_ptr<AttestationProvider>(
            std::make_unique<SimulatedProvider>(std::shared_ptr<const SimulatedSnpPlatform>(std::move(*platform))));
    }
    std::string looked;
    if (want_configfs) looked += s.configfs_root;
    if (want_ioctl) looked += (looked.empty() ? "" : " nor ") + s.sev_guest_device;
    return Unexpected{ProviderError{ProviderErrc::kUnavailable,
                                    "no SEV-SNP guest interface: neither " + looked +
                                        " exists; this is not an SNP guest (use provider 'simulated' for development)"}};
}

}  // namespace cvex::attest
