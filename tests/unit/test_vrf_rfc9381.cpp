// ECVRF against ../shared/vectors/vrf/ecvrf_vectors.json: RFC 9381 Appendix B.1 (P-256, suite
// 0x01, examples 10–12) and the same algorithms on secp256k1 (suite 0xFE), checked step by step:
// the public key, H (encode_to_curve), k (RFC 6979 nonce), pi, beta, and verify.
#include <catch2/catch.hpp>

#include "base/bytes.hpp"
#include "support/vectors.hpp"
#include "vrf/ecvrf.hpp"
#include "vrf/nonce.hpp"
#include "vrf/vrf_key.hpp"

using namespace cvex::vrf;
using cvex::Bytes;
using cvex::from_hex;
using cvex::to_hex;

namespace {

const nlohmann::json& vectors() {
    static const nlohmann::json v = cvex::test::load_vectors("vectors/vrf/ecvrf_vectors.json");
    return v;
}

Bytes hex(const nlohmann::json& j) { return from_hex(j.get<std::string>()).value(); }

template <class G>
VrfKey<G> key_of(const nlohmann::json& c) {
    auto key = VrfKey<G>::from_hex(c["sk"].get<std::string>());
    REQUIRE(key);
    return std::move(*key);
}

template <class G>
void check_public_keys(const char* suite) {
    for (const auto& c : vectors()[suite]) {
        INFO(suite << " sk " << c["sk"].get<std::string>());
        CHECK(to_hex(key_of<G>(c).public_key(), false) == c["pk"].get<std::string>());
    }
}

template <class G>
void check_encode_to_curve(const char* suite) {
    for (const auto& c : vectors()[suite]) {
        INFO(suite << " alpha " << c["alpha"].get<std::string>());
        auto h = encode_to_curve<G>(hex(c["pk"]), hex(c["alpha"]));
        REQUIRE(h);
        CHECK(to_hex(h->encoded, false) == c["H"].get<std::string>());
    }
}

template <class G>
void check_proofs(const char* suite) {
    for (const auto& c : vectors()[suite]) {
        INFO(suite << " alpha " << c["alpha"].get<std::string>());
        const auto key = key_of<G>(c);
        auto out = prove<G>(key.public_key(), key, hex(c["alpha"]));
        REQUIRE(out);
        CHECK(to_hex(out->pi, false) == c["pi"].get<std::string>());
        CHECK(to_hex(out->beta.bytes, false) == c["beta"].get<std::string>());
    }
}

template <class G>
void check_verify(const char* suite) {
    for (const auto& c : vectors()[suite]) {
        INFO(suite << " alpha " << c["alpha"].get<std::string>());
        auto beta = verify<G>(hex(c["pk"]), hex(c["alpha"]), hex(c["pi"]));
        REQUIRE(beta);
        CHECK(beta->hex() == "0x" + c["beta"].get<std::string>());
        auto hashed = proof_to_hash<G>(hex(c["pi"]));
        REQUIRE(hashed);
        CHECK(*hashed == *beta);
    }
}

}  // namespace

TEST_CASE("the vector file holds the RFC 9381 B.1 examples and the secp256k1 cases") {
    CHECK(vectors()["p256_sha256_tai"].size() == 3);
    CHECK(vectors()["secp256k1_sha256_tai"].size() == 5);
}

TEST_CASE("P-256: public keys are the RFC 9381 B.1 ones") { check_public_keys<P256Group>("p256_sha256_tai"); }

TEST_CASE("P-256: encode_to_curve gives the RFC 9381 B.1 H") { check_encode_to_curve<P256Group>("p256_sha256_tai"); }

TEST_CASE("P-256: prove gives the RFC 9381 B.1 proofs and betas") { check_proofs<P256Group>("p256_sha256_tai"); }

TEST_CASE("P-256: verify accepts the RFC 9381 B.1 proofs and returns their beta") {
    check_verify<P256Group>("p256_sha256_tai");
}

TEST_CASE("secp256k1: public keys match the vectors") { check_public_keys<Secp256k1Group>("secp256k1_sha256_tai"); }

TEST_CASE("secp256k1: encode_to_curve gives the vectors' H") {
    check_encode_to_curve<Secp256k1Group>("secp256k1_sha256_tai");
}

TEST_CASE("secp256k1: the RFC 6979 nonce is the vectors' k") {
    for (const auto& c : vectors()["secp256k1_sha256_tai"]) {
        INFO("alpha " << c["alpha"].get<std::string>());
        const auto key = key_of<Secp256k1Group>(c);
        const Bytes h_string = hex(c["H"]);
        Scalar k{};
        bool ok = false;
        REQUIRE(key.with_secret([&](std::span<const uint8_t, 32> x) { ok = generate_nonce<Secp256k1Group>(x, h_string, k); }));
        REQUIRE(ok);
        CHECK(to_hex(k, false) == c["k"].get<std::string>());
    }
}

TEST_CASE("secp256k1: prove gives the vectors' proofs and betas") { check_proofs<Secp256k1Group>("secp256k1_sha256_tai"); }

TEST_CASE("secp256k1: verify accepts the vectors' proofs and returns their beta") {
    check_verify<Secp256k1Group>("secp256k1_sha256_tai");
}

TEST_CASE("a proof of one suite does not verify under the other") {
    const auto& c = vectors()["p256_sha256_tai"][0];
    // The P-256 key is not a secp256k1 point, or, if its x happens to be one, the proof fails.
    auto r = verify<Secp256k1Group>(hex(c["pk"]), hex(c["alpha"]), hex(c["pi"]));
    CHECK_FALSE(r);
}
