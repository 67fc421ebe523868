#include "chain/crypto/local_key.hpp"

#include <secp256k1.h>
#include <sys/random.h>


#include "chain/crypto/secp256k1_context.hpp"

namespace cvex::chain {

const char* to_string(KeyError e) {
    switch (e) {
        case KeyError::kBadHex: return "private key must be 32 bytes of hex (64 hex digits)";
        case KeyError::kOutOfRange: return "private key is zero or not below the secp256k1 order";
        case KeyError::kNoMemory: return "cannot allocate locked memory for the private key";
        case KeyError::kRandomFailed: return "the OS random generator failed";
    }
    return "bad private key";
}

LocalKey::LocalKey(LockedRegion region) : secret_(std::move(region)) {}

Expected<LocalKey, KeyError> LocalKey::finish(LockedRegion region) {
    const auto pk = public_key_of_secret(region.data());
    if (!pk) return Unexpected{KeyError::kOutOfRange};
    LocalKey key(std::move(region));
    key.public_key_ = *pk;
    key.address_ = address_of(*pk);
    return key;
}

Expected<LocalKey, KeyError> LocalKey::from_hex(std::string_view hex) {
    auto region = LockedRegion::allocate(32);
    if (!region) return Unexpected{KeyError::kNoMemory};
    // Decode straight into locked memory: no temporary copy of the secret.
    if (!from_hex_fixed(hex, std::span<uint8_t>(region->data(), 32))) return Unexpected{KeyError::kBadHex};
    return finish(std::move(*region));
}

Expected<LocalKey, KeyError> LocalKey::generate() {
    auto region = LockedRegion::allocate(32);
    if (!region) return Unexpected{KeyError::kNoMemory};
    for (int tries = 0; tries < 64; ++tries) {
        if (getrandom(region->data(), 32, 0) != 32) return Unexpected{KeyError::kRandomFailed};
        if (secp256k1_ec_seckey_verify(secp256k1_ctx(), region->data()) == 1) return finish(std::move(*region));
    }
    return Unexpected{KeyError::kRandomFailed};
}

Expected<Signature, SignError> LocalKey::sign_digest(const Hash32& digest) const {
    return sign_with_secret(secret_.data(), digest);
}

}  // namespace cvex::chain
