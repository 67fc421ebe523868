// ValidatorError: why a validator's poll could not read the registry (its block number or its
// Registered events); the validator logs it and retries, `cvex validator --once` prints it.
#pragma once

#include <string>

namespace cvex::attest {

struct ValidatorError {
    std::string detail;  // "block number: eth_blockNumber: …"
    std::string message() const { return detail; }
};

}  // namespace cvex::attest
