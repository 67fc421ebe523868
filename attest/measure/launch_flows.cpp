// The order of pages follows what QEMU (and, with their quirks, EC2 and GCE) hands to
// SNP_LAUNCH_UPDATE, as virtee/sev-snp-measure guest.py reproduces it: the firmware's pages, then
// its SEV metadata sections in file order, then one VMSA per vCPU.
#include "attest/measure/launch_flows.hpp"

#include "attest/measure/launch_digest.hpp"
#include "attest/measure/vmsa.hpp"

namespace cvex::attest::measure {
namespace {

using Kind = MeasureError::Kind;

Unexpected<MeasureError> fail(Kind k, const std::string& subject, std::string detail) {
    return Unexpected(MeasureError{k, subject, std::move(detail)});
}

// The kernel-hashes page: the SEV hashes table at its offset within the page, or, without a
// kernel, a zero page as QEMU adds it.
bool add_kernel_hashes(LaunchDigest& ld, const FirmwareImage& fw, const std::optional<SevHashes>& hashes, const MetadataSection& s) {
    if (!hashes) {
        ld.add_zero_pages(s.gpa, s.size);
        return true;
    }
    const auto table_gpa = fw.sev_hashes_table_gpa();
    const auto page = table_gpa ? hashes->page(*table_gpa & (kPageSize - 1)) : std::nullopt;
    if (!page) return false;
    ld.add_normal_pages(s.gpa, *page);
    return true;
}

Expected<void, MeasureError> add_sections(LaunchDigest& ld, const FirmwareImage& fw, const std::optional<SevHashes>& hashes,
                                                VmmType vmm, const std::string& subject) {
    for (const MetadataSection& s : fw.sections()) {
        switch (s.type) {
            case SectionType::kSnpSecMem:
                // GCE adds the pre-validated range without measuring its contents.
                if (vmm == VmmType::kGce) ld.add_unmeasured_pages(s.gpa, s.size);
                else ld.add_zero_pages(s.gpa, s.size);
                break;
            case SectionType::kSnpSecrets: ld.add_secrets_page(s.gpa); break;
            case SectionType::kCpuid:
                if (vmm != VmmType::kEc2) ld.add_cpuid_page(s.gpa);
                break;
            case SectionType::kSnpKernelHashes:
                if (!add_kernel_hashes(ld, fw, hashes, s))
                    return fail(Kind::kMalformedFirmware, subject, "the SEV hashes table does not fit in its kernel-hashes page");
                break;
            case SectionType::kSvsmCaa: ld.add_zero_pages(s.gpa, s.size); break;
        }
    }
    // EC2 adds the CPUID page after every other section.
    if (vmm == VmmType::kEc2)
        for (const MetadataSection& s : fw.sections())
            if (s.type == SectionType::kCpuid) ld.add_cpuid_page(s.gpa);
    return {};
}

Expected<Sha384Digest, MeasureError> result(const LaunchDigest& ld, const std::string& subject) {
    if (!ld.ok()) return fail(Kind::kCrypto, subject, "OpenSSL failed to compute SHA-384");
    return ld.value();
}

}  // namespace

Expected<Sha384Digest, MeasureError> firmware_pages_digest(const FirmwareImage& fw, const std::string& subject) {
    LaunchDigest ld;
    ld.add_normal_pages(fw.gpa(), fw.data());
    return result(ld, subject);
}

Expected<Sha384Digest, MeasureError> snp_launch_digest(const SnpLaunch& l) {
    const std::string subject = "--ovmf";
    const auto ap_eip = l.ovmf.sev_es_reset_eip();
    if (!ap_eip) return fail(Kind::kMalformedFirmware, subject, "no SEV-ES reset block in its footer table: it cannot start SNP vCPUs");
    if (l.vcpus > 1 && *ap_eip == 0)
        return fail(Kind::kMalformedFirmware, subject, "its SEV-ES reset EIP is 0, so it cannot start more than one vCPU");
    LaunchDigest ld(l.ovmf_hash);
    auto sections = add_sections(ld, l.ovmf, l.hashes, l.vmm, subject);
    if (!sections) return Unexpected(std::move(sections).error());
    const VmsaPage bsp = reset_vmsa(kBspResetEip, l.guest_features, l.vcpu_sig, l.vmm);
    const VmsaPage ap = reset_vmsa(*ap_eip, l.guest_features, l.vcpu_sig, l.vmm);
    for (uint32_t i = 0; i < l.vcpus; ++i) ld.add_vmsa_page(i == 0 ? bsp : ap);
    return result(ld, subject);
}

Expected<Sha384Digest, MeasureError> svsm_launch_digest(const SvsmLaunch& l) {
    const std::string subject = "--svsm";
    const auto entry = l.svsm.svsm_entry();
    if (!entry) return fail(Kind::kMalformedFirmware, subject, "no SVSM information entry (GUID a789a612-…) in its footer table");
    LaunchDigest ld;
    ld.add_normal_pages(l.ovmf.gpa(), l.ovmf.data());
    ld.add_normal_pages(l.svsm.gpa(), l.svsm.data());
    // The SVSM's metadata, not OVMF's: the SVSM prepares OVMF's memory itself (SVSM mode is QEMU only).
    auto sections = add_sections(ld, l.svsm, std::nullopt, VmmType::kQemu, subject);
    if (!sections) return Unexpected(std::move(sections).error());
    const VmsaPage vmsa = svsm_vmsa(*entry, l.vcpu_sig);
    for (uint32_t i = 0; i < l.vcpus; ++i) ld.add_vmsa_page(vmsa);
    return result(ld, subject);
}

}  // namespace cvex::attest::measure
