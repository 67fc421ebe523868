#include "chain/encoding/rlp.hpp"

namespace cvex::chain::rlp {

namespace {

// Prefix ranges (Yellow Paper Appendix B).
constexpr uint8_t kShortString = 0x80, kLongString = 0xb8, kShortList = 0xc0, kLongList = 0xf8;

void append_be(Bytes& out, uint64_t v) {
    uint8_t buf[8];
    int n = 0;
    for (; v != 0; v >>= 8) buf[n++] = static_cast<uint8_t>(v);
    for (int i = n - 1; i >= 0; --i) out.push_back(buf[i]);
}

size_t be_length(uint64_t v) {
    size_t n = 0;
    for (; v != 0; v >>= 8) ++n;
    return n;
}

Error err(DecodingError code, size_t offset) { return {code, offset}; }

}  // namespace

std::string Error::message() const {
    const char* what = "invalid RLP";
    switch (code) {
        case DecodingError::kInputTooShort: what = "input too short"; break;
        case DecodingError::kLeadingZero: what = "leading zero byte"; break;
        case DecodingError::kNonCanonicalSingleByte: what = "single byte below 0x80 encoded as a string"; break;
        case DecodingError::kNonCanonicalSize: what = "long-form length for a payload below 56 bytes"; break;
        case DecodingError::kLengthOverflow: what = "length too large"; break;
        case DecodingError::kTrailingBytes: what = "trailing bytes"; break;
        case DecodingError::kUnexpectedList: what = "expected a string, found a list"; break;
        case DecodingError::kUnexpectedString: what = "expected a list, found a string"; break;
        case DecodingError::kIntegerOverflow: what = "integer too large"; break;
        case DecodingError::kTooDeep: return "RLP: lists nested deeper than " + std::to_string(kMaxDepth) + " levels at offset " + std::to_string(offset);
    }
    return std::string("RLP: ") + what + " at offset " + std::to_string(offset);
}

void encode_header(Bytes& out, bool list, size_t payload_length) {
    const uint8_t short_base = list ? kShortList : kShortString;
    if (payload_length < 56) {
        out.push_back(static_cast<uint8_t>(short_base + payload_length));
    } else {
        out.push_back(static_cast<uint8_t>(short_base + 55 + be_length(payload_length)));
        append_be(out, payload_length);
    }
}

void encode_string(Bytes& out, ByteView bytes) {
    if (bytes.size() == 1 && bytes[0] < kShortString) {
        out.push_back(bytes[0]);
        return;
    }
    encode_header(out, false, bytes.size());
    out.insert(out.end(), bytes.begin(), bytes.end());
}

size_t string_length(ByteView bytes) {
    if (bytes.size() == 1 && bytes[0] < kShortString) return 1;
    return bytes.size() + (bytes.size() < 56 ? 1 : 1 + be_length(bytes.size()));
}

void encode_uint(Bytes& out, const U256& v) { encode_string(out, v.to_be_minimal()); }

void encode_uint(Bytes& out, uint64_t v) {
    if (v == 0) {
        out.push_back(kShortString);
    } else if (v < kShortString) {
        out.push_back(static_cast<uint8_t>(v));
    } else {
        out.push_back(static_cast<uint8_t>(kShortString + be_length(v)));
        append_be(out, v);
    }
}

void encode_list_payload(Bytes& out, ByteView encoded_items) {
    encode_header(out, true, encoded_items.size());
    out.insert(out.end(), encoded_items.begin(), encoded_items.end());
}

Bytes encode(const Item& item) {
    Bytes out;
    if (!item.is_list) {
        encode_string(out, item.bytes);
        return out;
    }
    Bytes payload;
    for (const auto& child : item.items) {
        const Bytes c = encode(child);
        payload.insert(payload.end(), c.begin(), c.end());
    }
    encode_list_payload(out, payload);
    return out;
}

Result<Header> Decoder::peek_header() const {
    const size_t at = offset();
    if (pos_ >= data_.size()) return Unexpected{err(DecodingError::kInputTooShort, at)};
    const uint8_t b = data_[pos_];
    const size_t left = data_.size() - pos_;
    Header h;
    if (b < kShortString) {
        h = {false, 0, 1};  // the byte is its own payload
        return h;
    }
    if (b < kLongString || (b >= kShortList && b < kLongList)) {
        h.list = b >= kShortList;
        h.header_length = 1;
        h.payload_length = b - (h.list ? kShortList : kShortString);
        if (!h.list && h.payload_length == 1) {
            if (left < 2) return Unexpected{err(DecodingError::kInputTooShort, at)};
            if (data_[pos_ + 1] < kShortString) return Unexpected{err(DecodingError::kNonCanonicalSingleByte, at)};
        }
    } else {
        h.list = b >= kLongList;
        const size_t len_of_len = b - (h.list ? kLongList : kLongString) + 1;
        if (len_of_len > 8) return Unexpected{err(DecodingError::kLengthOverflow, at)};
        if (left < 1 + len_of_len) return Unexpected{err(DecodingError::kInputTooShort, at)};
        if (data_[pos_ + 1] == 0) return Unexpected{err(DecodingError::kLeadingZero, at + 1)};
        uint64_t len = 0;
        for (size_t i = 0; i < len_of_len; ++i) len = len << 8 | data_[pos_ + 1 + i];
        if (len < 56) return Unexpected{err(DecodingError::kNonCanonicalSize, at)};
        h.header_length = 1 + len_of_len;
        h.payload_length = static_cast<size_t>(len);
        if (len > left) return Unexpected{err(DecodingError::kInputTooShort, at)};
    }
    if (h.header_length + h.payload_length > left) return Unexpected{err(DecodingError::kInputTooShort, at)};
    return h;
}

Result<ByteView> Decoder::string() {
    auto h = peek_header();
    if (!h) return Unexpected{h.error()};
    if (h->list) return Unexpected{err(DecodingError::kUnexpectedList, offset())};
    const ByteView payload = data_.subspan(pos_ + h->header_length, h->payload_length);
    pos_ += h->header_length + h->payload_length;
    return payload;
}

Result<U256> Decoder::uint256() {
    const size_t at = offset();
    auto s = string();
    if (!s) return Unexpected{s.error()};
    if (!s->empty() && (*s)[0] == 0) return Unexpected{err(DecodingError::kLeadingZero, at)};
    if (s->size() > 32) return Unexpected{err(DecodingError::kIntegerOverflow, at)};
    return *U256::from_be(*s);
}

Result<uint64_t> Decoder::uint64() {
    const size_t at = offset();
    auto v = uint256();
    if (!v) return Unexpected{v.error()};
    if (!v->fits_u64()) return Unexpected{err(DecodingError::kIntegerOverflow, at)};
    return v->low_u64();
}

Result<Decoder> Decoder::list() {
    auto h = peek_header();
    if (!h) return Unexpected{h.error()};
    if (!h->list) return Unexpected{err(DecodingError::kUnexpectedString, offset())};
    Decoder inner(data_.subspan(pos_ + h->header_length, h->payload_length), offset() + h->header_length);
    pos_ += h->header_length + h->payload_length;
    return inner;
}

Result<Item> Decoder::item() { return item_at(0); }

Result<Item> Decoder::item_at(size_t depth) {
    auto h = peek_header();
    if (!h) return Unexpected{h.error()};
    Item it;
    if (!h->list) {
        auto s = string();
        if (!s) return Unexpected{s.error()};
        it.bytes.assign(s->begin(), s->end());
        return it;
    }
    if (depth >= kMaxDepth) return Unexpected{err(DecodingError::kTooDeep, offset())};
    auto inner = list();
    if (!inner) return Unexpected{inner.error()};
    it.is_list = true;
    while (!inner->at_end()) {
        auto child = inner->item_at(depth + 1);
        if (!child) return Unexpected{child.error()};
        it.items.push_back(std::move(*child));
    }
    return it;
}

Result<bool> Decoder::finish() const {
    if (!at_end()) return Unexpected{err(DecodingError::kTrailingBytes, offset())};
    return true;
}

Result<Item> decode(ByteView data) {
    Decoder d(data);
    auto it = d.item();
    if (!it) return it;
    if (auto f = d.finish(); !f) return Unexpected{f.error()};
    return it;
}

}  // namespace cvex::chain::rlp
