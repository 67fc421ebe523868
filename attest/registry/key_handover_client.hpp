// The KeyHandover contract (contracts/src/attestation/KeyHandover.sol) as guests see it: a
// newcomer asks for a key set with its attested transport key; a holder posts the key set
// encrypted to that key; both read the other side's events (issue 14 §2). Bound by
// human-readable signatures, as the registry client is.
#pragma once

#include <array>
#include <memory>
#include <vector>

#include "chain/rpc/contract.hpp"

namespace cvex::attest {

/// A HandoverRequested event: `newcomer` asks for `key_set` with `transport_xy` (x ‖ y).
struct HandoverRequest {
    chain::Address newcomer;
    chain::Hash32 measurement_id;
    std::array<uint8_t, 64> transport_xy{};
    uint64_t block_number = 0;
};

/// A KeysDelivered event: the key set, encrypted to the newcomer's transport key.
struct HandoverDelivery {
    chain::Address holder;
    chain::Hash32 measurement_id;
    cvex::Bytes ciphertext;
    uint64_t block_number = 0;
};

/// KeyHandover.Request: `requested_at` is zero if the newcomer never asked successfully.
struct HandoverRecord {
    chain::Hash32 transport_key_hash;
    chain::Hash32 measurement_id;
    uint64_t requested_at = 0;
    uint64_t delivered_at = 0;
    chain::Address delivered_by;
};

class KeyHandoverClient {
public:
    KeyHandoverClient(chain::Address contract, std::shared_ptr<chain::EthClient> client, std::shared_ptr<chain::Sender> sender = nullptr);
    const chain::Address& address() const { return contract_.address(); }

    /// From the newcomer's key: true when a request is open, false when the contract refused its
    /// measurement for `key_set` (a HandoverRefused event, kept on chain).
    cvex::Expected<bool, chain::ContractError> request_keys(const chain::Hash32& key_set, const std::array<uint8_t, 64>& transport_xy) const;
    /// From a holder's key: posts the envelope (enclave-app/handover_cipher.hpp).
    cvex::Expected<chain::Receipt, chain::ContractError> deliver_keys(const chain::Hash32& key_set, const chain::Address& newcomer,
                                                                      const cvex::Bytes& ciphertext) const;
    cvex::Expected<HandoverRecord, chain::ContractError> request_of(const chain::Hash32& key_set, const chain::Address& newcomer) const;
    /// Requests for `key_set` in [from_block, to_block].
    cvex::Expected<std::vector<HandoverRequest>, chain::ContractError> requests(const chain::Hash32& key_set, uint64_t from_block,
                                                                               uint64_t to_block) const;
    /// Deliveries of `key_set` to `newcomer` in [from_block, to_block].
    cvex::Expected<std::vector<HandoverDelivery>, chain::ContractError> deliveries(const chain::Hash32& key_set, const chain::Address& newcomer,
                                                                                  uint64_t from_block, uint64_t to_block) const;

private:
    chain::Contract contract_;
};

}  // namespace cvex::attest
