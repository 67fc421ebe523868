// Validation of a request (what the reference refuses, and combinations it would silently ignore
// but that would measure something else than the user named), loading of the inputs, dispatch.
#include "attest/measure/measure.hpp"

#include "attest/measure/firmware_image.hpp"
#include "attest/measure/input_file.hpp"
#include "attest/measure/launch_flows.hpp"

namespace cvex::attest::measure {
namespace {

using Kind = MeasureError::Kind;

Unexpected<MeasureError> fail(Kind k, std::string subject, std::string detail) {
    return Unexpected(MeasureError{k, std::move(subject), std::move(detail)});
}

std::optional<MeasureError> refuse_unused(const MeasureRequest& r) {
    const std::string_view mode = mode_name(r.mode);
    auto unused = [&](bool set, const char* option) -> std::optional<MeasureError> {
        if (!set) return std::nullopt;
        return MeasureError{Kind::kInvalidArgument, option, std::string("not used in mode ") + std::string(mode)};
    };
    const bool snp = r.mode == Mode::kSnp, svsm = r.mode == Mode::kSnpSvsm, hash_only = r.mode == Mode::kSnpOvmfHash;
    for (auto e : {unused(hash_only && r.vcpus != 0, "--vcpus"), unused(hash_only && r.vcpu_sig.has_value(), "--vcpu-type/--vcpu-sig"),
                   unused(hash_only && r.vmm.has_value(), "--vmm-type"), unused(hash_only && r.guest_features.has_value(), "--guest-features"),
                   unused(!snp && r.kernel.has_value(), "--kernel"), unused(!snp && r.initrd.has_value(), "--initrd"),
                   unused(!snp && r.append.has_value(), "--append"), unused(!snp && r.ovmf_hash.has_value(), "--snp-ovmf-hash"),
                   unused(!svsm && r.svsm.has_value(), "--svsm"), unused(!svsm && r.vars_size.has_value(), "--vars-size"),
                   unused(!svsm && r.vars_file.has_value(), "--vars-file")})
        if (e) return e;
    return std::nullopt;
}

std::optional<MeasureError> validate(const MeasureRequest& r) {
    if (r.ovmf.empty()) return MeasureError{Kind::kInvalidArgument, "--ovmf", "required"};
    if (auto e = refuse_unused(r)) return e;
    if (r.mode == Mode::kSnpOvmfHash) return std::nullopt;
    const VmmType vmm = r.vmm.value_or(VmmType::kQemu);
    if (r.vcpus == 0 || r.vcpus > kMaxVcpus)
        return MeasureError{Kind::kInvalidArgument, "--vcpus", "must be 1 to " + std::to_string(kMaxVcpus)};
    // QEMU passes the signature in RDX; EC2 and GCE put their own value there.
    if (vmm == VmmType::kQemu && !r.vcpu_sig)
        return MeasureError{Kind::kInvalidArgument, "", "--vmm-type QEMU needs --vcpu-type, --vcpu-sig or --vcpu-family/--vcpu-model/--vcpu-stepping"};
    if (r.guest_features && (*r.guest_features & kSnpActive) == 0)
        return MeasureError{Kind::kInvalidArgument, "--guest-features", "bit 0 (SNPActive) must be set for an SNP guest"};
    if (r.mode == Mode::kSnp) {
        if ((r.initrd || r.append) && !r.kernel) return MeasureError{Kind::kInvalidArgument, r.initrd ? "--initrd" : "--append", "needs --kernel"};
        return std::nullopt;
    }
    if (vmm != VmmType::kQemu)
        return MeasureError{Kind::kUnsupported, "--vmm-type", "snp:svsm mode is implemented for QEMU only (as in the reference)"};
    if (!r.svsm) return MeasureError{Kind::kInvalidArgument, "--svsm", "required in mode snp:svsm"};
    if (r.vars_size.has_value() == r.vars_file.has_value())
        return MeasureError{Kind::kInvalidArgument, "", "mode snp:svsm needs exactly one of --vars-size and --vars-file"};
    if (r.vars_size && (*r.vars_size == 0 || *r.vars_size % kPageSize != 0))
        return MeasureError{Kind::kInvalidArgument, "--vars-size", "must be a non-zero multiple of 4096"};
    return std::nullopt;
}

Expected<FirmwareImage, MeasureError> load_firmware(const std::string& path, const std::string& subject, uint64_t end_gpa) {
    auto data = read_input_file(path, subject, kMaxFirmwareSize);
    if (!data) return Unexpected(std::move(data).error());
    return FirmwareImage::parse(std::move(*data), end_gpa, subject);
}

Expected<InputDigest, MeasureError> digest_bytes(std::string role, std::string path, std::span<const uint8_t> bytes) {
    InputDigest d{std::move(role), std::move(path), bytes.size(), {}, {}};
    if (!sha256(bytes, d.sha256) || !sha384(bytes, d.sha384)) return fail(Kind::kCrypto, d.role, "OpenSSL failed to hash it");
    return d;
}

// Hashes a kernel or initrd once (SHA-256 for the table, SHA-384 too when asked for).
Expected<Sha256Digest, MeasureError> boot_file(const std::string& role, const std::string& path, Measurement& m, bool digests) {
    auto d = digest_input_file(path, "--" + role + " " + path, kMaxBootFileSize, digests);
    if (!d) return Unexpected(std::move(d).error());
    if (digests) m.inputs.push_back({role, path, d->size, d->sha256, *d->sha384});
    return d->sha256;
}

Expected<std::optional<SevHashes>, MeasureError> sev_hashes(const MeasureRequest& r, const FirmwareImage& ovmf, Measurement& m) {
    if (!r.kernel) return std::optional<SevHashes>{};
    const std::string subject = "--ovmf " + r.ovmf;
    // Checked before any kernel byte is read: the reference refuses this combination.
    if (!ovmf.has_section(SectionType::kSnpKernelHashes))
        return fail(Kind::kNoKernelHashes, subject, "the firmware has no SNP kernel-hashes section, so a kernel cannot be measured");
    for (const MetadataSection& s : ovmf.sections())
        if (s.type == SectionType::kSnpKernelHashes && s.size != kPageSize)
            return fail(Kind::kMalformedFirmware, subject, "its kernel-hashes section is " + std::to_string(s.size) + " bytes, not one page");
    if (!ovmf.sev_hashes_table_gpa())
        return fail(Kind::kNoKernelHashes, subject, "the firmware has no SEV hashes table address (GUID 7255371f-…), so a kernel cannot be measured");
    SevHashes h;
    auto kernel = boot_file("kernel", *r.kernel, m, r.input_digests);
    if (!kernel) return Unexpected(std::move(kernel).error());
    h.kernel = *kernel;
    const std::string no_initrd;  // QEMU hashes an absent initrd as empty
    if (r.initrd) {
        auto initrd = boot_file("initrd", *r.initrd, m, r.input_digests);
        if (!initrd) return Unexpected(std::move(initrd).error());
        h.initrd = *initrd;
    } else if (!sha256({}, h.initrd)) {
        return fail(Kind::kCrypto, "--initrd", "OpenSSL failed");
    }
    std::string cmdline = r.append.value_or("");
    cmdline.push_back('\0');  // QEMU measures the command line with its NUL
    const std::span<const uint8_t> cmd(reinterpret_cast<const uint8_t*>(cmdline.data()), cmdline.size());
    auto c = digest_bytes("cmdline", "", cmd);
    if (!c) return Unexpected(std::move(c).error());
    h.cmdline = c->sha256;
    if (r.input_digests) m.inputs.push_back(std::move(*c));
    return std::optional<SevHashes>(h);
}

Expected<Measurement, MeasureError> measure_svsm(const MeasureRequest& r, const FirmwareImage& ovmf, Measurement m) {
    uint64_t vars_size = r.vars_size.value_or(0);
    if (r.vars_file) {
        const std::string subject = "--vars-file " + *r.vars_file;
        if (r.input_digests) {  // its contents are not measured, but a manifest may pin them
            auto d = digest_input_file(*r.vars_file, subject, kMaxFirmwareSize, true);
            if (!d) return Unexpected(std::move(d).error());
            m.inputs.push_back({"vars_file", *r.vars_file, d->size, d->sha256, *d->sha384});
            vars_size = d->size;
        } else {
            auto size = input_file_size(*r.vars_file, subject, kMaxFirmwareSize);
            if (!size) return Unexpected(std::move(size).error());
            vars_size = *size;
        }
        if (vars_size == 0 || vars_size % kPageSize != 0) return fail(Kind::kInvalidArgument, subject, "size must be a non-zero multiple of 4096");
    }
    if (vars_size >= ovmf.gpa()) return fail(Kind::kInvalidArgument, "--vars-size", "places the SVSM below guest address 0");
    auto svsm = load_firmware(*r.svsm, "--svsm " + *r.svsm, ovmf.gpa() - vars_size);
    if (!svsm) return Unexpected(std::move(svsm).error());
    if (r.input_digests) {
        auto d = digest_bytes("svsm", *r.svsm, svsm->data());
        if (!d) return Unexpected(std::move(d).error());
        m.inputs.push_back(std::move(*d));
    }
    auto ld = svsm_launch_digest({ovmf, *svsm, r.vcpus, *r.vcpu_sig});
    if (!ld) return Unexpected(std::move(ld).error());
    m.measurement = *ld;
    return m;
}

}  // namespace

std::optional<Mode> parse_mode(std::string_view s) {
    if (s == "snp") return Mode::kSnp;
    if (s == "snp:ovmf-hash") return Mode::kSnpOvmfHash;
    if (s == "snp:svsm") return Mode::kSnpSvsm;
    return std::nullopt;
}

std::string_view mode_name(Mode m) {
    switch (m) {
        case Mode::kSnp: return "snp";
        case Mode::kSnpOvmfHash: return "snp:ovmf-hash";
        case Mode::kSnpSvsm: return "snp:svsm";
    }
    return "?";
}

Expected<Measurement, MeasureError> measure(const MeasureRequest& r) {
    if (auto e = validate(r)) return Unexpected(std::move(*e));
    auto ovmf = load_firmware(r.ovmf, "--ovmf " + r.ovmf, kFourGiB);
    if (!ovmf) return Unexpected(std::move(ovmf).error());
    Measurement m;
    if (r.input_digests) {
        auto d = digest_bytes("ovmf", r.ovmf, ovmf->data());
        if (!d) return Unexpected(std::move(d).error());
        m.inputs.push_back(std::move(*d));
    }
    auto pages = firmware_pages_digest(*ovmf, "--ovmf " + r.ovmf);
    if (!pages) return Unexpected(std::move(pages).error());
    // --snp-ovmf-hash stands for the pages: the file then only supplies metadata and reset EIP.
    m.ovmf_hash = r.ovmf_hash.value_or(*pages);
    if (r.mode == Mode::kSnpOvmfHash) {
        m.measurement = m.ovmf_hash;
        return m;
    }
    if (r.mode == Mode::kSnpSvsm) return measure_svsm(r, *ovmf, std::move(m));
    auto hashes = sev_hashes(r, *ovmf, m);
    if (!hashes) return Unexpected(std::move(hashes).error());
    const VmmType vmm = r.vmm.value_or(VmmType::kQemu);
    auto ld = snp_launch_digest({*ovmf, m.ovmf_hash, *hashes, r.vcpus, r.vcpu_sig.value_or(0), vmm, r.guest_features.value_or(kSnpActive)});
    if (!ld) return Unexpected(std::move(ld).error());
    m.measurement = *ld;
    return m;
}

}  // namespace cvex::attest::measure
