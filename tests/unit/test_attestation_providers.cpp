// The guest-side providers against a fake configfs-tsm tree (a real temporary directory whose
// kernel side is emulated: generation bumps on every attribute write, outblob carries inblob as
// REPORT_DATA), the /dev/sev-guest ABI against the kernel's own uapi header, and SNP_GET_DERIVED_KEY
// against a fake of the driver and firmware.
#include <catch2/catch.hpp>

#include <linux/sev-guest.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "attest/provider/configfs_tsm.hpp"
#include "attest/provider/sev_guest_device.hpp"
#include "attest/provider/sev_guest_ioctl.hpp"

using namespace cvex::attest;
using cvex::Bytes;
namespace fs = std::filesystem;

namespace {

// What the emulated kernel does, and how a test makes it misbehave.
struct FakeKernel {
    std::string provider = "sev_guest";
    size_t outblob_size = 1184;
    int interfering_writes = 0;  // the next N attempts see another writer bump generation
    bool has_privlevel = true;
    unsigned privlevel_floor = 0;
    bool echo_other_report_data = false;
    CertTable certs = {{kGuidVcek, Bytes{0x30, 0x82, 0x01}}, {kGuidAsk, Bytes{0x30, 0x82, 0x02}}};
    std::vector<std::string> entries_made;
    std::string last_privlevel;
};

class FakeConfigfsClient final : public ConfigfsClient {
public:
    explicit FakeConfigfsClient(FakeKernel& k) : k_(k), posix_(make_posix_configfs_client()) {}

    bool make_dir(const std::string& path, std::string& error) override {
        if (!posix_->make_dir(path, error)) return false;
        k_.entries_made.push_back(path);
        put(path + "/provider", k_.provider + "\n");
        put(path + "/generation", "0\n");
        put(path + "/inblob", "");
        put(path + "/outblob", "");
        put(path + "/auxblob", "");
        if (k_.has_privlevel) {
            put(path + "/privlevel", "");
            put(path + "/privlevel_floor", std::to_string(k_.privlevel_floor) + "\n");
        }
        return true;
    }
    bool remove_dir(const std::string& path, std::string& error) override {
        // configfs removes an entry's attributes with it; a plain directory needs them gone first.
        for (const auto& f : fs::directory_iterator(path)) fs::remove(f.path());
        return posix_->remove_dir(path, error);
    }
    bool read_file(const std::string& path, Bytes& out, std::string& error) override { return posix_->read_file(path, out, error); }
    bool exists(const std::string& path) override { return posix_->exists(path); }
    bool write_file(const std::string& path, cvex::ByteView data, std::string& error) override {
        if (!posix_->write_file(path, data, error)) return false;
        const std::string dir = fs::path(path).parent_path();
        const std::string attr = fs::path(path).filename();
        bump(dir);
        if (attr == "privlevel") k_.last_privlevel.assign(data.begin(), data.end());
        if (attr == "inblob") {
            Bytes report(k_.outblob_size, 0);
            if (report.size() >= 4) report[0] = 3;  // VERSION
            if (report.size() >= 0x90) std::memcpy(report.data() + 0x50, data.data(), std::min<size_t>(data.size(), 64));
            if (k_.echo_other_report_data && report.size() >= 0x90) report[0x50] ^= 1;
            put(dir + "/outblob", std::string(report.begin(), report.end()));
            const Bytes aux = serialize_cert_table(k_.certs);
            put(dir + "/auxblob", std::string(aux.begin(), aux.end()));
            if (k_.interfering_writes > 0) {
                --k_.interfering_writes;
                bump(dir);  // another process wrote to the same entry
            }
        }
        return true;
    }

private:
    static void put(const std::string& path, const std::string& content) { std::ofstream(path, std::ios::binary) << content; }
    void bump(const std::string& dir) {
        Bytes g;
        std::string e;
        posix_->read_file(dir + "/generation", g, e);
        put(dir + "/generation", std::to_string(std::stoull(std::string(g.begin(), g.end())) + 1) + "\n");
    }

    FakeKernel& k_;
    std::unique_ptr<ConfigfsClient> posix_;
};

struct TempDir {
    fs::path path;
    TempDir() {
        char tmpl[] = "/tmp/cvex-tsm-XXXXXX";
        path = ::mkdtemp(tmpl);
    }
    ~TempDir() { fs::remove_all(path); }
};

ReportData sample_report_data() {
    ReportData rd;
    for (size_t i = 0; i < rd.size(); ++i) rd[i] = static_cast<uint8_t>(0xA0 + i);
    return rd;
}

ConfigfsTsmProvider make_provider(FakeKernel& k, const TempDir& dir, int attempts = 5) {
    return ConfigfsTsmProvider(std::make_unique<FakeConfigfsClient>(k), {dir.path.string(), attempts});
}

}  // namespace

TEST_CASE("configfs-tsm returns the report carrying our REPORT_DATA and the host's certificate table") {
    TempDir dir;
    FakeKernel k;
    auto provider = make_provider(k, dir);
    auto ev = provider.get_evidence(sample_report_data(), 0);
    REQUIRE(ev);
    CHECK(ev->report.size() == 1184);
    CHECK(std::equal(ev->report.begin() + 0x50, ev->report.begin() + 0x90, sample_report_data().begin()));
    REQUIRE(ev->certs.size() == 2);
    CHECK(find_cert(ev->certs, kGuidVcek) != nullptr);
    CHECK(ev->provider == "configfs-tsm");
    CHECK_FALSE(ev->simulated);
}

TEST_CASE("configfs-tsm removes its report entry afterwards") {
    TempDir dir;
    FakeKernel k;
    auto provider = make_provider(k, dir);
    REQUIRE(provider.get_evidence(sample_report_data(), 0));
    CHECK(k.entries_made.size() == 1);
    CHECK(fs::is_empty(dir.path));
}

TEST_CASE("configfs-tsm writes the requested VMPL to privlevel") {
    TempDir dir;
    FakeKernel k;
    auto provider = make_provider(k, dir);
    REQUIRE(provider.get_evidence(sample_report_data(), 2));
    CHECK(k.last_privlevel == "2\n");
}

TEST_CASE("configfs-tsm retries when another writer bumps generation, then succeeds") {
    TempDir dir;
    FakeKernel k;
    k.interfering_writes = 2;
    auto provider = make_provider(k, dir);
    REQUIRE(provider.get_evidence(sample_report_data(), 0));
    CHECK(k.entries_made.size() == 3);
}

TEST_CASE("configfs-tsm gives up with a conflict error when the interference never stops") {
    TempDir dir;
    FakeKernel k;
    k.interfering_writes = 100;
    auto provider = make_provider(k, dir, 3);
    auto ev = provider.get_evidence(sample_report_data(), 0);
    REQUIRE_FALSE(ev);
    CHECK(ev.error().code == ProviderErrc::kConflict);
    CHECK_THAT(ev.error().message(), Catch::Contains("generation") && Catch::Contains("3 attempts"));
}

TEST_CASE("configfs-tsm refuses a report whose REPORT_DATA is not ours") {
    TempDir dir;
    FakeKernel k;
    k.echo_other_report_data = true;
    auto provider = make_provider(k, dir, 1);
    auto ev = provider.get_evidence(sample_report_data(), 0);
    REQUIRE_FALSE(ev);
    CHECK(ev.error().code == ProviderErrc::kConflict);
}

TEST_CASE("configfs-tsm refuses a TSM that is not the SEV-SNP guest driver") {
    TempDir dir;
    FakeKernel k;
    k.provider = "tdx_guest";
    auto provider = make_provider(k, dir);
    auto ev = provider.get_evidence(sample_report_data(), 0);
    REQUIRE_FALSE(ev);
    CHECK(ev.error().code == ProviderErrc::kWrongProvider);
    CHECK_THAT(ev.error().message(), Catch::Contains("tdx_guest"));
}

TEST_CASE("configfs-tsm rejects an outblob that is not 1184 bytes") {
    TempDir dir;
    FakeKernel k;
    k.outblob_size = 1000;
    auto provider = make_provider(k, dir);
    auto ev = provider.get_evidence(sample_report_data(), 0);
    REQUIRE_FALSE(ev);
    CHECK(ev.error().code == ProviderErrc::kBadResponse);
    CHECK_THAT(ev.error().message(), Catch::Contains("1000 bytes"));
}

TEST_CASE("configfs-tsm rejects a VMPL above 3 or below the kernel's privlevel_floor") {
    TempDir dir;
    FakeKernel k;
    k.privlevel_floor = 1;
    auto provider = make_provider(k, dir);
    CHECK(provider.get_evidence(sample_report_data(), 4).error().code == ProviderErrc::kInvalidArgument);
    CHECK(provider.get_evidence(sample_report_data(), 0).error().code == ProviderErrc::kInvalidArgument);
    CHECK(provider.get_evidence(sample_report_data(), 1));
}

TEST_CASE("configfs-tsm is unavailable where the report directory does not exist") {
    FakeKernel k;
    ConfigfsTsmProvider provider(std::make_unique<FakeConfigfsClient>(k), {"/nonexistent/tsm/report", 5});
    CHECK(provider.get_evidence(sample_report_data(), 0).error().code == ProviderErrc::kUnavailable);
}

TEST_CASE("configfs-tsm has no derived keys") {
    TempDir dir;
    FakeKernel k;
    auto provider = make_provider(k, dir);
    std::array<uint8_t, 32> key{};
    CHECK(provider.derive_key({}, key).error().code == ProviderErrc::kUnsupported);
}

TEST_CASE("sev-guest ioctl structures and numbers match the kernel's uapi header") {
    CHECK(sizeof(sev_guest_abi::SnpReportReq) == sizeof(struct snp_report_req));
    CHECK(sizeof(sev_guest_abi::SnpReportResp) == sizeof(struct snp_report_resp));
    CHECK(sizeof(sev_guest_abi::SnpDerivedKeyReq) == sizeof(struct snp_derived_key_req));
    CHECK(sizeof(sev_guest_abi::SnpDerivedKeyResp) == sizeof(struct snp_derived_key_resp));
    CHECK(sizeof(sev_guest_abi::SnpGuestRequestIoctl) == sizeof(struct snp_guest_request_ioctl));
    CHECK(sizeof(sev_guest_abi::SnpExtReportReq) == sizeof(struct snp_ext_report_req));
    CHECK(offsetof(sev_guest_abi::SnpExtReportReq, certs_len) == offsetof(struct snp_ext_report_req, certs_len));
    CHECK(offsetof(sev_guest_abi::SnpDerivedKeyReq, tcb_version) == offsetof(struct snp_derived_key_req, tcb_version));
    CHECK(sev_guest_abi::kSnpGetReport == SNP_GET_REPORT);
    CHECK(sev_guest_abi::kSnpGetDerivedKey == SNP_GET_DERIVED_KEY);
    CHECK(sev_guest_abi::kSnpGetExtReport == SNP_GET_EXT_REPORT);
    CHECK(sev_guest_abi::kVmmErrInvalidLen == SNP_GUEST_VMM_ERR_INVALID_LEN);
}

TEST_CASE("MSG_REPORT_RSP yields the report on success") {
    Bytes rsp(4000, 0);
    rsp[4] = 0xA0, rsp[5] = 0x04;  // REPORT_SIZE = 1184
    rsp[0x20] = 5;
    auto report = parse_report_response(rsp);
    REQUIRE(report);
    CHECK(report->size() == 1184);
    CHECK((*report)[0] == 5);
}

TEST_CASE("MSG_REPORT_RSP with a firmware status names it") {
    Bytes rsp(4000, 0);
    rsp[0] = 0x16;
    auto report = parse_report_response(rsp);
    REQUIRE_FALSE(report);
    CHECK(report.error().code == ProviderErrc::kFirmware);
    CHECK_THAT(report.error().message(), Catch::Contains("INVALID_PARAM"));
}

TEST_CASE("MSG_REPORT_RSP with a wrong REPORT_SIZE is malformed") {
    Bytes rsp(4000, 0);
    rsp[4] = 0x10;
    CHECK(parse_report_response(rsp).error().code == ProviderErrc::kBadResponse);
}

TEST_CASE("MSG_KEY_RSP yields the 32-byte derived key") {
    Bytes rsp(64, 0);
    for (size_t i = 0; i < 32; ++i) rsp[0x20 + i] = static_cast<uint8_t>(i);
    std::array<uint8_t, 32> key{};
    REQUIRE(parse_key_response(rsp, key));
    CHECK(key[31] == 31);
    rsp[0] = 0x27;
    key.fill(0);
    CHECK_THAT(parse_key_response(rsp, key).error().message(), Catch::Contains("INVALID_KEY"));
    CHECK(key == std::array<uint8_t, 32>{});
}

namespace {

// The kernel and firmware behind /dev/sev-guest for SNP_GET_DERIVED_KEY: records MSG_KEY_REQ and
// answers MSG_KEY_RSP (SNP ABI Table 20: STATUS at 0x00, the key at 0x20), or fails as told.
struct FakeSevGuest final : SevGuestClient {
    sev_guest_abi::SnpDerivedKeyReq seen{};
    unsigned long nr = 0;
    uint8_t msg_version = 0;
    uint32_t rsp_status = 0;
    int fail_errno = 0;
    uint32_t fw_error = 0;
    cvex::Expected<int, ProviderError> request(unsigned long request, sev_guest_abi::SnpGuestRequestIoctl& io) override {
        nr = request;
        msg_version = io.msg_version;
        std::memcpy(&seen, reinterpret_cast<const void*>(io.req_data), sizeof seen);
        if (fail_errno != 0) {
            io.fw_error = fw_error;
            io.vmm_error = 0;
            return fail_errno;
        }
        auto* rsp = reinterpret_cast<sev_guest_abi::SnpDerivedKeyResp*>(io.resp_data);
        std::memset(rsp->data, 0, sizeof rsp->data);
        std::memcpy(rsp->data, &rsp_status, 4);
        for (size_t i = 0; i < 32; ++i) rsp->data[0x20 + i] = static_cast<uint8_t>(0xA0 + i);
        return 0;
    }
};

}  // namespace

TEST_CASE("SNP_GET_DERIVED_KEY sends MSG_KEY_REQ with the sealing selection and returns MSG_KEY_RSP's key") {
    auto fake = std::make_unique<FakeSevGuest>();
    FakeSevGuest& k = *fake;
    SevGuestDeviceProvider provider(std::move(fake));
    std::array<uint8_t, 32> key{};
    REQUIRE(provider.derive_key(sealing_key_request(0x7308000000000003), key));
    CHECK(k.nr == sev_guest_abi::kSnpGetDerivedKey);
    CHECK(k.msg_version == 1);
    CHECK(k.seen.root_key_select == 0);             // VCEK
    CHECK(k.seen.guest_field_select == 0b101001);   // policy, measurement, TCB version
    CHECK(k.seen.tcb_version == 0x7308000000000003);
    CHECK(k.seen.vmpl == 0);
    CHECK(k.seen.rsvd == 0);
    CHECK(key[0] == 0xA0);
    CHECK(key[31] == 0xA0 + 31);
}

TEST_CASE("a refused SNP_GET_DERIVED_KEY names the ioctl and the firmware's error, and yields no key") {
    auto fake = std::make_unique<FakeSevGuest>();
    fake->fail_errno = EIO;
    fake->fw_error = 0x16;
    SevGuestDeviceProvider provider(std::move(fake));
    std::array<uint8_t, 32> key{};
    auto r = provider.derive_key(sealing_key_request(0), key);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ProviderErrc::kFirmware);
    CHECK_THAT(r.error().message(), Catch::Contains("SNP_GET_DERIVED_KEY") && Catch::Contains("fw_error 22"));
    CHECK(key == std::array<uint8_t, 32>{});
}

TEST_CASE("a MSG_KEY_RSP with an error status yields no key") {
    auto fake = std::make_unique<FakeSevGuest>();
    fake->rsp_status = 0x16;
    SevGuestDeviceProvider provider(std::move(fake));
    std::array<uint8_t, 32> key{};
    auto r = provider.derive_key(sealing_key_request(0), key);
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error().message(), Catch::Contains("INVALID_PARAM"));
    CHECK(key == std::array<uint8_t, 32>{});
}

TEST_CASE("the ioctl provider is unavailable without /dev/sev-guest") {
    SevGuestDeviceProvider provider("/nonexistent/sev-guest");
    CHECK(provider.get_evidence(sample_report_data(), 0).error().code == ProviderErrc::kUnavailable);
    std::array<uint8_t, 32> key{};
    CHECK(provider.derive_key({}, key).error().code == ProviderErrc::kUnavailable);
}

TEST_CASE("certificate tables round-trip and keep the GHCB GUIDs") {
    const CertTable table = {{kGuidVcek, Bytes{1, 2, 3}}, {kGuidAsk, Bytes{4}}, {kGuidArk, Bytes{}}};
    auto parsed = parse_cert_table(serialize_cert_table(table));
    REQUIRE(parsed);
    REQUIRE(parsed->size() == 3);
    CHECK((*parsed)[0].data == Bytes{1, 2, 3});
    CHECK(guid_to_string(kGuidVcek) == "63da758d-e664-4564-adc5-f4b93be8accd");
    CHECK(guid_to_string(kGuidVlek) == "a8074bc2-a25a-483e-aae6-39c045a0b8a1");
}

TEST_CASE("an all-zero certificate blob is an empty table") {
    auto parsed = parse_cert_table(Bytes(4096, 0));
    REQUIRE(parsed);
    CHECK(parsed->empty());
}

TEST_CASE("malformed certificate tables are rejected with the entry's offset") {
    Bytes blob = serialize_cert_table({{kGuidVcek, Bytes{1, 2, 3}}});
    SECTION("no terminator") {
        Bytes cut(blob.begin(), blob.begin() + 24);
        CHECK(parse_cert_table(cut).error().code == CertTableError::kNoTerminator);
    }
    SECTION("entry pointing past the end") {
        blob[20] = 0xff;  // length
        auto r = parse_cert_table(blob);
        CHECK(r.error().code == CertTableError::kEntryOutOfRange);
        CHECK_THAT(r.error().message(), Catch::Contains("byte 0"));
    }
    SECTION("duplicate GUID") {
        Bytes dup = serialize_cert_table({{kGuidVcek, Bytes{1}}, {kGuidVcek, Bytes{2}}});
        CHECK(parse_cert_table(dup).error().code == CertTableError::kDuplicateGuid);
    }
}

#include "attest/provider/provider_select.hpp"

TEST_CASE("auto selection prefers configfs-tsm, then /dev/sev-guest") {
    TempDir dir;
    ProviderSelection s;
    s.configfs_root = dir.path.string();
    s.sev_guest_device = "/nonexistent/sev-guest";
    auto p = open_provider(s);
    REQUIRE(p);
    CHECK((*p)->name() == "configfs-tsm");
    s.configfs_root = "/nonexistent/tsm";
    s.sev_guest_device = dir.path.string();  // any existing path stands in for the device node
    p = open_provider(s);
    REQUIRE(p);
    CHECK((*p)->name() == "sev-guest-ioctl");
}

TEST_CASE("auto selection refuses, rather than simulating, on a machine without SEV") {
    ProviderSelection s;
    s.configfs_root = "/nonexistent/tsm";
    s.sev_guest_device = "/nonexistent/sev-guest";
    auto p = open_provider(s);
    REQUIRE_FALSE(p);
    CHECK(p.error().code == ProviderErrc::kUnavailable);
    CHECK_THAT(p.error().message(), Catch::Contains("simulated"));
}

TEST_CASE("a provider named in the configuration is used only if present") {
    ProviderSelection s;
    s.kind = ProviderKind::kIoctl;
    s.sev_guest_device = "/nonexistent/sev-guest";
    CHECK_FALSE(open_provider(s));
    CHECK(parse_provider_kind("configfs") == ProviderKind::kConfigfs);
    CHECK_FALSE(parse_provider_kind("sgx"));
}
