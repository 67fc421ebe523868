// The vCPU signature: CPUID Fn0000_0001_EAX of the guest's CPU model, which QEMU passes to the
// reset vector in RDX and which therefore enters the measured VMSA. AMD, "CPUID Specification"
// (pub. 25481), CPUID Fn0000_0001_EAX Family, Model, Stepping Identifiers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cvex::attest::measure {

/// Family (0–270: 15 + an 8-bit extended family), model (0–255), stepping (0–15) → signature;
/// nullopt when a value is out of its range.
std::optional<uint32_t> cpu_signature(unsigned family, unsigned model, unsigned stepping);

/// The signature of a QEMU CPU model name ("EPYC-v4", "EPYC-Milan", …), as the reference lists
/// them (QEMU's builtin_x86_defs); nullopt for any other name.
std::optional<uint32_t> cpu_signature_by_name(std::string_view name);

/// Every accepted name, comma-separated, for error messages and --help.
std::string cpu_type_names();

}  // namespace cvex::attest::measure
