#include "attest/provider/attestation_provider.hpp"

namespace cvex::attest {

std::string ProviderError::message() const {
    const char* what = "attestation provider error";
    switch (code) {
        case ProviderErrc::kUnavailable: what = "attestation interface not available"; break;
        case ProviderErrc::kUnsupported: what = "not supported by this attestation provider"; break;
        case ProviderErrc::kWrongProvider: what = "configfs-tsm is backed by another TSM"; break;
        case ProviderErrc::kIo: what = "attestation I/O failed"; break;
        case ProviderErrc::kConflict: what = "concurrent use of the report entry"; break;
        case ProviderErrc::kFirmware: what = "firmware refused the request"; break;
        case ProviderErrc::kBadResponse: what = "malformed attestation response"; break;
        case ProviderErrc::kInvalidArgument: what = "invalid attestation request"; break;
    }
    return detail.empty() ? what : std::string(what) + ": " + detail;
}

DerivedKeyRequest sealing_key_request(uint64_t committed_tcb) {
    DerivedKeyRequest d;
    d.root_key = DerivedKeyRequest::kVcek;
    d.guest_field_select = kFieldPolicy | kFieldMeasurement | kFieldTcbVersion;
    d.vmpl = 0;
    d.guest_svn = 0;
    d.tcb_version = committed_tcb;
    return d;
}

std::optional<ProviderKind> parse_provider_kind(std::string_view text) {
    if (text == "auto") return ProviderKind::kAuto;
    if (text == "configfs") return ProviderKind::kConfigfs;
    if (text == "ioctl") return ProviderKind::kIoctl;
    if (text == "simulated") return ProviderKind::kSimulated;
    return std::nullopt;
}

std::string_view to_string(ProviderKind kind) {
    switch (kind) {
        case ProviderKind::kAuto: return "auto";
        case ProviderKind::kConfigfs: return "configfs";
        case ProviderKind::kIoctl: return "ioctl";
        case ProviderKind::kSimulated: return "simulated";
    }
    return "?";
}

}  // namespace cvex::attest
