// Key custody keeps secrets in locked, non-dumpable memory and only ever signs with them.
#include <catch2/catch.hpp>

#include <secp256k1.h>
#include <secp256k1_recovery.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <functional>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "chain/crypto/keccak.hpp"
#include "attest/provider/sim_platform.hpp"
#include "enclave-app/handover_cipher.hpp"
#include "enclave-app/key_custody.hpp"
#include "enclave-app/sealed_keys.hpp"
#include "support/process.hpp"
#include "support/sanitizers.hpp"

using namespace cvex::enclave;
using cvex::chain::Hash32;

namespace {

std::unique_ptr<KeyCustody> make_custody(size_t capacity = 8) {
    auto c = KeyCustody::create(capacity);
    REQUIRE(c);
    return std::move(*c);
}

bool contains_bytes(const std::string& haystack, const cvex::Bytes& needle) {
    return haystack.find(std::string(needle.begin(), needle.end())) != std::string::npos;
}

std::string read_all(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    std::ostringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

}  // namespace

TEST_CASE("generated keys are distinct and sign digests that recover to their address") {
    auto custody = make_custody();
    auto a = custody->generate_secp256k1(), b = custody->generate_secp256k1();
    REQUIRE((a && b));
    CHECK(*custody->address(*a) != *custody->address(*b));

    const Hash32 digest = cvex::chain::keccak256(cvex::as_view("cvex"));
    auto sig = custody->sign_digest(*a, digest);
    REQUIRE(sig);
    secp256k1_context* ctx = secp256k1_context_create(SECP256K1_CONTEXT_VERIFY);
    uint8_t compact[64];
    std::memcpy(compact, sig->r.data(), 32);
    std::memcpy(compact + 32, sig->s.data(), 32);
    secp256k1_ecdsa_recoverable_signature rs;
    REQUIRE(secp256k1_ecdsa_recoverable_signature_parse_compact(ctx, &rs, compact, sig->y_parity));
    secp256k1_pubkey pk;
    REQUIRE(secp256k1_ecdsa_recover(ctx, &pk, &rs, digest.bytes.data()));
    uint8_t ser[65];
    size_t len = 65;
    secp256k1_ec_pubkey_serialize(ctx, ser, &len, &pk, SECP256K1_EC_UNCOMPRESSED);
    CHECK(std::equal(ser, ser + 65, custody->public_key(*a)->begin()));
    // Low-s (EIP-2): s <= n/2, i.e. normalising changes nothing.
    secp256k1_ecdsa_signature plain;
    secp256k1_ecdsa_recoverable_signature_convert(ctx, &plain, &rs);
    CHECK(secp256k1_ecdsa_signature_normalize(ctx, nullptr, &plain) == 0);
    secp256k1_context_destroy(ctx);
}

TEST_CASE("a released key's handle stops working, even after its slot is reused") {
    auto custody = make_custody(1);
    auto a = custody->generate_secp256k1();
    REQUIRE(a);
    custody->release(*a);
    CHECK(custody->address(*a).error().code == CustodyError::kInvalidHandle);
    auto b = custody->generate_secp256k1();
    REQUIRE(b);
    CHECK(b->slot == a->slot);
    CHECK(custody->sign_digest(*a, Hash32{}).error().code == CustodyError::kInvalidHandle);
    CHECK(custody->sign_digest(*b, Hash32{}));
}

TEST_CASE("custody refuses a key beyond its capacity") {
    auto custody = make_custody(2);
    REQUIRE(custody->generate_secp256k1());
    REQUIRE(custody->generate_secp256k1());
    CHECK(custody->generate_secp256k1().error().code == CustodyError::kFull);
}

TEST_CASE("custody memory is locked, excluded from dumps, and the process is not dumpable") {
    auto custody = make_custody();
    auto h = custody->generate_secp256k1();
    REQUIRE(h);
    uintptr_t where = 0;
    REQUIRE(custody->with_secret(*h, [&](std::span<const uint8_t, 32> s) { where = reinterpret_cast<uintptr_t>(s.data()); }));
    CHECK(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0);

    // Find the mapping holding the secret in /proc/self/smaps and read its flags.
    std::istringstream smaps(read_all("/proc/self/smaps"));
    std::string line, flags;
    bool inside = false;
    while (std::getline(smaps, line)) {
        unsigned long lo = 0, hi = 0;
        // Mapping headers look like "7f12a000-7f12b000 rw-p ..."; attribute lines start with a name.
        if (line.find('-') < line.find(' ') && std::sscanf(line.c_str(), "%lx-%lx ", &lo, &hi) == 2) inside = where >= lo && where < hi;
        if (inside && line.rfind("VmFlags:", 0) == 0) flags = line;
    }
    INFO(flags);
    CHECK(flags.find(" lo") != std::string::npos);  // VM_LOCKED
    CHECK(flags.find(" dd") != std::string::npos);  // VM_DONTDUMP
}

namespace {

/// Forks a child that runs `hold` (which puts secrets in custody and returns what the parent may
/// search for: hex lines, the test's only copy outside custody), lets gcore dump it, and returns
/// the hex lines, the core and gcore's output. A marker in ordinary memory proves the core is
/// real and searchable.
struct Dumped {
    std::vector<cvex::Bytes> secrets;
    std::string core, gcore_out, gcore_err;
    pid_t pid = 0;
};

/// ASan reserves terabytes of address space for its shadow and allocator, and gcore writes every
/// mapping: a core of tens of GB that takes minutes. The core-dump checks run in the normal build.
bool skip_gcore_under_asan() {
    if (!cvex::test::kAddressSanitizer) return false;
    WARN("skipped under AddressSanitizer: gcore cannot dump an ASan process in reasonable time");
    return true;
}

Dumped dump_child(const std::function<std::string()>& hold) {
    int to_parent[2];
    REQUIRE(pipe(to_parent) == 0);
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        close(to_parent[0]);
        std::string report = hold();
        prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);  // let gcore attach; MADV_DONTDUMP must still hold
        static std::string marker;
        marker = "cvex-core-marker-";
        marker.append(std::to_string(getpid()));
        (void)!write(to_parent[1], report.data(), report.size());
        close(to_parent[1]);
        for (;;) pause();
    }
    close(to_parent[1]);
    std::string got;
    char buf[256];
    for (ssize_t n; (n = read(to_parent[0], buf, sizeof buf)) > 0;) got.append(buf, static_cast<size_t>(n));
    close(to_parent[0]);
    Dumped d;
    d.pid = child;
    std::istringstream lines(got);
    for (std::string line; std::getline(lines, line);)
        if (auto b = cvex::from_hex(line)) d.secrets.push_back(*b);
    const std::string dir = std::filesystem::temp_directory_path() / ("cvex-core-" + std::to_string(child));
    std::filesystem::create_directories(dir);
    const auto gcore = cvex::test::run_process({"/usr/bin/gcore", "-o", dir + "/core", std::to_string(child)});
    kill(child, SIGKILL);
    waitpid(child, nullptr, 0);
    d.core = read_all(dir + "/core." + std::to_string(child));
    d.gcore_out = gcore.out;
    d.gcore_err = gcore.err;
    std::filesystem::remove_all(dir);
    return d;
}

std::string secret_hex(const KeyCustody& custody, KeyHandle h) {
    std::string hex;
    (void)custody.with_secret(h, [&](std::span<const uint8_t, 32> s) { hex = cvex::to_hex(s, false); });
    return hex + "\n";
}

void check_core_is_clean(const Dumped& d, size_t secrets) {
    INFO("gcore: " << d.gcore_err);
    REQUIRE(d.core.size() > 100000);
    CHECK(d.core.find("cvex-core-marker-" + std::to_string(d.pid)) != std::string::npos);
    REQUIRE(d.secrets.size() == secrets);
    for (const auto& secret : d.secrets) {
        CHECK_FALSE(contains_bytes(d.core, secret));
        const std::string hex = cvex::to_hex(secret, false);
        CHECK(d.gcore_out.find(hex) == std::string::npos);
        CHECK(d.gcore_err.find(hex) == std::string::npos);
    }
}

}  // namespace

TEST_CASE("a core dump of a process holding a key, and its logs, do not contain the key") {
    if (skip_gcore_under_asan()) return;
    const auto d = dump_child([] {
        static auto custody = KeyCustody::create(4);
        if (!custody) _exit(3);
        auto h = (*custody)->generate_secp256k1();
        if (!h) _exit(4);
        return secret_hex(**custody, *h);
    });
    check_core_is_clean(d, 1);
}

TEST_CASE("a core dump of a guest that sealed and unsealed its keys holds neither the keys nor the sealing key") {
    if (skip_gcore_under_asan()) return;
    // The child seals two keys on a simulated chip, wipes them, unseals them into a new custody
    // (as a restarted guest does) and keeps them there; the sealing key is derived again only to
    // tell the parent what to look for.
    const auto d = dump_child([] {
        cvex::attest::SimulatedGuest g;
        g.measurement.fill(0x5e);
        std::array<uint8_t, 32> seed{};
        seed.fill(0x11);
        auto platform = cvex::attest::SimulatedSnpPlatform::create(g, seed);
        if (!platform) _exit(3);
        cvex::attest::SimulatedProvider provider(std::move(*platform));
        auto before = KeyCustody::create(4);
        static auto after = KeyCustody::create(4);
        if (!before || !after) _exit(4);
        auto eth = (*before)->generate_secp256k1(), vrf = (*before)->generate_secp256k1();
        if (!eth || !vrf) _exit(5);
        const auto derivation = cvex::attest::sealing_key_request(g.tcb);
        auto blob = seal_keys(provider, derivation, **before, std::array{*eth, *vrf});
        if (!blob) _exit(6);
        before->reset();
        auto keys = unseal_keys(provider, **after, *blob);
        if (!keys || keys->size() != 2) _exit(7);
        auto locked = cvex::LockedRegion::allocate(32);
        if (!locked || !provider.derive_key(derivation, cvex::attest::DerivedKeyOut(locked->data(), 32))) _exit(8);
        return secret_hex(**after, (*keys)[0]) + secret_hex(**after, (*keys)[1]) + cvex::to_hex(cvex::ByteView(locked->data(), 32), false) + "\n";
    });
    check_core_is_clean(d, 3);
}

TEST_CASE("a core dump of a guest that received a key set by handover holds neither the keys nor its transport key") {
    if (skip_gcore_under_asan()) return;
    const auto d = dump_child([] {
        auto holder = KeyCustody::create(4);
        static auto newcomer = KeyCustody::create(4);
        if (!holder || !newcomer) _exit(3);
        auto eth = (*holder)->generate_secp256k1(), vrf = (*holder)->generate_secp256k1();
        auto transport = (*newcomer)->generate_secp256k1();
        if (!eth || !vrf || !transport) _exit(4);
        const auto pub = *(*newcomer)->public_key(*transport);
        std::array<uint8_t, 64> xy{};
        std::copy(pub.begin() + 1, pub.end(), xy.begin());
        const auto key_set = cvex::chain::keccak256(cvex::as_view("key set"));
        const auto recipient = *(*newcomer)->address(*transport);
        auto envelope = encrypt_key_set(xy, key_set, recipient, **holder, std::array{*eth, *vrf});
        if (!envelope) _exit(5);
        holder->reset();  // the holder's copy is gone; only the newcomer's custody holds the keys
        auto keys = decrypt_key_set(**newcomer, *transport, key_set, recipient, *envelope);
        if (!keys || keys->size() != 2) _exit(6);
        return secret_hex(**newcomer, (*keys)[0]) + secret_hex(**newcomer, (*keys)[1]) + secret_hex(**newcomer, *transport);
    });
    check_core_is_clean(d, 3);
}
