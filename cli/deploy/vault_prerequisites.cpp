// What `cvex vault deploy` needs of the chain and of its owner, checked before its first
// transaction: a shortfall found after twenty blocks of configuration would leave a half-built
// vault behind and the owner's gas spent.
#include "cli/deploy/vault_deployer.hpp"

#include "chain/rpc/contract.hpp"

namespace cvex::cli {

using chain::Address;
using chain::U256;
using cvex::Unexpected;

namespace {

// Gas of deploying and configuring a vault (its deployment ≈ 4.5M, then about twenty queue and
// execute calls, approvals and deposits), with room: only to tell a short owner before it starts.
constexpr uint64_t kDeployGasBudget = 8'000'000;

const chain::ContractAbi& erc20() {
    static const chain::ContractAbi a = *chain::ContractAbi::from_signatures("ERC20", {"balanceOf(address)(uint256)"});
    return a;
}

}  // namespace

cvex::Expected<void, DeployError> check_vault_prerequisites(std::shared_ptr<chain::EthClient> client, const Address& owner, uint64_t chain_id,
                                                            const DexDeployment& dex, const VaultOptions& o) {
    if (dex.chain_id != chain_id)
        return deploy_failure("--dex is a deployment on chain " + std::to_string(dex.chain_id) + ", the node is chain " + std::to_string(chain_id));
    for (const auto& [what, at] : {std::pair{"--registry", o.registry}, std::pair{"--dex v2_pair", dex.v2_pair}}) {
        auto code = client->code(at);
        if (!code) return deploy_failure(std::string("eth_getCode: ") + code.error().message());
        if (code->empty()) return deploy_failure(std::string(what) + ": no contract at " + at.checksum_hex());
    }
    auto eth = client->balance(owner);
    auto price = client->gas_price();
    if (!eth || !price) return deploy_failure(std::string("the owner's balance: ") + (!eth ? eth.error().message() : price.error().message()));
    const U256 gas = price->checked_mul(U256(kDeployGasBudget)).value_or(U256::max());
    if (*eth < gas)
        return deploy_failure("the owner " + owner.checksum_hex() + " holds " + eth->dec() + " wei; deploying and configuring the vault needs about " +
                              gas.dec() + " for gas at today's price");
    const U256 spare = *eth->checked_sub(gas);
    const bool a_is_weth = dex.token_a == dex.weth;
    for (const auto& [name, token, amount, flag] : {std::tuple{"A", dex.token_a, o.deposit_a, "--deposit-a"}, std::tuple{"B", dex.token_b, o.deposit_b, "--deposit-b"}}) {
        if (amount.is_zero()) continue;
        auto held = chain::Contract(erc20(), token, client).call("balanceOf", {chain::AbiValue(owner)});
        if (!held) return deploy_failure(std::string("token ") + name + " balanceOf: " + held.error().message());
        const U256 balance = (*held)[0].word();
        if (balance >= amount) continue;
        // WETH the owner lacks is wrapped from its ether (deploy_vault does it before depositing).
        if (a_is_weth && std::string_view(name) == "A" && balance.checked_add(spare).value_or(U256::max()) >= amount) continue;
        return deploy_failure("the owner " + owner.checksum_hex() + " holds " + balance.dec() + " of token " + name + " " + token.checksum_hex() + ", " + flag +
                              " needs " + amount.dec() + (a_is_weth && std::string_view(name) == "A" ? " (its ether included)" : "") +
                              " (cvex dex deploy funds its deployer; or --fund the owner, or lower " + flag + ")");
    }
    return {};
}

}  // namespace cvex::cli
