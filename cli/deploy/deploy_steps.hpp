// What cvex's deployers (dex_deployer, vault_deployer) do step by step: deploy, bind, call and
// transact through one client and sender, every failure as the text of the contract's decoded
// error so each step can name itself in front of it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chain/rpc/contract.hpp"
#include "cli/deploy/deploy_error.hpp"

namespace cvex::cli {

class DeploySteps {
public:
    DeploySteps(std::shared_ptr<chain::EthClient> client, std::shared_ptr<chain::Sender> sender)
        : client_(std::move(client)), sender_(std::move(sender)) {}

    cvex::Expected<chain::Contract, DeployError> deploy(const chain::ContractArtifact& a, const std::vector<chain::AbiValue>& args) const;
    /// Sent and mined; gas_limit absent: the Sender estimates it (with its margin).
    cvex::Expected<chain::Receipt, DeployError> transact(const chain::Contract& c, std::string_view f, const std::vector<chain::AbiValue>& args,
                                                          const chain::U256& value = chain::U256(0),
                                                          std::optional<uint64_t> gas_limit = std::nullopt) const;
    /// The gas limit the Sender would set for the call (eth_estimateGas from its address on the
    /// node's pending state, plus its margin) and `extra` on top.
    cvex::Expected<uint64_t, DeployError> gas_limit_with(uint64_t extra, const chain::Contract& c, std::string_view f,
                                                         const std::vector<chain::AbiValue>& args) const;
    cvex::Expected<std::vector<chain::AbiValue>, DeployError> call(const chain::Contract& c, std::string_view f,
                                                                    const std::vector<chain::AbiValue>& args) const;
    /// A contract already deployed, by its artifact's ABI or by human-readable signatures.
    chain::Contract at(const chain::ContractArtifact& a, const chain::Address& address) const;
    chain::Contract bind(std::string name, const std::vector<std::string>& signatures, const chain::Address& address) const;
    chain::EthClient& client() const { return *client_; }

private:
    std::shared_ptr<chain::EthClient> client_;
    std::shared_ptr<chain::Sender> sender_;
};

}  // namespace cvex::cli
