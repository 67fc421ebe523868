// Choosing the attestation provider: by configuration, or detected (`auto`: configfs-tsm, then
// /dev/sev-guest). Simulation is never chosen silently: only when asked for by name.
#pragma once

#include <memory>
#include <string>

#include "attest/provider/attestation_provider.hpp"
#include "attest/provider/sim_platform.hpp"

namespace cvex::attest {

struct ProviderSelection {
    ProviderKind kind = ProviderKind::kAuto;
    std::string configfs_root = "/sys/kernel/config/tsm/report";
    std::string sev_guest_device = "/dev/sev-guest";
    SimulatedGuest simulated_guest;  // used only with kSimulated
};

cvex::Expected<std::unique_ptr<AttestationProvider>, ProviderError> open_provider(const ProviderSelection& selection);

}  // namespace cvex::attest
