// The hypervisor that launches the guest: each sets a slightly different initial register state
// in the VMSA and measures the CPUID page at a different moment (see vmsa.cpp, snp_measure.cpp).
// Names as the reference's --vmm-type spells them.
#pragma once

#include <optional>
#include <string_view>

namespace cvex::attest::measure {

enum class VmmType { kQemu, kEc2, kGce };

inline std::optional<VmmType> parse_vmm_type(std::string_view s) {
    if (s == "QEMU") return VmmType::kQemu;
    if (s == "ec2") return VmmType::kEc2;
    if (s == "gce") return VmmType::kGce;
    return std::nullopt;
}

inline std::string_view vmm_type_name(VmmType t) {
    switch (t) {
        case VmmType::kQemu: return "QEMU";
        case VmmType::kEc2: return "ec2";
        case VmmType::kGce: return "gce";
    }
    return "?";
}

}  // namespace cvex::attest::measure
