// The key set of a handover (issue 14 §2), encrypted to a newcomer's attested transport key:
// ECIES over secp256k1 (SEC 1 v2 §5.1) — an ephemeral key, ECDH with the transport key
// (libsecp256k1's secp256k1_ecdh: SHA-256 of the compressed shared point), HKDF-SHA256 (RFC 5869)
// to an AES-256-GCM key, the key set encrypted in place from custody.
//
// Envelope, version 1:  version (1) ‖ ephemeral public key, compressed (33) ‖ IV (12) ‖
//                       ciphertext (32·n) ‖ tag (16)
// HKDF: salt = the ephemeral public key, info = "cvex key handover v1" ‖ keySet ‖ recipient
// address. Associated data: version ‖ keySet ‖ recipient address ‖ n — so a ciphertext posted for
// one newcomer or key set opens for no other. Ciphertexts are public (posted on chain).
#pragma once

#include <span>
#include <string>
#include <vector>

#include "base/bytes.hpp"
#include "base/expected.hpp"
#include "chain/types/address.hpp"
#include "chain/types/hash.hpp"
#include "enclave-app/key_custody.hpp"

namespace cvex::enclave {

constexpr uint8_t kHandoverVersion = 1;

struct HandoverError {
    enum Code {
        kInvalidKey,      // the transport public key is not a point on secp256k1
        kMalformed,       // not a version-1 envelope, or the wrong size
        kAuthentication,  // the tag does not verify: not for this recipient or key set, or tampered
        kCustody,         // custody refused a key (full, invalid handle, not a valid scalar)
        kCrypto,          // OpenSSL or libsecp256k1 failed
    } code;
    std::string detail;  // never carries key material
    std::string message() const;
};

/// Encrypts `keys` (secrets read in place from custody) to `transport_xy` (x ‖ y of the
/// newcomer's transport public key), for `recipient` and `key_set`.
cvex::Expected<cvex::Bytes, HandoverError> encrypt_key_set(std::span<const uint8_t, 64> transport_xy, const chain::Hash32& key_set,
                                                           const chain::Address& recipient, KeyCustody& custody,
                                                           std::span<const KeyHandle> keys);

/// Opens an envelope with the transport key held in custody; the keys go straight from locked
/// memory into custody, in the sender's order. On any failure nothing stays in custody.
cvex::Expected<std::vector<KeyHandle>, HandoverError> decrypt_key_set(KeyCustody& custody, KeyHandle transport_key,
                                                                      const chain::Hash32& key_set, const chain::Address& recipient,
                                                                      cvex::ByteView envelope);

}  // namespace cvex::enclave
