// secp256k1 ECDSA signatures as Ethereum uses them: recoverable (r, s, yParity), low-s only
// (EIP-2), and the address of a public key (keccak256 of X || Y, last 20 bytes).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "chain/types/address.hpp"
#include "base/bytes.hpp"
#include "base/expected.hpp"
#include "chain/types/hash.hpp"
#include "chain/crypto/sign_error.hpp"

namespace cvex::chain {

struct Signature {
    std::array<uint8_t, 32> r{};
    std::array<uint8_t, 32> s{};
    uint8_t y_parity = 0;  // 0 or 1: which of the two candidate points R is

    /// 65 bytes r || s || v with v = 27 + yParity (eth_sign / personal_sign form).
    Bytes to_rsv() const;
    bool operator==(const Signature&) const = default;
};

enum class SignatureError {
    kScalarOutOfRange,  // r or s is zero or not below the group order n
    kHighS,             // s > n/2: malleable, refused since EIP-2 (Homestead)
    kBadRecoveryId,     // yParity not 0 or 1 (or a v that maps to neither)
    kRecoveryFailed,    // no public key recovers from this signature and digest
    kBadLength,         // an r||s||v blob that is not 65 bytes
};

const char* to_string(SignatureError e);

/// Parses r || s || v (65 bytes, v 0/1 or 27/28).
Expected<Signature, SignatureError> parse_rsv(ByteView rsv);

/// The signer's uncompressed public key (0x04 || X || Y); refuses high-s.
Expected<std::array<uint8_t, 65>, SignatureError> recover_public_key(const Hash32& digest, const Signature& sig);
Expected<Address, SignatureError> recover_address(const Hash32& digest, const Signature& sig);

/// keccak256(X || Y)[12:] of an uncompressed public key.
Address address_of(const std::array<uint8_t, 65>& uncompressed_public_key);

/// For key holders only (LocalKey, KeyCustody), which keep the secret in locked memory and pass
/// a pointer to it; never call these with a copy of a key.
/// RFC 6979 deterministic, recoverable; libsecp256k1 produces low-s by construction.
Expected<Signature, SignError> sign_with_secret(const uint8_t* secret32, const Hash32& digest);
/// The uncompressed public key of a secret; nullopt when it is not a valid scalar in [1, n-1].
std::optional<std::array<uint8_t, 65>> public_key_of_secret(const uint8_t* secret32);

/// EIP-191 version 0x45: keccak256("\x19Ethereum Signed Message:\n" + len(message) + message).
Hash32 personal_message_hash(ByteView message);

}  // namespace cvex::chain
