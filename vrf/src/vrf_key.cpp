#include "vrf/vrf_key.hpp"

#include <sys/random.h>

#include "vrf/src/scalar_bytes.hpp"

namespace cvex::vrf {

const char* to_string(KeyError e) {
    switch (e) {
        case KeyError::kBadHex: return "VRF secret key must be 32 bytes of hex (64 hex digits)";
        case KeyError::kOutOfRange: return "VRF secret key is zero or not below the group order";
        case KeyError::kNoMemory: return "cannot allocate locked memory for the VRF secret key";
        case KeyError::kRandomFailed: return "the OS random generator failed";
    }
    return "bad VRF secret key";
}

template <EcvrfGroup G>
cvex::Expected<VrfKey<G>, KeyError> VrfKey<G>::finish(cvex::LockedRegion region) {
    const ScalarView x(region.data(), 32);
    if (!detail::ct_in_scalar_range(x, G::order())) return cvex::Unexpected{KeyError::kOutOfRange};
    // Y = x·B, constant time in x.
    auto y = G::mul_base(x);
    if (!y) return cvex::Unexpected{KeyError::kOutOfRange};
    auto pk = G::encode(*y);
    if (!pk) return cvex::Unexpected{KeyError::kOutOfRange};
    VrfKey key(std::move(region));
    key.public_key_ = *pk;
    return key;
}

template <EcvrfGroup G>
cvex::Expected<VrfKey<G>, KeyError> VrfKey<G>::from_hex(std::string_view hex) {
    auto region = cvex::LockedRegion::allocate(32);
    if (!region) return cvex::Unexpected{KeyError::kNoMemory};
    if (!cvex::from_hex_fixed(hex, std::span<uint8_t>(region->data(), 32))) return cvex::Unexpected{KeyError::kBadHex};
    return finish(std::move(*region));
}

template <EcvrfGroup G>
cvex::Expected<VrfKey<G>, KeyError> VrfKey<G>::generate() {
    auto region = cvex::LockedRegion::allocate(32);
    if (!region) return cvex::Unexpected{KeyError::kNoMemory};
    // Rejection sampling: uniform in [1, q−1]; for P-256 a draw is out of range with
    // probability 2^-32, for secp256k1 2^-128.
    for (int tries = 0; tries < 64; ++tries) {
        if (getrandom(region->data(), 32, 0) != 32) return cvex::Unexpected{KeyError::kRandomFailed};
        auto key = finish(std::move(*region));
        if (key) return key;
        region = cvex::LockedRegion::allocate(32);
        if (!region) return cvex::Unexpected{KeyError::kNoMemory};
    }
    return cvex::Unexpected{KeyError::kRandomFailed};
}

template <EcvrfGroup G>
bool VrfKey<G>::with_secret(const SecretUse& use) const {
    if (secret_.data() == nullptr) return false;
    use(std::span<const uint8_t, 32>(secret_.data(), 32));
    return true;
}

template class VrfKey<Secp256k1Group>;
template class VrfKey<P256Group>;

}  // namespace cvex::vrf
