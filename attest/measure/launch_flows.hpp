// Internal to attest/measure: the page sequences of the two launch flows, over inputs measure.cpp
// has validated and loaded.
#pragma once

#include <optional>

#include "attest/measure/firmware_image.hpp"
#include "attest/measure/measure.hpp"
#include "attest/measure/sev_hashes.hpp"

namespace cvex::attest::measure {

/// The digest after the firmware's pages (page type NORMAL at its GPA).
Expected<Sha384Digest, MeasureError> firmware_pages_digest(const FirmwareImage& fw, const std::string& subject);

struct SnpLaunch {
    const FirmwareImage& ovmf;
    Sha384Digest ovmf_hash;                // seed: the OVMF pages' digest
    std::optional<SevHashes> hashes;       // measured direct boot, or none
    uint32_t vcpus;
    uint32_t vcpu_sig;
    VmmType vmm;
    uint64_t guest_features;
};
Expected<Sha384Digest, MeasureError> snp_launch_digest(const SnpLaunch& l);

struct SvsmLaunch {
    const FirmwareImage& ovmf;
    const FirmwareImage& svsm;  // placed to end below OVMF's variable store
    uint32_t vcpus;
    uint32_t vcpu_sig;
};
Expected<Sha384Digest, MeasureError> svsm_launch_digest(const SvsmLaunch& l);

}  // namespace cvex::attest::measure
