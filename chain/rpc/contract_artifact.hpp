// A compiled contract as Foundry writes it (contracts/out/<File>.sol/<Name>.json): its ABI
// (functions, events, errors, constructor) and creation bytecode. Also reads the plain
// {abi, bytecode} artifacts that npm packages ship (Uniswap, WETH), and creation code that still
// has library placeholders when the artifact lists them (Hardhat's `linkReferences`).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "chain/encoding/abi_type.hpp"
#include "chain/types/address.hpp"
#include "base/bytes.hpp"
#include "base/expected.hpp"
#include "chain/rpc/artifact_error.hpp"

namespace cvex::chain {

/// One library address the creation code needs: solc writes the placeholder `__$<34 hex>$__`
/// (20 bytes) there and lists it in `linkReferences` ({source: {library: [{start, length}]}}, byte
/// offsets into the creation code; Hardhat at the top level, solc/Foundry inside `bytecode`).
struct LinkReference {
    std::string source;   // "contracts/libraries/NFTDescriptor.sol"
    std::string library;  // "NFTDescriptor"
    size_t offset = 0;    // in `bytecode`; the 20 bytes there are zero until link() fills them
};

struct ContractArtifact {
    std::string name;
    std::vector<AbiSignature> functions;
    std::vector<AbiSignature> events;
    std::vector<AbiSignature> errors;
    std::optional<AbiSignature> constructor;
    Bytes bytecode;  // creation code; empty for interfaces and abstract contracts
    std::vector<LinkReference> unlinked;  // placeholders still to fill; deploying refuses while any remain

    static Expected<ContractArtifact, ArtifactError> load(const std::string& path);
    static Expected<ContractArtifact, ArtifactError> from_json(const nlohmann::json& j, const std::string& name);

    /// The function with this name (first overload) or exact canonical signature "f(uint256)".
    const AbiSignature* function(std::string_view name_or_signature) const;
    const AbiSignature* event(std::string_view name_or_signature) const;

    /// Writes `at` into every placeholder of `library` ("NFTDescriptor" or "source.sol:NFTDescriptor")
    /// and drops them from `unlinked`; returns how many it filled, an error if none is listed.
    Expected<size_t, ArtifactError> link(std::string_view library, const Address& at);
};

/// An ABI JSON item's parameters → signature parameters (tuples from `components`).
Expected<std::vector<AbiParam>, ArtifactError> abi_params_from_json(const nlohmann::json& params);

}  // namespace cvex::chain
