// `cvex measure` as a user runs it: the built binary over the shared vectors' fixtures
// (../shared/vectors/sev/measure/): the 96-digit output, --json, and every refusal as one
// `error:` line with exit 2.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "support/process.hpp"
#include "support/vectors.hpp"

using cvex::test::run_process;

namespace {

const std::string kCvex = std::string(CVEX_BIN_DIR) + "/cvex";

std::string fixture(const std::string& name) { return cvex::test::shared_path("vectors/sev/measure/" + name); }

// The command line of a vector case, with the reference's option names.
std::vector<std::string> args_for(const nlohmann::json& c) {
    std::vector<std::string> a = {kCvex, "measure", "--mode", c["mode"], "--ovmf", fixture(c["ovmf"])};
    auto add = [&](const char* key, const char* option, bool is_fixture = false) {
        if (!c.contains(key)) return;
        std::string v = c[key].is_string() ? c[key].get<std::string>() : std::to_string(c[key].get<long>());
        if (v.empty()) return;  // an empty --append is refused; omitting it is the same command line
        a.insert(a.end(), {option, is_fixture ? fixture(v) : v});
    };
    add("vcpus", "--vcpus");
    add("vcpu_type", "--vcpu-type");
    add("vmm_type", "--vmm-type");
    add("kernel", "--kernel");
    add("initrd", "--initrd");
    add("append", "--append");
    add("guest_features", "--guest-features");
    add("snp_ovmf_hash", "--snp-ovmf-hash");
    add("svsm", "--svsm", true);
    add("vars_size", "--vars-size");
    return a;
}

const nlohmann::json& vectors() {
    static const nlohmann::json v = cvex::test::load_vectors("vectors/sev/measure/vectors.json");
    return v;
}

const nlohmann::json& case_named(const std::string& name) {
    for (const auto& c : vectors()["cases"])
        if (c["name"] == name) return c;
    throw std::runtime_error("no vector " + name);
}

struct TempDir {
    std::filesystem::path path = std::filesystem::temp_directory_path() / ("cvex-cli-measure-" + std::to_string(::getpid()));
    TempDir() { std::filesystem::create_directories(path); }
    ~TempDir() { std::filesystem::remove_all(path); }
    std::string write(const std::string& name, const std::string& bytes) const {
        const std::string p = (path / name).string();
        std::ofstream(p, std::ios::binary) << bytes;
        return p;
    }
};

// A refusal: exit 2, nothing on stdout, exactly one line on stderr, starting "error: ".
void check_refused(const std::vector<std::string>& args, const std::string& says) {
    auto r = run_process(args);
    INFO(r.out << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.rfind("error: ", 0) == 0);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK_THAT(r.err, Catch::Contains(says));
}

std::vector<std::string> base_args() {
    return {kCvex, "measure", "--mode", "snp", "--vcpus", "1", "--vcpu-type", "EPYC-v4", "--ovmf", fixture("ovmf_AmdSev_suffix.bin")};
}

std::vector<std::string> with(std::vector<std::string> a, std::initializer_list<std::string> more) {
    a.insert(a.end(), more);
    return a;
}

}  // namespace

TEST_CASE("measure prints each vector's digest as 96 hex digits") {
    for (const auto& c : vectors()["cases"]) {
        if (c.contains("expect_error")) continue;
        INFO(c["name"].get<std::string>());
        auto r = run_process(args_for(c));
        INFO(r.err);
        CHECK(r.exit_code == 0);
        CHECK(r.out == c["expect"].get<std::string>() + "\n");
        CHECK(r.err.empty());
    }
}

TEST_CASE("measure: --vcpu-type, --vcpu-sig and --vcpu-family/model/stepping name the same signature") {
    const std::vector<std::string> common = {kCvex, "measure", "--mode", "snp", "--vcpus", "2", "--ovmf", fixture("ovmf_AmdSev_suffix.bin")};
    const auto by_type = run_process(with(common, {"--vcpu-type", "EPYC-v4"}));
    REQUIRE(by_type.exit_code == 0);
    CHECK(run_process(with(common, {"--vcpu-sig", "0x800f12"})).out == by_type.out);
    CHECK(run_process(with(common, {"--vcpu-sig", "8392466"})).out == by_type.out);
    CHECK(run_process(with(common, {"--vcpu-family", "23", "--vcpu-model", "1", "--vcpu-stepping", "2"})).out == by_type.out);
    CHECK(run_process(with(common, {"--vcpu-type", "EPYC-Milan"})).out != by_type.out);
}

TEST_CASE("measure refuses a kernel with a firmware that cannot measure one, as the reference does") {
    const auto& c = case_named("snp_ovmfx64_with_kernel_refused");
    check_refused(args_for(c), c["expect_error"].get<std::string>());
}

TEST_CASE("measure --json: the measurement, the OVMF hash and every input's SHA-256 and SHA-384") {
    TempDir dir;
    const std::string kernel = dir.write("vmlinuz", "abc");
    const std::string initrd = dir.write("initrd.img", "");
    auto r = run_process(with(base_args(), {"--kernel", kernel, "--initrd", initrd, "--append", "console=ttyS0 loglevel=7",
                                            "--guest-features", "0x1", "--json"}));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.out);
    auto plain = run_process(with(base_args(), {"--kernel", kernel, "--initrd", initrd, "--append", "console=ttyS0 loglevel=7"}));
    CHECK(j["measurement"] == "0x" + plain.out.substr(0, 96));
    CHECK(j["ovmf_hash"] == "0x" + case_named("ovmf_hash")["expect"].get<std::string>());
    CHECK(j["mode"] == "snp");
    CHECK(j["vcpus"] == 1);
    CHECK(j["vcpu_type"] == "EPYC-v4");
    CHECK(j["vcpu_sig"] == 0x800F12);
    CHECK(j["vmm_type"] == "QEMU");
    CHECK(j["guest_features"] == 1);
    const auto& in = j["inputs"];
    CHECK(in["ovmf"]["size"] == 4096);
    CHECK(in["ovmf"]["path"] == fixture("ovmf_AmdSev_suffix.bin"));
    CHECK(in["kernel"]["sha256"] == "0xba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");  // SHA-256("abc")
    CHECK(in["kernel"]["sha384"] ==
          "0xcb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7");  // SHA-384("abc")
    CHECK(in["initrd"]["sha256"] == "0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(in["cmdline"]["value"] == "console=ttyS0 loglevel=7");
    CHECK(in["cmdline"]["size"] == 25);  // with the NUL QEMU measures
    CHECK(in["ovmf"]["sha384"].get<std::string>().size() == 98);
}

TEST_CASE("measure --json in snp:svsm mode lists the SVSM and the variable store") {
    TempDir dir;
    const std::string vars = dir.write("OVMF_VARS.fd", std::string(540672, '\0'));
    const auto& c = case_named("snp_svsm_2_vcpus");
    auto args = args_for(c);
    auto it = std::find(args.begin(), args.end(), "--vars-size");
    args.erase(it, it + 2);
    args.insert(args.end(), {"--vars-file", vars, "--json"});
    auto r = run_process(args);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["measurement"] == "0x" + c["expect"].get<std::string>());  // the file's size stands for --vars-size
    CHECK(j["inputs"]["svsm"]["size"] == 1138688);
    CHECK(j["inputs"]["vars_file"]["size"] == 540672);
}

TEST_CASE("measure refuses unusable input with one error line naming it") {
    TempDir dir;
    const std::string no_footer = dir.write("zeros.fd", std::string(4096, '\0'));
    const std::string truncated = dir.write("short.fd", cvex::test::read_file(fixture("ovmf_AmdSev_suffix.bin")).substr(1));
    const std::string ovmf = fixture("ovmf_AmdSev_suffix.bin");
    check_refused({kCvex, "measure", "--mode", "snp", "--vcpus", "1", "--vcpu-type", "EPYC-v4", "--ovmf", no_footer}, "no OVMF footer table");
    check_refused({kCvex, "measure", "--mode", "snp", "--vcpus", "1", "--vcpu-type", "EPYC-v4", "--ovmf", truncated},
                  "not a whole number of 4096-byte pages");
    check_refused({kCvex, "measure", "--mode", "snp", "--vcpus", "1", "--vcpu-type", "EPYC-v4", "--ovmf", dir.path.string()},
                  "not a regular file");
    check_refused({kCvex, "measure", "--mode", "snp", "--vcpus", "1", "--vcpu-type", "EPYC-v4", "--ovmf", dir.path.string() + "/none"},
                  "No such file");
    check_refused({kCvex, "measure", "--mode", "snp:svsm", "--vcpus", "1", "--vcpu-type", "EPYC-v4", "--vmm-type", "ec2", "--ovmf",
                   fixture("svsm_ovmf.fd"), "--svsm", fixture("svsm.bin"), "--vars-size", "540672"},
                  "snp:svsm mode is implemented for QEMU only");
    check_refused(with(base_args(), {"--kernel", dir.write("k", "k"), "--initrd", dir.path.string()}), "--initrd");
    check_refused({kCvex, "measure", "--mode", "sev", "--ovmf", ovmf}, "--mode 'sev' is not snp");
    check_refused({kCvex, "measure", "--mode", "snp", "--vcpu-type", "EPYC-v4", "--ovmf", ovmf}, "--vcpus is required");
    check_refused({kCvex, "measure", "--mode", "snp", "--vcpus", "1", "--ovmf", ovmf}, "needs --vcpu-type");
    check_refused({kCvex, "measure", "--vcpus", "1", "--ovmf", ovmf}, "--mode is required");
    check_refused({kCvex, "measure", "--mode", "snp", "--vcpus", "1", "--vcpu-type", "EPYC-v4"}, "--ovmf is required");
    check_refused(with(base_args(), {"--vcpus", "2"}), "--vcpus given twice");
    check_refused(with(base_args(), {"--kernel="}), "--kernel is empty");
    check_refused(with(base_args(), {"--kernel"}), "--kernel needs a value");
    check_refused(with(base_args(), {"--kernel", "--json"}), "--kernel needs a value");
    check_refused(with(base_args(), {"--json", "--json"}), "--json given twice");
    check_refused(with(base_args(), {"--frobnicate", "1"}), "unknown option --frobnicate");
    check_refused(with(base_args(), {"stray"}), "unexpected argument 'stray'");
    check_refused({kCvex, "measure", "--mode", "snp", "--vcpus", "0", "--vcpu-type", "EPYC-v4", "--ovmf", ovmf}, "--vcpus: must be 1 to 4096");
    check_refused({kCvex, "measure", "--mode", "snp", "--vcpus", "two", "--vcpu-type", "EPYC-v4", "--ovmf", ovmf}, "--vcpus 'two'");
    check_refused({kCvex, "measure", "--mode", "snp", "--vcpus", "1", "--vcpu-type", "EPYC-v9", "--ovmf", ovmf}, "--vcpu-type 'EPYC-v9'");
    check_refused(with(base_args(), {"--vcpu-sig", "0x800f12"}), "give one of --vcpu-type");
    check_refused({kCvex, "measure", "--mode", "snp", "--vcpus", "1", "--vcpu-family", "23", "--ovmf", ovmf}, "go together");
    check_refused({kCvex, "measure", "--mode", "snp", "--vcpus", "1", "--vcpu-family", "23", "--vcpu-model", "1", "--vcpu-stepping", "16",
                   "--ovmf", ovmf},
                  "--vcpu-stepping '16'");
    check_refused(with(base_args(), {"--vmm-type", "kvm"}), "--vmm-type 'kvm'");
    check_refused(with(base_args(), {"--guest-features", "0x20"}), "bit 0 (SNPActive)");
    check_refused(with(base_args(), {"--guest-features", "0xzz"}), "--guest-features '0xzz'");
    check_refused(with(base_args(), {"--snp-ovmf-hash", "abcd"}), "--snp-ovmf-hash must be 48 bytes");
    check_refused(with(base_args(), {"--append", "quiet"}), "--append: needs --kernel");
    check_refused(with(base_args(), {"--svsm", fixture("svsm.bin")}), "--svsm: not used in mode snp");
    check_refused({kCvex, "measure", "--mode", "snp:svsm", "--vcpus", "1", "--vcpu-type", "EPYC-v4", "--ovmf", fixture("svsm_ovmf.fd"),
                   "--svsm", fixture("svsm.bin"), "--vars-size", "540672", "--vars-file", ovmf},
                  "exactly one of --vars-size and --vars-file");
}

TEST_CASE("measure --help describes the options") {
    auto r = run_process({kCvex, "measure", "--help"});
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("--vcpu-type"));
    CHECK_THAT(r.out, Catch::Contains("--snp-ovmf-hash"));
}
