// verify (RFC 9381 §5.3) refuses every altered input with a typed error naming the field: each
// bit of the proof, each bit of the key, the alpha, and malformed encodings.
#include <catch2/catch.hpp>

#include "base/bytes.hpp"
#include "vrf/ecvrf.hpp"
#include "vrf/vrf_key.hpp"

using namespace cvex::vrf;
using cvex::as_view;
using cvex::Bytes;
using cvex::from_hex;
using G = Secp256k1Group;

namespace {

struct Fixture {
    Bytes pk, alpha, pi;
};

const Fixture& fixture() {
    static const Fixture f = [] {
        auto k = VrfKey<G>::from_hex("c06f9e3f3eb4dcb24c0f16c7999257a3132724c63d927d1f4c31e54010fc8411");
        REQUIRE(k);
        const Bytes alpha{'s', 'a', 'm', 'p', 'l', 'e'};
        auto out = prove<G>(k->public_key(), *k, alpha);
        REQUIRE(out);
        return Fixture{Bytes(k->public_key().begin(), k->public_key().end()), alpha, Bytes(out->pi.begin(), out->pi.end())};
    }();
    return f;
}

VrfError verify_error(const Bytes& pk, const Bytes& alpha, const Bytes& pi) {
    auto r = verify<G>(pk, alpha, pi);
    REQUIRE_FALSE(r);
    return r.error();
}

}  // namespace

TEST_CASE("the untouched fixture verifies") {
    const auto& f = fixture();
    CHECK(verify<G>(f.pk, f.alpha, f.pi).has_value());
}

TEST_CASE("every single-bit change of the proof is rejected with the error of the field it hits") {
    const auto& f = fixture();
    for (size_t bit = 0; bit < f.pi.size() * 8; ++bit) {
        Bytes pi = f.pi;
        pi[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
        INFO("bit " << bit);
        const VrfError e = verify_error(f.pk, f.alpha, pi);
        if (bit < 33 * 8)
            CHECK((e == VrfError::kBadGamma || e == VrfError::kProofMismatch));
        else if (bit < 49 * 8)
            CHECK(e == VrfError::kProofMismatch);
        else
            CHECK((e == VrfError::kProofMismatch || e == VrfError::kScalarOutOfRange));
    }
}

TEST_CASE("every single-bit change of the public key is rejected") {
    const auto& f = fixture();
    for (size_t bit = 0; bit < f.pk.size() * 8; ++bit) {
        Bytes pk = f.pk;
        pk[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
        INFO("bit " << bit);
        const VrfError e = verify_error(pk, f.alpha, f.pi);
        CHECK((e == VrfError::kBadPublicKey || e == VrfError::kProofMismatch));
    }
}

TEST_CASE("a changed, extended or shortened alpha is rejected as a mismatch") {
    const auto& f = fixture();
    Bytes longer = f.alpha, shorter = f.alpha, flipped = f.alpha;
    longer.push_back(0);
    shorter.pop_back();
    flipped[0] ^= 0x20;
    for (const Bytes& alpha : {longer, shorter, flipped, Bytes{}}) CHECK(verify_error(f.pk, alpha, f.pi) == VrfError::kProofMismatch);
}

TEST_CASE("a public key that is not a compressed point is kBadPublicKey") {
    const auto& f = fixture();
    Bytes uncompressed_prefix = f.pk, too_long = f.pk, x_is_p(33, 0xFF);
    uncompressed_prefix[0] = 0x04;
    too_long.push_back(0x00);
    x_is_p[0] = 0x02;
    // x = p exactly: not a canonical field element.
    auto p = from_hex("fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f");
    std::copy(p->begin(), p->end(), x_is_p.begin() + 1);
    for (const Bytes& pk : {Bytes{}, Bytes(33, 0x00), uncompressed_prefix, too_long, x_is_p})
        CHECK(verify_error(pk, f.alpha, f.pi) == VrfError::kBadPublicKey);
}

TEST_CASE("s equal to or above the order is kScalarOutOfRange, even when otherwise well formed") {
    const auto& f = fixture();
    Bytes pi = f.pi;
    auto n = from_hex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
    std::copy(n->begin(), n->end(), pi.begin() + 49);
    CHECK(verify_error(f.pk, f.alpha, pi) == VrfError::kScalarOutOfRange);
    std::fill(pi.begin() + 49, pi.end(), 0xFF);
    CHECK(verify_error(f.pk, f.alpha, pi) == VrfError::kScalarOutOfRange);
}

TEST_CASE("error messages name the field and its byte range") {
    CHECK(std::string(to_string(VrfError::kBadGamma)).find("Gamma (bytes 0..32)") != std::string::npos);
    CHECK(std::string(to_string(VrfError::kScalarOutOfRange)).find("s (bytes 49..80)") != std::string::npos);
    CHECK(std::string(to_string(VrfError::kProofMismatch)).find("c (bytes 33..48)") != std::string::npos);
    CHECK(std::string(to_string(VrfError::kBadProofLength)).find("81 bytes") != std::string::npos);
}

TEST_CASE("is_invalid_proof separates proof failures from key and local failures") {
    CHECK(is_invalid_proof(VrfError::kProofMismatch));
    CHECK(is_invalid_proof(VrfError::kBadGamma));
    CHECK_FALSE(is_invalid_proof(VrfError::kBadPublicKey));
    CHECK_FALSE(is_invalid_proof(VrfError::kNoMemory));
}
