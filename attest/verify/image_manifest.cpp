#include "attest/verify/image_manifest.hpp"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace cvex::attest {

cvex::Expected<ImageManifest, ManifestError> load_image_manifest(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return cvex::Unexpected{ManifestError{path, "cannot read it"}};
    std::stringstream ss;
    ss << in.rdbuf();
    const auto j = nlohmann::json::parse(ss.str(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) return cvex::Unexpected{ManifestError{path, "not a JSON object"}};
    if (j.value("format", "") != "cvex-guest-image/1")
        return cvex::Unexpected{ManifestError{path, "format is not \"cvex-guest-image/1\" (not written by scripts/guest-image.sh?)"}};
    ImageManifest m;
    if (!j.contains("measurement") || !j["measurement"].is_string() || !cvex::from_hex_fixed(j["measurement"].get<std::string>(), m.measurement))
        return cvex::Unexpected{ManifestError{path, "measurement must be 48 bytes of hex"}};
    if (j.contains("config") && j["config"].is_object()) m.config_sha256 = j["config"].value("sha256", "");
    return m;
}

SnpCheck check_image_measurement(const ImageManifest& manifest, const AttestationReport& report) {
    const auto hex = [](const std::array<uint8_t, 48>& a) { return cvex::to_hex(cvex::ByteView(a.data(), a.size()), false); };
    return {"image.measurement", manifest.measurement == report.measurement, hex(manifest.measurement), hex(report.measurement)};
}

}  // namespace cvex::attest
