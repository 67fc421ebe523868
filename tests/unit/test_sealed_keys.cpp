// Sealed keys (issue 14 §1): a guest's keys, sealed under the firmware's derived key, reopen only
// for the same measurement and policy on the same chip at a TCB no lower than the sealing one,
// and the host's state directory never holds them in clear.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <tuple>

#include "enclave-app/guest_keys.hpp"
#include "enclave-app/sealed_keys.hpp"
#include "attest/provider/sim_platform.hpp"

using namespace cvex::enclave;
using namespace cvex::attest;
using cvex::Bytes;
namespace fs = std::filesystem;

namespace {

using Seed = std::array<uint8_t, 32>;

Seed seed_of(uint8_t b) {
    Seed s;
    s.fill(b);
    return s;
}

/// A simulated chip (by seed) running a guest with `measurement_byte` and `policy`; platforms
/// are cached because each costs two RSA-4096 key generations.
std::shared_ptr<const SimulatedSnpPlatform> chip(uint8_t seed, uint8_t measurement_byte, uint64_t policy = 0x30000,
                                                 uint64_t tcb = 0x7308000000000003) {
    static std::map<std::tuple<uint8_t, uint8_t, uint64_t, uint64_t>, std::shared_ptr<const SimulatedSnpPlatform>> cache;
    auto& p = cache[{seed, measurement_byte, policy, tcb}];
    if (!p) {
        SimulatedGuest g;
        g.measurement.fill(measurement_byte);
        g.policy = policy;
        g.tcb = tcb;
        auto created = SimulatedSnpPlatform::create(g, seed_of(seed));
        REQUIRE(created);
        p = std::move(*created);
    }
    return p;
}

std::unique_ptr<KeyCustody> custody() {
    auto c = KeyCustody::create(8);
    REQUIRE(c);
    return std::move(*c);
}

struct Sealed {
    Bytes blob;
    cvex::chain::Address address;
    std::array<uint8_t, 65> vrf_public{};
    Bytes secrets;  // what must never appear in the blob
};

Sealed seal_fresh(SimulatedProvider& provider, KeyCustody& c, uint64_t tcb = 0x7308000000000003) {
    auto eth = c.generate_secp256k1(), vrf = c.generate_secp256k1();
    REQUIRE((eth && vrf));
    Sealed s;
    s.address = *c.address(*eth);
    s.vrf_public = *c.public_key(*vrf);
    for (auto h : {*eth, *vrf}) (void)c.with_secret(h, [&](std::span<const uint8_t, 32> k) { s.secrets.insert(s.secrets.end(), k.begin(), k.end()); });
    auto blob = seal_keys(provider, sealing_key_request(tcb), c, std::array{*eth, *vrf});
    REQUIRE(blob);
    s.blob = std::move(*blob);
    c.release(*eth);
    c.release(*vrf);
    return s;
}

bool contains(const Bytes& haystack, const uint8_t* needle, size_t n) {
    return std::search(haystack.begin(), haystack.end(), needle, needle + n) != haystack.end();
}

struct TempDir {
    fs::path path = fs::temp_directory_path() / ("cvex-seal-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    TempDir() { fs::create_directories(path); }
    ~TempDir() { fs::remove_all(path); }
    static inline int counter = 0;
};

}  // namespace

TEST_CASE("the sealing derivation is the VCEK with policy, measurement and TCB version (MSG_KEY_REQ, SNP ABI Table 19)") {
    const auto d = sealing_key_request(0x7308000000000003);
    CHECK(d.root_key == DerivedKeyRequest::kVcek);
    CHECK(d.guest_field_select == 0b101001);  // bit 0 policy, bit 3 measurement, bit 5 TCB version
    CHECK(d.tcb_version == 0x7308000000000003);
    CHECK(d.vmpl == 0);
}

TEST_CASE("keys sealed on a chip reopen there with the same address and VRF key, and the blob holds no key in clear") {
    SimulatedProvider provider(chip(1, 0xaa));
    auto c = custody();
    const auto s = seal_fresh(provider, *c);
    CHECK(s.blob.size() == kSealHeaderSize + 12 + 64 + 16);
    CHECK(Bytes(s.blob.begin(), s.blob.begin() + 8) == Bytes{'C', 'V', 'E', 'X', 'S', 'E', 'A', 'L'});
    CHECK_FALSE(contains(s.blob, s.secrets.data(), 32));
    CHECK_FALSE(contains(s.blob, s.secrets.data() + 32, 32));
    const auto header = parse_sealed_header(s.blob);
    REQUIRE(header);
    CHECK(header->address == s.address);
    CHECK(header->key_count == 2);
    CHECK(header->derivation.guest_field_select == sealing_key_request(0).guest_field_select);

    // A restart: a new process (new custody) on the same chip and measurement.
    SimulatedProvider again(chip(1, 0xaa));
    auto c2 = custody();
    auto keys = unseal_keys(again, *c2, s.blob);
    REQUIRE(keys);
    REQUIRE(keys->size() == 2);
    CHECK(*c2->address((*keys)[0]) == s.address);
    CHECK(*c2->public_key((*keys)[1]) == s.vrf_public);
}

TEST_CASE("a sealed blob does not open for another measurement, policy or chip") {
    SimulatedProvider provider(chip(1, 0xaa));
    auto c = custody();
    const auto s = seal_fresh(provider, *c);
    for (auto [name, other] : {std::pair{"another measurement", chip(1, 0xab)}, std::pair{"another policy", chip(1, 0xaa, 0x30000 | 1u << 20)},
                               std::pair{"another chip", chip(2, 0xaa)}}) {
        INFO(name);
        SimulatedProvider p(other);
        auto c2 = custody();
        auto keys = unseal_keys(p, *c2, s.blob);
        REQUIRE_FALSE(keys);
        CHECK(keys.error().code == SealError::kAuthentication);
        CHECK(c2->keys_held() == 0);
    }
}

TEST_CASE("a firmware rolled back below the sealing TCB cannot derive the key; an updated one can") {
    SimulatedProvider provider(chip(1, 0xaa));
    auto c = custody();
    const auto s = seal_fresh(provider, *c);
    SimulatedProvider older(chip(1, 0xaa, 0x30000, 0x7307000000000003));  // SNP SPL 8 → 7
    auto keys = unseal_keys(older, *c, s.blob);
    REQUIRE_FALSE(keys);
    CHECK(keys.error().code == SealError::kDerive);
    SimulatedProvider newer(chip(1, 0xaa, 0x30000, 0x7309000000000003));
    CHECK(unseal_keys(newer, *c, s.blob));
}

TEST_CASE("every single-byte change of a sealed blob is refused and leaves nothing in custody") {
    SimulatedProvider provider(chip(1, 0xaa));
    auto c = custody();
    const auto s = seal_fresh(provider, *c);
    for (size_t i = 0; i < s.blob.size(); ++i) {
        Bytes t = s.blob;
        t[i] ^= 0x01;
        auto keys = unseal_keys(provider, *c, t);
        INFO("byte " << i);
        CHECK_FALSE(keys);
    }
    CHECK(c->keys_held() == 0);
    CHECK(unseal_keys(provider, *c, Bytes(s.blob.begin(), s.blob.end() - 1)).error().code == SealError::kMalformed);
    CHECK(unseal_keys(provider, *c, Bytes{}).error().code == SealError::kMalformed);
    Bytes v2 = s.blob;
    v2[9] = 2;
    CHECK(unseal_keys(provider, *c, v2).error().code == SealError::kVersion);
}

TEST_CASE("at boot a guest generates and seals, then unseals the same keys; a bad blob is moved aside and replaced") {
    TempDir dir;
    const std::string state = dir.path.string();
    std::vector<std::string> lines;
    auto log = [&](const std::string& l) { lines.push_back(l); };
    SimulatedProvider provider(chip(1, 0xaa));

    auto c1 = custody();
    auto first = restore_or_generate_keys(provider, *c1, state, log);
    REQUIRE(first);
    CHECK(first->origin == GuestKeys::Origin::kGenerated);
    CHECK(first->sealed);
    const auto address = *c1->address(first->eth);
    std::ifstream in(dir.path / kSealedKeysFile, std::ios::binary);
    const Bytes blob((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK((fs::status(dir.path / kSealedKeysFile).permissions() & fs::perms::others_read) == fs::perms::none);

    auto c2 = custody();
    auto second = restore_or_generate_keys(provider, *c2, state, log);
    REQUIRE(second);
    CHECK(second->origin == GuestKeys::Origin::kUnsealed);
    CHECK(*c2->address(second->eth) == address);
    CHECK(*c2->public_key(second->vrf) == *c1->public_key(first->vrf));

    // The host tampers with the blob: refused, kept aside, fresh keys sealed in its place.
    Bytes tampered = blob;
    tampered.back() ^= 0x80;
    std::ofstream(dir.path / kSealedKeysFile, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(tampered.data()), tampered.size());
    lines.clear();
    auto c3 = custody();
    auto third = restore_or_generate_keys(provider, *c3, state, log);
    REQUIRE(third);
    CHECK(third->origin == GuestKeys::Origin::kGenerated);
    CHECK(*c3->address(third->eth) != address);
    REQUIRE_FALSE(lines.empty());
    CHECK_THAT(lines.front(), Catch::Contains("were refused") && Catch::Contains("tampered") && Catch::Contains(".rejected-"));
    size_t aside = 0;
    for (const auto& e : fs::directory_iterator(dir.path)) aside += e.path().filename().string().find(".rejected-") != std::string::npos;
    CHECK(aside == 1);

    // The host replays the first blob: the first key set comes back (harmless: nonces and
    // pending requests are read from the chain).
    std::ofstream(dir.path / kSealedKeysFile, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(blob.data()), blob.size());
    auto c4 = custody();
    auto fourth = restore_or_generate_keys(provider, *c4, state, log);
    REQUIRE(fourth);
    CHECK(fourth->origin == GuestKeys::Origin::kUnsealed);
    CHECK(*c4->address(fourth->eth) == address);
}

TEST_CASE("a blob from another measurement is refused by name and the guest starts fresh") {
    TempDir dir;
    std::vector<std::string> lines;
    auto log = [&](const std::string& l) { lines.push_back(l); };
    SimulatedProvider before(chip(1, 0xaa)), after(chip(1, 0xbb));
    auto c1 = custody(), c2 = custody();
    auto first = restore_or_generate_keys(before, *c1, dir.path.string(), log);
    REQUIRE(first);
    lines.clear();
    auto second = restore_or_generate_keys(after, *c2, dir.path.string(), log);
    REQUIRE(second);
    CHECK(second->origin == GuestKeys::Origin::kGenerated);
    CHECK(*c2->address(second->eth) != *c1->address(first->eth));
    CHECK_THAT(lines.front(), Catch::Contains("another measurement"));
}

TEST_CASE("without a state directory, or without a derived key (configfs-tsm), keys are generated and not sealed") {
    SimulatedProvider provider(chip(1, 0xaa));
    std::vector<std::string> lines;
    auto log = [&](const std::string& l) { lines.push_back(l); };
    auto c = custody();
    auto keys = restore_or_generate_keys(provider, *c, std::nullopt, log);
    REQUIRE(keys);
    CHECK_FALSE(keys->sealed);
    CHECK_THAT(lines.back(), Catch::Contains("not sealed"));

    // A provider with evidence but no derived key, as configfs-tsm.
    struct NoDerivedKey final : AttestationProvider {
        SimulatedProvider inner{chip(1, 0xaa)};
        std::string_view name() const override { return "configfs-tsm"; }
        cvex::Expected<Evidence, ProviderError> get_evidence(const ReportData& rd, unsigned vmpl) override {
            return inner.get_evidence(rd, vmpl);
        }
        cvex::Expected<void, ProviderError> derive_key(const DerivedKeyRequest&, DerivedKeyOut) override {
            return cvex::Unexpected{ProviderError{ProviderErrc::kUnsupported, "configfs-tsm has no derived-key interface"}};
        }
    } configfs;
    TempDir dir;
    lines.clear();
    auto c2 = custody();
    auto k2 = restore_or_generate_keys(configfs, *c2, dir.path.string(), log);
    REQUIRE(k2);
    CHECK_FALSE(k2->sealed);
    CHECK_THAT(lines.back(), Catch::Contains("no derived key") && Catch::Contains("handover"));
    CHECK(fs::is_empty(dir.path));
}
