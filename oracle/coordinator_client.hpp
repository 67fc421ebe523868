// The VRFCoordinator (contracts/src/vrf/VRFCoordinator.sol) as the oracle, the guest and the
// tools see it: bound by human-readable signatures so a guest binary needs no build artifacts,
// with every custom error known so a revert always reads as its name and arguments.
#pragma once

#include <array>
#include <memory>
#include <vector>

#include "chain/rpc/contract.hpp"
#include "oracle/fulfilment_gas.hpp"
#include "oracle/request.hpp"
#include "vrf/onchain_proof.hpp"

namespace cvex::oracle {

struct ProvingKeyInfo {
    chain::Address oracle;  // zero: never registered
    bool active = false;
    chain::U256 earnings;
};

class CoordinatorClient {
public:
    CoordinatorClient(chain::Address coordinator, std::shared_ptr<chain::EthClient> client, std::shared_ptr<chain::Sender> sender = nullptr);

    static const chain::ContractAbi& abi();
    const chain::Address& address() const { return contract_.address(); }
    const chain::Contract& contract() const { return contract_; }

    cvex::Expected<chain::Address, chain::ContractError> registry() const;
    cvex::Expected<chain::U256, chain::ContractError> request_count() const;
    /// Pending ids in [from, to], ascending (the contract clamps to 1…requestCount).
    cvex::Expected<std::vector<chain::U256>, chain::ContractError> pending_requests(const chain::U256& from, const chain::U256& to) const;
    cvex::Expected<bool, chain::ContractError> is_pending(const chain::U256& id) const;
    cvex::Expected<chain::Hash32, chain::ContractError> blockhash_of(uint64_t block) const;
    cvex::Expected<ProvingKeyInfo, chain::ContractError> proving_key(const chain::Hash32& key_hash) const;
    /// What a request of this shape on `key_hash` reserves (wei): its worst case at the key's gas lane cap.
    cvex::Expected<chain::U256, chain::ContractError> request_price(const chain::Hash32& key_hash, uint32_t callback_gas_limit,
                                                                    uint32_t num_words) const;

    /// What the coordinator keeps back around a callback (fulfilment_gas.hpp). Trust decision: the
    /// figures come through the host's RPC; each is bounded (≤ 1,000,000), so a lie can make a
    /// fulfilment revert (as withholding it could) but never ask for an unbounded gas limit.
    cvex::Expected<CallbackReserve, chain::ContractError> callback_reserve() const;

    /// Self-registration by an attested guest (or by the owner for any oracle).
    cvex::Expected<chain::Receipt, chain::ContractError> register_proving_key(const std::array<chain::U256, 2>& pk,
                                                                               const chain::Address& oracle) const;
    /// Takes over the record of a key whose oracle of record is no longer attested with it
    /// (this sender must be attested with it): requests are accepted again.
    cvex::Expected<chain::Receipt, chain::ContractError> claim_proving_key(const chain::Hash32& key_hash) const;
    cvex::Expected<chain::PendingTx, chain::ContractError> store_blockhash(uint64_t block) const;

    /// Calldata of fulfillRandomWords (one entry) or fulfillRandomWordsBatch (several).
    cvex::Expected<cvex::Bytes, chain::ContractError> fulfil_calldata(const std::vector<vrf::OnchainProof>& proofs,
                                                                        const std::vector<VrfRequest>& requests) const;

    /// RandomWordsRequested logs in [from, to], optionally only for some request ids.
    cvex::Expected<std::vector<chain::Log>, chain::ContractError> request_logs(uint64_t from, uint64_t to,
                                                                                const std::vector<chain::U256>& ids = {}) const;

private:
    chain::Contract contract_;
};

}  // namespace cvex::oracle
