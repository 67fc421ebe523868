// EIP-712 typed structured data hashing, for the `eth_signTypedData_v4` JSON shape
// ({types, primaryType, domain, message}) and for C++ callers that build a struct hash
// themselves (the vault's TradeIntent).
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "chain/types/address.hpp"
#include "base/expected.hpp"
#include "chain/types/hash.hpp"

namespace cvex::chain {

struct Eip712Error {
    std::string path;  // e.g. "message.from.wallet"
    std::string detail;
    std::string message() const { return path.empty() ? detail : path + ": " + detail; }
};

struct Eip712Field {
    std::string name;
    std::string type;
};

using Eip712Types = std::map<std::string, std::vector<Eip712Field>>;

struct TypedData {
    Eip712Types types;
    std::string primary_type;
    nlohmann::json domain;
    nlohmann::json message;
};

Expected<TypedData, Eip712Error> parse_typed_data(const nlohmann::json& j);

/// encodeType: "Mail(Person from,Person to,string contents)Person(string name,address wallet)"
/// — the primary type, then every type it references, sorted by name (EIP-712 §"Definition of encodeType").
Expected<std::string, Eip712Error> eip712_encode_type(const Eip712Types& types, const std::string& type);
Expected<Hash32, Eip712Error> eip712_type_hash(const Eip712Types& types, const std::string& type);
/// encodeData: typeHash || each field as a 32-byte word (dynamic values and structs hashed).
Expected<Bytes, Eip712Error> eip712_encode_data(const Eip712Types& types, const std::string& type, const nlohmann::json& data);
/// hashStruct = keccak256(encodeData).
Expected<Hash32, Eip712Error> eip712_hash_struct(const Eip712Types& types, const std::string& type, const nlohmann::json& data);
Expected<Hash32, Eip712Error> eip712_domain_separator(const TypedData& td);
/// keccak256(0x1901 || domainSeparator || hashStruct(message)): what is signed.
Expected<Hash32, Eip712Error> eip712_signing_hash(const TypedData& td);

/// The common domain (name, version, chainId, verifyingContract), without JSON.
Hash32 eip712_domain_separator(const std::string& name, const std::string& version, uint64_t chain_id, const Address& verifying_contract);
/// keccak256(0x1901 || domainSeparator || structHash).
Hash32 eip712_digest(const Hash32& domain_separator, const Hash32& struct_hash);

}  // namespace cvex::chain
