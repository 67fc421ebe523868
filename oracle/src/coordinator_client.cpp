#include "oracle/coordinator_client.hpp"

namespace cvex::oracle {

using chain::AbiValue;
using chain::ContractError;
using cvex::Expected;
using chain::U256;
using cvex::Unexpected;

namespace {

// VRFVerifier.Proof and VRFCoordinator.RequestCommitment as ABI tuples (field order as declared).
#define CVEX_PROOF "(uint256[2],uint256[2],uint256,uint256,uint256[2],uint8,uint256[],uint256[2],address,uint256[2],uint256[2],uint256[2],uint256)"
#define CVEX_COMMITMENT "(uint256,bytes32,address,uint64,uint64,uint16,uint32,uint32,uint96)"

const std::vector<std::string>& signatures() {
    static const std::vector<std::string> s = {
        "registry()(address)",
        "requestCount()(uint256)",
        "pendingRequests(uint256,uint256)(uint256[])",
        "isPending(uint256)(bool)",
        "commitmentOf(uint256)(bytes32)",
        "blockhashOf(uint256)(bytes32)",
        "storeBlockhash(uint256)",
        "provingKey(bytes32)(address,bool,uint256)",
        "hashOfKey(uint256[2])(bytes32)",
        "registerProvingKey(uint256[2],address)(bytes32)",
        "deregisterProvingKey(bytes32)",
        "claimProvingKey(bytes32)",
        "requestPrice(bytes32,uint32,uint32)(uint256)",
        "gasLane(bytes32)(uint256,uint256)",
        "setGasLane(bytes32,uint256,uint256)",
        "requestRandomWords(bytes32,uint16,uint32,uint32)(uint256)",
        "computePreSeed(uint256,address,uint64)(uint256)",
        "computeAlpha(uint256,bytes32)(bytes32)",
        "fulfillRandomWords(" CVEX_PROOF "," CVEX_COMMITMENT ")(bool)",
        "fulfillRandomWordsBatch(" CVEX_PROOF "[]," CVEX_COMMITMENT "[])(bool[])",
        "requestStatus(uint256)((uint8,address,uint64,uint64,uint64,uint96))",
        "keyStatus(bytes32)((address,bool,bool,uint64))",
        "cancelDelayBlocks()(uint256)",
        "GAS_FOR_CALL_EXACT_CHECK()(uint256)",
        "GAS_AFTER_CALLBACK()(uint256)",
        "GAS_AFTER_CALLBACK_PER_WORD()(uint256)",
        "redeliver(uint256,uint256[])(bool)",
        "event ProvingKeyRegistered(bytes32 indexed keyHash, address indexed oracle, uint256[2] publicKey)",
        "event RandomWordsRequested(bytes32 indexed keyHash, uint256 indexed requestId, address indexed requester, uint64 nonce, "
        "uint256 preSeed, uint64 blockNumber, uint16 minConfirmations, uint32 callbackGasLimit, uint32 numWords, uint96 fee)",
        "event RandomWordsFulfilled(uint256 indexed requestId, bytes32 indexed keyHash, bytes32 beta, uint96 payment, bool success)",
        "event FulfillmentSkipped(uint256 indexed requestId, bytes reason)",
        "event CallbackFailed(uint256 indexed requestId, bool outOfGas, bytes revertData)",
        "event RandomWordsRedelivered(uint256 indexed requestId, address indexed by)",
        "event RequestCancelled(uint256 indexed requestId, address indexed requester, uint96 refund)",
        "event ProvingKeyClaimed(bytes32 indexed keyHash, address indexed previousOracle, address indexed oracle)",
        "event BlockhashStored(uint256 indexed blockNumber, bytes32 blockHash)",
        "error NotOwner(address)", "error ZeroAddress()", "error InvalidPublicKey()", "error KeyAlreadyRegistered(bytes32)",
        "error OracleNotAttestedWithKey(address,bytes32)", "error NotOwnerOrOracle(address)", "error UnknownProvingKey(bytes32)",
        "error InvalidConfirmations(uint16,uint16,uint16)", "error InvalidCallbackGasLimit(uint32,uint32)",
        "error InvalidNumWords(uint32,uint32)", "error InsufficientPayment(uint256,uint256)", "error RequestNotPending(uint256)",
        "error CommitmentMismatch(uint256)", "error NotEnoughConfirmations(uint256,uint256,uint256)",
        "error WrongProvingKey(bytes32,bytes32)", "error KeyNotAttested(bytes32,address)",
        "error NoAttestedOracle(bytes32)", "error OracleStillAttested(bytes32,address)", "error BlockhashUnavailable(uint256)",
        "error InsufficientGasForConsumer(uint256,uint256)", "error LengthMismatch(uint256,uint256)",
        "error NotRequester(address,address)", "error TooEarlyToCancel(uint256,uint256)", "error InsufficientCredit(uint256,uint256)",
        "error NotOracle(address,address)", "error TransferFailed(address,uint256)", "error FeeTooLarge(uint256)",
        "error NotRedeliverable(uint256)", "error WordsMismatch(uint256)", "error EarningsOverflow(bytes32)",
        "error InvalidCancelDelay(uint256,uint256,uint256)",
        // VRFVerifier's errors surface through the coordinator.
        "error InvalidProof(uint8)",
    };
    return s;
}


}  // namespace

const chain::ContractAbi& CoordinatorClient::abi() {
    static const chain::ContractAbi a = *chain::ContractAbi::from_signatures("VRFCoordinator", signatures());
    return a;
}

CoordinatorClient::CoordinatorClient(chain::Address coordinator, std::shared_ptr<chain::EthClient> client, std::shared_ptr<chain::Sender> sender)
    : contract_(abi(), coordinator, std::move(client), std::move(sender)) {}

Expected<chain::Address, ContractError> CoordinatorClient::registry() const {
    auto r = contract_.call("registry", {});
    if (!r) return Unexpected{r.error()};
    return (*r)[0].address();
}

Expected<U256, ContractError> CoordinatorClient::request_count() const {
    auto r = contract_.call("requestCount", {});
    if (!r) return Unexpected{r.error()};
    return (*r)[0].word();
}

Expected<std::vector<U256>, ContractError> CoordinatorClient::pending_requests(const U256& from, const U256& to) const {
    auto r = contract_.call("pendingRequests", {AbiValue(from), AbiValue(to)});
    if (!r) return Unexpected{r.error()};
    std::vector<U256> ids;
    for (const auto& v : (*r)[0].list()) ids.push_back(v.word());
    return ids;
}

Expected<bool, ContractError> CoordinatorClient::is_pending(const U256& id) const {
    auto r = contract_.call("isPending", {AbiValue(id)});
    if (!r) return Unexpected{r.error()};
    return (*r)[0].boolean();
}

Expected<chain::Hash32, ContractError> CoordinatorClient::blockhash_of(uint64_t block) const {
    auto r = contract_.call("blockhashOf", {AbiValue(U256(block))});
    if (!r) return Unexpected{r.error()};
    chain::Hash32 h;
    std::copy_n((*r)[0].bytes().begin(), 32, h.bytes.begin());
    return h;
}

Expected<ProvingKeyInfo, ContractError> CoordinatorClient::proving_key(const chain::Hash32& key_hash) const {
    auto r = contract_.call("provingKey", {AbiValue(key_hash)});
    if (!r) return Unexpected{r.error()};
    return ProvingKeyInfo{(*r)[0].address(), (*r)[1].boolean(), (*r)[2].word()};
}

Expected<U256, ContractError> CoordinatorClient::request_price(const chain::Hash32& key_hash, uint32_t callback_gas_limit,
                                                               uint32_t num_words) const {
    auto r = contract_.call("requestPrice", {AbiValue(key_hash), AbiValue(U256(callback_gas_limit)), AbiValue(U256(num_words))});
    if (!r) return Unexpected{r.error()};
    return (*r)[0].word();
}

Expected<CallbackReserve, ContractError> CoordinatorClient::callback_reserve() const {
    constexpr uint64_t kBound = 1'000'000;
    CallbackReserve reserve;
    const std::pair<const char*, uint64_t*> figures[] = {{"GAS_FOR_CALL_EXACT_CHECK", &reserve.exact_check},
                                                         {"GAS_AFTER_CALLBACK", &reserve.after_callback},
                                                         {"GAS_AFTER_CALLBACK_PER_WORD", &reserve.after_callback_per_word}};
    for (const auto& [name, out] : figures) {
        auto r = contract_.call(name, {});
        if (!r) return Unexpected{r.error()};
        const U256 v = (*r)[0].word();
        if (v > U256(kBound))
            return Unexpected{ContractError{std::string("VRFCoordinator.") + name + "() is " + v.dec() + ", beyond the " +
                                                std::to_string(kBound) + " gas an oracle accepts",
                                            std::nullopt}};
        *out = v.low_u64();
    }
    return reserve;
}

Expected<chain::Receipt, ContractError> CoordinatorClient::register_proving_key(const std::array<U256, 2>& pk, const chain::Address& oracle) const {
    return contract_.transact("registerProvingKey", {AbiValue(AbiValue::List{AbiValue(pk[0]), AbiValue(pk[1])}), AbiValue(oracle)});
}

Expected<chain::Receipt, ContractError> CoordinatorClient::claim_proving_key(const chain::Hash32& key_hash) const {
    return contract_.transact("claimProvingKey", {AbiValue(key_hash)});
}

Expected<chain::PendingTx, ContractError> CoordinatorClient::store_blockhash(uint64_t block) const {
    return contract_.send("storeBlockhash", {AbiValue(U256(block))});
}

Expected<cvex::Bytes, ContractError> CoordinatorClient::fulfil_calldata(const std::vector<vrf::OnchainProof>& proofs,
                                                                         const std::vector<VrfRequest>& requests) const {
    if (proofs.size() != requests.size() || proofs.empty())
        return Unexpected{ContractError{"VRFCoordinator.fulfil: " + std::to_string(proofs.size()) + " proofs for " +
                                            std::to_string(requests.size()) + " requests",
                                        std::nullopt}};
    if (proofs.size() == 1) return contract_.calldata("fulfillRandomWords", {vrf::to_abi_value(proofs[0]), commitment_value(requests[0])});
    AbiValue::List ps, rcs;
    for (size_t i = 0; i < proofs.size(); ++i) {
        ps.push_back(vrf::to_abi_value(proofs[i]));
        rcs.push_back(commitment_value(requests[i]));
    }
    return contract_.calldata("fulfillRandomWordsBatch", {AbiValue(std::move(ps)), AbiValue(std::move(rcs))});
}

Expected<std::vector<chain::Log>, ContractError> CoordinatorClient::request_logs(uint64_t from, uint64_t to, const std::vector<U256>& ids) const {
    std::vector<std::optional<std::vector<chain::Hash32>>> indexed{std::nullopt};
    if (!ids.empty()) {
        std::vector<chain::Hash32> topics;
        for (const auto& id : ids) topics.push_back(chain::Hash32{id.to_be()});
        indexed.emplace_back(std::move(topics));
    }
    return contract_.logs("RandomWordsRequested", from, to, indexed);
}

}  // namespace cvex::oracle
