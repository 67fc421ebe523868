#include "chain/crypto/signature.hpp"

#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include <algorithm>
#include <cstring>

#include "chain/crypto/keccak.hpp"
#include "chain/crypto/secp256k1_context.hpp"

namespace cvex::chain {

namespace {
// secp256k1's group order n and n/2, big-endian (SEC 2 §2.4.1).
constexpr std::array<uint8_t, 32> kOrder = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                                            0xFF, 0xFF, 0xFF, 0xFF, 0xFE, 0xBA, 0xAE, 0xDC, 0xE6, 0xAF, 0x48,
                                            0xA0, 0x3B, 0xBF, 0xD2, 0x5E, 0x8C, 0xD0, 0x36, 0x41, 0x41};
constexpr std::array<uint8_t, 32> kHalfOrder = {0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                                                0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x5D, 0x57, 0x6E, 0x73, 0x57, 0xA4,
                                                0x50, 0x1D, 0xDF, 0xE9, 0x2F, 0x46, 0x68, 0x1B, 0x20, 0xA0};

bool is_zero(const std::array<uint8_t, 32>& v) {
    return std::all_of(v.begin(), v.end(), [](uint8_t b) { return b == 0; });
}
}  // namespace

const char* to_string(SignatureError e) {
    switch (e) {
        case SignatureError::kScalarOutOfRange: return "signature r or s is zero or not below the curve order";
        case SignatureError::kHighS: return "signature s is above n/2 (EIP-2 forbids high-s)";
        case SignatureError::kBadRecoveryId: return "signature recovery id (v / yParity) is invalid";
        case SignatureError::kRecoveryFailed: return "no public key recovers from this signature";
        case SignatureError::kBadLength: return "signature must be 65 bytes (r || s || v)";
    }
    return "bad signature";
}

Bytes Signature::to_rsv() const {
    Bytes out(r.begin(), r.end());
    out.insert(out.end(), s.begin(), s.end());
    out.push_back(static_cast<uint8_t>(27 + y_parity));
    return out;
}

Expected<Signature, SignatureError> parse_rsv(ByteView rsv) {
    if (rsv.size() != 65) return Unexpected{SignatureError::kBadLength};
    Signature sig;
    std::memcpy(sig.r.data(), rsv.data(), 32);
    std::memcpy(sig.s.data(), rsv.data() + 32, 32);
    const uint8_t v = rsv[64];
    if (v == 0 || v == 1) sig.y_parity = v;
    else if (v == 27 || v == 28) sig.y_parity = static_cast<uint8_t>(v - 27);
    else return Unexpected{SignatureError::kBadRecoveryId};
    return sig;
}

Expected<std::array<uint8_t, 65>, SignatureError> recover_public_key(const Hash32& digest, const Signature& sig) {
    if (sig.y_parity > 1) return Unexpected{SignatureError::kBadRecoveryId};
    if (is_zero(sig.r) || is_zero(sig.s) || sig.r >= kOrder || sig.s >= kOrder) return Unexpected{SignatureError::kScalarOutOfRange};
    // libsecp256k1's recovery accepts high-s; Ethereum does not (EIP-2).
    if (sig.s > kHalfOrder) return Unexpected{SignatureError::kHighS};
    uint8_t compact[64];
    std::memcpy(compact, sig.r.data(), 32);
    std::memcpy(compact + 32, sig.s.data(), 32);
    secp256k1_ecdsa_recoverable_signature rs;
    if (!secp256k1_ecdsa_recoverable_signature_parse_compact(secp256k1_ctx(), &rs, compact, sig.y_parity))
        return Unexpected{SignatureError::kScalarOutOfRange};
    secp256k1_pubkey pk;
    if (!secp256k1_ecdsa_recover(secp256k1_ctx(), &pk, &rs, digest.bytes.data())) return Unexpected{SignatureError::kRecoveryFailed};
    std::array<uint8_t, 65> out;
    size_t len = out.size();
    secp256k1_ec_pubkey_serialize(secp256k1_ctx(), out.data(), &len, &pk, SECP256K1_EC_UNCOMPRESSED);
    return out;
}

Expected<Address, SignatureError> recover_address(const Hash32& digest, const Signature& sig) {
    auto pk = recover_public_key(digest, sig);
    if (!pk) return Unexpected{pk.error()};
    return address_of(*pk);
}

Address address_of(const std::array<uint8_t, 65>& pk) {
    const Hash32 h = keccak256(ByteView(pk.data() + 1, 64));
    Address a;
    std::memcpy(a.bytes.data(), h.bytes.data() + 12, 20);
    return a;
}

Expected<Signature, SignError> sign_with_secret(const uint8_t* secret32, const Hash32& digest) {
    secp256k1_ecdsa_recoverable_signature rs;
    if (secp256k1_ecdsa_sign_recoverable(secp256k1_ctx(), &rs, digest.bytes.data(), secret32, nullptr, nullptr) != 1)
        return Unexpected{SignError{"secp256k1 signing failed"}};
    uint8_t compact[64];
    int recid = 0;
    secp256k1_ecdsa_recoverable_signature_serialize_compact(secp256k1_ctx(), compact, &recid, &rs);
    Signature sig;
    std::memcpy(sig.r.data(), compact, 32);
    std::memcpy(sig.s.data(), compact + 32, 32);
    sig.y_parity = static_cast<uint8_t>(recid);
    return sig;
}

std::optional<std::array<uint8_t, 65>> public_key_of_secret(const uint8_t* secret32) {
    secp256k1_pubkey pk;
    if (secp256k1_ec_pubkey_create(secp256k1_ctx(), &pk, secret32) != 1) return std::nullopt;
    std::array<uint8_t, 65> out;
    size_t len = out.size();
    secp256k1_ec_pubkey_serialize(secp256k1_ctx(), out.data(), &len, &pk, SECP256K1_EC_UNCOMPRESSED);
    return out;
}

Hash32 personal_message_hash(ByteView message) {
    const std::string prefix = "\x19" "Ethereum Signed Message:\n" + std::to_string(message.size());
    Keccak256 k;
    k.update(as_view(prefix));
    k.update(message);
    return k.finalize();
}

}  // namespace cvex::chain
