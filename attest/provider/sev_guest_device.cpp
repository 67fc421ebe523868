#include "attest/provider/sev_guest_device.hpp"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <openssl/crypto.h>

#include "attest/provider/sev_guest_ioctl.hpp"

namespace cvex::attest {

using cvex::Bytes;
using cvex::Expected;
using cvex::Unexpected;
namespace abi = sev_guest_abi;

namespace {

constexpr size_t kSnpReportSize = 0x4A0;
constexpr size_t kPage = 4096;
constexpr size_t kMaxCertBuffer = 64 * kPage;  // far above any real table (ARK+ASK+VCEK < 8 KiB)

uint32_t load_u32(const uint8_t* p) {
    return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}

std::string status_text(uint32_t status) {
    switch (status) {
        case abi::kStatusInvalidParam: return "INVALID_PARAM (0x16)";
        case abi::kStatusInvalidKeySel: return "INVALID_KEY (0x27)";
        default: return "status 0x" + cvex::to_hex(cvex::Bytes{static_cast<uint8_t>(status >> 8), static_cast<uint8_t>(status)}, false);
    }
}

class DeviceClient final : public SevGuestClient {
public:
    explicit DeviceClient(std::string device) : device_(std::move(device)) {}
    Expected<int, ProviderError> request(unsigned long nr, abi::SnpGuestRequestIoctl& io) override {
        const int fd = ::open(device_.c_str(), O_RDWR | O_CLOEXEC);
        if (fd < 0) {
            const int e = errno;
            const ProviderErrc code = e == ENOENT || e == ENXIO || e == ENODEV ? ProviderErrc::kUnavailable : ProviderErrc::kIo;
            return Unexpected{ProviderError{code, "open " + device_ + ": " + std::strerror(e)}};
        }
        const int rc = ::ioctl(fd, nr, &io);
        const int err = rc == 0 ? 0 : errno;
        ::close(fd);
        return err;
    }

private:
    std::string device_;
};

ProviderError ioctl_error(const char* what, const abi::SnpGuestRequestIoctl& req, int err) {
    return {ProviderErrc::kFirmware, std::string(what) + ": " + std::strerror(err) + " (fw_error " +
                                         std::to_string(req.fw_error) + ", vmm_error " + std::to_string(req.vmm_error) + ")"};
}

}  // namespace

Expected<Bytes, ProviderError> parse_report_response(cvex::ByteView rsp) {
    if (rsp.size() < abi::kReportRspReportOffset)
        return Unexpected{ProviderError{ProviderErrc::kBadResponse, "MSG_REPORT_RSP shorter than its header"}};
    const uint32_t status = load_u32(rsp.data() + abi::kRspStatusOffset);
    if (status != abi::kStatusSuccess)
        return Unexpected{ProviderError{ProviderErrc::kFirmware, "MSG_REPORT_RSP " + status_text(status)}};
    const uint32_t size = load_u32(rsp.data() + abi::kReportRspSizeOffset);
    if (size != kSnpReportSize || abi::kReportRspReportOffset + size > rsp.size())
        return Unexpected{ProviderError{ProviderErrc::kBadResponse, "MSG_REPORT_RSP REPORT_SIZE is " + std::to_string(size) + ", expected 1184"}};
    return Bytes(rsp.begin() + abi::kReportRspReportOffset, rsp.begin() + abi::kReportRspReportOffset + size);
}

Expected<void, ProviderError> parse_key_response(cvex::ByteView rsp, DerivedKeyOut out) {
    if (rsp.size() < abi::kKeyRspKeyOffset + 32)
        return Unexpected{ProviderError{ProviderErrc::kBadResponse, "MSG_KEY_RSP shorter than 64 bytes"}};
    const uint32_t status = load_u32(rsp.data() + abi::kRspStatusOffset);
    if (status != abi::kStatusSuccess)
        return Unexpected{ProviderError{ProviderErrc::kFirmware, "MSG_KEY_RSP " + status_text(status)}};
    std::memcpy(out.data(), rsp.data() + abi::kKeyRspKeyOffset, out.size());
    return {};
}

Expected<Evidence, ProviderError> SevGuestDeviceProvider::get_evidence(const ReportData& report_data, unsigned vmpl) {
    if (vmpl > 3) return Unexpected{ProviderError{ProviderErrc::kInvalidArgument, "vmpl " + std::to_string(vmpl) + " is above 3"}};
    size_t cert_len = 4 * kPage;
    for (;;) {
        // The driver wants a page-aligned certificate buffer.
        void* certs = ::mmap(nullptr, cert_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (certs == MAP_FAILED) return Unexpected{ProviderError{ProviderErrc::kIo, std::string("mmap: ") + std::strerror(errno)}};
        abi::SnpExtReportReq req{};
        std::memcpy(req.data.user_data, report_data.data(), 64);
        req.data.vmpl = vmpl;
        req.certs_address = reinterpret_cast<uint64_t>(certs);
        req.certs_len = static_cast<uint32_t>(cert_len);
        abi::SnpReportResp resp{};
        abi::SnpGuestRequestIoctl io{};
        io.msg_version = 1;
        io.req_data = reinterpret_cast<uint64_t>(&req);
        io.resp_data = reinterpret_cast<uint64_t>(&resp);
        auto sent = client_->request(abi::kSnpGetExtReport, io);
        if (!sent) {
            ::munmap(certs, cert_len);
            return Unexpected{sent.error()};
        }
        const int err = *sent;
        const int rc = err == 0 ? 0 : -1;
        if (rc != 0 && io.vmm_error == abi::kVmmErrInvalidLen && req.certs_len > cert_len && req.certs_len <= kMaxCertBuffer) {
            ::munmap(certs, cert_len);
            cert_len = (req.certs_len + kPage - 1) / kPage * kPage;
            continue;
        }
        Bytes table(static_cast<uint8_t*>(certs), static_cast<uint8_t*>(certs) + (rc == 0 ? cert_len : 0));
        ::munmap(certs, cert_len);
        if (rc != 0) return Unexpected{ioctl_error("SNP_GET_EXT_REPORT", io, err)};
        auto report = parse_report_response({resp.data, sizeof resp.data});
        if (!report) return Unexpected{report.error()};
        auto parsed = parse_cert_table(table);
        if (!parsed) return Unexpected{ProviderError{ProviderErrc::kBadResponse, "certificate table: " + parsed.error().message()}};
        return Evidence{std::move(*report), std::move(*parsed), "sev-guest-ioctl", false};
    }
}

Expected<void, ProviderError> SevGuestDeviceProvider::derive_key(const DerivedKeyRequest& request, DerivedKeyOut out) {
    if (request.vmpl > 3) return Unexpected{ProviderError{ProviderErrc::kInvalidArgument, "vmpl above 3"}};
    abi::SnpDerivedKeyReq req{};
    req.root_key_select = request.root_key;
    req.guest_field_select = request.guest_field_select;
    req.vmpl = request.vmpl;
    req.guest_svn = request.guest_svn;
    req.tcb_version = request.tcb_version;
    abi::SnpDerivedKeyResp resp{};
    abi::SnpGuestRequestIoctl io{};
    io.msg_version = 1;
    io.req_data = reinterpret_cast<uint64_t>(&req);
    io.resp_data = reinterpret_cast<uint64_t>(&resp);
    auto sent = client_->request(abi::kSnpGetDerivedKey, io);
    Expected<void, ProviderError> result;
    if (!sent) result = Unexpected{sent.error()};
    else if (*sent != 0) result = Unexpected{ioctl_error("SNP_GET_DERIVED_KEY", io, *sent)};
    else result = parse_key_response({resp.data, sizeof resp.data}, out);
    OPENSSL_cleanse(resp.data, sizeof resp.data);  // the key must not linger on the stack
    return result;
}

std::unique_ptr<SevGuestClient> make_device_sev_guest_client(std::string device) {
    return std::make_unique<DeviceClient>(std::move(device));
}

}  // namespace cvex::attest
