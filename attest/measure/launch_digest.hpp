// The SEV-SNP launch digest as the PSP computes it while the hypervisor adds pages with
// SNP_LAUNCH_UPDATE: for every 4 KiB page, digest = SHA-384(PAGE_INFO), where PAGE_INFO holds the
// previous digest, the page's contents digest, its type and its guest-physical address.
// AMD, "SEV Secure Nested Paging Firmware ABI Specification" (pub. 56860), §8.17 SNP_LAUNCH_UPDATE,
// Table 67 "Layout of the PAGE_INFO Structure" (§8.17.2) and Table 58 "Page Types".
// The final digest is the attestation report's MEASUREMENT.
#pragma once

#include <cstdint>
#include <span>

#include "attest/measure/sha.hpp"

namespace cvex::attest::measure {

inline constexpr size_t kPageSize = 4096;

/// PAGE_TYPE values of SNP_LAUNCH_UPDATE (ABI Table 58).
enum class PageType : uint8_t {
    kNormal = 0x01,      // contents measured
    kVmsa = 0x02,        // a vCPU's save area, at kVmsaGpa
    kZero = 0x03,        // zero-filled by the firmware, measured as such
    kUnmeasured = 0x04,  // contents not measured
    kSecrets = 0x05,     // the firmware's secrets page
    kCpuid = 0x06,       // the CPUID table the firmware checks
};

/// The GPA a VMSA page is measured at: (u64)-1 page-aligned, bits above 51 cleared (the RMP
/// records VMSAs there; virtee/sev-snp-measure gctx.py).
inline constexpr uint64_t kVmsaGpa = 0xFFFFFFFFF000ull;

class LaunchDigest {
public:
    /// Starts from zero, or from a digest computed earlier (an OVMF hash, `--snp-ovmf-hash`).
    explicit LaunchDigest(const Sha384Digest& seed = {}) : ld_(seed) {}

    /// `data` must be a whole number of pages; page i is measured at gpa + i·4096.
    void add_normal_pages(uint64_t gpa, std::span<const uint8_t> data);
    /// `length` must be a whole number of pages.
    void add_zero_pages(uint64_t gpa, uint64_t length);
    void add_unmeasured_pages(uint64_t gpa, uint64_t length);
    void add_secrets_page(uint64_t gpa) { add(PageType::kSecrets, gpa, Sha384Digest{}); }
    void add_cpuid_page(uint64_t gpa) { add(PageType::kCpuid, gpa, Sha384Digest{}); }
    void add_vmsa_page(std::span<const uint8_t, kPageSize> vmsa);

    const Sha384Digest& value() const { return ld_; }
    /// False if OpenSSL ever failed; the value is then meaningless.
    bool ok() const { return ok_; }

private:
    void add(PageType type, uint64_t gpa, const Sha384Digest& contents);

    Sha384Digest ld_;
    bool ok_ = true;
};

}  // namespace cvex::attest::measure
