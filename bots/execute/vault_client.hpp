// The GuardedVault (contracts/src/vault/GuardedVault.sol) as the bots see it: the trade call, the
// state the kill switch and the strategies need, and every custom error, so a failed simulation
// always reads as the vault's own reason (OverTradeCap(token, amountIn, cap), Paused(), …).
#pragma once

#include <memory>
#include <vector>

#include "chain/rpc/contract.hpp"
#include "bots/strategy/strategy.hpp"

namespace cvex::bots {

struct VaultTokenLimits {
    bool allowed = false;
    chain::U256 max_per_trade;
    chain::U256 refill_amount;
    uint64_t refill_period = 0;
    chain::U256 max_balance;
};

class VaultClient {
public:
    VaultClient(chain::Address vault, std::shared_ptr<chain::EthClient> client, std::shared_ptr<chain::Sender> sender = nullptr);

    static const chain::ContractAbi& abi();
    const chain::Address& address() const { return contract_.address(); }
    const chain::Contract& contract() const { return contract_; }

    /// trade(TradeIntent, measurementId) for a direct trade by the attested enclave key (the
    /// transaction's nonce prevents replay; the intent's nonce is unused and zero).
    cvex::Expected<cvex::Bytes, chain::ContractError> trade_calldata(const Action& action, const chain::Hash32& measurement_id) const;
    /// eth_call of that trade from `from`: the amount out, or the decoded revert.
    cvex::Expected<chain::U256, chain::ContractError> simulate_trade(const Action& action, const chain::Hash32& measurement_id,
                                                                      const chain::Address& from,
                                                                      const chain::BlockTag& tag = chain::BlockTag::latest()) const;
    /// What a simulated trade call gave back: the amount out (one word), or the vault's decoded
    /// revert — from eth_call or an eth_simulateV1 block alike.
    static cvex::Expected<chain::U256, chain::ContractError> trade_output(cvex::ByteView data, bool reverted);

    cvex::Expected<bool, chain::ContractError> paused(const chain::BlockTag& tag = chain::BlockTag::latest()) const;
    cvex::Expected<chain::Address, chain::ContractError> registry() const;
    cvex::Expected<chain::U256, chain::ContractError> available_allowance(const chain::Address& token,
                                                                           const chain::BlockTag& tag = chain::BlockTag::latest()) const;
    cvex::Expected<VaultTokenLimits, chain::ContractError> token_limits(const chain::Address& token,
                                                                      const chain::BlockTag& tag = chain::BlockTag::latest()) const;
    /// minAmountOutFor: (floor, referenceOut) — the TWAP reference the vault prices trades with.
    cvex::Expected<std::pair<chain::U256, chain::U256>, chain::ContractError> min_amount_out_for(
        const chain::Address& token_in, const chain::Address& token_out, const chain::U256& amount_in,
        const chain::BlockTag& tag = chain::BlockTag::latest()) const;
    /// ERC-20 balanceOf(vault).
    cvex::Expected<chain::U256, chain::ContractError> balance_of(const chain::Address& token,
                                                                 const chain::BlockTag& tag = chain::BlockTag::latest()) const;

private:
    std::shared_ptr<chain::EthClient> client_;
    chain::Contract contract_;
};

}  // namespace cvex::bots
