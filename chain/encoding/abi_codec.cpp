#include "chain/encoding/abi_codec.hpp"

#include <algorithm>
#include <cstring>

namespace cvex::chain {

namespace {

Unexpected<AbiError> fail(const std::string& path, std::string message) { return Unexpected{AbiError{path, std::move(message)}}; }

// Most negative and most positive int<bits>, as words.
U256 int_min(unsigned bits) { return ~((U256(1) << (bits - 1)).wrapping_sub(1)); }
U256 int_max(unsigned bits) { return (U256(1) << (bits - 1)).wrapping_sub(1); }
bool is_negative(const U256& w) { return w.bit(255); }

void put_word(Bytes& out, const U256& w) {
    const auto be = w.to_be();
    out.insert(out.end(), be.begin(), be.end());
}

void put_padded(Bytes& out, ByteView b) {
    out.insert(out.end(), b.begin(), b.end());
    out.insert(out.end(), (32 - b.size() % 32) % 32, 0);
}

Expected<void, AbiError> check(const AbiType& t, const AbiValue& v, const std::string& path) {
    auto wrong = [&](const char* expected) { return fail(path, std::string("expected ") + expected + " for " + t.canonical()); };
    switch (t.kind) {
        case AbiType::kUint:
            if (!std::holds_alternative<U256>(v.v)) return wrong("an integer");
            if (t.size < 256 && v.word().bit_length() > t.size) return fail(path, "value " + v.word().dec() + " does not fit " + t.canonical());
            return {};
        case AbiType::kInt: {
            if (!std::holds_alternative<U256>(v.v)) return wrong("an integer");
            const U256& w = v.word();
            if (t.size < 256 && (is_negative(w) ? w < int_min(t.size) : w > int_max(t.size)))
                return fail(path, "value does not fit " + t.canonical());
            return {};
        }
        case AbiType::kAddress:
            if (!std::holds_alternative<Address>(v.v)) return wrong("an address");
            return {};
        case AbiType::kBool:
            if (!std::holds_alternative<bool>(v.v)) return wrong("a bool");
            return {};
        case AbiType::kFixedBytes:
            if (!std::holds_alternative<Bytes>(v.v)) return wrong("bytes");
            if (v.bytes().size() != t.size)
                return fail(path, t.canonical() + " needs " + std::to_string(t.size) + " bytes, got " + std::to_string(v.bytes().size()));
            return {};
        case AbiType::kBytes:
            if (!std::holds_alternative<Bytes>(v.v)) return wrong("bytes");
            return {};
        case AbiType::kString:
            if (!std::holds_alternative<std::string>(v.v)) return wrong("a string");
            return {};
        case AbiType::kArray:
        case AbiType::kFixedArray:
        case AbiType::kTuple: {
            if (!std::holds_alternative<AbiValue::List>(v.v)) return wrong(t.kind == AbiType::kTuple ? "a tuple" : "an array");
            const auto& items = v.list();
            const size_t want = t.kind == AbiType::kTuple ? t.components.size() : t.size;
            if (t.kind != AbiType::kArray && items.size() != want)
                return fail(path, t.canonical() + " needs " + std::to_string(want) + " elements, got " + std::to_string(items.size()));
            for (size_t i = 0; i < items.size(); ++i) {
                const AbiType& et = t.kind == AbiType::kTuple ? t.components[i] : t.components[0];
                auto ok = check(et, items[i], path + (t.kind == AbiType::kTuple ? "." : "[") + std::to_string(i) + (t.kind == AbiType::kTuple ? "" : "]"));
                if (!ok) return ok;
            }
            return {};
        }
    }
    return {};
}

// Encodes a sequence (tuple members or array elements): heads, then tails of the dynamic ones.
void encode_sequence(Bytes& out, const std::vector<const AbiType*>& types, const std::vector<const AbiValue*>& values);

void encode_value(Bytes& out, const AbiType& t, const AbiValue& v) {
    switch (t.kind) {
        case AbiType::kUint:
        case AbiType::kInt: put_word(out, v.word()); return;
        case AbiType::kAddress: {
            out.insert(out.end(), 12, 0);
            out.insert(out.end(), v.address().bytes.begin(), v.address().bytes.end());
            return;
        }
        case AbiType::kBool: put_word(out, U256(v.boolean() ? 1 : 0)); return;
        case AbiType::kFixedBytes: put_padded(out, v.bytes()); return;
        case AbiType::kBytes:
            put_word(out, U256(v.bytes().size()));
            put_padded(out, v.bytes());
            return;
        case AbiType::kString:
            put_word(out, U256(v.string().size()));
            put_padded(out, as_view(v.string()));
            return;
        case AbiType::kArray:
        case AbiType::kFixedArray:
        case AbiType::kTuple: {
            std::vector<const AbiType*> types;
            std::vector<const AbiValue*> values;
            for (size_t i = 0; i < v.list().size(); ++i) {
                types.push_back(t.kind == AbiType::kTuple ? &t.components[i] : &t.components[0]);
                values.push_back(&v.list()[i]);
            }
            if (t.kind == AbiType::kArray) put_word(out, U256(values.size()));
            encode_sequence(out, types, values);
            return;
        }
    }
}

void encode_sequence(Bytes& out, const std::vector<const AbiType*>& types, const std::vector<const AbiValue*>& values) {
    size_t head = 0;
    for (const AbiType* t : types) head += t->head_size();
    Bytes tails;
    for (size_t i = 0; i < types.size(); ++i) {
        if (types[i]->is_dynamic()) {
            put_word(out, U256(head + tails.size()));
            encode_value(tails, *types[i], *values[i]);
        } else {
            encode_value(out, *types[i], *values[i]);
        }
    }
    out.insert(out.end(), tails.begin(), tails.end());
}

// Strict decoding of one value whose head starts at `head` inside `region`.
class Decoder {
public:
    explicit Decoder(ByteView data) : data_(data) {}

    Expected<AbiValue, AbiError> value(const AbiType& t, size_t region, size_t head, const std::string& path) {
        // A dynamic value's head is an offset, relative to the start of its enclosing sequence.
        if (!t.is_dynamic()) return at(t, region + head, path);
        auto off = word(region + head, path);
        if (!off) return Unexpected{off.error()};
        if (!off->fits_u64() || off->low_u64() > data_.size() - region)
            return fail(path, "offset " + off->dec() + " points outside the data");
        return at(t, region + off->low_u64(), path);
    }

private:
    // The value itself (its tail, for dynamic types) at absolute position `pos`.
    Expected<AbiValue, AbiError> at(const AbiType& t, size_t pos, const std::string& path) {
        switch (t.kind) {
            case AbiType::kUint: {
                auto w = word(pos, path);
                if (!w) return Unexpected{w.error()};
                if (t.size < 256 && w->bit_length() > t.size) return fail(path, "value does not fit " + t.canonical() + " (dirty high bits)");
                return AbiValue(*w);
            }
            case AbiType::kInt: {
                auto w = word(pos, path);
                if (!w) return Unexpected{w.error()};
                if (t.size < 256 && (is_negative(*w) ? *w < int_min(t.size) : *w > int_max(t.size)))
                    return fail(path, "value is not a sign-extended " + t.canonical());
                return AbiValue(*w);
            }
            case AbiType::kAddress: {
                auto w = word(pos, path);
                if (!w) return Unexpected{w.error()};
                if (w->bit_length() > 160) return fail(path, "address has non-zero high bytes");
                Address a;
                std::memcpy(a.bytes.data(), data_.data() + pos + 12, 20);
                return AbiValue(a);
            }
            case AbiType::kBool: {
                auto w = word(pos, path);
                if (!w) return Unexpected{w.error()};
                if (*w > U256(1)) return fail(path, "bool is neither 0 nor 1");
                return AbiValue(*w == U256(1));
            }
            case AbiType::kFixedBytes: {
                if (!room(pos, 32)) return fail(path, "data too short for " + t.canonical());
                if (std::any_of(data_.begin() + static_cast<long>(pos + t.size), data_.begin() + static_cast<long>(pos + 32),
                                [](uint8_t b) { return b != 0; }))
                    return fail(path, t.canonical() + " has non-zero padding");
                return AbiValue(Bytes(data_.begin() + static_cast<long>(pos), data_.begin() + static_cast<long>(pos + t.size)));
            }
            case AbiType::kBytes:
            case AbiType::kString: {
                auto len = word(pos, path);
                if (!len) return Unexpected{len.error()};
                if (!len->fits_u64() || !room(pos + 32, len->low_u64()))
                    return fail(path, "length " + len->dec() + " runs past the end of the data");
                const auto first = data_.begin() + static_cast<long>(pos + 32);
                const auto last = first + static_cast<long>(len->low_u64());
                if (t.kind == AbiType::kBytes) return AbiValue(Bytes(first, last));
                return AbiValue(std::string(first, last));
            }
            case AbiType::kArray:
            case AbiType::kFixedArray:
            case AbiType::kTuple: {
                size_t count = t.kind == AbiType::kTuple ? t.components.size() : t.size;
                size_t region = pos;
                if (t.kind == AbiType::kArray) {
                    auto len = word(pos, path);
                    if (!len) return Unexpected{len.error()};
                    region = pos + 32;
                    // Every element takes at least 32 bytes of head: a larger count is a lie.
                    if (!len->fits_u64() || !room(region, len->low_u64() * 32) || len->low_u64() > data_.size())
                        return fail(path, "array length " + len->dec() + " runs past the end of the data");
                    count = len->low_u64();
                } else if (t.kind == AbiType::kFixedArray && (region > data_.size() || count > (data_.size() - region) / 32)) {
                    // Same bound for T[N]: N elements need N words at least. The count comes from
                    // the type text, which is hostile too: "uint8[999999999]" against 64 bytes
                    // must not reserve 40 GB (found by the abi_text fuzz target, out-of-memory).
                    return fail(path, "data too short for " + t.canonical());
                }
                AbiValue::List items;
                items.reserve(count);
                size_t head = 0;
                for (size_t i = 0; i < count; ++i) {
                    const AbiType& et = t.kind == AbiType::kTuple ? t.components[i] : t.components[0];
                    const std::string sub = path + (t.kind == AbiType::kTuple ? "." + std::to_string(i) : "[" + std::to_string(i) + "]");
                    auto item = value(et, region, head, sub);
                    if (!item) return item;
                    items.push_back(std::move(*item));
                    head += et.head_size();
                }
                return AbiValue(std::move(items));
            }
        }
        return fail(path, "unknown type");
    }

    bool room(size_t pos, uint64_t n) const { return pos <= data_.size() && n <= data_.size() - pos; }

    Expected<U256, AbiError> word(size_t pos, const std::string& path) {
        if (!room(pos, 32)) return fail(path, "data too short (needs 32 bytes at offset " + std::to_string(pos) + ")");
        return *U256::from_be(data_.subspan(pos, 32));
    }

    ByteView data_;
};

}  // namespace

Expected<void, AbiError> abi_check(const AbiType& type, const AbiValue& value, const std::string& path) { return check(type, value, path); }

Expected<Bytes, AbiError> abi_encode(const std::vector<AbiType>& types, const std::vector<AbiValue>& values) {
    if (types.size() != values.size())
        return fail("", "expected " + std::to_string(types.size()) + " values, got " + std::to_string(values.size()));
    std::vector<const AbiType*> tp;
    std::vector<const AbiValue*> vp;
    for (size_t i = 0; i < types.size(); ++i) {
        auto ok = check(types[i], values[i], "arg " + std::to_string(i));
        if (!ok) return Unexpected{ok.error()};
        tp.push_back(&types[i]);
        vp.push_back(&values[i]);
    }
    Bytes out;
    encode_sequence(out, tp, vp);
    return out;
}

Expected<Bytes, AbiError> abi_encode_call(const AbiSignature& sig, const std::vector<AbiValue>& args) {
    auto body = abi_encode(sig.input_types(), args);
    if (!body) return body;
    const auto sel = sig.selector();
    Bytes out(sel.begin(), sel.end());
    out.insert(out.end(), body->begin(), body->end());
    return out;
}

Expected<std::vector<AbiValue>, AbiError> abi_decode(const std::vector<AbiType>& types, ByteView data) {
    Decoder d(data);
    std::vector<AbiValue> out;
    size_t head = 0;
    for (size_t i = 0; i < types.size(); ++i) {
        auto v = d.value(types[i], 0, head, "value " + std::to_string(i));
        if (!v) return Unexpected{v.error()};
        out.push_back(std::move(*v));
        head += types[i].head_size();
    }
    return out;
}

}  // namespace cvex::chain
