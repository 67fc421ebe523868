// VrfKey: an ECVRF secret held by this process in locked memory (cvex::LockedRegion: mlock'ed,
// left out of core dumps, wiped when freed), for development, tests and the CLI
// (CVEX_VRF_KEY). Inside the guest the VRF key lives in enclave-app's KeyCustody and reaches the
// prover through a LentSecret (vrf/secret_key.hpp) instead. Neither hands out the secret.
#pragma once

#include <string_view>

#include "base/expected.hpp"
#include "base/secure_memory.hpp"
#include "vrf/group.hpp"
#include "vrf/p256_group.hpp"
#include "vrf/secp256k1_group.hpp"
#include "vrf/secret_key.hpp"

namespace cvex::vrf {

enum class KeyError {
    kBadHex,        // not 32 bytes of hex
    kOutOfRange,    // zero, or not below the group order
    kNoMemory,      // locked memory unavailable
    kRandomFailed,  // the OS random generator failed
};

/// Never repeats the input it refused.
const char* to_string(KeyError e);

template <EcvrfGroup G>
class VrfKey final : public SecretKey {
public:
    /// 0x-prefixed or bare 64 hex digits, decoded straight into locked memory.
    static cvex::Expected<VrfKey, KeyError> from_hex(std::string_view hex);
    /// Uniform in [1, q−1] from the OS CSPRNG (getrandom), generated in locked memory.
    static cvex::Expected<VrfKey, KeyError> generate();

    /// PK_string = point_to_string(x·B), compressed.
    const PointBytes& public_key() const { return public_key_; }
    bool with_secret(const SecretUse& use) const override;

private:
    explicit VrfKey(cvex::LockedRegion region) : secret_(std::move(region)) {}
    static cvex::Expected<VrfKey, KeyError> finish(cvex::LockedRegion region);

    cvex::LockedRegion secret_;  // the first 32 bytes
    PointBytes public_key_{};
};

extern template class VrfKey<Secp256k1Group>;
extern template class VrfKey<P256Group>;

}  // namespace cvex::vrf
