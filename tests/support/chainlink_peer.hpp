// Chainlink's VRFCoordinatorV2_5 on a test's Anvil, as the peer cvex's coordinator is measured
// against (issue 16 §3): compiled unmodified from the pinned @chainlink/contracts package
// (contracts/chainlink-peer, solcjs 0.8.19), configured as Chainlink's own VRFV2Plus.t.sol does,
// with the key of secret 10 registered, and fulfilled with proofs from support/chainlink_vrf.hpp.
// Failures throw std::runtime_error naming the step (test support, like oracle_net.hpp).
#pragma once

#include <memory>

#include "chain/rpc/contract.hpp"
#include "chain/rpc/eth_client.hpp"
#include "chain/rpc/sender.hpp"
#include "support/chainlink_vrf.hpp"

namespace cvex::test {

struct ChainlinkFulfilment {
    chain::U256 request_id;
    chain::U256 output_seed;       // RandomWordsFulfilled's outputSeed
    chain::U256 proof_randomness;  // what the proof says it should be (chainlink_randomness)
    bool callback_success = false;
    uint64_t gas_used = 0;  // the fulfilment transaction's receipt
};

class ChainlinkPeer {
public:
    /// Deploys BlockhashStore, VRFCoordinatorV2_5 (owned by `owner`) and the no-op consumer
    /// (ChainlinkPeerConsumer), sets the config, registers the key with a 500 gwei gas lane, and
    /// makes a subscription funded with 10 ETH (native) with the consumer added.
    ChainlinkPeer(std::shared_ptr<chain::EthClient> eth, std::shared_ptr<chain::Sender> owner);

    /// One request for one word paid in native currency (nativePayment: true) by the no-op
    /// consumer, then its fulfilment sent by `fulfiller` in a later block.
    ChainlinkFulfilment request_and_fulfil(std::shared_ptr<chain::Sender> fulfiller);

    const chain::Contract& coordinator() const { return *coordinator_; }
    const chain::Hash32& key_hash() const { return key_hash_; }

    /// VRFV2Plus.t.sol's key: "The secret key used to generate this key is: 10."
    static chain::U256 secret_key() { return 10; }

private:
    std::shared_ptr<chain::EthClient> eth_;
    std::unique_ptr<chain::Contract> coordinator_, consumer_;
    chain::Hash32 key_hash_;
    chain::U256 sub_id_;
};

}  // namespace cvex::test
