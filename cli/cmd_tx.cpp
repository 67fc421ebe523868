// Transactions from the command line, as cast: `cvex mktx` (build, sign with CVEX_PRIVATE_KEY,
// print the raw transaction), `cvex decode-tx` (JSON with the fields, hash and signer) and
// `cvex address` (the address of CVEX_PRIVATE_KEY).
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <ostream>

#include "cli/amount.hpp"
#include "cli/command.hpp"
#include "chain/crypto/local_key.hpp"
#include "chain/tx/transaction.hpp"

namespace cvex::cli {

chain::LocalKey key_from_env();

/// The key of CVEX_PRIVATE_KEY; errors never contain it.
chain::LocalKey key_from_env() {
    const std::string text = require_env("CVEX_PRIVATE_KEY");
    auto key = chain::LocalKey::from_hex(text);
    if (!key) throw UsageError(std::string("CVEX_PRIVATE_KEY: ") + chain::to_string(key.error()));
    return std::move(*key);
}

namespace {

std::string quantity(const chain::U256& v) { return v.hex(); }
std::string quantity(uint64_t v) { return chain::U256(v).hex(); }

int run_mktx(const Args& args, std::ostream& out) {
    const auto pos = positional(args, {"--chain-id", "--nonce", "--gas-limit", "--gas-price", "--max-fee", "--priority-fee", "--to",
                                        "--value", "--data"});
    if (!pos.empty()) throw UsageError("mktx: unexpected argument '" + pos[0] + "'");
    auto need = [&](const char* flag) -> const std::string& {
        const std::string* v = flag_value(args, flag);
        if (!v) throw UsageError(std::string("mktx: ") + flag + " is required");
        return *v;
    };
    chain::Transaction tx;
    tx.chain_id = parse_u64(need("--chain-id"), "--chain-id");
    tx.nonce = parse_u64(need("--nonce"), "--nonce");
    tx.gas_limit = parse_u64(need("--gas-limit"), "--gas-limit");
    const std::string* gas_price = flag_value(args, "--gas-price");
    const std::string* max_fee = flag_value(args, "--max-fee");
    const std::string* tip = flag_value(args, "--priority-fee");
    if (gas_price && (max_fee || tip)) throw UsageError("mktx: give either --gas-price or --max-fee with --priority-fee, not both");
    if (gas_price) {
        // --legacy: an EIP-155 legacy transaction; otherwise EIP-2930 (type 1) with an empty access list.
        tx.type = has_flag(args, "--legacy") ? chain::TxType::kLegacy : chain::TxType::kAccessList;
        tx.gas_price = parse_amount(*gas_price, "--gas-price");
    } else {
        if (!max_fee || !tip) throw UsageError("mktx: give --gas-price, or both --max-fee and --priority-fee");
        if (has_flag(args, "--legacy")) throw UsageError("mktx: --legacy needs --gas-price");
        tx.type = chain::TxType::kDynamicFee;
        tx.max_fee_per_gas = parse_amount(*max_fee, "--max-fee");
        tx.max_priority_fee_per_gas = parse_amount(*tip, "--priority-fee");
    }
    if (const std::string* to = flag_value(args, "--to")) {
        auto a = chain::Address::parse(*to);
        if (!a) throw UsageError("mktx: --to '" + *to + "': " + chain::to_string(a.error()));
        tx.to = *a;
    }
    if (const std::string* value = flag_value(args, "--value")) tx.value = parse_amount(*value, "--value");
    if (const std::string* data = flag_value(args, "--data")) {
        auto bytes = cvex::from_hex(*data);
        if (!bytes) throw UsageError("mktx: --data '" + *data + "' is not valid hex");
        tx.data = std::move(*bytes);
    }
    const chain::LocalKey key = key_from_env();
    auto signed_tx = chain::sign_transaction(std::move(tx), key);
    if (!signed_tx) throw UsageError("mktx: " + signed_tx.error().message());
    out << cvex::to_hex(signed_tx->encode()) << "\n";
    return kOk;
}

int run_decode_tx(const Args& args, std::ostream& out) {
    if (args.size() != 1) throw UsageError("usage: cvex decode-tx <0xraw>");
    auto raw = cvex::from_hex(args[0]);
    if (!raw) throw UsageError("decode-tx: '" + args[0] + "' is not valid hex");
    auto tx = chain::decode_transaction(*raw);
    if (!tx) throw UsageError("decode-tx: " + tx.error().message());
    auto signer = tx->sender();
    if (!signer) throw UsageError(std::string("decode-tx: ") + chain::to_string(signer.error()));

    // The fields and order of cast decode-tx.
    nlohmann::ordered_json j;
    j["signer"] = signer->hex();
    j["type"] = quantity(static_cast<uint64_t>(tx->type));
    if (tx->chain_id) j["chainId"] = quantity(*tx->chain_id);
    j["nonce"] = quantity(tx->nonce);
    if (tx->type == chain::TxType::kDynamicFee) {
        j["gas"] = quantity(tx->gas_limit);
        j["maxFeePerGas"] = quantity(tx->max_fee_per_gas);
        j["maxPriorityFeePerGas"] = quantity(tx->max_priority_fee_per_gas);
    } else {
        j["gasPrice"] = quantity(tx->gas_price);
        j["gas"] = quantity(tx->gas_limit);
    }
    j["to"] = tx->to ? nlohmann::ordered_json(tx->to->hex()) : nlohmann::ordered_json(nullptr);
    j["value"] = quantity(tx->value);
    if (tx->type != chain::TxType::kLegacy) {
        nlohmann::ordered_json list = nlohmann::ordered_json::array();
        for (const auto& e : tx->access_list) {
            nlohmann::ordered_json keys = nlohmann::ordered_json::array();
            for (const auto& k : e.storage_keys) keys.push_back(k.hex());
            list.push_back({{"address", e.address.hex()}, {"storageKeys", keys}});
        }
        j["accessList"] = list;
    }
    j["input"] = cvex::to_hex(tx->data);
    j["r"] = quantity(*chain::U256::from_be(tx->signature->r));
    j["s"] = quantity(*chain::U256::from_be(tx->signature->s));
    if (tx->type != chain::TxType::kLegacy) {
        j["yParity"] = quantity(uint64_t{tx->signature->y_parity});
        j["v"] = quantity(uint64_t{tx->signature->y_parity});
    } else {
        j["v"] = quantity(tx->legacy_v());
    }
    j["hash"] = tx->hash().hex();
    out << j.dump(2) << "\n";
    return kOk;
}

int run_address(const Args& args, std::ostream& out) {
    if (!args.empty()) throw UsageError("usage: cvex address (the key comes from CVEX_PRIVATE_KEY)");
    out << key_from_env().address().checksum_hex() << "\n";
    return kOk;
}

const CommandRegistrar mktx{{"mktx",
                             "--chain-id N --nonce N --gas-limit N (--gas-price W [--legacy] | --max-fee W --priority-fee W) "
                             "[--to A] [--value V] [--data 0x..]",
                             "Build and sign a transaction with CVEX_PRIVATE_KEY; print it raw (as cast mktx)", run_mktx}};
const CommandRegistrar decode_tx{{"decode-tx", "<0xraw>", "Decode a signed transaction to JSON: fields, hash, signer", run_decode_tx}};
const CommandRegistrar address{{"address", "", "The checksummed address of CVEX_PRIVATE_KEY", run_address}};

}  // namespace
}  // namespace cvex::cli
