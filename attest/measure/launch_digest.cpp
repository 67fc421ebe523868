#include "attest/measure/launch_digest.hpp"

#include <array>

namespace cvex::attest::measure {
namespace {

template <class T>
void put_le(uint8_t* p, T v) {
    for (size_t i = 0; i < sizeof(T); ++i) p[i] = static_cast<uint8_t>(static_cast<uint64_t>(v) >> (8 * i));
}

}  // namespace

void LaunchDigest::add(PageType type, uint64_t gpa, const Sha384Digest& contents) {
    // PAGE_INFO (ABI Table 67): DIGEST_CUR[48] CONTENTS[48] LENGTH:u16 PAGE_TYPE:u8 IMI_PAGE:u8
    // VMPL3_PERMS VMPL2_PERMS VMPL1_PERMS RESERVED (u8 each) GPA:u64 = 0x70 bytes. A launch by
    // the host: not an IMI page, no permissions for VMPL1-3.
    constexpr uint16_t kPageInfoLength = 0x70;
    std::array<uint8_t, kPageInfoLength> info{};
    std::copy(ld_.begin(), ld_.end(), info.begin());
    std::copy(contents.begin(), contents.end(), info.begin() + 48);
    put_le(&info[96], kPageInfoLength);
    info[98] = static_cast<uint8_t>(type);
    put_le(&info[104], gpa);
    if (!sha384(info, ld_)) ok_ = false;
}

void LaunchDigest::add_normal_pages(uint64_t gpa, std::span<const uint8_t> data) {
    Sha384Digest page_digest;
    for (size_t off = 0; off + kPageSize <= data.size(); off += kPageSize) {
        if (!sha384(data.subspan(off, kPageSize), page_digest)) ok_ = false;
        add(PageType::kNormal, gpa + off, page_digest);
    }
}

void LaunchDigest::add_zero_pages(uint64_t gpa, uint64_t length) {
    for (uint64_t off = 0; off + kPageSize <= length; off += kPageSize) add(PageType::kZero, gpa + off, Sha384Digest{});
}

void LaunchDigest::add_unmeasured_pages(uint64_t gpa, uint64_t length) {
    for (uint64_t off = 0; off + kPageSize <= length; off += kPageSize) add(PageType::kUnmeasured, gpa + off, Sha384Digest{});
}

void LaunchDigest::add_vmsa_page(std::span<const uint8_t, kPageSize> vmsa) {
    Sha384Digest page_digest;
    if (!sha384(vmsa, page_digest)) ok_ = false;
    add(PageType::kVmsa, kVmsaGpa, page_digest);
}

}  // namespace cvex::attest::measure
