// Sealed keys: a guest's key set encrypted under a key only the SNP firmware gives back —
// SNP_GET_DERIVED_KEY from this chip's VCEK mixed with the guest's POLICY, MEASUREMENT and a TCB
// version (SNP ABI Table 19, MSG_KEY_REQ) — so the same guest image on the same chip reopens it
// after a restart, and nothing else can: another image, policy or chip derives another key, and
// a firmware rolled back below the sealing TCB refuses to derive it (MSG_KEY_REQ: TCB_VERSION
// must not exceed the platform's CommittedTcb).
//
// Blob version 1 (integers big-endian). AES-256-GCM (NIST SP 800-38D, 96-bit random IV, 128-bit
// tag); the associated data is the whole header, so the guest's address and the derivation
// fields are authenticated along with the keys (a blob names the derivation it was sealed under,
// so a firmware update does not strand it; the guest then reseals at the new TCB):
//    0  magic "CVEXSEAL"      8       30  tcb_version            8
//    8  version = 1           2       38  address of keys[0]    20
//   10  root_key_select       4       58  key count n (1–8)      1
//   14  guest_field_select    8       59  IV                    12
//   22  vmpl                  4       71  ciphertext          32·n
//   26  guest_svn             4       ..  tag                   16
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "chain/types/address.hpp"
#include "base/bytes.hpp"
#include "base/expected.hpp"
#include "attest/provider/attestation_provider.hpp"
#include "enclave-app/key_custody.hpp"

namespace cvex::enclave {

constexpr uint16_t kSealVersion = 1;
constexpr size_t kMaxSealedKeys = 8;
constexpr size_t kSealHeaderSize = 59;

struct SealError {
    enum Code {
        kNoDerivedKey,     // the provider has no derived-key interface (configfs-tsm)
        kMalformed,        // not a sealed-key blob, or truncated
        kVersion,          // a blob version this build does not read
        kDerive,           // the firmware would not derive the sealing key (e.g. a TCB rollback)
        kAuthentication,   // the tag does not verify: another measurement, policy or chip, or a tampered blob
        kAddressMismatch,  // authenticated, yet the first key is not the address in the header
        kCustody,          // custody refused the key (full, or not a valid secp256k1 scalar)
        kCrypto,           // OpenSSL failed
    } code;
    std::string detail;  // names the field or step; never carries key material
    std::string message() const;
};

struct SealedHeader {
    uint16_t version = 0;
    attest::DerivedKeyRequest derivation;
    chain::Address address;  // the guest's Ethereum address (keys[0])
    uint8_t key_count = 0;
};

/// The header alone (nothing secret), for logs and to pick the derivation.
Expected<SealedHeader, SealError> parse_sealed_header(ByteView blob);

/// Seals `keys` (the first is the Ethereum key whose address enters the header) under the key
/// `provider` derives for `derivation` (attest::sealing_key_request). The derived key and the plaintext stay in locked memory.
Expected<Bytes, SealError> seal_keys(attest::AttestationProvider& provider, const attest::DerivedKeyRequest& derivation,
                                                   const KeyCustody& custody, std::span<const KeyHandle> keys);

/// Opens a blob into `custody`, returning the handles in sealed order; on any failure nothing
/// stays in custody.
Expected<std::vector<KeyHandle>, SealError> unseal_keys(attest::AttestationProvider& provider, KeyCustody& custody,
                                                               ByteView blob);

}  // namespace cvex::enclave
