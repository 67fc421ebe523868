// VaultClient speaks to GuardedVault through hand-written signatures (enclave-app/vault_client.hpp);
// these cases hold them to the compiled contract, so a new custom error is decoded by name in the
// bots' logs and a changed function cannot drift unnoticed.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "chain/rpc/contract.hpp"
#include "chain/rpc/contract_artifact.hpp"
#include "bots/execute/vault_client.hpp"

using namespace cvex;

namespace {

chain::ContractAbi artifact_abi() {
    const auto a = chain::ContractArtifact::load(std::string(CVEX_SOURCE_DIR) + "/contracts/out/GuardedVault.sol/GuardedVault.json");
    INFO((a ? "" : a.error().message()));
    REQUIRE(a);
    return chain::ContractAbi::from_artifact(*a);
}

bool has(const std::vector<chain::AbiSignature>& list, const std::string& canonical) {
    return std::any_of(list.begin(), list.end(), [&](const chain::AbiSignature& s) { return s.canonical() == canonical; });
}

}  // namespace

TEST_CASE("VaultClient decodes every custom error GuardedVault can revert with") {
    const auto compiled = artifact_abi();
    REQUIRE(compiled.errors().size() >= 30);
    for (const auto& e : compiled.errors()) {
        INFO(e.canonical());
        CHECK(has(cvex::bots::VaultClient::abi().errors(), e.canonical()));
    }
}

TEST_CASE("VaultClient's functions and events are GuardedVault's") {
    const auto compiled = artifact_abi();
    for (const auto& f : cvex::bots::VaultClient::abi().functions()) {
        INFO(f.canonical());
        CHECK(has(compiled.functions(), f.canonical()));
    }
    for (const auto& e : cvex::bots::VaultClient::abi().events()) {
        INFO(e.canonical());
        CHECK(has(compiled.events(), e.canonical()));
    }
}
