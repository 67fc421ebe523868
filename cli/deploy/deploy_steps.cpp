#include "cli/deploy/deploy_steps.hpp"

namespace cvex::cli {

using cvex::Unexpected;

cvex::Expected<chain::Contract, DeployError> DeploySteps::deploy(const chain::ContractArtifact& a,
                                                                  const std::vector<chain::AbiValue>& args) const {
    auto c = chain::Contract::deploy(a, args, client_, sender_);
    if (!c) return deploy_failure(c.error().message());
    return *c;
}

cvex::Expected<chain::Receipt, DeployError> DeploySteps::transact(const chain::Contract& c, std::string_view f,
                                                                   const std::vector<chain::AbiValue>& args, const chain::U256& value,
                                                                   std::optional<uint64_t> gas_limit) const {
    auto r = c.transact(f, args, value, gas_limit);
    if (!r) return deploy_failure(r.error().message());
    return *r;
}

cvex::Expected<uint64_t, DeployError> DeploySteps::gas_limit_with(uint64_t extra, const chain::Contract& c, std::string_view f,
                                                                   const std::vector<chain::AbiValue>& args) const {
    auto data = c.calldata(f, args);
    if (!data) return deploy_failure(data.error().message());
    auto gas = client_->estimate_gas(chain::CallRequest{sender_->address(), c.address(), std::move(*data), std::nullopt, std::nullopt});
    if (!gas) return deploy_failure(c.abi().name() + "." + std::string(f) + ": eth_estimateGas: " + gas.error().message());
    return sender_->gas_with_margin(*gas) + extra;
}

cvex::Expected<std::vector<chain::AbiValue>, DeployError> DeploySteps::call(const chain::Contract& c, std::string_view f,
                                                                             const std::vector<chain::AbiValue>& args) const {
    auto r = c.call(f, args);
    if (!r) return deploy_failure(r.error().message());
    return *r;
}

chain::Contract DeploySteps::at(const chain::ContractArtifact& a, const chain::Address& address) const {
    return chain::Contract(chain::ContractAbi::from_artifact(a), address, client_, sender_);
}

chain::Contract DeploySteps::bind(std::string name, const std::vector<std::string>& signatures, const chain::Address& address) const {
    return chain::Contract(*chain::ContractAbi::from_signatures(std::move(name), signatures), address, client_, sender_);
}

}  // namespace cvex::cli
