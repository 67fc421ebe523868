// The AttestationRegistry as the guest and the validators see it (contracts/src/attestation/AttestationRegistry.sol,
// interface IAttestationRegistry.sol). Bound by human-readable signatures so the guest binary does
// not need the build's artifacts.
#pragma once

#include <array>
#include <memory>

#include "chain/rpc/contract.hpp"

namespace cvex::attest {

/// A registration as the registry stores it (IAttestationRegistry.Registration).
struct Registration {
    uint64_t id = 0;
    chain::Address enclave;
    chain::Hash32 measurement_id;  // keccak256 of the 48-byte MEASUREMENT
    chain::Hash32 report_hash;     // keccak256 of the 1184-byte report
    std::array<uint8_t, 64> report_data{};  // what the report's REPORT_DATA must equal
    uint64_t registered_at = 0;
    uint64_t approvals = 0;
    enum Status : uint8_t { kUnknown, kPending, kAttested, kSuperseded, kVoid, kRejected, kExpired } status = kUnknown;
    uint64_t rejections = 0;
    chain::U256 bond;         // wei still held for it
    uint64_t expires_at = 0;  // validators may act on it while block time is below this
};

/// IAttestationRegistry.Attestation.
struct Attestation {
    chain::Hash32 measurement_id;
    chain::Hash32 report_hash;
    chain::Hash32 bound_data;
    uint64_t attested_at = 0;
    uint64_t expires_at = 0;
    uint64_t registration_id = 0;
    bool valid = false;
};

/// A Registered event.
struct RegisteredEvent {
    chain::Address enclave;
    uint64_t registration_id = 0;
    chain::Hash32 measurement_id;
    chain::Hash32 report_hash;
    chain::Hash32 nonce;
    chain::Hash32 bound_data;
    uint64_t block_number = 0;
};

class RegistryClient {
public:
    RegistryClient(chain::Address registry, std::shared_ptr<chain::EthClient> client, std::shared_ptr<chain::Sender> sender = nullptr);

    const chain::Address& address() const { return contract_.address(); }
    const chain::Contract& contract() const { return contract_; }

    /// From the enclave's own key: registers evidence with the registry's current bond
    /// (`registration_bond()`, refunded at attestation) and returns the registration id.
    cvex::Expected<uint64_t, chain::ContractError> register_enclave(const chain::Hash32& report_hash, cvex::ByteView measurement,
                                                                     const chain::Hash32& nonce, const chain::Hash32& bound_data) const;
    /// Approves with what the validator verified: the report's hash, its REPORT_DATA and the
    /// keccak256 of its MEASUREMENT; the registry reverts unless all three are the registration's.
    cvex::Expected<chain::Receipt, chain::ContractError> approve(const chain::Address& enclave, uint64_t registration_id,
                                                                  const chain::Hash32& report_hash, const std::array<uint8_t, 64>& report_data,
                                                                  const chain::Hash32& measurement_id) const;
    cvex::Expected<chain::Receipt, chain::ContractError> reject(const chain::Address& enclave, uint64_t registration_id,
                                                                 const std::string& reason) const;

    cvex::Expected<bool, chain::ContractError> is_attested(const chain::Address& enclave) const;
    cvex::Expected<bool, chain::ContractError> is_validator(const chain::Address& account) const;
    cvex::Expected<bool, chain::ContractError> has_approved(uint64_t registration_id, const chain::Address& validator) const;
    cvex::Expected<bool, chain::ContractError> has_rejected(uint64_t registration_id, const chain::Address& validator) const;
    /// Wei `register` must carry now.
    cvex::Expected<chain::U256, chain::ContractError> registration_bond() const;
    cvex::Expected<uint64_t, chain::ContractError> latest_registration_of(const chain::Address& enclave) const;
    cvex::Expected<Registration, chain::ContractError> registration(uint64_t registration_id) const;
    /// As of `tag` (a backtest reads it as of a past block).
    cvex::Expected<Attestation, chain::ContractError> attestation_of(const chain::Address& enclave,
                                                                     const chain::BlockTag& tag = chain::BlockTag::latest()) const;
    cvex::Expected<std::vector<RegisteredEvent>, chain::ContractError> registered_events(uint64_t from_block, uint64_t to_block) const;

private:
    chain::Contract contract_;
};

}  // namespace cvex::attest
