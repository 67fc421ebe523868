// Talking to a chain, as cast does: `cvex deploy`, `cvex call`, `cvex send`, `cvex receipt`,
// `cvex logs`. The RPC URL comes from --rpc-url or ETH_RPC_URL; the key from CVEX_PRIVATE_KEY.
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <iostream>
#include <ostream>

#include "chain/encoding/abi_codec.hpp"
#include "chain/encoding/abi_events.hpp"
#include "chain/encoding/abi_text.hpp"
#include "cli/amount.hpp"
#include "cli/chain_args.hpp"
#include "cli/command.hpp"
#include "chain/rpc/contract_artifact.hpp"
#include "chain/crypto/local_key.hpp"
#include "chain/rpc/sender.hpp"
#include "chain/contract_errors/contract_errors.hpp"
#include "chain/encoding/known_errors.hpp"

namespace cvex::cli {

chain::LocalKey key_from_env();  // cmd_tx.cpp

namespace {

const std::initializer_list<std::string_view> kValued = {"--rpc-url", "--value", "--gas-limit", "--from-block", "--to-block",
                                                         "--address", "--event", "--artifact", "--timeout", "--abi"};

chain::AbiSignature signature_arg(const std::string& text) {
    auto sig = chain::parse_abi_signature(text);
    if (!sig) throw UsageError("signature: " + sig.error().message());
    return *sig;
}

std::vector<chain::AbiValue> values(const std::vector<chain::AbiParam>& params, const Args& pos, size_t first) {
    if (pos.size() - first != params.size())
        throw UsageError("expected " + std::to_string(params.size()) + " arguments, got " + std::to_string(pos.size() - first));
    std::vector<chain::AbiValue> out;
    for (size_t i = 0; i < params.size(); ++i) {
        auto v = chain::parse_abi_value(params[i].type, pos[first + i], "argument " + std::to_string(i + 1));
        if (!v) throw UsageError(v.error().message());
        out.push_back(std::move(*v));
    }
    return out;
}

nlohmann::ordered_json receipt_json(const chain::Receipt& r) {
    nlohmann::ordered_json j;
    j["transactionHash"] = r.transaction_hash.hex();
    j["status"] = r.status ? "success" : "reverted";
    j["blockNumber"] = r.block_number;
    j["blockHash"] = r.block_hash.hex();
    j["transactionIndex"] = r.transaction_index;
    j["from"] = r.from.checksum_hex();
    j["to"] = r.to ? nlohmann::ordered_json(r.to->checksum_hex()) : nlohmann::ordered_json(nullptr);
    j["contractAddress"] = r.contract_address ? nlohmann::ordered_json(r.contract_address->checksum_hex()) : nlohmann::ordered_json(nullptr);
    j["gasUsed"] = r.gas_used;
    j["effectiveGasPrice"] = r.effective_gas_price.dec();
    j["logs"] = r.logs.size();
    return j;
}

std::unique_ptr<chain::Sender> sender_for(std::shared_ptr<chain::EthClient> eth, std::vector<chain::AbiSignature> errors) {
    auto key = std::make_shared<chain::LocalKey>(key_from_env());
    chain::SenderOptions o;
    o.known_errors = std::move(errors);
    auto s = chain::Sender::create(std::move(eth), key, o);
    if (!s) throw std::runtime_error(s.error().message());
    return std::move(*s);
}

int report(const cvex::Expected<chain::Receipt, chain::SendError>& r, std::ostream& out) {
    if (!r) {
        std::cerr << "error: " << r.error().message() << "\n";
        return r.error().kind == chain::SendError::kReverted ? kFailed : kBadInput;
    }
    out << receipt_json(*r).dump(2) << "\n";
    return kOk;
}

// --abi FILE: a Foundry artifact or a bare ABI whose custom errors decode reverts too (every cvex
// contract's are compiled in and registered by main()).
void register_abi_errors(const Args& args) {
    const std::string* path = flag_value(args, "--abi");
    if (!path) return;
    auto errors = chain::errors_from_abi_file(*path);
    if (!errors) throw UsageError("--abi: " + errors.error().message());
    chain::register_known_errors(*errors);
}

int run_deploy(const Args& args, std::ostream& out) {
    register_abi_errors(args);
    const Args pos = positional(args, kValued);
    if (pos.empty()) throw UsageError("usage: cvex deploy <artifact.json> [constructor args…] [--value V] [--rpc-url URL]");
    auto art = chain::ContractArtifact::load(pos[0]);
    if (!art) throw UsageError("deploy: " + art.error().message());
    if (art->bytecode.empty()) throw UsageError("deploy: " + art->name + " has no bytecode (an interface or abstract contract?)");
    if (!art->unlinked.empty()) throw UsageError("deploy: " + art->name + " needs library " + art->unlinked.front().library + " linked first");
    cvex::Bytes code = art->bytecode;
    if (art->constructor) {
        auto encoded = chain::abi_encode(art->constructor->input_types(), values(art->constructor->inputs, pos, 1));
        if (!encoded) throw UsageError("deploy: " + encoded.error().message());
        code.insert(code.end(), encoded->begin(), encoded->end());
    } else if (pos.size() > 1) {
        throw UsageError("deploy: " + art->name + " has no constructor arguments");
    }
    chain::TxRequest req{std::nullopt, {}, std::move(code), std::nullopt};
    if (const std::string* v = flag_value(args, "--value")) req.value = parse_amount(*v, "--value");
    auto sender = sender_for(rpc_client_from(args), art->errors);
    auto r = sender->send_and_wait(req);
    if (r && r->contract_address) {
        out << "Deployed to: " << r->contract_address->checksum_hex() << "\nTransaction hash: " << r->transaction_hash.hex() << "\n";
        return kOk;
    }
    return report(r, out);
}

int run_call(const Args& args, std::ostream& out) {
    register_abi_errors(args);
    const Args pos = positional(args, kValued);
    if (pos.size() < 2) throw UsageError("usage: cvex call <address> <sig> [args…] [--rpc-url URL]");
    const chain::Address to = parse_address_arg(pos[0], "address");
    const auto sig = signature_arg(pos[1]);
    auto data = chain::abi_encode_call(sig, values(sig.inputs, pos, 2));
    if (!data) throw UsageError(data.error().message());
    auto eth = rpc_client_from(args);
    auto r = eth->call({std::nullopt, to, *data, std::nullopt, std::nullopt});
    if (!r) {
        if (r.error().revert_data) {
            std::cerr << "error: call reverted: " << chain::decode_revert(*r.error().revert_data).text << "\n";
            return kFailed;
        }
        throw std::runtime_error(r.error().message());
    }
    if (sig.outputs.empty()) {
        out << cvex::to_hex(*r) << "\n";
        return kOk;
    }
    auto decoded = chain::abi_decode(sig.output_types(), *r);
    if (!decoded) throw std::runtime_error("cannot decode the result as " + sig.canonical() + ": " + decoded.error().message());
    for (size_t i = 0; i < decoded->size(); ++i) out << chain::format_abi_value(sig.outputs[i].type, (*decoded)[i]) << "\n";
    return kOk;
}

int run_send(const Args& args, std::ostream& out) {
    register_abi_errors(args);
    const Args pos = positional(args, kValued);
    if (pos.size() < 2) throw UsageError("usage: cvex send <address> <sig> [args…] [--value V] [--gas-limit N] [--rpc-url URL]");
    const chain::Address to = parse_address_arg(pos[0], "address");
    const auto sig = signature_arg(pos[1]);
    auto data = chain::abi_encode_call(sig, values(sig.inputs, pos, 2));
    if (!data) throw UsageError(data.error().message());
    chain::TxRequest req{to, {}, std::move(*data), std::nullopt};
    if (const std::string* v = flag_value(args, "--value")) req.value = parse_amount(*v, "--value");
    if (const std::string* g = flag_value(args, "--gas-limit")) req.gas_limit = parse_u64(*g, "--gas-limit");
    std::vector<chain::AbiSignature> errors;
    if (const std::string* a = flag_value(args, "--artifact")) {
        auto art = chain::ContractArtifact::load(*a);
        if (!art) throw UsageError("--artifact: " + art.error().message());
        errors = art->errors;
    }
    return report(sender_for(rpc_client_from(args), std::move(errors))->send_and_wait(req), out);
}

int run_receipt(const Args& args, std::ostream& out) {
    const Args pos = positional(args, kValued);
    if (pos.size() != 1) throw UsageError("usage: cvex receipt <txhash> [--rpc-url URL]");
    auto hash = chain::Hash32::from_hex(pos[0]);
    if (!hash) throw UsageError("receipt: '" + pos[0] + "' is not a 32-byte hash");
    auto r = rpc_client_from(args)->transaction_receipt(*hash);
    if (!r) throw std::runtime_error(r.error().message());
    if (!*r) {
        std::cerr << "error: no receipt for " << hash->hex() << " (unknown or still pending)\n";
        return kFailed;
    }
    out << receipt_json(**r).dump(2) << "\n";
    return kOk;
}

int run_logs(const Args& args, std::ostream& out) {
    if (!positional(args, kValued).empty()) throw UsageError("usage: cvex logs --event <sig> [--address A] [--from-block N] [--to-block N|latest]");
    const std::string* event_text = flag_value(args, "--event");
    if (!event_text) throw UsageError("logs: --event \"Name(type indexed name, …)\" is required");
    const auto event = signature_arg(*event_text);
    auto eth = rpc_client_from(args);
    chain::LogFilter f;
    if (const std::string* a = flag_value(args, "--address")) f.addresses = {parse_address_arg(*a, "--address")};
    f.topics = {std::vector<chain::Hash32>{event.topic()}};
    f.from_block = flag_value(args, "--from-block") ? parse_u64(*flag_value(args, "--from-block"), "--from-block") : 0;
    const std::string* to = flag_value(args, "--to-block");
    if (to && *to != "latest") {
        f.to_block = parse_u64(*to, "--to-block");
    } else {
        auto n = eth->block_number();
        if (!n) throw std::runtime_error(n.error().message());
        f.to_block = *n;
    }
    auto logs = eth->logs(f);
    if (!logs) throw std::runtime_error(logs.error().message());
    for (const auto& l : *logs) {
        nlohmann::ordered_json j;
        j["event"] = event.name;
        j["address"] = l.address.checksum_hex();
        j["blockNumber"] = l.block_number;
        j["transactionHash"] = l.transaction_hash.hex();
        j["logIndex"] = l.log_index;
        auto params = chain::decode_log(event, l.topics, l.data);
        if (!params) {
            j["error"] = params.error().message();
        } else {
            nlohmann::ordered_json args_json;
            for (size_t i = 0; i < params->size(); ++i) {
                const auto& p = (*params)[i];
                const std::string name = p.name.empty() ? std::to_string(i) : p.name;
                if (p.hashed) args_json[name] = cvex::to_hex(p.value.bytes());  // an indexed dynamic value: its hash
                else if (p.type.kind == chain::AbiType::kString) args_json[name] = p.value.string();
                else args_json[name] = chain::format_abi_value(p.type, p.value);
            }
            j["args"] = args_json;
        }
        out << j.dump() << "\n";
    }
    return kOk;
}

const CommandRegistrar deploy{{"deploy", "<artifact.json> [args…] [--value V] [--abi FILE] [--rpc-url URL]", "Deploy a compiled contract (constructor args ABI-encoded) with CVEX_PRIVATE_KEY", run_deploy}};
const CommandRegistrar call{{"call", "<address> <sig> [args…] [--abi FILE] [--rpc-url URL]", "eth_call a function; decodes `f(in)(out)` outputs (as cast call) and any revert (every cvex contract's errors, and --abi's)", run_call}};
const CommandRegistrar send{{"send", "<address> <sig> [args…] [--value V] [--gas-limit N] [--abi FILE] [--rpc-url URL]", "Sign with CVEX_PRIVATE_KEY, send, wait for the receipt (as cast send); a revert is decoded", run_send}};
const CommandRegistrar receipt{{"receipt", "<txhash> [--rpc-url URL]", "A transaction's receipt as JSON", run_receipt}};
const CommandRegistrar logs{{"logs", "--event <sig> [--address A] [--from-block N] [--to-block N] [--rpc-url URL]", "Logs of an event, decoded, one JSON object per line", run_logs}};

}  // namespace
}  // namespace cvex::cli
