// A guest image's manifest (scripts/guest-image.sh writes it beside vmlinuz, initrd.img and
// cmdline): the SEV-SNP launch MEASUREMENT computed ahead from the image's files by `cvex
// measure`, so validators allow-list a value anyone can recompute from source instead of the one a
// guest reports about itself. Only the fields a verifier needs are read; the rest documents the
// image's inputs.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "attest/report/snp_report.hpp"
#include "attest/verify/snp_check.hpp"
#include "base/expected.hpp"

namespace cvex::attest {

struct ImageManifest {
    std::array<uint8_t, 48> measurement{};
    std::string config_sha256;  // of the config baked into the initrd (what /attestation publishes)
};

struct ManifestError {
    std::string path;
    std::string detail;
    std::string message() const { return "image manifest " + path + ": " + detail; }
};

cvex::Expected<ImageManifest, ManifestError> load_image_manifest(const std::string& path);

/// "image.measurement": the report's MEASUREMENT equals the manifest's.
SnpCheck check_image_measurement(const ImageManifest& manifest, const AttestationReport& report);

}  // namespace cvex::attest
