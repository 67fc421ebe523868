// VRF keys: parsing and generation into locked memory, typed refusals that never echo the
// input, and proving through a secret that is only lent — by VrfKey or by enclave-app's
// KeyCustody through a handle.
#include <catch2/catch.hpp>

#include <thread>

#include "base/bytes.hpp"
#include "enclave-app/key_custody.hpp"
#include "vrf/ecvrf.hpp"
#include "vrf/vrf_key.hpp"

using namespace cvex::vrf;
using cvex::as_view;
using cvex::Bytes;
using G = Secp256k1Group;

namespace {
const std::string kOrderHex = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";
const std::string kOrderMinusOneHex = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140";

PointBytes compress(const std::array<uint8_t, 65>& uncompressed) {
    PointBytes out;
    out[0] = static_cast<uint8_t>(0x02 | (uncompressed[64] & 1));
    std::copy(uncompressed.begin() + 1, uncompressed.begin() + 33, out.begin() + 1);
    return out;
}
}  // namespace

TEST_CASE("a VRF key parses from hex with or without 0x") {
    auto a = VrfKey<G>::from_hex("0x" + std::string(63, '0') + "1");
    auto b = VrfKey<G>::from_hex(std::string(63, '0') + "1");
    REQUIRE((a && b));
    CHECK(a->public_key() == b->public_key());
    CHECK(cvex::to_hex(a->public_key()) == "0x0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
}

TEST_CASE("a VRF key that is not 32 bytes of hex is refused as kBadHex") {
    for (const std::string& bad : {std::string(""), std::string(62, 'a'), std::string(66, 'a'), std::string(63, 'a') + "g"}) {
        auto k = VrfKey<G>::from_hex(bad);
        REQUIRE_FALSE(k);
        CHECK(k.error() == KeyError::kBadHex);
    }
}

TEST_CASE("a VRF key of zero or not below the order is refused as kOutOfRange") {
    for (const std::string& bad : {std::string(64, '0'), kOrderHex, std::string(64, 'f')}) {
        auto k = VrfKey<G>::from_hex(bad);
        REQUIRE_FALSE(k);
        CHECK(k.error() == KeyError::kOutOfRange);
    }
    CHECK(VrfKey<G>::from_hex(kOrderMinusOneHex).has_value());
}

TEST_CASE("key errors never repeat the refused input") {
    const std::string secret = std::string(63, '7') + "z";
    auto k = VrfKey<G>::from_hex(secret);
    REQUIRE_FALSE(k);
    CHECK(std::string(to_string(k.error())).find(secret) == std::string::npos);
}

TEST_CASE("generated keys are distinct and prove verifiably") {
    auto a = VrfKey<G>::generate(), b = VrfKey<G>::generate();
    REQUIRE((a && b));
    CHECK(a->public_key() != b->public_key());
    auto out = prove<G>(a->public_key(), *a, as_view("cvex"));
    REQUIRE(out);
    auto beta = verify<G>(a->public_key(), as_view("cvex"), out->pi);
    REQUIRE(beta);
    CHECK(*beta == out->beta);
    CHECK_FALSE(verify<G>(b->public_key(), as_view("cvex"), out->pi));
}

TEST_CASE("generated P-256 keys prove verifiably (the algorithm is the same for both groups)") {
    auto k = VrfKey<P256Group>::generate();
    REQUIRE(k);
    auto out = prove<P256Group>(k->public_key(), *k, as_view("cvex"));
    REQUIRE(out);
    CHECK(verify<P256Group>(k->public_key(), as_view("cvex"), out->pi) == out->beta);
}

TEST_CASE("proofs are deterministic: the same key and alpha give the same proof") {
    auto k = VrfKey<G>::generate();
    REQUIRE(k);
    auto a = prove<G>(k->public_key(), *k, as_view("x")), b = prove<G>(k->public_key(), *k, as_view("x"));
    auto c = prove<G>(k->public_key(), *k, as_view("y"));
    REQUIRE((a && b && c));
    CHECK(a->pi == b->pi);
    CHECK(a->beta != c->beta);
}

TEST_CASE("threads prove concurrently with their own locked scratch and agree") {
    auto k = VrfKey<G>::generate();
    REQUIRE(k);
    const auto expected = prove<G>(k->public_key(), *k, as_view("threads"));
    REQUIRE(expected);
    std::vector<ProofBytes> got(4);
    std::vector<std::thread> threads;
    for (size_t t = 0; t < got.size(); ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 50; ++i) {
                auto r = prove<G>(k->public_key(), *k, as_view("threads"));
                if (r) got[t] = r->pi;
            }
        });
    for (auto& t : threads) t.join();
    for (const auto& pi : got) CHECK(pi == expected->pi);
}

TEST_CASE("a key in KeyCustody proves through its handle, without the secret leaving custody") {
    auto custody = cvex::enclave::KeyCustody::create(4);
    REQUIRE(custody);
    auto handle = (*custody)->generate_secp256k1();
    REQUIRE(handle);
    auto pk = (*custody)->public_key(*handle);
    REQUIRE(pk);
    const LentSecret lent([&](const SecretUse& use) { return (*custody)->with_secret(*handle, use).has_value(); });
    const PointBytes pk_string = compress(*pk);
    auto out = prove<G>(pk_string, lent, as_view("custody"));
    REQUIRE(out);
    CHECK(verify<G>(pk_string, as_view("custody"), out->pi) == out->beta);
}

TEST_CASE("proving with a released custody handle fails with kNoSecret") {
    auto custody = cvex::enclave::KeyCustody::create(4);
    REQUIRE(custody);
    auto handle = (*custody)->generate_secp256k1();
    REQUIRE(handle);
    auto pk = (*custody)->public_key(*handle);
    REQUIRE(pk);
    (*custody)->release(*handle);
    const LentSecret lent([&](const SecretUse& use) { return (*custody)->with_secret(*handle, use).has_value(); });
    auto out = prove<G>(compress(*pk), lent, as_view("custody"));
    REQUIRE_FALSE(out);
    CHECK(out.error() == VrfError::kNoSecret);
}

TEST_CASE("a lender that lends an invalid scalar is refused with kBadSecretKey") {
    const LentSecret zero([](const SecretUse& use) {
        const std::array<uint8_t, 32> z{};
        use(z);
        return true;
    });
    auto k = VrfKey<G>::generate();
    REQUIRE(k);
    auto out = prove<G>(k->public_key(), zero, as_view("x"));
    REQUIRE_FALSE(out);
    CHECK(out.error() == VrfError::kBadSecretKey);
}

TEST_CASE("a proof made under a public key that is not the secret's does not verify") {
    auto a = VrfKey<G>::generate(), b = VrfKey<G>::generate();
    REQUIRE((a && b));
    auto out = prove<G>(b->public_key(), *a, as_view("mismatch"));
    REQUIRE(out);
    auto r = verify<G>(b->public_key(), as_view("mismatch"), out->pi);
    REQUIRE_FALSE(r);
    CHECK(r.error() == VrfError::kProofMismatch);
}
