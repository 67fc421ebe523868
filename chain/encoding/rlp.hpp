// Recursive Length Prefix (Ethereum Yellow Paper, Appendix B): encoding, and decoding that
// accepts only the canonical form. Every decoding error names its kind and the byte offset.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/bytes.hpp"
#include "base/expected.hpp"
#include "chain/types/u256.hpp"

namespace cvex::chain::rlp {

enum class DecodingError {
    kInputTooShort,           // a length runs past the end of the input
    kLeadingZero,             // a length or an integer with a leading zero byte
    kNonCanonicalSingleByte,  // 0x81 0xXX with XX < 0x80: the byte should stand alone
    kNonCanonicalSize,        // the long form used for a length below 56
    kLengthOverflow,          // a length that does not fit the platform (or 8 bytes)
    kTrailingBytes,           // input left after the item, or inside a list after its items
    kUnexpectedList,          // a string was expected
    kUnexpectedString,        // a list was expected
    kIntegerOverflow,         // an integer wider than its type
    kTooDeep,                 // lists nested deeper than kMaxDepth
};

/// The deepest list nesting Decoder::item() follows. RLP itself sets no bound, and each level
/// costs one header byte or three, so without one a few hundred kilobytes of hostile input would
/// recurse past any thread's stack. No Ethereum structure nests more than a handful of levels.
inline constexpr size_t kMaxDepth = 256;

struct Error {
    DecodingError code;
    size_t offset;  // where, in the whole input
    std::string message() const;
};

template <class T>
using Result = Expected<T, Error>;

// Encoding ---------------------------------------------------------------------------------

void encode_header(Bytes& out, bool list, size_t payload_length);
void encode_string(Bytes& out, ByteView bytes);
void encode_uint(Bytes& out, const U256& v);  // minimal big-endian, zero as the empty string
void encode_uint(Bytes& out, uint64_t v);
/// Wraps already-encoded items into a list.
void encode_list_payload(Bytes& out, ByteView encoded_items);
size_t string_length(ByteView bytes);  // encoded size, for pre-sizing

/// A decoded RLP tree, for generic tools (`cvex to-rlp`, `cvex from-rlp`).
struct Item {
    bool is_list = false;
    Bytes bytes;              // when !is_list
    std::vector<Item> items;  // when is_list
    bool operator==(const Item&) const = default;
};

Bytes encode(const Item& item);

// Decoding ---------------------------------------------------------------------------------

struct Header {
    bool list = false;
    size_t header_length = 0;
    size_t payload_length = 0;
};

/// A cursor over one RLP region (the whole input, or a list's payload).
class Decoder {
public:
    explicit Decoder(ByteView data, size_t base_offset = 0) : data_(data), base_(base_offset) {}

    bool at_end() const { return pos_ == data_.size(); }
    size_t offset() const { return base_ + pos_; }

    Result<Header> peek_header() const;
    Result<ByteView> string();           // a string item's payload
    Result<U256> uint256();              // canonical integer, at most 32 bytes
    Result<uint64_t> uint64();           // canonical integer, at most 8 bytes
    Result<Decoder> list();              // a list item: a decoder over its payload
    Result<Item> item();                 // any item, recursively, at most kMaxDepth lists deep
    /// Error unless every byte was consumed (kTrailingBytes at the first extra byte).
    Result<bool> finish() const;

private:
    Result<Item> item_at(size_t depth);
    ByteView data_;
    size_t base_;
    size_t pos_ = 0;
};

/// The whole input as exactly one item.
Result<Item> decode(ByteView data);

}  // namespace cvex::chain::rlp
