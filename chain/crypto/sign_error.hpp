// SignError: why a signer could not sign a digest (libsecp256k1 refused, or the enclave's key
// custody no longer holds the key). The detail names the failure and never carries key
// material; transaction signing and the enclave's logs print it as is, so its text is the message.
#pragma once

#include "base/detail_error.hpp"

namespace cvex::chain {

/// e.g. "secp256k1 signing failed", "key custody: invalid key handle"
using SignError = cvex::DetailError<struct SignErrorTag>;

}  // namespace cvex::chain
