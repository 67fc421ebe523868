// configfs-tsm: the kernel's vendor-neutral report interface (Linux ≥ 6.7,
// Documentation/ABI/testing/configfs-tsm-report). A report is an entry directory under
// /sys/kernel/config/tsm/report/: write up to 64 bytes to `inblob` (and optionally `privlevel`),
// read the report from `outblob` and the certificate table from `auxblob`. `generation` counts
// writes to the entry, so a reader detects a concurrent writer by checking it.
#pragma once

#include <memory>
#include <string>

#include "attest/provider/attestation_provider.hpp"

namespace cvex::attest {

/// The file operations configfs-tsm needs, so a test can run the provider over a fake tree
/// that emulates the kernel's side (a real directory, real files).
class ConfigfsClient {
public:
    virtual ~ConfigfsClient() = default;
    virtual bool make_dir(const std::string& path, std::string& error) = 0;   // mkdir; EEXIST is an error
    virtual bool remove_dir(const std::string& path, std::string& error) = 0;  // rmdir
    virtual bool read_file(const std::string& path, cvex::Bytes& out, std::string& error) = 0;
    virtual bool write_file(const std::string& path, cvex::ByteView data, std::string& error) = 0;
    virtual bool exists(const std::string& path) = 0;
};

/// Plain POSIX system calls: what runs inside a guest.
std::unique_ptr<ConfigfsClient> make_posix_configfs_client();

constexpr const char* kConfigfsTsmReportRoot = "/sys/kernel/config/tsm/report";

class ConfigfsTsmProvider final : public AttestationProvider {
public:
    struct Options {
        std::string root = kConfigfsTsmReportRoot;
        int max_attempts = 5;  // retries after a generation conflict
    };

    ConfigfsTsmProvider(std::unique_ptr<ConfigfsClient> client, Options options);

    std::string_view name() const override { return "configfs-tsm"; }
    cvex::Expected<Evidence, ProviderError> get_evidence(const ReportData& report_data, unsigned vmpl) override;
    /// configfs-tsm has no derived-key interface: kUnsupported.
    cvex::Expected<void, ProviderError> derive_key(const DerivedKeyRequest& request, DerivedKeyOut out) override;

private:
    cvex::Expected<Evidence, ProviderError> attempt(const std::string& entry, const ReportData& report_data, unsigned vmpl);

    std::unique_ptr<ConfigfsClient> client_;
    Options options_;
};

}  // namespace cvex::attest
