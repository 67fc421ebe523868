// cvex attest verify|simulate: SEV-SNP evidence on the command line (issue 4 §4).
//   verify:   the full verification of enclave-app/snp_verifier.hpp plus an optional policy
//             (enclave-app/snp_policy.hpp); prints every report field and every check.
//             Exit 0 all checks pass, 1 the evidence fails, 2 unusable input.
//   simulate: a report from a SIMULATED platform (enclave-app/sim_platform.hpp) with its chain,
//             and the simulated root published where --trust-sim-root looks for it.
#include <ctime>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "attest/provider/sim_platform.hpp"
#include "attest/verify/snp_policy.hpp"
#include "attest/verify/snp_verifier.hpp"

namespace cvex::cli {
namespace {

using cvex::attest::AttestationReport;
using cvex::attest::SnpCheck;

std::string read_input(const std::string& path, const char* what) {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw UsageError(std::string(what) + ": cannot read " + path);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

cvex::ByteView view(const std::string& s) { return cvex::as_view(s); }

template <size_t N>
std::string hex(const std::array<uint8_t, N>& a) { return cvex::to_hex(cvex::ByteView(a.data(), N), false); }

std::string hex64(uint64_t v) { return cvex::attest::tcb_hex(v); }

void reject_unknown_flags(const Args& args, std::initializer_list<std::string_view> valued, std::initializer_list<std::string_view> bare,
                          const char* usage) {
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a.rfind("--", 0) != 0) continue;
        const std::string name = a.substr(0, a.find('='));
        const bool is_valued = std::find(valued.begin(), valued.end(), name) != valued.end();
        const bool is_bare = std::find(bare.begin(), bare.end(), name) != bare.end();
        if (!is_valued && !is_bare) throw UsageError("unknown option " + name + "\n" + usage);
        if (is_valued && name == a) ++i;
    }
}

std::string optional_flag(const Args& args, std::string_view flag) {
    const std::string* v = flag_value(args, flag);
    return v ? *v : std::string();
}

// Every field of the report, in table order (SNP ABI, "ATTESTATION_REPORT Structure").
std::vector<std::pair<std::string, std::string>> report_fields(const AttestationReport& r, cvex::attest::TcbLayout layout) {
    auto tcb = [layout](uint64_t raw) { return hex64(raw) + " (" + cvex::attest::describe_tcb(cvex::attest::decode_tcb(raw, layout), layout) + ")"; };
    auto yn = [](bool b) { return b ? "yes" : "no"; };
    auto fw = [](const cvex::attest::FirmwareVersion& f) {
        return std::to_string(f.major) + "." + std::to_string(f.minor) + " build " + std::to_string(f.build);
    };
    std::ostringstream policy;
    policy << hex64(r.policy.raw) << " (abi " << int(r.policy.abi_major()) << "." << int(r.policy.abi_minor()) << ", smt " << yn(r.policy.smt_allowed())
           << ", migrate_ma " << yn(r.policy.migrate_ma()) << ", debug " << yn(r.policy.debug()) << ", single_socket "
           << yn(r.policy.single_socket()) << ")";
    std::ostringstream signer;
    signer << to_string(r.signer.signing_key) << " (mask_chip_key " << yn(r.signer.mask_chip_key) << ", author_key_en "
           << yn(r.signer.author_key_en) << ")";
    std::vector<std::pair<std::string, std::string>> f = {
        {"version", std::to_string(r.version)},
        {"guest_svn", std::to_string(r.guest_svn)},
        {"policy", policy.str()},
        {"family_id", hex(r.family_id)},
        {"image_id", hex(r.image_id)},
        {"vmpl", std::to_string(r.vmpl)},
        {"signature_algo", std::to_string(r.signature_algo) + (r.signature_algo == 1 ? " (ECDSA P-384 SHA-384)" : "")},
        {"current_tcb", tcb(r.current_tcb)},
        {"platform_info", hex64(r.platform_info.raw) + " (smt " + yn(r.platform_info.smt_enabled()) + ", tsme " +
                              yn(r.platform_info.tsme_enabled()) + ", ecc " + yn(r.platform_info.ecc_enabled()) + ")"},
        {"signer", signer.str()},
        {"report_data", hex(r.report_data)},
        {"measurement", hex(r.measurement)},
        {"host_data", hex(r.host_data)},
        {"id_key_digest", hex(r.id_key_digest)},
        {"author_key_digest", hex(r.author_key_digest)},
        {"report_id", hex(r.report_id)},
        {"report_id_ma", hex(r.report_id_ma)},
        {"reported_tcb", tcb(r.reported_tcb)},
    };
    if (r.version >= 3) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "family %02Xh model %02Xh stepping %u", r.cpuid_family, r.cpuid_model, r.cpuid_stepping);
        f.emplace_back("cpuid", buf);
    }
    f.emplace_back("chip_id", hex(r.chip_id));
    f.emplace_back("committed_tcb", tcb(r.committed_tcb));
    f.emplace_back("current_fw", fw(r.current_fw));
    f.emplace_back("committed_fw", fw(r.committed_fw));
    f.emplace_back("launch_tcb", tcb(r.launch_tcb));
    if (r.version >= 5) {
        f.emplace_back("launch_mit_vector", hex64(r.launch_mit_vector));
        f.emplace_back("current_mit_vector", hex64(r.current_mit_vector));
    }
    f.emplace_back("signature_r", hex(r.signature_r));
    f.emplace_back("signature_s", hex(r.signature_s));
    return f;
}

constexpr const char* kVerifyUsage =
    "usage: cvex attest verify <report.bin> --cert <vcek|vlek .der|.pem> --chain <ask_ark.pem> [--policy policy.json] "
    "[--at 2025-06-01T00:00:00Z] [--trust-sim-root] [--json]";

int run_verify(const Args& args, std::ostream& out) {
    reject_unknown_flags(args, {"--cert", "--chain", "--policy", "--at"}, {"--trust-sim-root", "--json"}, kVerifyUsage);
    const Args pos = positional(args, {"--cert", "--chain", "--policy", "--at"});
    if (pos.size() != 1) throw UsageError(kVerifyUsage);
    const std::string cert_path = optional_flag(args, "--cert");
    const std::string chain_path = optional_flag(args, "--chain");
    const std::string policy_path = optional_flag(args, "--policy");
    const std::string at_text = optional_flag(args, "--at");
    if (cert_path.empty() || chain_path.empty()) throw UsageError(std::string("--cert and --chain are required\n") + kVerifyUsage);

    cvex::attest::SnpVerifyOptions options;
    options.at = std::time(nullptr);
    if (!at_text.empty()) {
        auto t = cvex::attest::parse_utc_time(at_text);
        if (!t) throw UsageError("--at '" + at_text + "' is not a UTC time like 2025-06-01T00:00:00Z");
        options.at = *t;
    }
    options.trust_sim_root = has_flag(args, "--trust-sim-root");
    std::optional<cvex::attest::SnpPolicy> policy;
    if (!policy_path.empty()) {
        auto p = cvex::attest::load_snp_policy(policy_path);
        if (!p) throw UsageError(p.error().message());
        policy = std::move(*p);
    }
    const std::string report = read_input(pos[0], "report");
    const std::string cert = read_input(cert_path, "--cert");
    const std::string chain = read_input(chain_path, "--chain");
    auto verified = cvex::attest::verify_snp_report(view(report), view(cert), view(chain), options);
    if (!verified) throw UsageError(verified.error().message());
    cvex::attest::SnpVerification& v = *verified;
    if (policy) {
        auto pc = cvex::attest::evaluate_snp_policy(*policy, v.report, v.product);
        v.checks.insert(v.checks.end(), pc.begin(), pc.end());
    }
    const bool ok = v.ok();
    const auto layout = v.report.layout(v.product);
    const auto fields = report_fields(v.report, layout);

    if (has_flag(args, "--json")) {
        nlohmann::json j;
        j["verdict"] = ok ? "pass" : "fail";
        j["simulated"] = v.simulated;
        j["root"] = v.root;
        j["product"] = v.product ? std::string(cvex::attest::to_string(*v.product)) : "";
        j["signer"] = v.signer_subject;
        j["verified_at"] = cvex::attest::format_utc_time(options.at);
        j["policy"] = policy_path;
        for (const auto& [k, val] : fields) j["report"][k] = val;
        j["checks"] = nlohmann::json::array();
        for (const SnpCheck& c : v.checks)
            j["checks"].push_back({{"name", c.name}, {"pass", c.pass}, {"expected", c.expected}, {"actual", c.actual}});
        out << j.dump(2) << "\n";
        return ok ? kOk : kFailed;
    }
    size_t failed = 0;
    for (const SnpCheck& c : v.checks) failed += c.pass ? 0 : 1;
    out << "verdict: " << (ok ? "PASS" : "FAIL") << " (" << v.checks.size() - failed << "/" << v.checks.size() << " checks passed)\n";
    if (v.simulated) out << "SIMULATED: anchored in a simulated root, not AMD's — development evidence only\n";
    out << "root: " << (v.root.empty() ? "untrusted" : v.root) << "\n";
    out << "signer: " << v.signer_subject << "\n";
    out << "verified at: " << cvex::attest::format_utc_time(options.at) << "\n";
    if (!policy_path.empty()) out << "policy: " << policy_path << "\n";
    out << "report:\n";
    for (const auto& [k, val] : fields) out << "  " << k << ": " << val << "\n";
    out << "checks:\n";
    for (const SnpCheck& c : v.checks)
        out << "  " << (c.pass ? "PASS " : "FAIL ") << c.name << ": expected " << c.expected << "; actual " << c.actual << "\n";
    return ok ? kOk : kFailed;
}

constexpr const char* kSimulateUsage = "usage: cvex attest simulate --report-data 0x<64 bytes> --out DIR [--product Milan|Genoa|Turin] [--vmpl 0-3]";

int run_simulate(const Args& args, std::ostream& out) {
    reject_unknown_flags(args, {"--report-data", "--out", "--product", "--vmpl"}, {}, kSimulateUsage);
    if (!positional(args, {"--report-data", "--out", "--product", "--vmpl"}).empty()) throw UsageError(kSimulateUsage);
    const std::string rd_text = optional_flag(args, "--report-data");
    const std::string dir = optional_flag(args, "--out");
    const std::string product = optional_flag(args, "--product");
    const std::string vmpl_text = optional_flag(args, "--vmpl");
    if (rd_text.empty() || dir.empty()) throw UsageError(kSimulateUsage);
    cvex::attest::ReportData rd{};
    if (rd_text.rfind("0x", 0) != 0 || !cvex::from_hex_fixed(std::string_view(rd_text).substr(2), rd))
        throw UsageError("--report-data must be 0x followed by 64 bytes of hex (128 digits)");
    unsigned vmpl = 0;
    if (!vmpl_text.empty()) {
        if (vmpl_text.size() != 1 || vmpl_text[0] < '0' || vmpl_text[0] > '3') throw UsageError("--vmpl must be 0, 1, 2 or 3");
        vmpl = static_cast<unsigned>(vmpl_text[0] - '0');
    }
    cvex::attest::SimulatedGuest guest;
    if (!product.empty()) guest.product = product;
    if (guest.product == "Turin") guest.tcb = 0x6100000005020301;  // Turin layout: fmc 1, bl 3, tee 2, snp 5, ucode 0x61
    auto platform = cvex::attest::SimulatedSnpPlatform::create(guest);
    if (!platform) throw UsageError(platform.error());
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw UsageError("--out: cannot create " + dir + ": " + ec.message());
    auto root = cvex::attest::publish_sim_root(**platform);
    if (!root) throw UsageError("publishing the simulated root: " + root.error());
    const cvex::Bytes report = (*platform)->make_report(rd, vmpl);
    auto write = [&](const std::string& name, const std::string& data) {
        const std::string path = dir + "/" + name;
        std::ofstream f(path, std::ios::binary);
        f << data;
        if (!f) throw UsageError("cannot write " + path);
        return path;
    };
    const std::string report_path = write("report.bin", std::string(report.begin(), report.end()));
    const std::string vcek_path = write("vcek.pem", (*platform)->vcek_pem());
    const std::string chain_path = write("ask_ark.pem", (*platform)->ask_ark_pem());
    out << "SIMULATED SEV-SNP evidence (" << guest.product << ", not from AMD hardware; verifies only with --trust-sim-root)\n"
        << "report: " << report_path << "\n"
        << "vcek: " << vcek_path << "\n"
        << "chain: " << chain_path << "\n"
        << "simulated root: " << *root << "\n";
    return kOk;
}

const CommandRegistrar reg_verify{{"attest verify",
                                   "<report.bin> --cert <vcek|vlek> --chain <ask_ark.pem> [--policy p.json] [--at TIME] [--trust-sim-root] [--json]",
                                   "verify a SEV-SNP report against AMD's pinned roots (and a policy); exit 0 pass, 1 fail, 2 bad input",
                                   run_verify}};
const CommandRegistrar reg_simulate{{"attest simulate", "--report-data 0x<64 bytes> --out DIR [--product P] [--vmpl N]",
                                     "write a SIMULATED report, VCEK and chain; publish the simulated root", run_simulate}};

}  // namespace
}  // namespace cvex::cli
