// The VMSA page of each vCPU: its register state at launch, which SNP measures (page type VMSA).
// Layout: AMD64 Architecture Programmer's Manual Vol. 2, Table B-4 "VMSA Layout, State Save Area
// for SEV-ES" (Linux arch/x86/include/asm/svm.h, struct sev_es_save_area). Values: what KVM/QEMU,
// EC2 and GCE set at reset, as the reference (virtee/sev-snp-measure vmsa.py) records them.
#pragma once

#include <array>
#include <cstdint>

#include "attest/measure/launch_digest.hpp"
#include "attest/measure/vmm_type.hpp"

namespace cvex::attest::measure {

using VmsaPage = std::array<uint8_t, kPageSize>;

/// The boot processor starts at the x86 reset vector.
inline constexpr uint32_t kBspResetEip = 0xFFFFFFF0;

/// A vCPU entering the firmware at `eip` (the BSP at kBspResetEip, an AP at the firmware's SEV-ES
/// reset EIP) in real mode. `sev_features` is the VMSA's SEV_FEATURES (--guest-features);
/// `vcpu_sig` goes to RDX under QEMU (EC2 and GCE put their own value there).
VmsaPage reset_vmsa(uint32_t eip, uint64_t sev_features, uint32_t vcpu_sig, VmmType vmm);

/// A vCPU entering a Coconut SVSM at `entry` in 32-bit protected mode (flat segments, CR0.PE),
/// as Coconut's QEMU sets it up; SEV_FEATURES is SNPActive only.
VmsaPage svsm_vmsa(uint64_t entry, uint32_t vcpu_sig);

}  // namespace cvex::attest::measure
