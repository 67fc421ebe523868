// The custom errors of every cvex contract, compiled into the binary at build time from
// contracts/out (cmake/contract_errors.cmake), so `cvex`, the oracle and the bots decode them with
// no artifact beside the binary — a guest has none. Programs call register_contract_errors() first
// thing in main(); libraries never do.
#pragma once

#include <string>
#include <vector>

#include "chain/encoding/abi_type.hpp"
#include "base/expected.hpp"
#include "chain/rpc/artifact_error.hpp"

namespace cvex::chain {

struct ContractErrors {
    std::string contract;  // "VRFCoordinator"
    std::vector<AbiSignature> errors;
};

/// The compiled-in table: one entry per cvex contract (src/, not tests) that declares errors.
const std::vector<ContractErrors>& compiled_contract_errors();

/// Registers every compiled-in error as known (chain/encoding/known_errors.hpp).
void register_contract_errors();

/// The errors of a Foundry artifact or of a bare ABI JSON array in `path` (`--abi FILE`).
Expected<std::vector<AbiSignature>, ArtifactError> errors_from_abi_file(const std::string& path);

}  // namespace cvex::chain
