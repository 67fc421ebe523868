// The /dev/sev-guest ioctl ABI (Linux include/uapi/linux/sev-guest.h), mirrored here so the
// layout is ours to check: sizes and offsets are asserted below and tested.
#pragma once

#include <cstddef>
#include <cstdint>

namespace cvex::attest::sev_guest_abi {

struct SnpReportReq {
    uint8_t user_data[64];  // becomes REPORT_DATA
    uint32_t vmpl;
    uint8_t rsvd[28];  // must be zero
};

struct SnpReportResp {
    uint8_t data[4000];  // MSG_REPORT_RSP (SNP ABI Table 23)
};

struct SnpDerivedKeyReq {
    uint32_t root_key_select;
    uint32_t rsvd;
    uint64_t guest_field_select;
    uint32_t vmpl;
    uint32_t guest_svn;
    uint64_t tcb_version;
};

struct SnpDerivedKeyResp {
    uint8_t data[64];  // MSG_KEY_RSP (SNP ABI Table 20)
};

struct SnpGuestRequestIoctl {
    uint8_t msg_version;  // 1
    uint64_t req_data;    // user pointer to the request
    uint64_t resp_data;   // user pointer to the response
    union {
        uint64_t exitinfo2;
        struct {
            uint32_t fw_error;   // SEV firmware status
            uint32_t vmm_error;  // hypervisor status (below)
        };
    };
};

struct SnpExtReportReq {
    SnpReportReq data;
    uint64_t certs_address;  // page-aligned buffer for the certificate table
    uint32_t certs_len;      // its size, a multiple of 4096; on kVmmErrInvalidLen the size needed
};

// _IOWR('S', nr, struct snp_guest_request_ioctl): direction read|write (3) << 30, size 32 << 16.
constexpr unsigned long kIocType = 'S';
constexpr unsigned long iowr(unsigned long nr) {
    return (3ul << 30) | (sizeof(SnpGuestRequestIoctl) << 16) | (kIocType << 8) | nr;
}
constexpr unsigned long kSnpGetReport = iowr(0x0);
constexpr unsigned long kSnpGetDerivedKey = iowr(0x1);
constexpr unsigned long kSnpGetExtReport = iowr(0x2);

// exitinfo2's upper half (vmm_error), from the same header.
constexpr uint32_t kVmmErrInvalidLen = 1;  // certificate buffer too small; certs_len holds the size needed
constexpr uint32_t kVmmErrBusy = 2;        // the hypervisor was busy (the kernel already retried)

// MSG_REPORT_RSP (Table 23) and MSG_KEY_RSP (Table 20) layouts inside the response buffer.
constexpr size_t kRspStatusOffset = 0x00;
constexpr size_t kReportRspSizeOffset = 0x04;
constexpr size_t kReportRspReportOffset = 0x20;
constexpr size_t kKeyRspKeyOffset = 0x20;
constexpr uint32_t kStatusSuccess = 0x00;
constexpr uint32_t kStatusInvalidParam = 0x16;
constexpr uint32_t kStatusInvalidKeySel = 0x27;

static_assert(sizeof(SnpReportReq) == 96);
static_assert(offsetof(SnpReportReq, vmpl) == 64);
static_assert(sizeof(SnpReportResp) == 4000);
static_assert(sizeof(SnpDerivedKeyReq) == 32);
static_assert(offsetof(SnpDerivedKeyReq, guest_field_select) == 8);
static_assert(offsetof(SnpDerivedKeyReq, tcb_version) == 24);
static_assert(sizeof(SnpDerivedKeyResp) == 64);
static_assert(sizeof(SnpGuestRequestIoctl) == 32);
static_assert(offsetof(SnpGuestRequestIoctl, req_data) == 8);
static_assert(offsetof(SnpGuestRequestIoctl, exitinfo2) == 24);
static_assert(sizeof(SnpExtReportReq) == 112);
static_assert(offsetof(SnpExtReportReq, certs_address) == 96);
static_assert(offsetof(SnpExtReportReq, certs_len) == 104);

}  // namespace cvex::attest::sev_guest_abi
