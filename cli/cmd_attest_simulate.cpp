// cvex attest simulate: a report from a SIMULATED platform (attest/sim_platform.hpp) with its
// chain and a CRL, and the simulated root published where --trust-sim-root looks for it.
#include <ctime>
#include <filesystem>
#include <fstream>
#include <ostream>

#include "attest/provider/sim_platform.hpp"
#include "cli/command.hpp"
#include "cli/strict_args.hpp"

namespace cvex::cli {
namespace {

constexpr const char* kUsage =
    "cvex attest simulate --report-data 0x<64 bytes> --out DIR [--product Milan|Genoa|Turin] [--vmpl 0-3] [--revoke vcek|ask]";

int run_simulate(const Args& args, std::ostream& out) {
    const ParsedArgs a = parse_args(args, {{"--report-data", "--out", "--product", "--vmpl", "--revoke"}, {}, {}, 0, 0, kUsage});
    const std::string* rd_text = a.get("--report-data");
    const std::string* dir = a.get("--out");
    if (!rd_text || !dir) throw UsageError(std::string("--report-data and --out are required\nusage: ") + kUsage);
    attest::ReportData rd{};
    if (rd_text->rfind("0x", 0) != 0 || !cvex::from_hex_fixed(std::string_view(*rd_text).substr(2), rd))
        throw UsageError("--report-data must be 0x followed by 64 bytes of hex (128 digits)");
    unsigned vmpl = 0;
    if (const std::string* v = a.get("--vmpl")) {
        if (v->size() != 1 || (*v)[0] < '0' || (*v)[0] > '3') throw UsageError("--vmpl must be 0, 1, 2 or 3");
        vmpl = static_cast<unsigned>((*v)[0] - '0');
    }
    const std::string revoke = a.get("--revoke") ? *a.get("--revoke") : "";
    if (!revoke.empty() && revoke != "vcek" && revoke != "ask") throw UsageError("--revoke must be vcek or ask");
    attest::SimulatedGuest guest;
    if (const std::string* p = a.get("--product")) guest.product = *p;
    if (guest.product == "Turin") guest.tcb = 0x6100000005020301;  // Turin layout: fmc 1, bl 3, tee 2, snp 5, ucode 0x61
    auto platform = attest::SimulatedSnpPlatform::create(guest);
    if (!platform) throw UsageError(platform.error().message());
    std::error_code ec;
    std::filesystem::create_directories(*dir, ec);
    if (ec) throw UsageError("--out: cannot create " + *dir + ": " + ec.message());
    auto root = attest::publish_sim_root(**platform);
    if (!root) throw UsageError("publishing the simulated root: " + root.error().message());
    const cvex::Bytes report = (*platform)->make_report(rd, vmpl);
    std::vector<cvex::Bytes> revoked;
    if (revoke == "vcek") revoked.push_back((*platform)->vcek_serial());
    if (revoke == "ask") revoked.push_back((*platform)->ask_serial());
    const std::time_t now = std::time(nullptr);
    const cvex::Bytes crl = (*platform)->make_crl(revoked, now - 3600, now + 30 * 86400);  // like KDS: valid for weeks
    auto write = [&](const std::string& name, const std::string& data) {
        const std::string path = *dir + "/" + name;
        std::ofstream f(path, std::ios::binary);
        f << data;
        if (!f) throw UsageError("cannot write " + path);
        return path;
    };
    const std::string report_path = write("report.bin", std::string(report.begin(), report.end()));
    const std::string vcek_path = write("vcek.pem", (*platform)->vcek_pem());
    const std::string chain_path = write("ask_ark.pem", (*platform)->ask_ark_pem());
    const std::string crl_path = write("crl.der", std::string(crl.begin(), crl.end()));
    out << "SIMULATED SEV-SNP evidence (" << guest.product << ", not from AMD hardware; verifies only with --trust-sim-root)\n"
        << "report: " << report_path << "\n"
        << "vcek: " << vcek_path << "\n"
        << "chain: " << chain_path << "\n"
        << "crl: " << crl_path << (revoke.empty() ? "" : " (revokes the " + revoke + ")") << "\n"
        << "simulated root: " << *root << "\n";
    return kOk;
}

const CommandRegistrar reg_simulate{{"attest simulate", "--report-data 0x<64 bytes> --out DIR [--product P] [--vmpl N] [--revoke vcek|ask]",
                                     "write a SIMULATED report, VCEK, chain and CRL; publish the simulated root", run_simulate}};

}  // namespace
}  // namespace cvex::cli
