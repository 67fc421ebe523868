#include "chain/contract_errors/contract_errors.hpp"

#include <fstream>
#include <sstream>
#include <utility>

#include <nlohmann/json.hpp>

#include "chain/encoding/known_errors.hpp"
#include "chain/rpc/contract_artifact.hpp"

namespace cvex::chain {

namespace {

// {contract, JSON array of the artifact's "error" ABI items}, generated at build time.
const std::pair<const char*, const char*> kTable[] = {
#include "contract_errors.inc"
    {nullptr, nullptr},
};

std::vector<AbiSignature> errors_of(const nlohmann::json& abi, const std::string& name) {
    auto art = ContractArtifact::from_json(nlohmann::json{{"abi", abi}}, name);
    return art ? art->errors : std::vector<AbiSignature>{};
}

}  // namespace

const std::vector<ContractErrors>& compiled_contract_errors() {
    static const std::vector<ContractErrors> table = [] {
        std::vector<ContractErrors> out;
        for (const auto& [contract, json] : kTable) {
            if (contract == nullptr) break;
            auto abi = nlohmann::json::parse(json, nullptr, false);
            if (abi.is_discarded()) continue;  // cannot happen: the build wrote it from forge's JSON
            out.push_back({contract, errors_of(abi, contract)});
        }
        return out;
    }();
    return table;
}

void register_contract_errors() {
    for (const auto& c : compiled_contract_errors()) register_known_errors(c.errors);
}

Expected<std::vector<AbiSignature>, ArtifactError> errors_from_abi_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) return artifact_failure("cannot read " + path);
    std::stringstream text;
    text << in.rdbuf();
    auto j = nlohmann::json::parse(text.str(), nullptr, false);
    if (j.is_discarded()) return artifact_failure(path + " is not JSON");
    if (j.is_array()) j = nlohmann::json{{"abi", j}};  // a bare ABI
    if (!j.is_object() || !j.contains("abi")) return artifact_failure(path + " has no \"abi\": not a contract artifact or ABI");
    auto art = ContractArtifact::from_json(j, path);
    if (!art) return artifact_failure(path + ": " + art.error().message());
    return art->errors;
}

}  // namespace cvex::chain
