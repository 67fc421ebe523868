// Revert data shaped as a contract would revert with a custom error: the selector and arguments
// that are not all zeros, so a decoder that misreads a field shows it.
#pragma once

#include "chain/encoding/abi_codec.hpp"
#include "chain/encoding/abi_type.hpp"
#include "chain/encoding/abi_value.hpp"

namespace cvex::test {

inline chain::AbiValue abi_sample(const chain::AbiType& t, uint64_t seed) {
    using chain::AbiType;
    using chain::AbiValue;
    switch (t.kind) {
        case AbiType::kUint:
        case AbiType::kInt: return AbiValue(chain::U256(seed % (t.size >= 64 ? ~0ull : (1ull << (t.size - 1))) + 1));
        case AbiType::kAddress: return AbiValue(*chain::Address::parse("0x00000000000000000000000000000000000c0ffe"));
        case AbiType::kBool: return AbiValue(true);
        case AbiType::kFixedBytes: return AbiValue(Bytes(t.size, static_cast<uint8_t>(seed)));
        case AbiType::kBytes: return AbiValue(Bytes{1, 2, 3});
        case AbiType::kString: return AbiValue(std::string("why"));
        case AbiType::kArray: return AbiValue(AbiValue::List{abi_sample(t.components[0], seed)});
        case AbiType::kFixedArray: return AbiValue(AbiValue::List(t.size, abi_sample(t.components[0], seed)));
        case AbiType::kTuple: {
            AbiValue::List members;
            for (const auto& m : t.components) members.push_back(abi_sample(m, ++seed));
            return AbiValue(members);
        }
    }
    return {};
}

/// selector(e) ‖ abi.encode(sample arguments).
inline Bytes sample_revert_data(const chain::AbiSignature& e) {
    std::vector<chain::AbiValue> args;
    uint64_t seed = 5;
    for (const auto& p : e.inputs) args.push_back(abi_sample(p.type, seed++));
    const auto sel = e.selector();
    Bytes data(sel.begin(), sel.end());
    auto body = chain::abi_encode(e.input_types(), args);
    if (body) data.insert(data.end(), body->begin(), body->end());
    return data;
}

}  // namespace cvex::test
