// LocalKey: a secp256k1 key held by this process in locked memory — for development, tests and
// the CLI (CVEX_PRIVATE_KEY). Enclave keys live in enclave-app's KeyCustody instead.
#pragma once

#include <array>
#include <string_view>

#include "base/secure_memory.hpp"
#include "chain/crypto/signer.hpp"

namespace cvex::chain {

enum class KeyError {
    kBadHex,        // not 32 bytes of hex
    kOutOfRange,    // zero, or not below the curve order
    kNoMemory,      // locked memory unavailable
    kRandomFailed,  // the OS random generator failed
};

const char* to_string(KeyError e);

class LocalKey final : public Signer {
public:
    /// 0x-prefixed or bare 64 hex digits. Errors never repeat the input.
    static Expected<LocalKey, KeyError> from_hex(std::string_view hex);
    /// A fresh key from the OS CSPRNG, generated directly into locked memory.
    static Expected<LocalKey, KeyError> generate();

    Address address() const override { return address_; }
    Expected<Signature, SignError> sign_digest(const Hash32& digest) const override;
    const std::array<uint8_t, 65>& public_key() const { return public_key_; }

private:
    explicit LocalKey(LockedRegion region);
    static Expected<LocalKey, KeyError> finish(LockedRegion region);

    LockedRegion secret_;  // the first 32 bytes
    std::array<uint8_t, 65> public_key_{};
    Address address_;
};

}  // namespace cvex::chain
