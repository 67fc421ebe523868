// cvex attest verify: the full verification of attest/snp_verifier.hpp plus a policy
// (attest/snp_policy.hpp; the default one unless --policy names another), with every report
// field and every check printed. It speaks for a validator's automation, so it fails closed
// (issue 19): inputs are read bounded, options are strict, and the verdict says what it is.
//   exit 0 PASS, 1 FAIL, 2 unusable input, 3 PASS (SIMULATED): trusted only through
//   --trust-sim-root, never to be mistaken for hardware evidence.
#include <algorithm>
#include <ctime>
#include <iostream>
#include <ostream>

#include <openssl/evp.h>

#include <nlohmann/json.hpp>

#include "base/bounded_read.hpp"
#include "attest/report/report_input.hpp"
#include "attest/verify/image_manifest.hpp"
#include "attest/verify/snp_policy.hpp"
#include "attest/verify/snp_verifier.hpp"
#include "cli/attest_report_view.hpp"
#include "cli/strict_args.hpp"

namespace cvex::cli {
namespace {

using attest::SnpCheck;
using nlohmann::ordered_json;

constexpr int kPassSimulated = 3;
constexpr const char* kSchema = "cvex.attest.verify/1";
constexpr const char* kUsage =
    "cvex attest verify <report|-> [--cert vcek|vlek] [--chain ask_ark.pem] [--policy default|permissive|FILE] [--crl crl.der] "
    "[--at 2025-06-01T00:00:00Z] [--inform raw|hex|base64] [--image manifest.json] [--trust-sim-root] [--json]";

const ArgSpec kSpec{{"--cert", "--chain", "--policy", "--crl", "--at", "--inform", "--image"}, {}, {"--trust-sim-root", "--json"}, 1, 1, kUsage};

std::string read_input(const std::string& path, size_t limit, const std::string& what) {
    auto r = read_bounded(path, limit, what);
    if (!r) throw UsageError(r.error().message());
    return std::move(*r);
}

std::string pem_of(const cvex::Bytes& der) {
    std::string b64(4 * ((der.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()), der.data(), static_cast<int>(der.size()));
    b64.resize(static_cast<size_t>(n));
    std::string pem = "-----BEGIN CERTIFICATE-----\n";
    for (size_t i = 0; i < b64.size(); i += 64) pem += b64.substr(i, 64) + "\n";
    return pem + "-----END CERTIFICATE-----\n";
}

// Where each piece of evidence came from, for the output.
struct Sources {
    std::string report, cert, chain, crl;
};

struct Evidence {
    attest::ReportInput input;
    std::string cert, chain, crl;
    Sources from;
};

Evidence gather(const ParsedArgs& a) {
    Evidence e;
    const std::string& report_path = a.positional()[0];
    std::optional<attest::ReportEncoding> inform;
    if (const std::string* f = a.get("--inform")) {
        inform = attest::parse_report_encoding(*f);
        if (!inform) throw UsageError("--inform '" + *f + "': expected raw, hex or base64");
    }
    const std::string report = read_input(report_path, attest::kMaxReportInput, "report");
    auto in = attest::decode_report_input(cvex::as_view(report), inform);
    if (!in) throw UsageError("report " + printable_path(report_path) + ": " + in.error().message());
    e.input = std::move(*in);
    e.from.report = printable_path(report_path);
    const auto& table = e.input.certificates;
    if (const std::string* c = a.get("--cert")) {
        e.cert = read_input(*c, kMaxSmallInput, "--cert");
        e.from.cert = printable_path(*c);
    } else if (const auto* entry = attest::find_cert(table, attest::kGuidVcek) ? attest::find_cert(table, attest::kGuidVcek)
                                                                                  : attest::find_cert(table, attest::kGuidVlek)) {
        e.cert.assign(entry->data.begin(), entry->data.end());
        e.from.cert = "the report's certificate table";
    } else {
        throw UsageError("--cert is required: the report carries no certificate table with a VCEK or VLEK");
    }
    if (const std::string* c = a.get("--chain")) {
        e.chain = read_input(*c, kMaxSmallInput, "--chain");
        e.from.chain = printable_path(*c);
    } else {
        const auto* ask = attest::find_cert(table, attest::kGuidAsk);
        const auto* ark = attest::find_cert(table, attest::kGuidArk);
        if (!ask || !ark) throw UsageError("--chain is required: the report carries no ASK and ARK in a certificate table");
        // The table's ARK is only a candidate: the verifier trusts it only when it is pinned.
        e.chain = pem_of(ask->data) + pem_of(ark->data);
        e.from.chain = "the report's certificate table";
    }
    if (const std::string* c = a.get("--crl")) {
        e.crl = read_input(*c, kMaxSmallInput, "--crl");
        e.from.crl = printable_path(*c);
    }
    return e;
}

std::vector<std::string> warnings_for(const attest::SnpPolicy& p, bool simulated) {
    std::vector<std::string> w;
    if (p.permissive)
        w.push_back("policy '" + p.name + "' is the PERMISSIVE development profile: any VMPL, debug guests, migration agents and any TCB pass");
    if (p.allow_debug)
        w.push_back("the policy in force ALLOWS DEBUG guests: the host can read and change such a guest's memory; never use it for production keys");
    if (simulated) w.push_back("SIMULATED evidence: anchored in a simulated root, not AMD's; development only");
    return w;
}

ordered_json inputs_json(const Evidence& e) {
    auto src = [](const std::string& s) { return s.empty() ? ordered_json(nullptr) : ordered_json(s); };
    return {{"report", {{"source", e.from.report},
                        {"encoding", std::string(attest::to_string(e.input.encoding))},
                        {"encoding_detected", e.input.encoding_detected},
                        {"container", std::string(attest::to_string(e.input.container))}}},
            {"cert", src(e.from.cert)},
            {"chain", src(e.from.chain)},
            {"crl", src(e.from.crl)}};
}

// Everything the verdict rests on, for the two renderings below.
struct Outcome {
    attest::SnpVerification v;
    attest::SnpPolicy policy;
    Evidence evidence;
    std::time_t at = 0;
    std::string verdict;
    int rc = kFailed;
    size_t failed = 0;
    std::vector<std::string> warnings;
};

void print_json(const Outcome& o, std::ostream& out) {
    const attest::SnpVerification& v = o.v;
    ordered_json j;
    j["schema"] = kSchema;
    j["verdict"] = o.verdict;
    j["exit_code"] = o.rc;
    j["simulated"] = v.simulated;
    j["root"] = v.root.empty() ? ordered_json(nullptr) : ordered_json(v.root);
    j["product"] = v.product ? ordered_json(std::string(attest::to_string(*v.product))) : ordered_json(nullptr);
    j["signer"] = v.signer_subject;
    j["verified_at"] = attest::format_utc_time(o.at);
    j["policy"] = {{"name", o.policy.name}, {"permissive", o.policy.permissive}, {"allows_debug", o.policy.allow_debug}};
    j["inputs"] = inputs_json(o.evidence);
    j["warnings"] = o.warnings;
    j["checks_passed"] = v.checks.size() - o.failed;
    j["checks_total"] = v.checks.size();
    j["report"] = report_json(v.report, v.report.layout(v.product));
    j["checks"] = ordered_json::array();
    for (const SnpCheck& c : v.checks) j["checks"].push_back({{"name", c.name}, {"pass", c.pass}, {"expected", c.expected}, {"actual", c.actual}});
    // Replace, never throw: a certificate's CN is the host's bytes.
    out << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

void print_text(const Outcome& o, std::ostream& out) {
    const attest::SnpVerification& v = o.v;
    out << "verdict: " << o.verdict << " (" << v.checks.size() - o.failed << "/" << v.checks.size() << " checks passed)\n";
    for (const auto& w : o.warnings) out << "WARNING: " << w << "\n";
    out << "root: " << (v.root.empty() ? "untrusted" : v.root) << "\n";
    out << "signer: " << v.signer_subject << "\n";
    out << "verified at: " << attest::format_utc_time(o.at) << "\n";
    out << "policy: " << o.policy.name << "\n";
    out << "report input: " << o.evidence.from.report << " (" << attest::to_string(o.evidence.input.encoding) << ", "
        << attest::to_string(o.evidence.input.container) << ")\n";
    out << "report:\n";
    for (const auto& [k, val] : report_text_fields(v.report, v.report.layout(v.product))) out << "  " << k << ": " << val << "\n";
    out << "checks:\n";
    for (const SnpCheck& c : v.checks)
        out << "  " << (c.pass ? "PASS " : "FAIL ") << c.name << ": expected " << c.expected << "; actual " << c.actual << "\n";
}

// Azure's HCL binds its runtime claims (the vTPM key) into REPORT_DATA's first bytes.
void check_hcl_binding(const attest::ReportInput& in, attest::SnpVerification& v) {
    if (in.container != attest::ReportContainer::kAzureHcl) return;
    const cvex::Bytes d = attest::hcl_binding_digest(in);
    const bool bound = !d.empty() && std::equal(d.begin(), d.end(), v.report.report_data.begin());
    v.checks.push_back({"hcl.report_data_binding", bound, "REPORT_DATA starts with the hash of the HCL variable data",
                        d.empty() ? "unknown hash type " + std::to_string(in.hcl_hash_type) : cvex::to_hex(d, false)});
}

int verify(const Args& args, std::ostream& out, bool json) {
    const ParsedArgs a = parse_args(args, kSpec);
    attest::SnpVerifyOptions options;
    options.at = std::time(nullptr);
    if (const std::string* at = a.get("--at")) {
        auto t = attest::parse_utc_time(*at);
        if (!t) throw UsageError("--at '" + *at + "' is not a UTC time like 2025-06-01T00:00:00Z");
        options.at = *t;
    }
    options.trust_sim_root = a.has("--trust-sim-root");
    // No --policy means the default policy, never none (issue 19).
    auto policy = attest::resolve_snp_policy(a.get("--policy") ? *a.get("--policy") : "default");
    if (!policy) throw UsageError("--policy: " + policy.error().message());
    // --image: the MEASUREMENT a guest image's manifest computed from its files (issue 13 §3).
    std::optional<attest::ImageManifest> image;
    if (const std::string* m = a.get("--image")) {
        auto loaded = attest::load_image_manifest(*m);
        if (!loaded) throw UsageError("--image: " + loaded.error().message());
        image = *loaded;
    }
    Outcome o;
    o.policy = std::move(*policy);
    o.evidence = gather(a);
    o.at = options.at;
    options.crl = cvex::as_view(o.evidence.crl);
    auto verified = attest::verify_snp_report(o.evidence.input.report, cvex::as_view(o.evidence.cert), cvex::as_view(o.evidence.chain), options);
    if (!verified) throw UsageError(verified.error().message());
    o.v = std::move(*verified);
    auto pc = attest::evaluate_snp_policy(o.policy, o.v.report, o.v.product);
    o.v.checks.insert(o.v.checks.end(), pc.begin(), pc.end());
    check_hcl_binding(o.evidence.input, o.v);
    if (image) o.v.checks.push_back(attest::check_image_measurement(*image, o.v.report));
    const bool ok = o.v.ok();
    o.rc = !ok ? kFailed : o.v.simulated ? kPassSimulated : kOk;
    o.verdict = !ok ? "FAIL" : o.v.simulated ? "PASS (SIMULATED)" : "PASS";
    for (const SnpCheck& c : o.v.checks) o.failed += c.pass ? 0 : 1;
    o.warnings = warnings_for(o.policy, o.v.simulated);
    for (const auto& w : o.warnings) std::cerr << "WARNING: " << w << "\n";
    if (json) print_json(o, out);
    else print_text(o, out);
    return o.rc;
}

int run_verify(const Args& args, std::ostream& out) {
    const bool json = std::find(args.begin(), args.end(), "--json") != args.end();
    try {
        return verify(args, out, json);
    } catch (const UsageError& e) {
        // Machines asked for JSON get it on exit 2 too; the dispatcher still prints `error:`.
        if (json) {
            ordered_json j = {{"schema", kSchema}, {"verdict", "ERROR"}, {"exit_code", int(kBadInput)}, {"error", e.what()}};
            out << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
        }
        throw;
    }
}

const CommandRegistrar reg_verify{{"attest verify",
                                   "<report|-> [--cert vcek|vlek] [--chain ask_ark.pem] [--policy default|permissive|FILE] [--crl FILE] "
                                   "[--at TIME] [--inform raw|hex|base64] [--image manifest.json] [--trust-sim-root] [--json]",
                                   "verify a SEV-SNP report against AMD's pinned roots and a policy (the default unless given); exit 0 "
                                   "PASS, 1 FAIL, 2 bad input, 3 PASS (SIMULATED)",
                                   run_verify}};

}  // namespace
}  // namespace cvex::cli
