#include "support/chainlink_peer.hpp"

#include <stdexcept>

#include "chain/crypto/keccak.hpp"

namespace cvex::test {

namespace {

using chain::AbiValue;
using chain::U256;

const std::string kOut = std::string(CVEX_SOURCE_DIR) + "/contracts/chainlink-peer/out/";

chain::ContractArtifact artifact(const std::string& file, const std::string& name) {
    auto a = chain::ContractArtifact::load(kOut + file + ".sol/" + name + ".json");
    if (!a) throw std::runtime_error("chainlink peer: no artifact " + name + " (is contracts/chainlink-peer built?)");
    return std::move(*a);
}

template <class T>
T must(cvex::Expected<T, chain::ContractError> v, const std::string& what) {
    if (!v) throw std::runtime_error("chainlink peer: " + what + ": " + v.error().message());
    return std::move(*v);
}

const AbiValue* must_param(const std::vector<chain::DecodedParam>& params, std::string_view name) {
    const AbiValue* v = chain::param(params, name);
    if (v == nullptr) throw std::runtime_error("chainlink peer: event without " + std::string(name));
    return v;
}

// VRFV2PlusClient._argsToBytes(ExtraArgsV1({nativePayment: true})):
// bytes4(keccak256("VRF ExtraArgsV1")) ‖ abi.encode(true).
Bytes native_payment_extra_args() {
    const std::string tag = "VRF ExtraArgsV1";
    const auto h = chain::keccak256(ByteView(reinterpret_cast<const uint8_t*>(tag.data()), tag.size()));
    Bytes out(h.bytes.begin(), h.bytes.begin() + 4);
    const auto one = U256(1).to_be();
    out.insert(out.end(), one.begin(), one.end());
    return out;
}

constexpr uint64_t kCallbackGasLimit = 100'000;
constexpr uint64_t kRequestConfirmations = 1;

}  // namespace

ChainlinkPeer::ChainlinkPeer(std::shared_ptr<chain::EthClient> eth, std::shared_ptr<chain::Sender> owner)
    : eth_(std::move(eth)) {
    auto bhs = must(chain::Contract::deploy(artifact("BlockhashStore", "BlockhashStore"), {}, eth_, owner), "deploy BlockhashStore");
    coordinator_ = std::make_unique<chain::Contract>(must(
        chain::Contract::deploy(artifact("VRFCoordinatorV2_5", "VRFCoordinatorV2_5"), {AbiValue(bhs.address())}, eth_, owner),
        "deploy VRFCoordinatorV2_5"));
    consumer_ = std::make_unique<chain::Contract>(must(
        chain::Contract::deploy(artifact("ChainlinkPeer", "ChainlinkPeerConsumer"), {}, eth_, owner), "deploy consumer"));
    // VRFV2Plus.t.sol's setConfig: min confirmations 0, max callback gas 2.5M, staleness 1 s,
    // gasAfterPaymentCalculation 50k, fallback wei/LINK 5e16, flat fee 0.5 native PPM, LINK
    // discount 0.1 PPM, premiums 15 % native and 10 % LINK.
    must(coordinator_->transact("setConfig", {U256(0), U256(2'500'000), U256(1), U256(50'000), U256(50'000'000'000'000'000ULL),
                                              U256(500'000), U256(100'000), U256(15), U256(10)}),
         "setConfig");
    const auto pk = chainlink_public_key(secret_key());
    if (!pk) throw std::runtime_error("chainlink peer: key");
    key_hash_ = chainlink_key_hash(*pk);
    const AbiValue pk_value(AbiValue::List{(*pk)[0], (*pk)[1]});
    must(coordinator_->transact("registerProvingKey", {pk_value, U256(500'000'000'000ULL)}), "registerProvingKey");

    const auto created = must(coordinator_->transact("createSubscription", {}), "createSubscription");
    const auto events = coordinator_->events_in(created, "SubscriptionCreated");
    if (events.size() != 1) throw std::runtime_error("chainlink peer: no SubscriptionCreated");
    sub_id_ = must_param(events[0], "subId")->word();
    const U256 ten_eth(10'000'000'000'000'000'000ULL);  // 1e19 wei < 2^64
    must(coordinator_->transact("fundSubscriptionWithNative", {sub_id_}, ten_eth), "fundSubscriptionWithNative");
    must(coordinator_->transact("addConsumer", {sub_id_, AbiValue(consumer_->address())}), "addConsumer");
}

ChainlinkFulfilment ChainlinkPeer::request_and_fulfil(std::shared_ptr<chain::Sender> fulfiller) {
    const Bytes extra_args = native_payment_extra_args();
    const AbiValue request(AbiValue::List{AbiValue(key_hash_), sub_id_, U256(kRequestConfirmations), U256(kCallbackGasLimit),
                                          U256(1), AbiValue(extra_args)});
    const auto requested = must(consumer_->transact("request", {AbiValue(coordinator_->address()), request}), "request");
    const auto events = coordinator_->events_in(requested, "RandomWordsRequested");
    if (events.size() != 1) throw std::runtime_error("chainlink peer: no RandomWordsRequested");
    ChainlinkFulfilment out;
    out.request_id = must_param(events[0], "requestId")->word();
    const U256 pre_seed = must_param(events[0], "preSeed")->word();

    // The coordinator reads blockhash(blockNum): the fulfilment must land in a later block.
    (void)eth_->evm_mine();
    const auto proof = chainlink_prove(secret_key(), pre_seed, requested.block_hash);
    if (!proof) throw std::runtime_error("chainlink peer: no provable proof for this seed");
    out.proof_randomness = chainlink_randomness(*proof);
    const AbiValue commitment(AbiValue::List{U256(requested.block_number), sub_id_, U256(kCallbackGasLimit), U256(1),
                                             AbiValue(consumer_->address()), AbiValue(extra_args)});
    const chain::Contract as_fulfiller(coordinator_->abi(), coordinator_->address(), eth_, std::move(fulfiller));
    const auto fulfilled =
        must(as_fulfiller.transact("fulfillRandomWords", {to_abi_value(*proof), commitment, false}), "fulfillRandomWords");
    const auto done = coordinator_->events_in(fulfilled, "RandomWordsFulfilled");
    if (done.size() != 1) throw std::runtime_error("chainlink peer: no RandomWordsFulfilled");
    out.output_seed = must_param(done[0], "outputSeed")->word();
    out.callback_success = std::get<bool>(must_param(done[0], "success")->v);
    out.gas_used = fulfilled.gas_used;
    return out;
}

}  // namespace cvex::test
