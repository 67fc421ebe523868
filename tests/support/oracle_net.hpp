// A VRF deployment on a fresh Anvil for the oracle's end-to-end tests and benchmarks:
// AttestationRegistry (one validator, quorum 1), VRFCoordinator, an attested oracle address
// (an Anvil dev account standing in for the guest key) with a development VRF key registered,
// and VRFLoadConsumer contracts. Everything is deployed by cvex's own client.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "chain/rpc/contract.hpp"
#include "chain/crypto/local_key.hpp"
#include "oracle/coordinator_client.hpp"
#include "oracle/prover.hpp"
#include "support/anvil.hpp"
#include "vrf/vrf_key.hpp"

namespace cvex::test {

class OracleNet {
public:
    struct Options {
        Anvil::Options anvil;
        size_t consumers = 1;
        bool attest_oracle = true;
    };
    explicit OracleNet(Options options);

    Anvil& anvil() { return *anvil_; }
    std::shared_ptr<chain::EthClient> eth() { return eth_; }
    chain::Contract& registry() { return *registry_; }
    oracle::CoordinatorClient& coordinator() { return *coordinator_; }
    std::vector<chain::Contract>& consumers() { return consumers_; }
    const oracle::Prover& prover() const { return *prover_; }
    const chain::Hash32& key_hash() const { return prover_->key_hash(); }
    chain::Address oracle_address() const;
    uint64_t deploy_block() const { return deploy_block_; }
    /// The MEASUREMENT the registry allows (the guests' simulated one).
    const cvex::Bytes& measurement() const { return measurement_; }

    /// The oracle's keys for `cvex-oracle` (development: passed in its environment).
    std::vector<std::string> oracle_env() const;
    static const std::string& vrf_key_hex();

    /// Registers the oracle's key in the registry and has the validator approve it.
    void attest_oracle();
    /// Attests Anvil dev account `dev` with `bound` as its bound data (default: this net's VRF key
    /// hash, making it a replica: its own Ethereum key serving the same VRF key). Returns its address.
    chain::Address attest_account(size_t dev, const chain::Hash32* bound = nullptr);
    /// The environment of `cvex-oracle` for a replica on dev account `dev`.
    std::vector<std::string> replica_env(size_t dev) const;
    /// `count` requests from consumer `i` in one transaction.
    chain::U256 request(size_t consumer, uint16_t confirmations, size_t count, uint32_t callback_gas = 100'000, uint32_t words = 2,
                        const chain::Hash32* key_hash = nullptr);
    /// Ids still pending at the coordinator.
    std::vector<chain::U256> pending();
    chain::U256 request_count();
    /// Waits until nothing is pending (true) or the timeout passes (false).
    bool wait_all_fulfilled(std::chrono::seconds timeout);

    std::shared_ptr<chain::Sender> owner() { return owner_; }
    std::shared_ptr<chain::Sender> user() { return user_; }

private:
    std::unique_ptr<Anvil> anvil_;
    std::shared_ptr<chain::EthClient> eth_;
    std::shared_ptr<chain::Sender> owner_, validator_, oracle_, user_;
    std::unique_ptr<chain::Contract> registry_;
    std::unique_ptr<oracle::CoordinatorClient> coordinator_;
    std::vector<chain::Contract> consumers_;
    std::unique_ptr<oracle::Prover> prover_;
    cvex::Bytes measurement_;
    uint64_t deploy_block_ = 0;
};

}  // namespace cvex::test
