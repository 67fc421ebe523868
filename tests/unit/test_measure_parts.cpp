// The parts of the launch measurement (attest/measure/) against their specifications, and every
// malformed firmware or input file the measurement must refuse rather than measure.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "attest/measure/firmware_image.hpp"
#include "attest/measure/input_file.hpp"
#include "attest/measure/launch_digest.hpp"
#include "attest/measure/measure.hpp"
#include "attest/measure/sev_hashes.hpp"
#include "attest/measure/vcpu_signature.hpp"
#include "attest/measure/vmsa.hpp"
#include "base/bytes.hpp"
#include "support/vectors.hpp"

using namespace cvex::attest::measure;
using Kind = MeasureError::Kind;

namespace {

std::string hex(std::span<const uint8_t> b) { return cvex::to_hex(b, false); }

template <class T>
T le(std::span<const uint8_t> p, size_t at) {
    T v = 0;
    for (size_t i = 0; i < sizeof(T); ++i) v |= static_cast<T>(static_cast<T>(p[at + i]) << (8 * i));
    return v;
}

struct TempDir {
    std::filesystem::path path = std::filesystem::temp_directory_path() / ("cvex-measure-parts-" + std::to_string(::getpid()));
    TempDir() { std::filesystem::create_directories(path); }
    ~TempDir() { std::filesystem::remove_all(path); }
    std::string write(const std::string& name, const std::vector<uint8_t>& bytes) const {
        const std::string p = (path / name).string();
        std::ofstream(p, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(bytes.data()), static_cast<long>(bytes.size()));
        return p;
    }
};

std::vector<uint8_t> amd_sev_ovmf() {
    const std::string s = cvex::test::read_file(cvex::test::shared_path("vectors/sev/measure/ovmf_AmdSev_suffix.bin"));
    return {s.begin(), s.end()};
}

// Measures `ovmf` with one vCPU (or `vcpus`) and returns the error, which the test expects.
MeasureError refusal(const std::vector<uint8_t>& ovmf, uint32_t vcpus = 1) {
    TempDir dir;
    MeasureRequest r;
    r.ovmf = dir.write("ovmf.bin", ovmf);
    r.vcpus = vcpus;
    r.vcpu_sig = 0x800F12;
    auto m = measure(r);
    REQUIRE_FALSE(m);
    return m.error();
}

}  // namespace

TEST_CASE("GUIDs are stored as EFI_GUID: the first three fields little-endian") {
    CHECK(hex(kFooterTableGuid) == "de82b596b21ff745baeaa366c55a082d");
    CHECK(hex(kSevHashTableHeaderGuid) == "06d63894224fc94cb479a793d411fd21");
}

TEST_CASE("vCPU signatures are CPUID Fn0000_0001_EAX of each EPYC generation") {
    CHECK(cpu_signature(23, 1, 2) == 0x800F12u);
    CHECK(cpu_signature_by_name("EPYC-v4") == 0x800F12u);
    CHECK(cpu_signature_by_name("EPYC-Rome") == 0x830F10u);
    CHECK(cpu_signature_by_name("EPYC-Milan") == 0xA00F11u);
    CHECK(cpu_signature_by_name("EPYC-Genoa") == 0xA10F10u);
    CHECK(cpu_signature_by_name("EPYC-Turin") == 0xB00F00u);
    CHECK_FALSE(cpu_signature_by_name("epyc-v4"));  // QEMU's names are exact
    CHECK_FALSE(cpu_signature(0xF + 0x100, 0, 0));  // the extended family is 8 bits
    CHECK_FALSE(cpu_signature(23, 0x100, 0));
    CHECK_FALSE(cpu_signature(23, 1, 16));
}

TEST_CASE("the SEV hashes table is QEMU's PaddedSevHashTable: cmdline, initrd, kernel") {
    SevHashes h;
    h.cmdline.fill(0xC1);
    h.initrd.fill(0x1D);
    h.kernel.fill(0x4E);
    const auto t = h.table();
    REQUIRE(t.size() == 176);
    CHECK(le<uint16_t>(t, 16) == 168);  // the unpadded length
    CHECK(hex(std::span(t).subspan(18, 16)) == hex(kSevCmdlineEntryGuid));
    CHECK(le<uint16_t>(t, 34) == 50);
    CHECK(t[36] == 0xC1);
    CHECK(hex(std::span(t).subspan(68, 16)) == hex(kSevInitrdEntryGuid));
    CHECK(t[86] == 0x1D);
    CHECK(hex(std::span(t).subspan(118, 16)) == hex(kSevKernelEntryGuid));
    CHECK(t[136] == 0x4E);
    CHECK(t[168] == 0);  // padding
    const auto page = h.page(0xC00);
    REQUIRE(page);
    CHECK(std::equal(t.begin(), t.end(), page->begin() + 0xC00));
    CHECK_FALSE(h.page(4096 - 175));  // the table may not cross the page
}

TEST_CASE("a page's PAGE_INFO is 0x70 bytes: digest, contents, length, type, GPA (ABI Table 67)") {
    LaunchDigest ld;
    ld.add_zero_pages(0x800000, kPageSize);
    std::vector<uint8_t> info(0x70, 0);
    info[96] = 0x70;
    info[98] = 0x03;  // PAGE_TYPE_ZERO
    info[104 + 2] = 0x80;  // GPA 0x800000, little-endian
    Sha384Digest expect;
    REQUIRE(sha384(info, expect));
    CHECK(ld.value() == expect);
}

TEST_CASE("the VMSA holds the reset state at APM Table B-4's offsets") {
    const auto bsp = reset_vmsa(kBspResetEip, 0x21, 0xA00F11, VmmType::kQemu);
    CHECK(le<uint16_t>(bsp, 0x10) == 0xF000);          // CS.selector
    CHECK(le<uint64_t>(bsp, 0x18) == 0xFFFF0000);      // CS.base
    CHECK(le<uint64_t>(bsp, 0x178) == 0xFFF0);         // RIP
    CHECK(le<uint64_t>(bsp, 0x310) == 0xA00F11);       // RDX: the vCPU signature
    CHECK(le<uint64_t>(bsp, 0x3B0) == 0x21);           // SEV_FEATURES
    CHECK(le<uint32_t>(bsp, 0x408) == 0x1F80);         // MXCSR
    const auto ec2 = reset_vmsa(kBspResetEip, 0x1, 0xA00F11, VmmType::kEc2);
    CHECK(le<uint16_t>(ec2, 0x12) == 0x9A);            // EC2: the BSP's CS not accessed
    CHECK(le<uint64_t>(ec2, 0x310) == 0x600);          // EC2 puts its own RDX
    const auto gce = reset_vmsa(0x80B004, 0x1, 0, VmmType::kGce);
    CHECK(le<uint64_t>(gce, 0x268) == 0x00070106);     // GCE's PAT
    CHECK(le<uint64_t>(gce, 0x178) == 0xB004);
    const auto svsm = svsm_vmsa(0xFFB00000, 0x800F12);
    CHECK(le<uint64_t>(svsm, 0x158) == 0x11);          // CR0.PE: protected mode
    CHECK(le<uint64_t>(svsm, 0x178) == 0xFFB00000);
    CHECK(le<uint64_t>(svsm, 0x3B0) == 0x1);           // SNPActive only
}

TEST_CASE("firmware that is not a whole SNP-capable image is refused") {
    const auto good = amd_sev_ovmf();
    const size_t n = good.size();
    SECTION("truncated: not a whole number of pages") {
        auto e = refusal(std::vector<uint8_t>(good.begin() + 1, good.end()));
        CHECK(e.kind == Kind::kTruncated);
        CHECK_THAT(e.message(), Catch::Contains("not a whole number of 4096-byte pages"));
    }
    SECTION("empty") { CHECK(refusal({}).kind == Kind::kTruncated); }
    SECTION("no footer table") {
        auto e = refusal(std::vector<uint8_t>(4096, 0));
        CHECK(e.kind == Kind::kNoFooterTable);
        CHECK_THAT(e.message(), Catch::Contains("no OVMF footer table"));
    }
    SECTION("a footer table longer than the image") {
        auto bad = good;
        bad[n - 50] = 0xFF, bad[n - 49] = 0xFF;
        CHECK(refusal(bad).kind == Kind::kTruncated);
    }
    SECTION("an entry longer than the table") {
        auto bad = good;
        bad[n - 68] = 0xFF;  // the reset block's length
        CHECK(refusal(bad).kind == Kind::kMalformedFirmware);
    }
    SECTION("the same GUID twice") {
        auto bad = good;
        std::copy(good.begin() + static_cast<long>(n - 66), good.begin() + static_cast<long>(n - 50), bad.begin() + static_cast<long>(n - 88));
        CHECK_THAT(refusal(bad).message(), Catch::Contains("same GUID twice"));
    }
    SECTION("SEV metadata without its signature") {
        auto bad = good;
        const auto at = std::search(bad.begin(), bad.end(), std::begin("ASEV"), std::begin("ASEV") + 4);
        REQUIRE(at != bad.end());
        *at = 'X';
        CHECK_THAT(refusal(bad).message(), Catch::Contains("no 'ASEV' signature"));
    }
    SECTION("a kernel-hashes section of more than one page, when a kernel is measured") {
        auto bad = good;
        const auto at = std::search(bad.begin(), bad.end(), std::begin("ASEV"), std::begin("ASEV") + 4);
        REQUIRE(at != bad.end());
        const auto item = at + 16 + 5 * 12;  // the sixth section: the kernel hashes' page in this image
        REQUIRE(item[8] == 0x10);
        item[5] = 0x20;  // size 0x1000 -> 0x2000
        TempDir dir;
        MeasureRequest r;
        r.ovmf = dir.write("ovmf.bin", bad);
        r.vcpus = 1;
        r.vcpu_sig = 0x800F12;
        REQUIRE(measure(r));  // without a kernel the section is zero pages, whatever its size
        r.kernel = "/dev/null";
        const auto m = measure(r);
        REQUIRE_FALSE(m);
        CHECK(m.error().kind == Kind::kMalformedFirmware);
        CHECK_THAT(m.error().message(), Catch::Contains("8192 bytes, not one page"));
    }
    SECTION("an AP reset EIP of 0 with more than one vCPU") {
        auto bad = good;
        std::fill(bad.begin() + static_cast<long>(n - 72), bad.begin() + static_cast<long>(n - 68), 0);
        CHECK_THAT(refusal(bad, 2).message(), Catch::Contains("cannot start more than one vCPU"));
    }
}

TEST_CASE("inputs are regular files within their bound; /dev/null is the empty file") {
    TempDir dir;
    auto e = digest_input_file(dir.path.string(), "--initrd", kMaxBootFileSize, false);
    REQUIRE_FALSE(e);
    CHECK(e.error().kind == Kind::kNotRegularFile);
    CHECK(e.error().message() == "--initrd: not a regular file");
    auto missing = read_input_file((dir.path / "nope").string(), "--ovmf nope", kMaxFirmwareSize);
    REQUIRE_FALSE(missing);
    CHECK(missing.error().kind == Kind::kUnreadableFile);
    // A sparse file one page over the firmware bound: refused before a byte is read.
    const std::string big = (dir.path / "big.fd").string();
    { std::ofstream(big).close(); }
    std::filesystem::resize_file(big, kMaxFirmwareSize + 4096);
    auto too_big = read_input_file(big, "--ovmf big.fd", kMaxFirmwareSize);
    REQUIRE_FALSE(too_big);
    CHECK(too_big.error().kind == Kind::kFileTooLarge);
    auto null = digest_input_file("/dev/null", "--kernel", kMaxBootFileSize, true);
    REQUIRE(null);
    CHECK(null->size == 0);
    CHECK(hex(null->sha256) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("requests the reference refuses, or that would measure something else than named") {
    MeasureRequest ok;
    ok.ovmf = cvex::test::shared_path("vectors/sev/measure/ovmf_AmdSev_suffix.bin");
    ok.vcpus = 1;
    ok.vcpu_sig = 0x800F12;
    REQUIRE(measure(ok));
    auto refused = [&](auto change) {
        MeasureRequest r = ok;
        change(r);
        auto m = measure(r);
        REQUIRE_FALSE(m);
        return m.error();
    };
    CHECK(refused([](MeasureRequest& r) { r.vcpus = 0; }).subject == "--vcpus");
    CHECK(refused([](MeasureRequest& r) { r.vcpus = kMaxVcpus + 1; }).subject == "--vcpus");
    CHECK_THAT(refused([](MeasureRequest& r) { r.vcpu_sig.reset(); }).message(), Catch::Contains("needs --vcpu-type"));
    CHECK(refused([](MeasureRequest& r) { r.guest_features = 0x20; }).subject == "--guest-features");
    CHECK(refused([](MeasureRequest& r) { r.initrd = "/dev/null"; }).subject == "--initrd");
    CHECK(refused([](MeasureRequest& r) { r.svsm = "/dev/null"; }).subject == "--svsm");
    auto svsm = refused([](MeasureRequest& r) {
        r.mode = Mode::kSnpSvsm, r.vmm = VmmType::kEc2, r.svsm = "x", r.vars_size = 4096;
    });
    CHECK(svsm.kind == Kind::kUnsupported);
    CHECK_THAT(svsm.message(), Catch::Contains("QEMU only"));
    CHECK(refused([](MeasureRequest& r) { r.mode = Mode::kSnpSvsm, r.svsm = "x"; }).kind == Kind::kInvalidArgument);
    CHECK(refused([](MeasureRequest& r) { r.mode = Mode::kSnpSvsm, r.svsm = "x", r.vars_size = 100; }).subject == "--vars-size");
    CHECK(refused([](MeasureRequest& r) { r.mode = Mode::kSnpOvmfHash; }).subject == "--vcpus");
    CHECK(refused([](MeasureRequest& r) { r.mode = Mode::kSnpSvsm, r.kernel = "/dev/null"; }).subject == "--kernel");
}
