// Ethereum transactions: legacy (with and without EIP-155 replay protection), EIP-2930 access
// lists and EIP-1559 dynamic fees, in the EIP-2718 typed envelope (type byte || RLP payload).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "chain/types/address.hpp"
#include "base/bytes.hpp"
#include "base/expected.hpp"
#include "chain/types/hash.hpp"
#include "chain/encoding/rlp.hpp"
#include "chain/crypto/signature.hpp"
#include "chain/crypto/signer.hpp"
#include "chain/types/u256.hpp"

namespace cvex::chain {

enum class TxType : uint8_t {
    kLegacy = 0,
    kAccessList = 1,  // EIP-2930
    kDynamicFee = 2,  // EIP-1559
};

struct AccessListEntry {
    Address address;
    std::vector<Hash32> storage_keys;
    bool operator==(const AccessListEntry&) const = default;
};

struct Transaction {
    TxType type = TxType::kDynamicFee;
    std::optional<uint64_t> chain_id;  // absent only for pre-EIP-155 legacy transactions
    uint64_t nonce = 0;
    U256 gas_price;                 // legacy and EIP-2930
    U256 max_priority_fee_per_gas;  // EIP-1559
    U256 max_fee_per_gas;           // EIP-1559
    uint64_t gas_limit = 0;
    std::optional<Address> to;  // absent: contract creation
    U256 value;
    Bytes data;
    std::vector<AccessListEntry> access_list;
    std::optional<Signature> signature;

    /// The hash that is signed (EIP-155 for legacy with a chain id; type || rlp(fields) for typed).
    Hash32 signing_hash() const;
    /// The unsigned payload whose keccak256 is signing_hash().
    Bytes signing_payload() const;
    /// The signed transaction as sent with eth_sendRawTransaction. Requires a signature.
    Bytes encode() const;
    /// keccak256(encode()).
    Hash32 hash() const;
    /// The address that signed it.
    Expected<Address, SignatureError> sender() const;
    /// The legacy `v`: 27/28 without chain id, chainId*2 + 35/36 with one (EIP-155).
    U256 legacy_v() const;
    /// Gas charged before execution (Yellow Paper g0 as of Cancun: EIP-2028 calldata,
    /// EIP-2930 access lists, EIP-3860 initcode words).
    uint64_t intrinsic_gas() const;
};

struct TxError {
    enum Code {
        kRlp,              // malformed or non-canonical RLP (see `rlp`)
        kUnsupportedType,  // a typed transaction other than 1 or 2 (e.g. 3, blob transactions)
        kFieldCount,       // the list has the wrong number of fields
        kBadField,         // a field has the wrong shape (`field` names it)
        kInvalidV,         // a legacy v that is neither 27/28 nor EIP-155
        kBadSignature,     // r/s out of range, high s, or no sender recovers
        kUnsigned,         // an operation that needs a signature on an unsigned transaction
        kSigningFailed,
    } code;
    std::string field;  // e.g. "maxFeePerGas", "accessList[1].storageKeys[0]"
    std::optional<rlp::Error> rlp;
    std::string detail;
    std::string message() const;
};

/// Decodes a raw signed transaction (legacy RLP list or EIP-2718 envelope), strictly.
Expected<Transaction, TxError> decode_transaction(ByteView raw);

/// Signs `tx` (its chain id must be set, except for pre-EIP-155 legacy) and returns it signed.
Expected<Transaction, TxError> sign_transaction(Transaction tx, const Signer& signer);

}  // namespace cvex::chain
