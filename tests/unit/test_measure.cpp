// The SEV-SNP launch measurement (attest/measure/): the 16 cases of
// ../shared/vectors/sev/measure/vectors.json (virtee/sev-snp-measure's outputs, refusal included),
// then what each input contributes. The parts and the refusals: test_measure_parts.cpp.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "attest/measure/measure.hpp"
#include "attest/measure/vcpu_signature.hpp"
#include "base/bytes.hpp"
#include "support/vectors.hpp"

using namespace cvex::attest::measure;
using Kind = MeasureError::Kind;

namespace {

std::string fixture(const std::string& name) { return cvex::test::shared_path("vectors/sev/measure/" + name); }

std::string hex(std::span<const uint8_t> b) { return cvex::to_hex(b, false); }

MeasureRequest request_for(const nlohmann::json& c) {
    MeasureRequest r;
    r.mode = *parse_mode(c["mode"].get<std::string>());
    r.ovmf = fixture(c["ovmf"]);
    if (c.contains("vcpus")) r.vcpus = c["vcpus"];
    if (c.contains("vcpu_type")) r.vcpu_sig = cpu_signature_by_name(c["vcpu_type"].get<std::string>());
    if (c.contains("vmm_type")) r.vmm = parse_vmm_type(c["vmm_type"].get<std::string>());
    if (c.contains("kernel")) r.kernel = c["kernel"].get<std::string>();  // "/dev/null": the empty file
    if (c.contains("initrd")) r.initrd = c["initrd"].get<std::string>();
    if (c.contains("append")) r.append = c["append"].get<std::string>();
    if (c.contains("guest_features")) r.guest_features = std::stoull(c["guest_features"].get<std::string>(), nullptr, 16);
    if (c.contains("snp_ovmf_hash")) {
        Sha384Digest h;
        REQUIRE(cvex::from_hex_fixed(c["snp_ovmf_hash"].get<std::string>(), h));
        r.ovmf_hash = h;
    }
    if (c.contains("svsm")) r.svsm = fixture(c["svsm"]);
    if (c.contains("vars_size")) r.vars_size = c["vars_size"];
    return r;
}

struct TempDir {
    std::filesystem::path path =
        std::filesystem::temp_directory_path() / ("cvex-measure-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
    TempDir() { std::filesystem::create_directories(path); }
    ~TempDir() { std::filesystem::remove_all(path); }
    static int& counter() {
        static int n = 0;
        return n;
    }
    std::string write(const std::string& name, const std::vector<uint8_t>& bytes) const {
        const std::string p = (path / name).string();
        std::ofstream(p, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), static_cast<long>(bytes.size()));
        return p;
    }
};

}  // namespace

TEST_CASE("every shared vector: the reference's digest, or its refusal") {
    const auto vectors = cvex::test::load_vectors("vectors/sev/measure/vectors.json");
    REQUIRE(vectors["cases"].size() == 16);
    for (const auto& c : vectors["cases"]) {
        DYNAMIC_SECTION(c["name"].get<std::string>()) {
            const auto result = measure(request_for(c));
            if (c.contains("expect_error")) {
                REQUIRE_FALSE(result);
                CHECK(result.error().kind == Kind::kNoKernelHashes);
                CHECK_THAT(result.error().message(), Catch::Contains(c["expect_error"].get<std::string>()));
            } else {
                INFO((result ? "" : result.error().message()));
                REQUIRE(result);
                CHECK(hex(result->measurement) == c["expect"].get<std::string>());
            }
        }
    }
}

TEST_CASE("snp:ovmf-hash is the seed that snp with --snp-ovmf-hash continues from") {
    MeasureRequest hash_only;
    hash_only.mode = Mode::kSnpOvmfHash;
    hash_only.ovmf = fixture("ovmf_AmdSev_suffix.bin");
    const auto h = measure(hash_only);
    REQUIRE(h);
    MeasureRequest full;
    full.ovmf = hash_only.ovmf;
    full.vcpus = 2;
    full.vcpu_sig = cpu_signature_by_name("EPYC-Genoa");
    full.kernel = "/dev/null";
    const auto from_file = measure(full);
    full.ovmf_hash = h->measurement;
    const auto from_hash = measure(full);
    REQUIRE(from_file);
    REQUIRE(from_hash);
    CHECK(from_file->ovmf_hash == h->measurement);
    CHECK(from_file->measurement == from_hash->measurement);
    full.ovmf_hash->at(0) ^= 1;  // a different seed: a different measurement
    CHECK(measure(full)->measurement != from_file->measurement);
}

TEST_CASE("each boot input changes the measurement") {
    TempDir dir;
    MeasureRequest r;
    r.ovmf = fixture("ovmf_AmdSev_suffix.bin");
    r.vcpus = 1;
    r.vcpu_sig = cpu_signature_by_name("EPYC-v4");
    r.kernel = dir.write("vmlinuz", {1, 2, 3});
    r.initrd = dir.write("initrd", {4, 5, 6});
    r.append = "console=ttyS0";
    const auto base = measure(r)->measurement;
    auto differs = [&](auto change) {
        MeasureRequest c = r;
        change(c);
        const auto m = measure(c);
        REQUIRE(m);
        return m->measurement != base;
    };
    CHECK(differs([&](MeasureRequest& c) { c.kernel = dir.write("vmlinuz2", {1, 2, 4}); }));
    CHECK(differs([&](MeasureRequest& c) { c.initrd = dir.write("initrd2", {4, 5, 7}); }));
    CHECK(differs([&](MeasureRequest& c) { c.initrd.reset(); }));
    CHECK(differs([](MeasureRequest& c) { c.append = "console=ttyS1"; }));
    CHECK(differs([](MeasureRequest& c) { c.vcpus = 2; }));
    CHECK(differs([](MeasureRequest& c) { c.vcpu_sig = cpu_signature_by_name("EPYC-Milan"); }));
    CHECK(differs([](MeasureRequest& c) { c.guest_features = 0x21; }));
    CHECK(differs([](MeasureRequest& c) { c.vmm = VmmType::kGce; }));
    // An empty command line and none are the same bytes to QEMU: a lone NUL.
    MeasureRequest empty = r, none = r;
    empty.append = "";
    none.append.reset();
    CHECK(measure(empty)->measurement == measure(none)->measurement);
}

TEST_CASE("input digests cover every file and the command line as measured") {
    TempDir dir;
    std::vector<uint8_t> big(3 * (1u << 20) + 5);  // spans several 1 MiB read blocks
    for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<uint8_t>(i * 131 + 7);
    MeasureRequest r;
    r.ovmf = fixture("ovmf_AmdSev_suffix.bin");
    r.vcpus = 1;
    r.vcpu_sig = 0x800F12;
    r.kernel = dir.write("vmlinuz", {1, 2, 3});
    r.initrd = dir.write("initrd", big);
    r.append = "quiet";
    r.input_digests = true;
    const auto m = measure(r);
    REQUIRE(m);
    REQUIRE(m->inputs.size() == 4);
    CHECK(m->inputs[0].role == "ovmf");
    CHECK(m->inputs[0].size == 4096);
    CHECK(m->inputs[1].role == "kernel");
    CHECK(hex(m->inputs[1].sha256) == "039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81");  // sha256sum of 01 02 03
    const auto& initrd = m->inputs[2];
    CHECK(initrd.size == big.size());
    Sha256Digest d256;
    Sha384Digest d384;
    REQUIRE(sha256(big, d256));
    REQUIRE(sha384(big, d384));
    CHECK(initrd.sha256 == d256);
    CHECK(initrd.sha384 == d384);
    CHECK(m->inputs[3].role == "cmdline");
    CHECK(m->inputs[3].size == 6);  // "quiet" and its NUL
}

