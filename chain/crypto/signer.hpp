// Signer: anything that can sign a 32-byte digest for one Ethereum address without handing
// out its key: a LocalKey (development, the CLI) or the enclave's key-custody handle.
#pragma once

#include "chain/types/address.hpp"
#include "base/expected.hpp"
#include "chain/types/hash.hpp"
#include "chain/crypto/sign_error.hpp"
#include "chain/crypto/signature.hpp"

namespace cvex::chain {

class Signer {
public:
    virtual ~Signer() = default;
    virtual Address address() const = 0;
    /// RFC 6979 deterministic, low-s, recoverable. The error text never carries key material.
    virtual Expected<Signature, SignError> sign_digest(const Hash32& digest) const = 0;
};

}  // namespace cvex::chain
