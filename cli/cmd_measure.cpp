// cvex measure: the SEV-SNP launch measurement of a guest from its boot inputs (issue 13 §1), with
// the options of virtee's sev-snp-measure. Prints the 48-byte MEASUREMENT as 96 hex digits (as
// that tool does), or with --json also every input's SHA-256 and SHA-384 and the OVMF hash.
// Options are strict: each at most once, never empty, only in the modes that use them.
#include <charconv>
#include <map>
#include <ostream>

#include <nlohmann/json.hpp>

#include "attest/measure/measure.hpp"
#include "attest/measure/vcpu_signature.hpp"
#include "base/bytes.hpp"
#include "cli/command.hpp"

namespace cvex::cli {
namespace {

namespace m = attest::measure;

constexpr std::string_view kValued[] = {"--mode", "--vcpus", "--vcpu-type", "--vcpu-sig", "--vcpu-family", "--vcpu-model",
                                        "--vcpu-stepping", "--vmm-type", "--ovmf", "--kernel", "--initrd", "--append",
                                        "--guest-features", "--snp-ovmf-hash", "--svsm", "--vars-size", "--vars-file"};

struct Options {
    std::map<std::string, std::string, std::less<>> valued;
    bool json = false;

    const std::string* get(std::string_view name) const {
        auto it = valued.find(name);
        return it == valued.end() ? nullptr : &it->second;
    }
};

// Every argument must be a known option; each at most once and never empty. A value is the next
// argument unless it looks like an option (`--append=--foo` passes one that does).
Options parse_options(const Args& args) {
    Options o;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--json") {
            if (o.json) throw UsageError("--json given twice");
            o.json = true;
            continue;
        }
        const size_t eq = a.find('=');
        const std::string name = a.substr(0, eq);
        if (std::find(std::begin(kValued), std::end(kValued), name) == std::end(kValued)) {
            if (a.rfind("--", 0) == 0) throw UsageError("unknown option " + name + " (see `cvex measure --help`)");
            throw UsageError("unexpected argument '" + a + "' (see `cvex measure --help`)");
        }
        std::string value;
        if (eq != std::string::npos) {
            value = a.substr(eq + 1);
        } else {
            if (i + 1 >= args.size() || args[i + 1].rfind("--", 0) == 0) throw UsageError(name + " needs a value");
            value = args[++i];
        }
        if (value.empty()) throw UsageError(name + " is empty");
        if (!o.valued.emplace(name, std::move(value)).second) throw UsageError(name + " given twice");
    }
    return o;
}

// Decimal, or hex after 0x when `hex_ok` (the reference reads these with int(s, 0)).
uint64_t parse_number(const std::string& name, const std::string& s, bool hex_ok, uint64_t max) {
    const bool hex = hex_ok && (s.rfind("0x", 0) == 0 || s.rfind("0X", 0) == 0);
    const char* first = s.data() + (hex ? 2 : 0);
    const char* last = s.data() + s.size();
    uint64_t v = 0;
    auto [p, ec] = std::from_chars(first, last, v, hex ? 16 : 10);
    if (first == last || ec != std::errc() || p != last || v > max)
        throw UsageError(name + " '" + s + "' is not " + (hex_ok ? "a decimal or 0x-hex" : "a decimal") + " number up to " + std::to_string(max));
    return v;
}

std::optional<uint32_t> vcpu_signature(const Options& o) {
    const auto* type = o.get("--vcpu-type");
    const auto* sig = o.get("--vcpu-sig");
    const auto* family = o.get("--vcpu-family");
    const auto* model = o.get("--vcpu-model");
    const auto* stepping = o.get("--vcpu-stepping");
    const bool fms = family || model || stepping;
    if ((type != nullptr) + (sig != nullptr) + fms > 1)
        throw UsageError("give one of --vcpu-type, --vcpu-sig and --vcpu-family/--vcpu-model/--vcpu-stepping");
    if (type) {
        auto s = m::cpu_signature_by_name(*type);
        if (!s) throw UsageError("--vcpu-type '" + *type + "' is not one of " + m::cpu_type_names());
        return s;
    }
    if (sig) return static_cast<uint32_t>(parse_number("--vcpu-sig", *sig, true, 0xFFFFFFFF));
    if (!fms) return std::nullopt;
    if (!family || !model || !stepping) throw UsageError("--vcpu-family, --vcpu-model and --vcpu-stepping go together");
    auto s = m::cpu_signature(static_cast<unsigned>(parse_number("--vcpu-family", *family, false, 0xF + 0xFF)),
                              static_cast<unsigned>(parse_number("--vcpu-model", *model, false, 0xFF)),
                              static_cast<unsigned>(parse_number("--vcpu-stepping", *stepping, false, 0xF)));
    return s;  // the ranges above are the ones cpu_signature accepts
}

m::MeasureRequest build_request(const Options& o) {
    m::MeasureRequest r;
    const auto* mode = o.get("--mode");
    if (!mode) throw UsageError("--mode is required (snp, snp:ovmf-hash or snp:svsm)");
    auto parsed = m::parse_mode(*mode);
    if (!parsed) throw UsageError("--mode '" + *mode + "' is not snp, snp:ovmf-hash or snp:svsm (cvex measures SEV-SNP guests only)");
    r.mode = *parsed;
    const auto* ovmf = o.get("--ovmf");
    if (!ovmf) throw UsageError("--ovmf is required");
    r.ovmf = *ovmf;
    if (const auto* v = o.get("--vcpus")) r.vcpus = static_cast<uint32_t>(parse_number("--vcpus", *v, false, m::kMaxVcpus));
    else if (r.mode != m::Mode::kSnpOvmfHash) throw UsageError("--vcpus is required in mode " + *mode);
    r.vcpu_sig = vcpu_signature(o);
    if (const auto* v = o.get("--vmm-type")) {
        r.vmm = m::parse_vmm_type(*v);
        if (!r.vmm) throw UsageError("--vmm-type '" + *v + "' is not QEMU, ec2 or gce");
    }
    if (const auto* v = o.get("--kernel")) r.kernel = *v;
    if (const auto* v = o.get("--initrd")) r.initrd = *v;
    if (const auto* v = o.get("--append")) r.append = *v;
    if (const auto* v = o.get("--guest-features")) r.guest_features = parse_number("--guest-features", *v, true, UINT64_MAX);
    if (const auto* v = o.get("--snp-ovmf-hash")) {
        m::Sha384Digest h;
        if (!cvex::from_hex_fixed(*v, h)) throw UsageError("--snp-ovmf-hash must be 48 bytes of hex (96 digits)");
        r.ovmf_hash = h;
    }
    if (const auto* v = o.get("--svsm")) r.svsm = *v;
    if (const auto* v = o.get("--vars-size")) r.vars_size = parse_number("--vars-size", *v, false, UINT32_MAX);
    if (const auto* v = o.get("--vars-file")) r.vars_file = *v;
    r.input_digests = o.json;
    return r;
}

nlohmann::json to_json(const Options& o, const m::MeasureRequest& r, const m::Measurement& result) {
    auto hex = [](std::span<const uint8_t> b) { return cvex::to_hex(b); };
    nlohmann::json j;
    j["mode"] = std::string(m::mode_name(r.mode));
    j["measurement"] = hex(result.measurement);
    j["ovmf_hash"] = hex(result.ovmf_hash);
    j["ovmf_hash_given"] = r.ovmf_hash.has_value();
    if (r.mode != m::Mode::kSnpOvmfHash) {
        j["vcpus"] = r.vcpus;
        j["vcpu_type"] = o.get("--vcpu-type") ? nlohmann::json(*o.get("--vcpu-type")) : nlohmann::json();
        j["vcpu_sig"] = r.vcpu_sig ? nlohmann::json(*r.vcpu_sig) : nlohmann::json();
        j["vmm_type"] = std::string(m::vmm_type_name(r.vmm.value_or(m::VmmType::kQemu)));
        j["guest_features"] = r.guest_features.value_or(m::kSnpActive);
    }
    j["inputs"] = nlohmann::json::object();
    for (const m::InputDigest& d : result.inputs) {
        nlohmann::json e = {{"size", d.size}, {"sha256", hex(d.sha256)}, {"sha384", hex(d.sha384)}};
        if (d.role == "cmdline") e["value"] = r.append.value_or("");
        else e["path"] = d.path;
        j["inputs"][d.role] = std::move(e);
    }
    return j;
}

int run_measure(const Args& args, std::ostream& out) {
    const Options o = parse_options(args);
    const m::MeasureRequest r = build_request(o);
    auto result = m::measure(r);
    if (!result) throw UsageError(result.error().message());
    if (!o.json) {
        out << cvex::to_hex(result->measurement, false) << "\n";
        return kOk;
    }
    // A command line need not be UTF-8: replace what JSON cannot carry rather than fail.
    out << to_json(o, r, *result).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return kOk;
}

const CommandRegistrar reg{{"measure",
                            "--mode snp|snp:ovmf-hash|snp:svsm --ovmf FILE [--vcpus N] [--vcpu-type T|--vcpu-sig V|--vcpu-family F "
                            "--vcpu-model M --vcpu-stepping S] [--vmm-type QEMU|ec2|gce] [--kernel FILE [--initrd FILE] [--append STR]] "
                            "[--guest-features 0xN] [--snp-ovmf-hash HEX] [--svsm FILE --vars-size N|--vars-file FILE] [--json]",
                            "the SEV-SNP launch MEASUREMENT of a guest from its firmware, kernel, initrd, command line and vCPUs "
                            "(as virtee's sev-snp-measure)",
                            run_measure}};

}  // namespace
}  // namespace cvex::cli
