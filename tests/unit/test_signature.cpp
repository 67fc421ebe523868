// Keys, signatures and addresses: BasicTests_keyaddrtest and EIP-2/EIP-191 rules.
#include <catch2/catch.hpp>

#include "chain/crypto/keccak.hpp"
#include "chain/crypto/local_key.hpp"
#include "chain/types/u256.hpp"
#include "support/vectors.hpp"

using namespace cvex;
using namespace cvex::chain;

// BasicTests_keyaddrtest's `sig_of_emptystring` entries are not used: they recover to no listed
// address under keccak256(""), a zero digest or SHA-256 (checked when this test was written), so
// they sign some other, unspecified message. The key → address half is what the file pins.
TEST_CASE("keys derive the addresses of BasicTests_keyaddrtest") {
    const auto cases = cvex::test::load_vectors("vectors/eth/BasicTests_keyaddrtest.json");
    REQUIRE(cases.size() == 2);
    for (const auto& c : cases) {
        auto key = LocalKey::from_hex(c.at("key").get<std::string>());
        REQUIRE(key);
        CHECK(key->address().hex() == "0x" + c.at("addr").get<std::string>());
    }
}

TEST_CASE("signing is deterministic (RFC 6979), low-s, and recovers to the signer") {
    auto key = LocalKey::from_hex("0xc85ef7d79691fe79573b1a7064c19c1a9819ebdbd1faaab1a8ec92344438aaf4");
    REQUIRE(key);
    const Hash32 digest = keccak256(as_view("cvex"));
    auto a = key->sign_digest(digest), b = key->sign_digest(digest);
    REQUIRE((a && b));
    CHECK(*a == *b);
    const U256 half = *U256::parse("0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0");
    CHECK(*U256::from_be(a->s) <= half);
    CHECK(recover_address(digest, *a) == key->address());
}

TEST_CASE("recovery refuses high-s signatures (EIP-2)") {
    auto key = LocalKey::from_hex("0x4646464646464646464646464646464646464646464646464646464646464646");
    const Hash32 digest = keccak256(as_view("x"));
    Signature sig = *key->sign_digest(digest);
    // s' = n - s is the malleable twin of a valid signature.
    const U256 n = *U256::parse("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
    sig.s = n.wrapping_sub(*U256::from_be(sig.s)).to_be();
    sig.y_parity ^= 1;
    CHECK(recover_address(digest, sig).error() == SignatureError::kHighS);
}

TEST_CASE("recovery refuses zero or out-of-range scalars and bad recovery ids") {
    const Hash32 digest = keccak256(as_view("x"));
    Signature zero;
    CHECK(recover_address(digest, zero).error() == SignatureError::kScalarOutOfRange);
    Signature bad_v = zero;
    bad_v.r[31] = 1, bad_v.s[31] = 1, bad_v.y_parity = 2;
    CHECK(recover_address(digest, bad_v).error() == SignatureError::kBadRecoveryId);
    Bytes rsv(65, 1);
    rsv[64] = 29;
    CHECK(parse_rsv(rsv).error() == SignatureError::kBadRecoveryId);
    CHECK(parse_rsv(Bytes(64, 1)).error() == SignatureError::kBadLength);
}

TEST_CASE("private keys out of range or malformed are refused without echoing them") {
    CHECK(LocalKey::from_hex("0x" + std::string(64, '0')).error() == KeyError::kOutOfRange);
    CHECK(LocalKey::from_hex("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141").error() == KeyError::kOutOfRange);
    CHECK(LocalKey::from_hex("0x1234").error() == KeyError::kBadHex);
    CHECK(std::string(to_string(KeyError::kBadHex)).find("1234") == std::string::npos);
}

TEST_CASE("generated keys are valid and distinct") {
    auto a = LocalKey::generate(), b = LocalKey::generate();
    REQUIRE((a && b));
    CHECK(a->address() != b->address());
}

TEST_CASE("EIP-191 personal messages hash with the Ethereum prefix") {
    // cast hash-message "hello"
    CHECK(personal_message_hash(as_view("hello")).hex() == "0x50b2c43fd39106bafbba0da34fc430e1f91e3c96ea2acee2bc34119f92b37750");
}
