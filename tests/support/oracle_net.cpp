#include "support/oracle_net.hpp"

#include <stdexcept>
#include <thread>

#include "chain/crypto/keccak.hpp"

namespace cvex::test {

using chain::AbiValue;
using chain::U256;

namespace {

std::string artifact(const std::string& name) { return std::string(CVEX_SOURCE_DIR) + "/contracts/out/" + name + ".sol/" + name + ".json"; }

template <typename T, typename E>
T must(cvex::Expected<T, E> v, const std::string& what) {
    if (!v) {
        if constexpr (std::is_same_v<E, chain::ContractError>) throw std::runtime_error(what + ": " + v.error().message());
        else if constexpr (std::is_same_v<E, chain::SendError>) throw std::runtime_error(what + ": " + v.error().message());
        else throw std::runtime_error(what + ": failed");
    }
    return std::move(*v);
}

std::shared_ptr<chain::Sender> sender_for(std::shared_ptr<chain::EthClient> eth, size_t dev) {
    auto key = std::make_shared<chain::LocalKey>(std::move(*chain::LocalKey::from_hex(Anvil::dev_key(dev))));
    return std::shared_ptr<chain::Sender>(must(chain::Sender::create(eth, key), "sender"));
}


}  // namespace

const std::string& OracleNet::vrf_key_hex() {
    // A fixed development key: tests are reproducible and the child process gets the same key.
    static const std::string k = "0x6c3f2d1e0b9a8f7e6d5c4b3a29180716f5e4d3c2b1a09f8e7d6c5b4a39281706";
    return k;
}

OracleNet::OracleNet(Options options) {
    anvil_ = std::make_unique<Anvil>(options.anvil);
    eth_ = std::shared_ptr<chain::EthClient>(must(chain::EthClient::connect(anvil_->url()), "connect"));
    owner_ = sender_for(eth_, 0);
    validator_ = sender_for(eth_, 1);
    oracle_ = sender_for(eth_, 2);
    user_ = sender_for(eth_, 3);
    deploy_block_ = must(eth_->block_number(), "block");

    auto key = must(vrf::VrfKey<vrf::Secp256k1Group>::from_hex(vrf_key_hex()), "vrf key");
    const auto pk = key.public_key();
    prover_ = std::make_unique<oracle::Prover>(
        must(oracle::Prover::create(std::make_shared<vrf::VrfKey<vrf::Secp256k1Group>>(std::move(key)), pk), "prover"));

    registry_ = std::make_unique<chain::Contract>(must(
        chain::Contract::deploy(*chain::ContractArtifact::load(artifact("AttestationRegistry")),
                                {AbiValue(owner_->address()), AbiValue(AbiValue::List{AbiValue(validator_->address())}), AbiValue(U256(1)),
                                 AbiValue(U256(3600))},
                                eth_, owner_),
        "deploy AttestationRegistry"));
    measurement_ = cvex::Bytes(48, 0x5a);
    must(registry_->transact("allowMeasurement", {AbiValue(measurement_)}), "allowMeasurement");
    auto coordinator = must(chain::Contract::deploy(*chain::ContractArtifact::load(artifact("VRFCoordinator")),
                                                    {AbiValue(registry_->address()), AbiValue(owner_->address())},
                                                    eth_, owner_),
                            "deploy VRFCoordinator");
    coordinator_ = std::make_unique<oracle::CoordinatorClient>(coordinator.address(), eth_, owner_);
    if (options.attest_oracle) attest_oracle();
    // The owner registers the key for the oracle's address (a guest registers itself once attested).
    must(coordinator_->register_proving_key(prover_->public_point(), oracle_->address()), "registerProvingKey");
    const auto consumer_artifact = *chain::ContractArtifact::load(artifact("VRFLoadConsumer"));
    for (size_t i = 0; i < options.consumers; ++i)
        consumers_.push_back(
            must(chain::Contract::deploy(consumer_artifact, {AbiValue(coordinator_->address())}, eth_, user_), "deploy VRFLoadConsumer"));
}

chain::Address OracleNet::oracle_address() const { return oracle_->address(); }

std::vector<std::string> OracleNet::oracle_env() const {
    return {"CVEX_VRF_KEY=" + vrf_key_hex(), "CVEX_PRIVATE_KEY=" + Anvil::dev_key(2)};
}

void OracleNet::attest_oracle() {
    const auto a = attest_account(2);
    (void)a;
}

chain::Address OracleNet::attest_account(size_t dev, const chain::Hash32* bound) {
    auto account = dev == 2 ? oracle_ : sender_for(eth_, dev);
    chain::Contract as_account(registry_->abi(), registry_->address(), eth_, account);
    chain::Hash32 nonce = chain::keccak256(cvex::Bytes{static_cast<uint8_t>(std::rand()), static_cast<uint8_t>(dev)});
    const U256 bond = must(as_account.call("registrationBond", {}), "registrationBond")[0].word();
    const auto r = must(as_account.transact("register", {AbiValue(chain::keccak256(cvex::Bytes{1, 2, 3})), AbiValue(measurement_),
                                                         AbiValue(nonce), AbiValue(bound ? *bound : key_hash())},
                                            bond),
                        "register");
    const auto ev = as_account.events_in(r, "Registered");
    const U256 id = chain::param(ev.at(0), "registrationId")->word();
    // The validator passes what it verified: REPORT_DATA = [registration digest, bound data] and the measurement id.
    const AbiValue report_data(AbiValue::List{*chain::param(ev.at(0), "registrationDigest"), *chain::param(ev.at(0), "boundData")});
    chain::Contract as_validator(registry_->abi(), registry_->address(), eth_, validator_);
    must(as_validator.transact("approve", {AbiValue(account->address()), AbiValue(id), AbiValue(chain::keccak256(cvex::Bytes{1, 2, 3})),
                                           report_data, *chain::param(ev.at(0), "measurementId")}),
         "approve");
    return account->address();
}

std::vector<std::string> OracleNet::replica_env(size_t dev) const {
    return {"CVEX_VRF_KEY=" + vrf_key_hex(), "CVEX_PRIVATE_KEY=" + Anvil::dev_key(dev)};
}

U256 OracleNet::request(size_t consumer, uint16_t confirmations, size_t count, uint32_t callback_gas, uint32_t words,
                        const chain::Hash32* key_hash) {
    const U256 price = must(coordinator_->request_price(key_hash ? *key_hash : this->key_hash(), callback_gas, words), "requestPrice");
    auto r = must(consumers_.at(consumer).transact("requestMany", {AbiValue(key_hash ? *key_hash : this->key_hash()), AbiValue(U256(confirmations)),
                                                                   AbiValue(U256(callback_gas)), AbiValue(U256(words)), AbiValue(U256(count))},
                                                   *price.checked_mul(U256(count))),
                  "requestMany");
    const auto ev = coordinator_->contract().events_in(r, "RandomWordsRequested");
    return chain::param(ev.at(0), "requestId")->word();
}

U256 OracleNet::request_count() { return must(coordinator_->request_count(), "requestCount"); }

std::vector<U256> OracleNet::pending() { return must(coordinator_->pending_requests(U256(1), request_count()), "pendingRequests"); }

bool OracleNet::wait_all_fulfilled(std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        auto p = coordinator_->pending_requests(U256(1), request_count());
        if (p && p->empty()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    return false;
}

}  // namespace cvex::test
