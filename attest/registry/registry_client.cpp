#include "attest/registry/registry_client.hpp"

#include <algorithm>

namespace cvex::attest {

using chain::AbiValue;
using chain::ContractError;
using cvex::Expected;
using cvex::Unexpected;

namespace {

const std::vector<std::string>& signatures() {
    static const std::vector<std::string> s = {
        "register(bytes32,bytes,bytes32,bytes32)(uint256)",
        "approve(address,uint256,bytes32,bytes32[2],bytes32)",
        "reject(address,uint256,string)",
        "isAttested(address)(bool)",
        "isValidator(address)(bool)",
        "hasApproved(uint256,address)(bool)",
        "hasRejected(uint256,address)(bool)",
        "registrationBond()(uint256)",
        "latestRegistrationOf(address)(uint256)",
        "registrationOf(uint256)((address,bytes32,bytes32,bytes32[2],bytes32,uint64,uint256,uint8,uint256,uint256,uint64))",
        "attestationOf(address)((bytes32,bytes32,bytes32[2],bytes32,uint64,uint64,uint256,bool))",
        "event Registered(address indexed enclave, uint256 indexed registrationId, bytes32 indexed measurementId, bytes32 reportHash, "
        "bytes32 nonce, bytes32 registrationDigest, bytes32 boundData)",
        "event Attested(address indexed enclave, bytes32 indexed measurementId, bytes32 reportHash, uint256 expiresAt)",
        "error NotOwner(address)", "error NotValidator(address)", "error NotOwnerOrValidator(address)",
        "error MeasurementNotAllowed(bytes32)", "error MeasurementRevokedSinceRegistration(bytes32,uint256)",
        "error ZeroReportHash()", "error NonceAlreadyUsed(address,bytes32)", "error RevokedKey(address)",
        "error UnknownRegistration(address,uint256)", "error RegistrationSuperseded(uint256,uint256)",
        "error AlreadyAttested(uint256)", "error ReportHashMismatch(bytes32,bytes32)",
        "error DuplicateApproval(address,uint256)", "error QuorumNotReached(uint256,uint256)",
        "error InvalidMeasurementLength(uint256)",
        "error ReportDataMismatch(bytes32[2],bytes32[2])", "error MeasurementMismatch(bytes32,bytes32)",
        "error DuplicateRejection(address,uint256)", "error WrongBond(uint256,uint256)",
        "error RegistrationRejectedByQuorum(uint256)", "error RegistrationExpired(uint256,uint256)",
    };
    return s;
}

chain::ContractAbi registry_abi() {
    static const chain::ContractAbi abi = *chain::ContractAbi::from_signatures("AttestationRegistry", signatures());
    return abi;
}

uint64_t u64(const AbiValue& v) { return v.word().low_u64(); }

}  // namespace

RegistryClient::RegistryClient(chain::Address registry, std::shared_ptr<chain::EthClient> client, std::shared_ptr<chain::Sender> sender)
    : contract_(registry_abi(), registry, std::move(client), std::move(sender)) {}

Expected<uint64_t, ContractError> RegistryClient::register_enclave(const chain::Hash32& report_hash, cvex::ByteView measurement,
                                                                   const chain::Hash32& nonce, const chain::Hash32& bound_data) const {
    auto bond = registration_bond();
    if (!bond) return Unexpected{bond.error()};
    auto receipt = contract_.transact("register", {AbiValue(report_hash), AbiValue(cvex::Bytes(measurement.begin(), measurement.end())),
                                                   AbiValue(nonce), AbiValue(bound_data)},
                                      *bond);
    if (!receipt) return Unexpected{receipt.error()};
    auto events = contract_.events_in(*receipt, "Registered");
    if (events.empty()) return Unexpected{ContractError{"AttestationRegistry.register: no Registered event in the receipt", std::nullopt}};
    return u64(*chain::param(events.front(), "registrationId"));
}

Expected<chain::Receipt, ContractError> RegistryClient::approve(const chain::Address& enclave, uint64_t id, const chain::Hash32& report_hash,
                                                                const std::array<uint8_t, 64>& report_data,
                                                                const chain::Hash32& measurement_id) const {
    chain::Hash32 low, high;
    std::copy_n(report_data.begin(), 32, low.bytes.begin());
    std::copy_n(report_data.begin() + 32, 32, high.bytes.begin());
    // A fixed limit, not an estimate: validators approve concurrently, so an estimate made before
    // another validator's approval lands prices the approval that does not reach the quorum, and
    // the one that does (attest, refund the bond: about 120k gas) would run out of gas.
    // EIP-1559 charges only the gas used.
    constexpr uint64_t kApproveGasLimit = 300'000;
    return contract_.transact("approve", {AbiValue(enclave), AbiValue(chain::U256(id)), AbiValue(report_hash),
                                          AbiValue(AbiValue::List{AbiValue(low), AbiValue(high)}), AbiValue(measurement_id)},
                              chain::U256(0), kApproveGasLimit);
}

Expected<chain::Receipt, ContractError> RegistryClient::reject(const chain::Address& enclave, uint64_t id, const std::string& reason) const {
    // The reason is public and permanent: cap it so a long verifier report cannot cost unbounded gas.
    return contract_.transact("reject", {AbiValue(enclave), AbiValue(chain::U256(id)), AbiValue(reason.substr(0, 512))});
}

Expected<bool, ContractError> RegistryClient::is_attested(const chain::Address& enclave) const {
    auto r = contract_.call("isAttested", {AbiValue(enclave)});
    if (!r) return Unexpected{r.error()};
    return r->at(0).boolean();
}

Expected<bool, ContractError> RegistryClient::is_validator(const chain::Address& account) const {
    auto r = contract_.call("isValidator", {AbiValue(account)});
    if (!r) return Unexpected{r.error()};
    return r->at(0).boolean();
}

Expected<bool, ContractError> RegistryClient::has_approved(uint64_t id, const chain::Address& validator) const {
    auto r = contract_.call("hasApproved", {AbiValue(chain::U256(id)), AbiValue(validator)});
    if (!r) return Unexpected{r.error()};
    return r->at(0).boolean();
}

Expected<bool, ContractError> RegistryClient::has_rejected(uint64_t id, const chain::Address& validator) const {
    auto r = contract_.call("hasRejected", {AbiValue(chain::U256(id)), AbiValue(validator)});
    if (!r) return Unexpected{r.error()};
    return r->at(0).boolean();
}

Expected<chain::U256, ContractError> RegistryClient::registration_bond() const {
    auto r = contract_.call("registrationBond", {});
    if (!r) return Unexpected{r.error()};
    return r->at(0).word();
}

Expected<uint64_t, ContractError> RegistryClient::latest_registration_of(const chain::Address& enclave) const {
    auto r = contract_.call("latestRegistrationOf", {AbiValue(enclave)});
    if (!r) return Unexpected{r.error()};
    return u64(r->at(0));
}

Expected<Registration, ContractError> RegistryClient::registration(uint64_t id) const {
    auto r = contract_.call("registrationOf", {AbiValue(chain::U256(id))});
    if (!r) return Unexpected{r.error()};
    const auto& t = r->at(0).list();
    Registration reg;
    reg.id = id;
    reg.enclave = t[0].address();
    reg.measurement_id = t[1].hash32();
    reg.report_hash = t[2].hash32();
    const auto& rd = t[3].list();
    std::copy_n(rd[0].bytes().begin(), 32, reg.report_data.begin());
    std::copy_n(rd[1].bytes().begin(), 32, reg.report_data.begin() + 32);
    reg.registered_at = u64(t[5]);
    reg.approvals = u64(t[6]);
    reg.status = static_cast<Registration::Status>(u64(t[7]));
    reg.rejections = u64(t[8]);
    reg.bond = t[9].word();
    reg.expires_at = u64(t[10]);
    return reg;
}

Expected<Attestation, ContractError> RegistryClient::attestation_of(const chain::Address& enclave, const chain::BlockTag& tag) const {
    auto r = contract_.call("attestationOf", {AbiValue(enclave)}, tag);
    if (!r) return Unexpected{r.error()};
    const auto& t = r->at(0).list();
    Attestation a;
    a.measurement_id = t[0].hash32();
    a.report_hash = t[1].hash32();
    a.bound_data = t[3].hash32();
    a.attested_at = u64(t[4]);
    a.expires_at = u64(t[5]);
    a.registration_id = u64(t[6]);
    a.valid = t[7].boolean();
    return a;
}

Expected<std::vector<RegisteredEvent>, ContractError> RegistryClient::registered_events(uint64_t from_block, uint64_t to_block) const {
    auto logs = contract_.logs("Registered", from_block, to_block);
    if (!logs) return Unexpected{logs.error()};
    std::vector<RegisteredEvent> out;
    for (const auto& log : *logs) {
        auto d = contract_.decode("Registered", log);
        if (!d) return Unexpected{d.error()};
        RegisteredEvent e;
        e.enclave = chain::param(*d, "enclave")->address();
        e.registration_id = u64(*chain::param(*d, "registrationId"));
        e.measurement_id = chain::param(*d, "measurementId")->hash32();
        e.report_hash = chain::param(*d, "reportHash")->hash32();
        e.nonce = chain::param(*d, "nonce")->hash32();
        e.bound_data = chain::param(*d, "boundData")->hash32();
        e.block_number = log.block_number;
        out.push_back(e);
    }
    return out;
}

}  // namespace cvex::attest
