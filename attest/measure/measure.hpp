// `cvex measure`'s library entry: the SEV-SNP launch measurement (the attestation report's
// MEASUREMENT) of a guest, computed from its boot inputs before it ever runs, with the same inputs
// and results as virtee's sev-snp-measure (modes snp, snp:ovmf-hash, snp:svsm). A validator
// allow-lists this value: it is recomputable by anyone holding the firmware, kernel, initrd and
// command line, so nothing the host or the guest reports about itself has to be trusted.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "attest/measure/measure_error.hpp"
#include "attest/measure/sha.hpp"
#include "attest/measure/vmm_type.hpp"
#include "base/expected.hpp"

namespace cvex::attest::measure {

enum class Mode {
    kSnp,         // OVMF (+ measured direct boot of kernel/initrd/cmdline) and one VMSA per vCPU
    kSnpOvmfHash, // only the OVMF pages' digest, to seed kSnp later (--snp-ovmf-hash)
    kSnpSvsm,     // Coconut SVSM below OVMF and its variable store; the SVSM's VMSAs
};
std::optional<Mode> parse_mode(std::string_view s);  // "snp", "snp:ovmf-hash", "snp:svsm"
std::string_view mode_name(Mode m);

/// KVM's limit on vCPUs per VM (KVM_MAX_VCPUS).
inline constexpr uint32_t kMaxVcpus = 4096;
/// SEV_FEATURES bit 0, SNPActive: every SNP guest's VMSA has it.
inline constexpr uint64_t kSnpActive = 0x1;

/// The inputs, named as sev-snp-measure's options. Fields a mode does not use must be unset.
struct MeasureRequest {
    Mode mode = Mode::kSnp;
    std::string ovmf;                            // --ovmf (all modes)
    uint32_t vcpus = 0;                          // --vcpus (snp, snp:svsm)
    std::optional<uint32_t> vcpu_sig;            // from --vcpu-type/--vcpu-sig/--vcpu-family…; required with QEMU
    std::optional<VmmType> vmm;                  // --vmm-type; QEMU when unset
    std::optional<std::string> kernel, initrd;   // --kernel, --initrd (snp)
    std::optional<std::string> append;           // --append (snp; needs a kernel)
    std::optional<uint64_t> guest_features;      // --guest-features: SEV_FEATURES, 0x1 when unset
    std::optional<Sha384Digest> ovmf_hash;       // --snp-ovmf-hash (snp): replaces hashing the OVMF pages
    std::optional<std::string> svsm;             // --svsm (snp:svsm)
    std::optional<uint64_t> vars_size;           // --vars-size (snp:svsm), or:
    std::optional<std::string> vars_file;        // --vars-file (snp:svsm): its size is used
    bool input_digests = false;                  // also SHA-256 and SHA-384 of every input (--json)
};

struct InputDigest {
    std::string role;  // "ovmf", "kernel", "initrd", "cmdline", "svsm", "vars_file"
    std::string path;  // empty for the command line
    uint64_t size = 0;
    Sha256Digest sha256{};
    Sha384Digest sha384{};
};

struct Measurement {
    Sha384Digest measurement{};  // the MEASUREMENT; in snp:ovmf-hash mode the OVMF hash
    Sha384Digest ovmf_hash{};    // the digest after the OVMF pages (the given one with --snp-ovmf-hash)
    std::vector<InputDigest> inputs;  // when input_digests was set; the command line's bytes end in NUL
};

Expected<Measurement, MeasureError> measure(const MeasureRequest& request);

}  // namespace cvex::attest::measure
