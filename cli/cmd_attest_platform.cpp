// cvex attest sim-platform: a SIMULATED SEV-SNP platform for one guest VM, written as the file
// QEMU hands the guest through fw_cfg (scripts/guest-vm.sh --sim-platform), outside its measured
// inputs, as real firmware is. The MEASUREMENT the platform reports is the one given here — the
// one `cvex measure` computed for the image — just as AMD's firmware reports what it measured.
// The simulated root is published where --trust-sim-root looks for it.
#include <sys/stat.h>

#include <fstream>
#include <ostream>

#include "cli/command.hpp"
#include "attest/provider/sim_platform.hpp"

namespace cvex::cli {
namespace {

constexpr const char* kUsage = "usage: cvex attest sim-platform --measurement 0x<48 bytes> --out FILE [--product Milan|Genoa|Turin]";

int run_sim_platform(const Args& args, std::ostream& out) {
    if (!positional(args, {"--measurement", "--out", "--product"}).empty()) throw UsageError(kUsage);
    for (const auto& a : args)
        if (a.rfind("--", 0) == 0 && a != "--measurement" && a != "--out" && a != "--product") throw UsageError("unknown option " + a + "\n" + kUsage);
    const std::string* m = flag_value(args, "--measurement");
    const std::string* path = flag_value(args, "--out");
    if (!m || !path) throw UsageError(kUsage);
    cvex::attest::SimulatedGuest guest;
    if (!cvex::from_hex_fixed(*m, guest.measurement)) throw UsageError("--measurement must be 48 bytes of hex (96 digits)");
    if (const std::string* p = flag_value(args, "--product")) guest.product = *p;
    if (guest.product == "Turin") guest.tcb = 0x6100000005020301;  // Turin layout: fmc 1, bl 3, tee 2, snp 5, ucode 0x61
    auto platform = cvex::attest::SimulatedSnpPlatform::create(guest);
    if (!platform) throw UsageError(platform.error().message());
    auto root = cvex::attest::publish_sim_root(**platform);
    if (!root) throw UsageError("publishing the simulated root: " + root.error().message());
    // The file holds the simulated VCEK's private key: readable by its owner only.
    const mode_t old = ::umask(077);
    std::ofstream f(*path, std::ios::binary | std::ios::trunc);
    f << (*platform)->export_for_guest();
    f.close();
    ::umask(old);
    if (!f) throw UsageError("--out: cannot write " + *path);
    out << "SIMULATED SEV-SNP platform (" << guest.product << ", not AMD): reports MEASUREMENT " << cvex::to_hex(cvex::ByteView(guest.measurement.data(), 48), false)
        << "\nplatform: " << *path << "\nsimulated root: " << *root << "\n";
    return kOk;
}

const CommandRegistrar reg{{"attest sim-platform", "--measurement 0x<48 bytes> --out FILE [--product P]",
                            "A SIMULATED SEV-SNP platform for one guest VM (handed in through QEMU fw_cfg), its root published for --trust-sim-root",
                            run_sim_platform}};

}  // namespace
}  // namespace cvex::cli
