#include "attest/measure/vmsa.hpp"

namespace cvex::attest::measure {
namespace {

// Byte offsets in the save area (APM Vol. 2 Table B-4).
enum Offset : size_t {
    kEs = 0x000, kCs = 0x010, kSs = 0x020, kDs = 0x030, kFs = 0x040, kGs = 0x050,
    kGdtr = 0x060, kLdtr = 0x070, kIdtr = 0x080, kTr = 0x090,
    kEfer = 0x0D0, kCr4 = 0x148, kCr0 = 0x158, kDr7 = 0x160, kDr6 = 0x168, kRflags = 0x170, kRip = 0x178,
    kGPat = 0x268, kRdx = 0x310, kSevFeatures = 0x3B0, kXcr0 = 0x3E8, kMxcsr = 0x408, kX87Fcw = 0x410,
};

// Reset values common to every VMM (APM Vol. 2 §14.1.3 "Processor Initialization State"; KVM adds
// EFER.SVME and CR4.MCE).
constexpr uint64_t kEferSvme = 0x1000;
constexpr uint64_t kCr4Mce = 0x40;
constexpr uint64_t kDr7Reset = 0x400;
constexpr uint64_t kDr6Reset = 0xFFFF0FF0;
constexpr uint64_t kRflagsReset = 0x2;
constexpr uint64_t kPatReset = 0x0007040600070406;  // PAT MSR reset value, APM Vol. 2 §A.3
constexpr uint64_t kXcr0Reset = 0x1;
constexpr uint32_t kMxcsrReset = 0x1F80;  // set by QEMU (x86_cpu_reset), left 0 by EC2 and GCE
constexpr uint16_t kFcwReset = 0x37F;
constexpr uint64_t kSnpActive = 0x1;      // SEV_FEATURES bit 0

template <class T>
void put(VmsaPage& p, size_t at, T v) {
    for (size_t i = 0; i < sizeof(T); ++i) p[at + i] = static_cast<uint8_t>(static_cast<uint64_t>(v) >> (8 * i));
}

// struct vmcb_seg: selector u16, attrib u16, limit u32, base u64.
void put_segment(VmsaPage& p, size_t at, uint16_t selector, uint16_t attrib, uint32_t limit, uint64_t base) {
    put(p, at, selector);
    put(p, at + 2, attrib);
    put(p, at + 4, limit);
    put(p, at + 8, base);
}

void put_common(VmsaPage& p, uint64_t cr0, uint64_t rip, uint64_t sev_features, uint32_t vcpu_sig) {
    put(p, kEfer, kEferSvme);
    put(p, kCr4, kCr4Mce);
    put(p, kCr0, cr0);
    put(p, kDr7, kDr7Reset);
    put(p, kDr6, kDr6Reset);
    put(p, kRflags, kRflagsReset);
    put(p, kRip, rip);
    put(p, kRdx, uint64_t{vcpu_sig});
    put(p, kSevFeatures, sev_features);
    put(p, kXcr0, kXcr0Reset);
}

}  // namespace

VmsaPage reset_vmsa(uint32_t eip, uint64_t sev_features, uint32_t vcpu_sig, VmmType vmm) {
    // Attributes of CS/SS/TR differ: QEMU sets the accessed bits and a busy 32-bit TSS, EC2 leaves
    // the BSP's CS unaccessed and a 16-bit TSS; EC2 and GCE pass 0x600 in RDX instead of the
    // signature, leave MXCSR/FCW zero, and GCE overwrites the PAT.
    uint16_t cs_attr = 0x9B, ss_attr = 0x93, tr_attr = 0x8B;
    uint64_t rdx = vcpu_sig, pat = kPatReset;
    uint32_t mxcsr = kMxcsrReset;
    uint16_t fcw = kFcwReset;
    if (vmm == VmmType::kEc2) {
        cs_attr = eip == kBspResetEip ? 0x9A : 0x9B, ss_attr = 0x92, tr_attr = 0x83;
        rdx = 0x600, mxcsr = 0, fcw = 0;
    } else if (vmm == VmmType::kGce) {
        rdx = 0x600, mxcsr = 0, fcw = 0, pat = 0x00070106;
    }
    VmsaPage p{};
    put_segment(p, kEs, 0, 0x93, 0xFFFF, 0);
    put_segment(p, kCs, 0xF000, cs_attr, 0xFFFF, eip & 0xFFFF0000u);  // real mode: CS.base holds the high bits
    put_segment(p, kSs, 0, ss_attr, 0xFFFF, 0);
    put_segment(p, kDs, 0, 0x93, 0xFFFF, 0);
    put_segment(p, kFs, 0, 0x93, 0xFFFF, 0);
    put_segment(p, kGs, 0, 0x93, 0xFFFF, 0);
    put_segment(p, kGdtr, 0, 0, 0xFFFF, 0);
    put_segment(p, kIdtr, 0, 0, 0xFFFF, 0);
    put_segment(p, kLdtr, 0, 0x82, 0xFFFF, 0);
    put_segment(p, kTr, 0, tr_attr, 0xFFFF, 0);
    put_common(p, 0x10, eip & 0xFFFF, sev_features, 0);
    put(p, kRdx, rdx);
    put(p, kGPat, pat);
    put(p, kMxcsr, mxcsr);
    put(p, kX87Fcw, fcw);
    return p;
}

VmsaPage svsm_vmsa(uint64_t entry, uint32_t vcpu_sig) {
    VmsaPage p{};
    put_segment(p, kEs, 16, 0xC93, 0xFFFFFFFF, 0);  // flat 32-bit data
    put_segment(p, kCs, 8, 0xC9B, 0xFFFFFFFF, 0);   // flat 32-bit code
    put_segment(p, kSs, 16, 0xC93, 0xFFFFFFFF, 0);
    put_segment(p, kDs, 16, 0xC93, 0xFFFFFFFF, 0);
    put_segment(p, kFs, 16, 0xC93, 0xFFFFFFFF, 0);
    put_segment(p, kGs, 0, 0x093, 0xFFFF, 0);
    put_segment(p, kGdtr, 0, 0, 0xFFFF, 0);
    put_segment(p, kIdtr, 0, 0, 0xFFFF, 0);
    put_segment(p, kLdtr, 0, 0x82, 0xFFFF, 0);
    put_segment(p, kTr, 0, 0x8B, 0xFFFF, 0);
    put_common(p, 0x11, entry, kSnpActive, vcpu_sig);  // CR0.PE set
    put(p, kGPat, kPatReset);
    // The reference sets MXCSR here but not FCW (its keyword does not name a field), and the
    // digests of real SVSM launches agree.
    put(p, kMxcsr, kMxcsrReset);
    return p;
}

}  // namespace cvex::attest::measure
