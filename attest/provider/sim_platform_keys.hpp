// The simulated platform's private parts (sim_platform.hpp), shared by its two source files: the
// chain's keys and certificates and the derivation secret. A platform imported into a guest has
// no ARK or ASK key.
#pragma once

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <array>
#include <cstdint>
#include <memory>

#include "attest/provider/sim_platform.hpp"

namespace cvex::attest {

namespace sim_detail {
template <class T, void (*F)(T*)>
struct Deleter {
    void operator()(T* p) const { F(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
}  // namespace sim_detail

struct SimulatedSnpPlatform::Keys {
    sim_detail::PkeyPtr ark_key, ask_key, vcek_key;
    sim_detail::X509Ptr ark, ask, vcek;
    std::array<uint8_t, 32> derivation_secret{};
    ~Keys() { OPENSSL_cleanse(derivation_secret.data(), derivation_secret.size()); }
};

}  // namespace cvex::attest
