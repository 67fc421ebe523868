// Interoperability with atikayda/ecvrf (the same ECVRF-SECP256K1-SHA256-TAI suite, 0xFE,
// implemented in twelve languages): all 51 positive vectors of
// ../shared/vectors/vrf/ecvrf_secp256k1_atikayda.json, intermediate values included, and all 15
// negative ones.
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
using G = Secp256k1Group;

namespace {

const nlohmann::json& file() {
    static const nlohmann::json v = cvex::test::load_vectors("vectors/vrf/ecvrf_secp256k1_atikayda.json");
    return v;
}
const nlohmann::json& positives() { return file()["vectors"]; }
const nlohmann::json& negatives() { return file()["negative_vectors"]; }

Bytes hex(const nlohmann::json& j) { return from_hex(j.get<std::string>()).value(); }
std::string str(const nlohmann::json& j) { return j.get<std::string>(); }

VrfKey<G> key_of(const nlohmann::json& c) {
    auto key = VrfKey<G>::from_hex(str(c["sk"]));
    REQUIRE(key);
    return std::move(*key);
}

std::string point_hex(const std::optional<G::Point>& p) {
    REQUIRE(p);
    auto enc = G::encode(*p);
    REQUIRE(enc);
    return to_hex(*enc, false);
}

}  // namespace

TEST_CASE("the atikayda file is the RFC 9381 secp256k1 suite with 51 positive and 15 negative vectors") {
    CHECK(str(file()["suite"]) == "ECVRF-SECP256K1-SHA256-TAI");
    CHECK(positives().size() == 51);
    CHECK(negatives().size() == 15);
}

TEST_CASE("atikayda: public keys match") {
    for (const auto& c : positives()) {
        INFO(str(c["label"]));
        CHECK(to_hex(key_of(c).public_key(), false) == str(c["pk"]));
    }
}

TEST_CASE("atikayda: encode_to_curve gives h with the same counter") {
    for (const auto& c : positives()) {
        INFO(str(c["label"]));
        auto h = encode_to_curve<G>(hex(c["pk"]), hex(c["alpha"]));
        REQUIRE(h);
        CHECK(to_hex(h->encoded, false) == str(c["h"]));
        CHECK(h->ctr == c["h_ctr"].get<int>());
    }
}

TEST_CASE("atikayda: the RFC 6979 nonce k matches") {
    for (const auto& c : positives()) {
        INFO(str(c["label"]));
        const auto key = key_of(c);
        Scalar k{};
        bool ok = false;
        REQUIRE(key.with_secret([&](std::span<const uint8_t, 32> x) { ok = generate_nonce<G>(x, hex(c["h"]), k); }));
        REQUIRE(ok);
        CHECK(to_hex(k, false) == str(c["k"]));
    }
}

TEST_CASE("atikayda: prove gives the same Gamma, c, s, pi and beta") {
    for (const auto& c : positives()) {
        INFO(str(c["label"]));
        const auto key = key_of(c);
        auto out = prove<G>(key.public_key(), key, hex(c["alpha"]));
        REQUIRE(out);
        const std::string pi = to_hex(out->pi, false);
        CHECK(pi.substr(0, 66) == str(c["gamma"]));
        CHECK(pi.substr(66, 32) == str(c["c"]));
        CHECK(pi.substr(98) == str(c["s"]));
        CHECK(pi == str(c["pi"]));
        CHECK(to_hex(out->beta.bytes, false) == str(c["beta"]));
    }
}

TEST_CASE("atikayda: U = s·B − c·Y and V = s·H − c·Gamma are the vectors' u and v") {
    for (const auto& c : positives()) {
        INFO(str(c["label"]));
        auto y = G::decode(hex(c["pk"]));
        auto h = G::decode(hex(c["h"]));
        auto d = decode_proof<G>(hex(c["pi"]));
        REQUIRE((y && h && d));
        const Scalar cs = d->c_scalar();
        auto u = G::sub(*G::mul_base(d->s), *G::mul(*y, cs));
        auto v = G::sub(*G::mul(*h, d->s), *G::mul(d->gamma, cs));
        CHECK(point_hex(u) == str(c["u"]));
        CHECK(point_hex(v) == str(c["v"]));
    }
}

TEST_CASE("atikayda: verify accepts every positive vector and returns its beta") {
    for (const auto& c : positives()) {
        INFO(str(c["label"]));
        auto beta = verify<G>(hex(c["pk"]), hex(c["alpha"]), hex(c["pi"]));
        REQUIRE(beta);
        CHECK(to_hex(beta->bytes, false) == str(c["beta"]));
    }
}

TEST_CASE("atikayda: verify rejects every negative vector as an invalid proof") {
    for (const auto& c : negatives()) {
        INFO(str(c["description"]));
        REQUIRE(c["expected_verify"] == false);
        auto r = verify<G>(hex(c["pk"]), hex(c["alpha"]), hex(c["pi"]));
        REQUIRE_FALSE(r);
        CHECK(is_invalid_proof(r.error()));
    }
}

TEST_CASE("atikayda: each negative vector is rejected by the check its description names") {
    // Description → the RFC 9381 check that must fire. A flipped bit in Gamma may land on another
    // valid point (then the challenge fails) or off the curve, so those two accept either.
    const std::vector<std::pair<std::string, std::vector<VrfError>>> expected = {
        {"tampered Gamma (bit flip at byte 5)", {VrfError::kBadGamma, VrfError::kProofMismatch}},
        {"tampered Gamma (bit flip at byte 1)", {VrfError::kBadGamma, VrfError::kProofMismatch}},
        {"tampered c (bit flip at byte 33)", {VrfError::kProofMismatch}},
        {"tampered c (zeroed challenge)", {VrfError::kProofMismatch}},
        {"tampered s (bit flip at byte 49)", {VrfError::kProofMismatch, VrfError::kScalarOutOfRange}},
        {"s >= group order (s = n)", {VrfError::kScalarOutOfRange}},
        {"s = n + 1", {VrfError::kScalarOutOfRange}},
        {"valid proof verified with wrong public key", {VrfError::kProofMismatch}},
        {"valid proof verified with wrong alpha", {VrfError::kProofMismatch}},
        {"truncated proof (80 bytes)", {VrfError::kBadProofLength}},
        {"extended proof (82 bytes, trailing 0xff)", {VrfError::kBadProofLength}},
        {"Gamma not on curve (x = 2^256-1 > p)", {VrfError::kBadGamma}},
        {"all-zero proof (81 bytes of 0x00)", {VrfError::kBadGamma}},
        {"Gamma with invalid SEC1 prefix 0x04", {VrfError::kBadGamma}},
        {"empty alpha proof verified with single null byte alpha", {VrfError::kProofMismatch}},
    };
    REQUIRE(expected.size() == negatives().size());
    for (const auto& c : negatives()) {
        const std::string d = str(c["description"]);
        INFO(d);
        auto it = std::find_if(expected.begin(), expected.end(), [&](const auto& e) { return e.first == d; });
        REQUIRE(it != expected.end());
        auto r = verify<G>(hex(c["pk"]), hex(c["alpha"]), hex(c["pi"]));
        REQUIRE_FALSE(r);
        INFO(to_string(r.error()));
        CHECK(std::find(it->second.begin(), it->second.end(), r.error()) != it->second.end());
    }
}

TEST_CASE("atikayda: proof_to_hash refuses exactly the negative proofs that do not decode") {
    // proof_to_hash (§5.2) only decodes: a well-formed but wrong proof still has a beta, which is
    // why a caller must verify, never hash alone.
    size_t undecodable = 0;
    for (const auto& c : negatives()) {
        INFO(str(c["description"]));
        auto verified = verify<G>(hex(c["pk"]), hex(c["alpha"]), hex(c["pi"]));
        REQUIRE_FALSE(verified);
        auto hashed = proof_to_hash<G>(hex(c["pi"]));
        const VrfError e = verified.error();
        if (e == VrfError::kBadProofLength || e == VrfError::kBadGamma || e == VrfError::kScalarOutOfRange) {
            ++undecodable;
            REQUIRE_FALSE(hashed);
            CHECK(hashed.error() == e);
        } else {
            CHECK(hashed.has_value());
        }
    }
    CHECK(undecodable >= 7);  // the two lengths, two s values, three bad Gamma encodings
}
