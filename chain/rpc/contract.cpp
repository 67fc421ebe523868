#include "chain/rpc/contract.hpp"

#include "chain/encoding/abi_codec.hpp"

namespace cvex::chain {

namespace {

bool matches(const AbiSignature& s, std::string_view key) { return s.name == key || s.canonical() == key; }

const AbiSignature* find(const std::vector<AbiSignature>& list, std::string_view key) {
    for (const auto& s : list)
        if (matches(s, key)) return &s;
    return nullptr;
}

std::string_view strip_prefix(std::string_view text, std::string_view prefix) {
    if (text.substr(0, prefix.size()) == prefix) text.remove_prefix(prefix.size());
    return text;
}

}  // namespace

Expected<ContractAbi, ArtifactError> ContractAbi::from_signatures(std::string name, const std::vector<std::string>& signatures) {
    ContractAbi abi;
    abi.name_ = std::move(name);
    for (const auto& text : signatures) {
        std::string_view body = text;
        auto* list = &abi.functions_;
        if (body.starts_with("event ")) list = &abi.events_, body = strip_prefix(body, "event ");
        else if (body.starts_with("error ")) list = &abi.errors_, body = strip_prefix(body, "error ");
        else body = strip_prefix(body, "function ");
        auto sig = parse_abi_signature(body);
        if (!sig) return artifact_failure(abi.name_ + ": bad signature \"" + text + "\": " + sig.error().message());
        list->push_back(std::move(*sig));
    }
    return abi;
}

ContractAbi ContractAbi::from_artifact(const ContractArtifact& artifact) {
    ContractAbi abi;
    abi.name_ = artifact.name;
    abi.functions_ = artifact.functions;
    abi.events_ = artifact.events;
    abi.errors_ = artifact.errors;
    return abi;
}

const AbiSignature* ContractAbi::function(std::string_view key) const { return find(functions_, key); }
const AbiSignature* ContractAbi::event(std::string_view key) const { return find(events_, key); }

Expected<const AbiSignature*, ContractError> Contract::find_function(std::string_view function) const {
    if (const auto* f = abi_.function(function)) return f;
    return Unexpected{ContractError{abi_.name() + ": no function " + std::string(function) + " in its ABI", std::nullopt}};
}

Expected<Bytes, ContractError> Contract::calldata(std::string_view function, const std::vector<AbiValue>& args) const {
    auto f = find_function(function);
    if (!f) return Unexpected{f.error()};
    auto data = abi_encode_call(**f, args);
    if (!data) return Unexpected{ContractError{abi_.name() + "." + (*f)->name + ": arguments: " + data.error().message(), std::nullopt}};
    return *data;
}

Expected<std::vector<AbiValue>, ContractError> Contract::call(std::string_view function, const std::vector<AbiValue>& args,
                                                              const BlockTag& tag) const {
    auto f = find_function(function);
    if (!f) return Unexpected{f.error()};
    auto data = calldata(function, args);
    if (!data) return Unexpected{data.error()};
    const std::string where = abi_.name() + "." + (*f)->name;
    auto out = client_->call(CallRequest{sender_ ? std::optional(sender_->address()) : std::nullopt, address_, *data, {}, {}}, tag);
    if (!out) {
        if (out.error().revert_data) {
            auto reason = decode_revert(*out.error().revert_data, abi_.errors());
            return Unexpected{ContractError{where + ": reverted: " + reason.text, reason}};
        }
        return Unexpected{ContractError{where + ": " + out.error().message(), std::nullopt}};
    }
    auto values = abi_decode((*f)->output_types(), *out);
    if (!values) return Unexpected{ContractError{where + ": malformed return data: " + values.error().message(), std::nullopt}};
    return *values;
}

ContractError Contract::error_from(std::string_view function, const SendError& e) const {
    ContractError err{abi_.name() + "." + std::string(function) + ": " + e.message(), e.revert};
    if (e.revert && !e.revert->raw.empty()) {  // decode again with this contract's custom errors
        auto reason = decode_revert(e.revert->raw, abi_.errors());
        err.detail = abi_.name() + "." + std::string(function) + ": reverted: " + reason.text;
        err.revert = std::move(reason);
    }
    return err;
}

Expected<PendingTx, ContractError> Contract::send(std::string_view function, const std::vector<AbiValue>& args, const U256& value,
                                                  std::optional<uint64_t> gas_limit) const {
    if (!sender_) return Unexpected{ContractError{abi_.name() + "." + std::string(function) + ": no sender (read-only binding)", std::nullopt}};
    auto data = calldata(function, args);
    if (!data) return Unexpected{data.error()};
    auto sent = sender_->send(TxRequest{address_, value, std::move(*data), gas_limit});
    if (!sent) return Unexpected{error_from(function, sent.error())};
    return *sent;
}

Expected<Receipt, ContractError> Contract::transact(std::string_view function, const std::vector<AbiValue>& args, const U256& value,
                                                    std::optional<uint64_t> gas_limit) const {
    if (!sender_) return Unexpected{ContractError{abi_.name() + "." + std::string(function) + ": no sender (read-only binding)", std::nullopt}};
    auto data = calldata(function, args);
    if (!data) return Unexpected{data.error()};
    // send_and_wait turns a mined but reverted transaction into an error with its reason (an
    // approval whose gas was estimated before another validator's landed can run out of gas).
    auto receipt = sender_->send_and_wait(TxRequest{address_, value, std::move(*data), gas_limit});
    if (!receipt) return Unexpected{error_from(function, receipt.error())};
    return *receipt;
}

std::vector<std::vector<DecodedParam>> Contract::events_in(const Receipt& receipt, std::string_view event) const {
    std::vector<std::vector<DecodedParam>> out;
    const auto* e = abi_.event(event);
    if (!e) return out;
    const Hash32 topic = e->topic();
    for (const auto& log : receipt.logs) {
        if (log.address != address_ || log.topics.empty() || log.topics[0] != topic) continue;
        if (auto d = decode_log(*e, log.topics, log.data)) out.push_back(std::move(*d));
    }
    return out;
}

Expected<std::vector<Log>, ContractError> Contract::logs(std::string_view event, uint64_t from_block, uint64_t to_block,
                                                         std::vector<std::optional<std::vector<Hash32>>> indexed) const {
    const auto* e = abi_.event(event);
    if (!e) return Unexpected{ContractError{abi_.name() + ": no event " + std::string(event) + " in its ABI", std::nullopt}};
    LogFilter filter{{address_}, {std::vector<Hash32>{e->topic()}}, from_block, to_block};
    for (auto& t : indexed) filter.topics.push_back(std::move(t));
    auto got = client_->logs(filter);
    if (!got) return Unexpected{ContractError{abi_.name() + " " + e->name + " logs: " + got.error().message(), std::nullopt}};
    return *got;
}

Expected<std::vector<DecodedParam>, ContractError> Contract::decode(std::string_view event, const Log& log) const {
    const auto* e = abi_.event(event);
    if (!e) return Unexpected{ContractError{abi_.name() + ": no event " + std::string(event) + " in its ABI", std::nullopt}};
    auto d = decode_log(*e, log.topics, log.data);
    if (!d) return Unexpected{ContractError{abi_.name() + " " + e->name + " log in tx " + log.transaction_hash.hex() + ": " + d.error().message(), std::nullopt}};
    return *d;
}

Expected<Contract, ContractError> Contract::deploy(const ContractArtifact& artifact, const std::vector<AbiValue>& constructor_args,
                                                   std::shared_ptr<EthClient> client, std::shared_ptr<Sender> sender, const U256& value) {
    const std::string where = "deploy " + artifact.name;
    if (artifact.bytecode.empty()) return Unexpected{ContractError{where + ": no bytecode (an interface or abstract contract?)", std::nullopt}};
    if (!artifact.unlinked.empty())
        return Unexpected{ContractError{where + ": library " + artifact.unlinked.front().library + " is not linked (ContractArtifact::link)", std::nullopt}};
    Bytes code = artifact.bytecode;
    if (artifact.constructor) {
        auto args = abi_encode(artifact.constructor->input_types(), constructor_args);
        if (!args) return Unexpected{ContractError{where + ": constructor arguments: " + args.error().message(), std::nullopt}};
        code.insert(code.end(), args->begin(), args->end());
    } else if (!constructor_args.empty()) {
        return Unexpected{ContractError{where + ": it has no constructor arguments", std::nullopt}};
    }
    auto receipt = sender->send_and_wait(TxRequest{std::nullopt, value, std::move(code), std::nullopt});
    if (!receipt) {
        auto reason = receipt.error().revert ? decode_revert(receipt.error().revert->raw, artifact.errors) : RevertReason{};
        return Unexpected{ContractError{where + ": " + (receipt.error().revert ? "reverted: " + reason.text : receipt.error().message()),
                                        receipt.error().revert ? std::optional(reason) : std::nullopt}};
    }
    if (!receipt->contract_address) return Unexpected{ContractError{where + ": receipt has no contract address", std::nullopt}};
    return Contract(ContractAbi::from_artifact(artifact), *receipt->contract_address, std::move(client), std::move(sender));
}

const AbiValue* param(const std::vector<DecodedParam>& params, std::string_view name) {
    for (const auto& p : params)
        if (p.name == name) return &p.value;
    return nullptr;
}

}  // namespace cvex::chain
