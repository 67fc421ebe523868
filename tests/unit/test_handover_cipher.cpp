// The handover envelope (issue 14 §2): a key set encrypted to a newcomer's transport key opens
// only with that transport key, for that recipient address and key set, and never holds a key in
// clear; whatever fails leaves nothing in custody.
#include <catch2/catch.hpp>

#include <algorithm>

#include "chain/crypto/keccak.hpp"
#include "enclave-app/handover_cipher.hpp"

using namespace cvex::enclave;
using cvex::Bytes;

namespace {

std::unique_ptr<KeyCustody> custody() {
    auto c = KeyCustody::create(8);
    REQUIRE(c);
    return std::move(*c);
}

std::array<uint8_t, 64> xy_of(const KeyCustody& c, KeyHandle h) {
    std::array<uint8_t, 64> xy{};
    const auto pub = *c.public_key(h);
    std::copy(pub.begin() + 1, pub.end(), xy.begin());
    return xy;
}

struct Setup {
    std::unique_ptr<KeyCustody> holder = custody(), newcomer = custody();
    KeyHandle eth, vrf, transport;
    cvex::chain::Hash32 key_set = cvex::chain::keccak256(cvex::as_view("the VRF key hash"));
    cvex::chain::Address recipient;
    Bytes envelope;
    Setup() {
        eth = *holder->generate_secp256k1();
        vrf = *holder->generate_secp256k1();
        transport = *newcomer->generate_secp256k1();
        recipient = *newcomer->address(*newcomer->generate_secp256k1());
        auto e = encrypt_key_set(xy_of(*newcomer, transport), key_set, recipient, *holder, std::array{eth, vrf});
        REQUIRE(e);
        envelope = std::move(*e);
    }
};

}  // namespace

TEST_CASE("a key set encrypted to a transport key opens with it into custody, the same keys in the same order") {
    Setup s;
    CHECK(s.envelope.size() == 1 + 33 + 12 + 64 + 16);
    CHECK(s.holder->keys_held() == 2);  // the ephemeral key is gone
    for (auto h : {s.eth, s.vrf})
        (void)s.holder->with_secret(h, [&](std::span<const uint8_t, 32> k) {
            CHECK(std::search(s.envelope.begin(), s.envelope.end(), k.begin(), k.end()) == s.envelope.end());
        });
    auto keys = decrypt_key_set(*s.newcomer, s.transport, s.key_set, s.recipient, s.envelope);
    REQUIRE(keys);
    REQUIRE(keys->size() == 2);
    CHECK(*s.newcomer->address((*keys)[0]) == *s.holder->address(s.eth));
    CHECK(*s.newcomer->public_key((*keys)[1]) == *s.holder->public_key(s.vrf));
}

TEST_CASE("an envelope opens for no other transport key, recipient or key set") {
    Setup s;
    const size_t held = s.newcomer->keys_held();
    auto other_transport = *s.newcomer->generate_secp256k1();
    CHECK(decrypt_key_set(*s.newcomer, other_transport, s.key_set, s.recipient, s.envelope).error().code == HandoverError::kAuthentication);
    CHECK(decrypt_key_set(*s.newcomer, s.transport, cvex::chain::keccak256(cvex::as_view("other")), s.recipient, s.envelope).error().code ==
          HandoverError::kAuthentication);
    CHECK(decrypt_key_set(*s.newcomer, s.transport, s.key_set, *s.holder->address(s.eth), s.envelope).error().code ==
          HandoverError::kAuthentication);
    CHECK(s.newcomer->keys_held() == held + 1);
}

TEST_CASE("every single-byte change of an envelope is refused") {
    Setup s;
    const size_t held = s.newcomer->keys_held();
    for (size_t i = 0; i < s.envelope.size(); ++i) {
        Bytes t = s.envelope;
        t[i] ^= 0x01;
        INFO("byte " << i);
        CHECK_FALSE(decrypt_key_set(*s.newcomer, s.transport, s.key_set, s.recipient, t));
    }
    CHECK(s.newcomer->keys_held() == held);
    CHECK(decrypt_key_set(*s.newcomer, s.transport, s.key_set, s.recipient, Bytes(10)).error().code == HandoverError::kMalformed);
}

TEST_CASE("a transport key that is not a secp256k1 point is refused before anything is encrypted") {
    auto c = custody();
    auto k = *c->generate_secp256k1();
    std::array<uint8_t, 64> bad{};
    bad[63] = 1;
    auto e = encrypt_key_set(bad, cvex::chain::Hash32{}, cvex::chain::Address{}, *c, std::array{k});
    REQUIRE_FALSE(e);
    CHECK(e.error().code == HandoverError::kInvalidKey);
    CHECK(c->keys_held() == 1);
}
