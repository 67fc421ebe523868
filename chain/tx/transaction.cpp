#include "chain/tx/transaction.hpp"

#include <cstring>

#include "chain/crypto/keccak.hpp"

namespace cvex::chain {

namespace {

void encode_address(Bytes& out, const std::optional<Address>& a) {
    if (a) rlp::encode_string(out, a->bytes);
    else out.push_back(0x80);  // creation: the empty string
}

void encode_access_list(Bytes& out, const std::vector<AccessListEntry>& list) {
    Bytes entries;
    for (const auto& e : list) {
        Bytes keys;
        for (const auto& k : e.storage_keys) rlp::encode_string(keys, k.bytes);
        Bytes entry;
        rlp::encode_string(entry, e.address.bytes);
        rlp::encode_list_payload(entry, keys);
        rlp::encode_list_payload(entries, entry);
    }
    rlp::encode_list_payload(out, entries);
}

// The fields of each type in order (EIP-155, EIP-2930, EIP-1559), without the signature.
void encode_fields(Bytes& p, const Transaction& tx) {
    if (tx.type == TxType::kLegacy) {
        rlp::encode_uint(p, tx.nonce);
        rlp::encode_uint(p, tx.gas_price);
        rlp::encode_uint(p, tx.gas_limit);
        encode_address(p, tx.to);
        rlp::encode_uint(p, tx.value);
        rlp::encode_string(p, tx.data);
        return;
    }
    rlp::encode_uint(p, tx.chain_id.value_or(0));
    rlp::encode_uint(p, tx.nonce);
    if (tx.type == TxType::kDynamicFee) {
        rlp::encode_uint(p, tx.max_priority_fee_per_gas);
        rlp::encode_uint(p, tx.max_fee_per_gas);
    } else {
        rlp::encode_uint(p, tx.gas_price);
    }
    rlp::encode_uint(p, tx.gas_limit);
    encode_address(p, tx.to);
    rlp::encode_uint(p, tx.value);
    rlp::encode_string(p, tx.data);
    encode_access_list(p, tx.access_list);
}

void encode_signature_scalars(Bytes& p, const Signature& s) {
    rlp::encode_uint(p, *U256::from_be(s.r));
    rlp::encode_uint(p, *U256::from_be(s.s));
}

Bytes envelope(TxType type, const Bytes& payload) {
    Bytes out;
    if (type != TxType::kLegacy) out.push_back(static_cast<uint8_t>(type));
    rlp::encode_list_payload(out, payload);
    return out;
}

TxError rlp_error(const char* field, const rlp::Error& e) { return {TxError::kRlp, field, e, ""}; }
TxError field_error(std::string field, std::string detail) { return {TxError::kBadField, std::move(field), std::nullopt, std::move(detail)}; }

// Field readers that name the field in their errors.
Expected<uint64_t, TxError> read_u64(rlp::Decoder& d, const char* field) {
    auto v = d.uint64();
    if (!v) return Unexpected{rlp_error(field, v.error())};
    return *v;
}

Expected<U256, TxError> read_u256(rlp::Decoder& d, const char* field) {
    auto v = d.uint256();
    if (!v) return Unexpected{rlp_error(field, v.error())};
    return *v;
}

Expected<std::optional<Address>, TxError> read_to(rlp::Decoder& d) {
    auto s = d.string();
    if (!s) return Unexpected{rlp_error("to", s.error())};
    if (s->empty()) return std::optional<Address>{};
    if (s->size() != 20) return Unexpected{field_error("to", "must be empty or 20 bytes, is " + std::to_string(s->size()))};
    Address a;
    std::memcpy(a.bytes.data(), s->data(), 20);
    return std::optional<Address>{a};
}

Expected<Bytes, TxError> read_bytes(rlp::Decoder& d, const char* field) {
    auto s = d.string();
    if (!s) return Unexpected{rlp_error(field, s.error())};
    return Bytes(s->begin(), s->end());
}

Expected<std::vector<AccessListEntry>, TxError> read_access_list(rlp::Decoder& d) {
    auto list = d.list();
    if (!list) return Unexpected{rlp_error("accessList", list.error())};
    std::vector<AccessListEntry> out;
    for (size_t i = 0; !list->at_end(); ++i) {
        const std::string name = "accessList[" + std::to_string(i) + "]";
        auto entry = list->list();
        if (!entry) return Unexpected{rlp_error("accessList", entry.error())};
        auto addr = entry->string();
        if (!addr) return Unexpected{rlp_error("accessList", addr.error())};
        if (addr->size() != 20) return Unexpected{field_error(name + ".address", "must be 20 bytes")};
        AccessListEntry e;
        std::memcpy(e.address.bytes.data(), addr->data(), 20);
        auto keys = entry->list();
        if (!keys) return Unexpected{rlp_error("accessList", keys.error())};
        for (size_t k = 0; !keys->at_end(); ++k) {
            auto key = keys->string();
            if (!key) return Unexpected{rlp_error("accessList", key.error())};
            if (key->size() != 32)
                return Unexpected{field_error(name + ".storageKeys[" + std::to_string(k) + "]", "must be 32 bytes")};
            Hash32 h;
            std::memcpy(h.bytes.data(), key->data(), 32);
            e.storage_keys.push_back(h);
        }
        if (!entry->at_end()) return Unexpected{field_error(name, "has more than two fields")};
        out.push_back(std::move(e));
    }
    return out;
}

Expected<std::array<uint8_t, 32>, TxError> read_scalar(rlp::Decoder& d, const char* field) {
    auto v = read_u256(d, field);
    if (!v) return Unexpected{v.error()};
    return v->to_be();
}

// The envelope's first byte: an RLP list for a legacy transaction, else the EIP-2718 type.
Expected<TxType, TxError> read_envelope_type(ByteView raw) {
    if (raw.empty()) return Unexpected{TxError{TxError::kRlp, "", rlp::Error{rlp::DecodingError::kInputTooShort, 0}, ""}};
    if (raw[0] >= 0xc0) return TxType::kLegacy;
    if (raw[0] == 0x01 || raw[0] == 0x02) return static_cast<TxType>(raw[0]);
    if (raw[0] <= 0x7f) return Unexpected{TxError{TxError::kUnsupportedType, "type", std::nullopt, "type " + std::to_string(raw[0])}};
    return Unexpected{TxError{TxError::kRlp, "", rlp::Error{rlp::DecodingError::kUnexpectedString, 0}, "not a list"}};
}

// The fields of tx.type in order, up to the signature (the order encode_fields writes).
Expected<void, TxError> read_unsigned_fields(rlp::Decoder& d, Transaction& tx) {
    if (tx.type != TxType::kLegacy) {
        CVEX_TRY(chain_id, read_u64(d, "chainId"));
        tx.chain_id = *chain_id;
    }
    CVEX_TRY(nonce, read_u64(d, "nonce"));
    tx.nonce = *nonce;
    if (tx.type == TxType::kDynamicFee) {
        CVEX_TRY(tip, read_u256(d, "maxPriorityFeePerGas"));
        CVEX_TRY(max_fee, read_u256(d, "maxFeePerGas"));
        tx.max_priority_fee_per_gas = *tip;
        tx.max_fee_per_gas = *max_fee;
    } else {
        CVEX_TRY(price, read_u256(d, "gasPrice"));
        tx.gas_price = *price;
    }
    CVEX_TRY(gas, read_u64(d, "gasLimit"));
    tx.gas_limit = *gas;
    CVEX_TRY(to, read_to(d));
    tx.to = *to;
    CVEX_TRY(value, read_u256(d, "value"));
    tx.value = *value;
    CVEX_TRY(data, read_bytes(d, "data"));
    tx.data = std::move(*data);
    if (tx.type != TxType::kLegacy) {
        CVEX_TRY(list, read_access_list(d));
        tx.access_list = std::move(*list);
    }
    return {};
}

// A legacy transaction's v: 27 or 28, or EIP-155's chainId * 2 + 35 + yParity (which sets tx's chain id).
Expected<uint8_t, TxError> read_legacy_v(rlp::Decoder& d, Transaction& tx) {
    CVEX_TRY(v, read_u256(d, "v"));
    if (*v == U256(27) || *v == U256(28)) return static_cast<uint8_t>(v->low_u64() - 27);
    if (*v < U256(35)) return Unexpected{TxError{TxError::kInvalidV, "v", std::nullopt, "v = " + v->dec()}};
    const U256 rest = v->wrapping_sub(U256(35));
    const auto [id, parity] = *rest.divmod(2);
    if (!id.fits_u64()) return Unexpected{TxError{TxError::kInvalidV, "v", std::nullopt, "chain id above 2^64"}};
    tx.chain_id = id.low_u64();
    return static_cast<uint8_t>(parity.low_u64());
}

// The signature fields: v (legacy) or yParity (typed), then r and s.
Expected<Signature, TxError> read_signature(rlp::Decoder& d, Transaction& tx) {
    Signature sig;
    if (tx.type == TxType::kLegacy) {
        CVEX_TRY(parity, read_legacy_v(d, tx));
        sig.y_parity = *parity;
    } else {
        CVEX_TRY(parity, read_u64(d, "yParity"));
        if (*parity > 1) return Unexpected{TxError{TxError::kBadSignature, "yParity", std::nullopt, "must be 0 or 1"}};
        sig.y_parity = static_cast<uint8_t>(*parity);
    }
    CVEX_TRY(r, read_scalar(d, "r"));
    CVEX_TRY(s, read_scalar(d, "s"));
    sig.r = *r;
    sig.s = *s;
    return sig;
}

}  // namespace

std::string TxError::message() const {
    std::string what;
    switch (code) {
        case kRlp: what = "malformed RLP"; break;
        case kUnsupportedType: what = "unsupported transaction type"; break;
        case kFieldCount: what = "wrong number of fields"; break;
        case kBadField: what = "bad field"; break;
        case kInvalidV: what = "invalid v"; break;
        case kBadSignature: what = "invalid signature"; break;
        case kUnsigned: what = "transaction is not signed"; break;
        case kSigningFailed: what = "signing failed"; break;
    }
    if (!field.empty()) what += " in " + field;
    if (rlp) what += ": " + rlp->message();
    if (!detail.empty()) what += ": " + detail;
    return "transaction: " + what;
}

Bytes Transaction::signing_payload() const {
    Bytes fields;
    encode_fields(fields, *this);
    if (type == TxType::kLegacy && chain_id) {
        // EIP-155: sign rlp(nonce, gasPrice, gasLimit, to, value, data, chainId, 0, 0).
        rlp::encode_uint(fields, *chain_id);
        fields.push_back(0x80);
        fields.push_back(0x80);
    }
    return envelope(type, fields);
}

Hash32 Transaction::signing_hash() const { return keccak256(signing_payload()); }

U256 Transaction::legacy_v() const {
    const uint64_t parity = signature ? signature->y_parity : 0;
    if (!chain_id) return U256(27 + parity);
    return U256(*chain_id).wrapping_mul(2).wrapping_add(U256(35 + parity));
}

Bytes Transaction::encode() const {
    Bytes fields;
    encode_fields(fields, *this);
    const Signature sig = signature.value_or(Signature{});
    if (type == TxType::kLegacy) rlp::encode_uint(fields, legacy_v());
    else rlp::encode_uint(fields, uint64_t{sig.y_parity});
    encode_signature_scalars(fields, sig);
    return envelope(type, fields);
}

Hash32 Transaction::hash() const { return keccak256(encode()); }

Expected<Address, SignatureError> Transaction::sender() const {
    if (!signature) return Unexpected{SignatureError::kRecoveryFailed};
    return recover_address(signing_hash(), *signature);
}

uint64_t Transaction::intrinsic_gas() const {
    uint64_t gas = to ? 21000 : 53000;  // G_transaction (+ G_txcreate since Homestead)
    for (uint8_t b : data) gas += b == 0 ? 4 : 16;  // EIP-2028
    for (const auto& e : access_list) gas += 2400 + 1900 * e.storage_keys.size();  // EIP-2930
    if (!to) gas += 2 * ((data.size() + 31) / 32);  // EIP-3860 initcode words
    return gas;
}

Expected<Transaction, TxError> decode_transaction(ByteView raw) {
    CVEX_TRY(type, read_envelope_type(raw));
    const size_t skip = *type == TxType::kLegacy ? 0 : 1;  // a typed envelope's type byte
    rlp::Decoder outer(raw.subspan(skip), skip);
    auto fields = outer.list();
    if (!fields) return Unexpected{rlp_error("", fields.error())};
    if (auto f = outer.finish(); !f) return Unexpected{rlp_error("", f.error())};
    rlp::Decoder& d = *fields;
    Transaction tx;
    tx.type = *type;
    if (auto f = read_unsigned_fields(d, tx); !f) return Unexpected{f.error()};
    CVEX_TRY(sig, read_signature(d, tx));
    if (!d.at_end()) return Unexpected{TxError{TxError::kFieldCount, "", std::nullopt, "more fields than the type has"}};
    tx.signature = *sig;
    return tx;
}

Expected<Transaction, TxError> sign_transaction(Transaction tx, const Signer& signer) {
    if (tx.type != TxType::kLegacy && !tx.chain_id)
        return Unexpected{TxError{TxError::kBadField, "chainId", std::nullopt, "typed transactions need a chain id"}};
    auto sig = signer.sign_digest(tx.signing_hash());
    if (!sig) return Unexpected{TxError{TxError::kSigningFailed, "", std::nullopt, sig.error().message()}};
    tx.signature = *sig;
    return tx;
}

}  // namespace cvex::chain
