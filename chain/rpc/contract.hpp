// A deployed contract seen through its ABI: read with eth_call, write through a Sender, decode
// events and reverts. The oracle, the validator, the enclave and the deployer all talk to their
// contracts through this one binding, so a call's failure always names the contract, the
// function and the decoded reason.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "chain/encoding/abi_events.hpp"
#include "chain/encoding/abi_type.hpp"
#include "chain/encoding/abi_value.hpp"
#include "chain/rpc/contract_artifact.hpp"
#include "chain/rpc/eth_client.hpp"
#include "chain/rpc/sender.hpp"

namespace cvex::chain {

struct ContractError {
    std::string detail;                  // "AttestationRegistry.approve: reverted: NotValidator(0x…)"
    std::optional<RevertReason> revert;  // when the node reported a revert
    std::string message() const { return detail; }
};

/// An ABI: functions, events and custom errors by name or canonical signature.
class ContractAbi {
public:
    /// From human-readable signatures, e.g. "isAttested(address)(bool)", "event Registered(...)",
    /// "error NotValidator(address)".
    static Expected<ContractAbi, ArtifactError> from_signatures(std::string name, const std::vector<std::string>& signatures);
    static ContractAbi from_artifact(const ContractArtifact& artifact);

    const std::string& name() const { return name_; }
    const AbiSignature* function(std::string_view name_or_canonical) const;
    const AbiSignature* event(std::string_view name_or_canonical) const;
    const std::vector<AbiSignature>& functions() const { return functions_; }
    const std::vector<AbiSignature>& events() const { return events_; }
    const std::vector<AbiSignature>& errors() const { return errors_; }

private:
    std::string name_;
    std::vector<AbiSignature> functions_, events_, errors_;
};

class Contract {
public:
    Contract(ContractAbi abi, Address address, std::shared_ptr<EthClient> client, std::shared_ptr<Sender> sender = nullptr)
        : abi_(std::move(abi)), address_(address), client_(std::move(client)), sender_(std::move(sender)) {}

    const Address& address() const { return address_; }
    const ContractAbi& abi() const { return abi_; }
    EthClient& client() const { return *client_; }
    Sender* sender() const { return sender_.get(); }

    Expected<Bytes, ContractError> calldata(std::string_view function, const std::vector<AbiValue>& args) const;
    /// eth_call; returns the decoded outputs.
    Expected<std::vector<AbiValue>, ContractError> call(std::string_view function, const std::vector<AbiValue>& args,
                                                        const BlockTag& tag = BlockTag::latest()) const;
    /// Signs and broadcasts through the Sender (estimation surfaces the decoded revert).
    Expected<PendingTx, ContractError> send(std::string_view function, const std::vector<AbiValue>& args, const U256& value = U256(0),
                                            std::optional<uint64_t> gas_limit = std::nullopt) const;
    /// send + wait; a mined but reverted transaction is an error too.
    Expected<Receipt, ContractError> transact(std::string_view function, const std::vector<AbiValue>& args, const U256& value = U256(0),
                                              std::optional<uint64_t> gas_limit = std::nullopt) const;

    /// The logs of `event` emitted by this contract in `receipt`, decoded.
    std::vector<std::vector<DecodedParam>> events_in(const Receipt& receipt, std::string_view event) const;
    /// eth_getLogs for one event of this contract, optionally filtered on indexed topics 1..3.
    Expected<std::vector<Log>, ContractError> logs(std::string_view event, uint64_t from_block, uint64_t to_block,
                                                   std::vector<std::optional<std::vector<Hash32>>> indexed = {}) const;
    Expected<std::vector<DecodedParam>, ContractError> decode(std::string_view event, const Log& log) const;

    /// Deploys `artifact` with ABI-encoded constructor arguments and waits for its receipt.
    static Expected<Contract, ContractError> deploy(const ContractArtifact& artifact, const std::vector<AbiValue>& constructor_args,
                                                    std::shared_ptr<EthClient> client, std::shared_ptr<Sender> sender,
                                                    const U256& value = U256(0));

private:
    Expected<const AbiSignature*, ContractError> find_function(std::string_view function) const;
    ContractError error_from(std::string_view function, const SendError& e) const;

    ContractAbi abi_;
    Address address_;
    std::shared_ptr<EthClient> client_;
    std::shared_ptr<Sender> sender_;
};

/// The value of the decoded parameter `name` (events and outputs are looked up by name).
const AbiValue* param(const std::vector<DecodedParam>& params, std::string_view name);

}  // namespace cvex::chain
