// ValidatorError: why a validator's poll could not read the registry (its block number or its
// Registered events); the validator logs it and retries, `cvex validator --once` prints it.
#pragma once

#include "base/detail_error.hpp"

namespace cvex::attest {

/// e.g. "block number: eth_blockNumber: …"
using ValidatorError = cvex::DetailError<struct ValidatorErrorTag>;

}  // namespace cvex::attest
