// AbiValue: a value of an AbiType. Integers are 256-bit words (int<M> in two's complement),
// fixed and dynamic byte strings are Bytes, arrays and tuples are lists of values.
#pragma once

#include <algorithm>
#include <string>
#include <variant>
#include <vector>

#include "chain/types/address.hpp"
#include "base/bytes.hpp"
#include "chain/types/hash.hpp"
#include "chain/types/u256.hpp"

namespace cvex::chain {

struct AbiValue {
    using List = std::vector<AbiValue>;
    std::variant<U256, Address, bool, Bytes, std::string, List> v;

    AbiValue() = default;
    AbiValue(U256 x) : v(x) {}  // NOLINT: implicit, so value lists read naturally
    AbiValue(Address x) : v(x) {}
    AbiValue(bool x) : v(x) {}
    AbiValue(Bytes x) : v(std::move(x)) {}
    AbiValue(const Hash32& h) : v(Bytes(h.bytes.begin(), h.bytes.end())) {}  // a bytes32
    AbiValue(std::string x) : v(std::move(x)) {}
    AbiValue(List x) : v(std::move(x)) {}
    /// A signed integer as its two's-complement word: -n is ~(n - 1).
    static AbiValue from_int(int64_t x) {
        return AbiValue(x < 0 ? ~U256(static_cast<uint64_t>(-(x + 1))) : U256(static_cast<uint64_t>(x)));
    }

    const U256& word() const { return std::get<U256>(v); }
    const Address& address() const { return std::get<Address>(v); }
    bool boolean() const { return std::get<bool>(v); }
    const Bytes& bytes() const { return std::get<Bytes>(v); }
    const std::string& string() const { return std::get<std::string>(v); }
    const List& list() const { return std::get<List>(v); }
    /// A bytes32 (as decoded: a 32-byte string) as a Hash32; a shorter string is zero-padded.
    Hash32 hash32() const {
        Hash32 h;
        const Bytes& b = bytes();
        std::copy_n(b.begin(), std::min<size_t>(b.size(), h.bytes.size()), h.bytes.begin());
        return h;
    }
    bool operator==(const AbiValue&) const = default;
};

}  // namespace cvex::chain
