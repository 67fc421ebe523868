// A compiled contract as Foundry writes it (contracts/out/<File>.sol/<Name>.json): its ABI
// (functions, events, errors, constructor) and creation bytecode. Also reads the plain
// {abi, bytecode} artifacts that npm packages ship (Uniswap, WETH).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "chain/abi_type.hpp"
#include "chain/bytes.hpp"
#include "chain/expected.hpp"

namespace cvex::chain {

struct ContractArtifact {
    std::string name;
    std::vector<AbiSignature> functions;
    std::vector<AbiSignature> events;
    std::vector<AbiSignature> errors;
    std::optional<AbiSignature> constructor;
    Bytes bytecode;  // creation code; empty for interfaces and abstract contracts

    static Expected<ContractArtifact, std::string> load(const std::string& path);
    static Expected<ContractArtifact, std::string> from_json(const nlohmann::json& j, const std::string& name);

    /// The function with this name (first overload) or exact canonical signature "f(uint256)".
    const AbiSignature* function(std::string_view name_or_signature) const;
    const AbiSignature* event(std::string_view name_or_signature) const;
};

/// An ABI JSON item's parameters → signature parameters (tuples from `components`).
Expected<std::vector<AbiParam>, std::string> abi_params_from_json(const nlohmann::json& params);

}  // namespace cvex::chain
