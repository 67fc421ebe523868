// Key custody: secrets born inside the guest and kept where they cannot leak.
// - generated from the OS CSPRNG (getrandom) directly into custody memory, or imported from
//   other locked memory (keys unsealed or handed over);
// - that memory is one mmap'd region, mlock'ed (never swapped to disk) and MADV_DONTDUMP
//   (left out of core dumps), and the process is made non-dumpable (PR_SET_DUMPABLE 0);
// - no API returns a secret: callers hold a KeyHandle and ask custody to sign with it;
// - a released key, and the whole region at destruction, are wiped.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "chain/types/address.hpp"
#include "base/expected.hpp"
#include "chain/types/hash.hpp"
#include "base/secure_memory.hpp"
#include "chain/crypto/signature.hpp"
#include "chain/crypto/signer.hpp"

namespace cvex::enclave {

/// An opaque reference to a key in custody. Copyable; carries no secret.
struct KeyHandle {
    uint32_t slot = UINT32_MAX;
    uint32_t generation = 0;  // so a handle to a released and reused slot is refused
    bool operator==(const KeyHandle&) const = default;
};

struct CustodyError {
    enum Code {
        kNoMemory,        // mmap failed
        kLockFailed,      // mlock failed (RLIMIT_MEMLOCK too small); custody refuses to run unlocked
        kFull,            // every slot is in use
        kRandomFailed,    // getrandom failed
        kInvalidHandle,   // released, never issued, or from another custody
        kSigningFailed,
        kInvalidKey,      // an imported secret is not a secp256k1 scalar in [1, n-1]
    } code;
    std::string detail;
    std::string message() const;
};

class KeyCustody {
public:
    /// Maps and locks room for `capacity` keys. Fails rather than run with swappable memory.
    static cvex::Expected<std::unique_ptr<KeyCustody>, CustodyError> create(size_t capacity = 64);
    ~KeyCustody();
    KeyCustody(const KeyCustody&) = delete;
    KeyCustody& operator=(const KeyCustody&) = delete;

    /// A fresh secp256k1 secret key (uniform in [1, n-1]), for Ethereum signing or the VRF.
    cvex::Expected<KeyHandle, CustodyError> generate_secp256k1();
    /// Takes in a secret that was itself in locked memory (an unsealed or handed-over key); the
    /// caller wipes its copy.
    cvex::Expected<KeyHandle, CustodyError> import_secp256k1(std::span<const uint8_t, 32> secret);
    /// Wipes the key; the handle (and copies of it) stop working.
    void release(KeyHandle handle);

    /// Uncompressed public key (0x04 || X || Y).
    cvex::Expected<std::array<uint8_t, 65>, CustodyError> public_key(KeyHandle handle) const;
    cvex::Expected<chain::Address, CustodyError> address(KeyHandle handle) const;
    cvex::Expected<chain::Signature, CustodyError> sign_digest(KeyHandle handle, const chain::Hash32& digest) const;

    /// Runs `fn` with the secret in place, for algorithms that must compute with it inside the
    /// process (the VRF prover). The span is valid only during the call; never copy it out.
    cvex::Expected<void, CustodyError> with_secret(KeyHandle handle,
                                                    const std::function<void(std::span<const uint8_t, 32>)>& fn) const;

    size_t capacity() const { return capacity_; }
    size_t keys_held() const;

private:
    KeyCustody(cvex::LockedRegion region, size_t capacity);
    const uint8_t* secret_of(KeyHandle handle) const;  // nullptr for a bad handle; lock held by caller
    std::optional<uint32_t> free_slot() const;          // lock held by caller

    cvex::LockedRegion region_;
    size_t capacity_;
    std::vector<uint32_t> generations_;
    std::vector<bool> in_use_;
    mutable std::mutex mutex_;
};

/// A chain::Signer over a key in custody: what the transaction manager signs with.
class CustodySigner final : public chain::Signer {
public:
    /// Fails if the handle is not valid now.
    static cvex::Expected<CustodySigner, CustodyError> create(const KeyCustody& custody, KeyHandle handle);
    chain::Address address() const override { return address_; }
    cvex::Expected<chain::Signature, chain::SignError> sign_digest(const chain::Hash32& digest) const override;
    KeyHandle handle() const { return handle_; }

private:
    CustodySigner(const KeyCustody& custody, KeyHandle handle, chain::Address address)
        : custody_(&custody), handle_(handle), address_(address) {}
    const KeyCustody* custody_;
    KeyHandle handle_;
    chain::Address address_;
};

}  // namespace cvex::enclave
