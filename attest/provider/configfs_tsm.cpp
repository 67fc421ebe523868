#include "attest/provider/configfs_tsm.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

namespace cvex::attest {

using cvex::Bytes;
using cvex::Expected;
using cvex::Unexpected;

namespace {

// SEV-SNP's report is 1184 bytes (SNP ABI Table 22, ATTESTATION_REPORT, versions 2–5).
constexpr size_t kSnpReportSize = 0x4A0;
constexpr size_t kReportDataOffset = 0x50;
// configfs-tsm names the SEV-SNP guest driver "sev_guest" in `provider`.
constexpr std::string_view kSevGuestProvider = "sev_guest";

class PosixConfigfsClient final : public ConfigfsClient {
public:
    bool make_dir(const std::string& path, std::string& error) override {
        if (::mkdir(path.c_str(), 0700) == 0) return true;
        error = "mkdir " + path + ": " + std::strerror(errno);
        return false;
    }
    bool remove_dir(const std::string& path, std::string& error) override {
        if (::rmdir(path.c_str()) == 0) return true;
        error = "rmdir " + path + ": " + std::strerror(errno);
        return false;
    }
    bool read_file(const std::string& path, Bytes& out, std::string& error) override {
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            error = "open " + path + ": " + std::strerror(errno);
            return false;
        }
        out.clear();
        uint8_t buf[8192];
        for (;;) {
            const ssize_t n = ::read(fd, buf, sizeof buf);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) {
                error = "read " + path + ": " + std::strerror(errno);
                ::close(fd);
                return false;
            }
            if (n == 0) break;
            out.insert(out.end(), buf, buf + n);
        }
        ::close(fd);
        return true;
    }
    bool write_file(const std::string& path, cvex::ByteView data, std::string& error) override {
        // configfs commits an attribute on write(2): one call with the whole value.
        const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
        if (fd < 0) {
            error = "open " + path + ": " + std::strerror(errno);
            return false;
        }
        ssize_t n;
        do n = ::write(fd, data.data(), data.size());
        while (n < 0 && errno == EINTR);
        const int saved = errno;
        ::close(fd);
        if (n != static_cast<ssize_t>(data.size())) {
            error = "write " + path + ": " + (n < 0 ? std::strerror(saved) : "short write");
            return false;
        }
        return true;
    }
    bool exists(const std::string& path) override {
        struct stat st;
        return ::stat(path.c_str(), &st) == 0;
    }
};

std::string trim(const Bytes& b) {
    std::string s(b.begin(), b.end());
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\0')) s.pop_back();
    return s;
}

ProviderError io_error(std::string detail) { return {ProviderErrc::kIo, std::move(detail)}; }

}  // namespace

std::unique_ptr<ConfigfsClient> make_posix_configfs_client() { return std::make_unique<PosixConfigfsClient>(); }

ConfigfsTsmProvider::ConfigfsTsmProvider(std::unique_ptr<ConfigfsClient> client, Options options)
    : client_(std::move(client)), options_(std::move(options)) {}

Expected<void, ProviderError> ConfigfsTsmProvider::derive_key(const DerivedKeyRequest&, DerivedKeyOut) {
    return Unexpected{ProviderError{ProviderErrc::kUnsupported, "configfs-tsm has no derived-key interface; use /dev/sev-guest"}};
}

Expected<Evidence, ProviderError> ConfigfsTsmProvider::get_evidence(const ReportData& report_data, unsigned vmpl) {
    if (vmpl > 3) return Unexpected{ProviderError{ProviderErrc::kInvalidArgument, "vmpl " + std::to_string(vmpl) + " is above 3"}};
    if (!client_->exists(options_.root))
        return Unexpected{ProviderError{ProviderErrc::kUnavailable, options_.root + " does not exist (no configfs-tsm)"}};
    static std::atomic<unsigned> counter{0};
    ProviderError last{ProviderErrc::kConflict, ""};
    for (int i = 0; i < options_.max_attempts; ++i) {
        const std::string entry = options_.root + "/cvex-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
        std::string error;
        if (!client_->make_dir(entry, error)) return Unexpected{io_error(error)};
        auto result = attempt(entry, report_data, vmpl);
        std::string rm_error;
        client_->remove_dir(entry, rm_error);  // best effort: a leftover entry holds no secret
        if (result || result.error().code != ProviderErrc::kConflict) return result;
        last = result.error();
    }
    last.detail = "gave up after " + std::to_string(options_.max_attempts) + " attempts: " + last.detail;
    return Unexpected{last};
}

Expected<Evidence, ProviderError> ConfigfsTsmProvider::attempt(const std::string& entry, const ReportData& report_data,
                                                               unsigned vmpl) {
    std::string error;
    Bytes value;
    if (!client_->read_file(entry + "/provider", value, error)) return Unexpected{io_error(error)};
    if (const std::string provider = trim(value); provider != kSevGuestProvider)
        return Unexpected{ProviderError{ProviderErrc::kWrongProvider, "provider is '" + provider + "', expected 'sev_guest'"}};

    auto read_generation = [&](uint64_t& gen) -> bool {
        if (!client_->read_file(entry + "/generation", value, error)) return false;
        const std::string text = trim(value);
        char* end = nullptr;
        gen = std::strtoull(text.c_str(), &end, 10);
        if (text.empty() || *end != '\0') {
            error = entry + "/generation is not a number: '" + text + "'";
            return false;
        }
        return true;
    };
    uint64_t gen_before = 0, gen_after = 0;
    if (!read_generation(gen_before)) return Unexpected{io_error(error)};

    // Every attribute write bumps `generation`; count ours to recognise anyone else's.
    uint64_t writes = 0;
    if (client_->exists(entry + "/privlevel")) {
        if (client_->exists(entry + "/privlevel_floor")) {
            if (!client_->read_file(entry + "/privlevel_floor", value, error)) return Unexpected{io_error(error)};
            const unsigned floor = static_cast<unsigned>(std::strtoul(trim(value).c_str(), nullptr, 10));
            if (vmpl < floor)
                return Unexpected{ProviderError{ProviderErrc::kInvalidArgument,
                                                "vmpl " + std::to_string(vmpl) + " is below privlevel_floor " + std::to_string(floor)}};
        }
        const std::string level = std::to_string(vmpl) + "\n";
        if (!client_->write_file(entry + "/privlevel", cvex::as_view(level), error)) return Unexpected{io_error(error)};
        ++writes;
    } else if (vmpl != 0) {
        return Unexpected{ProviderError{ProviderErrc::kUnsupported, "this kernel has no privlevel attribute; only VMPL 0"}};
    }
    if (!client_->write_file(entry + "/inblob", report_data, error)) return Unexpected{io_error(error)};
    ++writes;

    Bytes report, aux;
    if (!client_->read_file(entry + "/outblob", report, error)) {
        // The kernel turns a firmware or hypervisor refusal into a read error on outblob.
        return Unexpected{ProviderError{ProviderErrc::kFirmware, error}};
    }
    if (client_->exists(entry + "/auxblob") && !client_->read_file(entry + "/auxblob", aux, error))
        return Unexpected{io_error(error)};
    if (!read_generation(gen_after)) return Unexpected{io_error(error)};
    if (gen_after != gen_before + writes)
        return Unexpected{ProviderError{ProviderErrc::kConflict, "generation went from " + std::to_string(gen_before) + " to " +
                                                                      std::to_string(gen_after) + " across our " +
                                                                      std::to_string(writes) + " write(s)"}};

    if (report.size() != kSnpReportSize)
        return Unexpected{ProviderError{ProviderErrc::kBadResponse,
                                        "outblob is " + std::to_string(report.size()) + " bytes, an SNP report is 1184"}};
    // A report for someone else's inblob means the generation check was defeated: refuse it.
    if (!std::equal(report_data.begin(), report_data.end(), report.begin() + kReportDataOffset))
        return Unexpected{ProviderError{ProviderErrc::kConflict, "outblob's REPORT_DATA is not the inblob we wrote"}};
    auto certs = parse_cert_table(aux);
    if (!certs) return Unexpected{ProviderError{ProviderErrc::kBadResponse, "auxblob: " + certs.error().message()}};
    return Evidence{std::move(report), std::move(*certs), "configfs-tsm", false};
}

}  // namespace cvex::attest
