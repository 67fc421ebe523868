#include "attest/registry/key_handover_client.hpp"

#include <algorithm>

namespace cvex::attest {

using chain::AbiValue;
using chain::ContractError;
using cvex::Expected;
using cvex::Unexpected;

namespace {

const std::vector<std::string>& signatures() {
    static const std::vector<std::string> s = {
        "requestKeys(bytes32,bytes)(bool)",
        "deliverKeys(bytes32,address,bytes)",
        "requestOf(bytes32,address)((bytes32,bytes32,uint64,uint64,address))",
        "event HandoverRequested(bytes32 indexed keySet, address indexed newcomer, bytes32 indexed measurementId, bytes transportKey)",
        "event HandoverRefused(bytes32 indexed keySet, address indexed newcomer, bytes32 indexed measurementId)",
        "event KeysDelivered(bytes32 indexed keySet, address indexed newcomer, address indexed holder, bytes32 measurementId, bytes ciphertext)",
        "error NotOwner(address)", "error ZeroAddress()", "error InvalidTransportKey(uint256)",
        "error NotAttestedWithTransportKey(address,bytes32)", "error NotAHolder(address,bytes32)",
        "error NoPendingRequest(bytes32,address)", "error NewcomerNoLongerEligible(bytes32,address)", "error EmptyCiphertext()",
    };
    return s;
}

chain::ContractAbi handover_abi() {
    static const chain::ContractAbi abi = *chain::ContractAbi::from_signatures("KeyHandover", signatures());
    return abi;
}

// An indexed address is its 32-byte word in the topic.
chain::Hash32 address_topic(const chain::Address& a) {
    chain::Hash32 t;
    std::copy(a.bytes.begin(), a.bytes.end(), t.bytes.begin() + 12);
    return t;
}

}  // namespace

KeyHandoverClient::KeyHandoverClient(chain::Address contract, std::shared_ptr<chain::EthClient> client, std::shared_ptr<chain::Sender> sender)
    : contract_(handover_abi(), contract, std::move(client), std::move(sender)) {}

Expected<bool, ContractError> KeyHandoverClient::request_keys(const chain::Hash32& key_set, const std::array<uint8_t, 64>& transport_xy) const {
    auto receipt = contract_.transact("requestKeys", {AbiValue(key_set), AbiValue(cvex::Bytes(transport_xy.begin(), transport_xy.end()))});
    if (!receipt) return Unexpected{receipt.error()};
    if (!contract_.events_in(*receipt, "HandoverRequested").empty()) return true;
    if (!contract_.events_in(*receipt, "HandoverRefused").empty()) return false;
    return Unexpected{ContractError{"KeyHandover.requestKeys: neither HandoverRequested nor HandoverRefused in the receipt", std::nullopt}};
}

Expected<chain::Receipt, ContractError> KeyHandoverClient::deliver_keys(const chain::Hash32& key_set, const chain::Address& newcomer,
                                                                       const cvex::Bytes& ciphertext) const {
    return contract_.transact("deliverKeys", {AbiValue(key_set), AbiValue(newcomer), AbiValue(ciphertext)});
}

Expected<HandoverRecord, ContractError> KeyHandoverClient::request_of(const chain::Hash32& key_set, const chain::Address& newcomer) const {
    auto r = contract_.call("requestOf", {AbiValue(key_set), AbiValue(newcomer)});
    if (!r) return Unexpected{r.error()};
    const auto& t = r->at(0).list();
    return HandoverRecord{t[0].hash32(), t[1].hash32(), t[2].word().low_u64(), t[3].word().low_u64(), t[4].address()};
}

Expected<std::vector<HandoverRequest>, ContractError> KeyHandoverClient::requests(const chain::Hash32& key_set, uint64_t from_block,
                                                                                 uint64_t to_block) const {
    auto logs = contract_.logs("HandoverRequested", from_block, to_block, {std::vector<chain::Hash32>{key_set}});
    if (!logs) return Unexpected{logs.error()};
    std::vector<HandoverRequest> out;
    for (const auto& log : *logs) {
        auto d = contract_.decode("HandoverRequested", log);
        if (!d) return Unexpected{d.error()};
        HandoverRequest r;
        r.newcomer = chain::param(*d, "newcomer")->address();
        r.measurement_id = chain::param(*d, "measurementId")->hash32();
        const cvex::Bytes& key = chain::param(*d, "transportKey")->bytes();
        // The contract accepts only 64-byte keys; a node that says otherwise is lying.
        if (key.size() != r.transport_xy.size())
            return Unexpected{ContractError{"KeyHandover.HandoverRequested: a transport key of " + std::to_string(key.size()) + " bytes", std::nullopt}};
        std::copy(key.begin(), key.end(), r.transport_xy.begin());
        r.block_number = log.block_number;
        out.push_back(r);
    }
    return out;
}

Expected<std::vector<HandoverDelivery>, ContractError> KeyHandoverClient::deliveries(const chain::Hash32& key_set, const chain::Address& newcomer,
                                                                                    uint64_t from_block, uint64_t to_block) const {
    auto logs = contract_.logs("KeysDelivered", from_block, to_block,
                               {std::vector<chain::Hash32>{key_set}, std::vector<chain::Hash32>{address_topic(newcomer)}});
    if (!logs) return Unexpected{logs.error()};
    std::vector<HandoverDelivery> out;
    for (const auto& log : *logs) {
        auto d = contract_.decode("KeysDelivered", log);
        if (!d) return Unexpected{d.error()};
        out.push_back(HandoverDelivery{chain::param(*d, "holder")->address(), chain::param(*d, "measurementId")->hash32(),
                                       chain::param(*d, "ciphertext")->bytes(), log.block_number});
    }
    return out;
}

}  // namespace cvex::attest
