// A randomness request as the coordinator committed to it (contracts/src/vrf/VRFCoordinator.sol:
// RequestCommitment, event RandomWordsRequested), and the values derived from it:
//   preSeed = keccak256(abi.encode(requestId, requester, nonce))
//   alpha   = keccak256(abi.encode(preSeed, blockhash(blockNumber)))   (the VRF input)
//   words[i] = keccak256(abi.encode(beta, i))
// The seed depends on the request block's hash, so a request re-included in another block after a
// reorg has another alpha: the oracle must prove for the block the chain holds now.
#pragma once

#include <string>
#include <vector>

#include "chain/encoding/abi_value.hpp"
#include "chain/types/address.hpp"
#include "base/expected.hpp"
#include "chain/types/hash.hpp"
#include "chain/rpc/rpc_types.hpp"
#include "chain/types/u256.hpp"

namespace cvex::oracle {

struct VrfRequest {
    // RequestCommitment, in the contract's field order.
    chain::U256 request_id;
    chain::Hash32 key_hash;
    chain::Address requester;
    uint64_t nonce = 0;
    uint64_t block_number = 0;
    uint16_t min_confirmations = 0;
    uint32_t callback_gas_limit = 0;
    uint32_t num_words = 0;
    chain::U256 fee;  // uint96
    // From the event and the log that carried it.
    chain::U256 pre_seed;
    chain::Hash32 block_hash;  // of the block the log was in
    chain::Hash32 transaction_hash;
    uint64_t log_index = 0;

    /// The first block in which the coordinator accepts a fulfilment (blockNumber + minConfirmations).
    uint64_t ready_at() const { return block_number + min_confirmations; }
};

struct RequestError {
    std::string field;  // "topics[2]", "data.blockNumber"
    std::string detail;
    std::string message() const { return "RandomWordsRequested " + field + ": " + detail; }
};

/// topic0 of RandomWordsRequested(bytes32,uint256,address,uint64,uint256,uint64,uint16,uint32,uint32,uint96).
const chain::Hash32& requested_topic();
/// topic0 of RandomWordsFulfilled(uint256,bytes32,bytes32,uint96,bool).
const chain::Hash32& fulfilled_topic();
/// topic0 of CallbackFailed(uint256,bool,bytes): why a callback failed (revert data, out of gas).
const chain::Hash32& callback_failed_topic();

/// Decodes a RandomWordsRequested log; checks the value ranges the contract guarantees, so a log
/// from another contract with the same topic cannot smuggle in nonsense.
cvex::Expected<VrfRequest, RequestError> parse_request_log(const chain::Log& log);

/// The RequestCommitment tuple, for fulfillRandomWords(Batch).
chain::AbiValue commitment_value(const VrfRequest& r);
/// keccak256(abi.encode(RequestCommitment)): what the coordinator stores (commitmentOf).
chain::Hash32 commitment_hash(const VrfRequest& r);

chain::U256 compute_pre_seed(const chain::U256& request_id, const chain::Address& requester, uint64_t nonce);
chain::Hash32 compute_alpha(const chain::U256& pre_seed, const chain::Hash32& request_block_hash);
std::vector<chain::U256> derive_words(const chain::Hash32& beta, uint32_t num_words);

}  // namespace cvex::oracle
