#include "chain/encoding/abi_events.hpp"

#include <cstring>

#include "chain/encoding/abi_codec.hpp"
#include "chain/encoding/abi_text.hpp"
#include "chain/encoding/known_errors.hpp"

namespace cvex::chain {

namespace {
constexpr std::array<uint8_t, 4> kErrorSelector = {0x08, 0xc3, 0x79, 0xa0};  // Error(string)
constexpr std::array<uint8_t, 4> kPanicSelector = {0x4e, 0x48, 0x7b, 0x71};  // Panic(uint256)

bool is_hashed_when_indexed(const AbiType& t) {
    return t.kind == AbiType::kString || t.kind == AbiType::kBytes || t.kind == AbiType::kArray || t.kind == AbiType::kFixedArray ||
           t.kind == AbiType::kTuple;
}
}  // namespace

Expected<std::vector<DecodedParam>, AbiError> decode_log(const AbiSignature& event, const std::vector<Hash32>& topics, ByteView data) {
    if (topics.empty() || topics[0] != event.topic())
        return Unexpected{AbiError{"topic 0", "not the topic of " + event.canonical()}};
    std::vector<AbiType> data_types;
    size_t indexed = 0;
    for (const auto& p : event.inputs) {
        if (p.indexed) ++indexed;
        else data_types.push_back(p.type);
    }
    if (topics.size() != indexed + 1)
        return Unexpected{AbiError{"topics", event.canonical() + " has " + std::to_string(indexed) + " indexed parameters, the log " +
                                                 std::to_string(topics.size() - 1) + " topics"}};
    auto data_values = abi_decode(data_types, data);
    if (!data_values) return Unexpected{data_values.error()};
    std::vector<DecodedParam> out;
    size_t topic = 1, datum = 0;
    for (const auto& p : event.inputs) {
        DecodedParam d{p.name, p.type, {}, p.indexed, false};
        if (!p.indexed) {
            d.value = (*data_values)[datum++];
        } else if (is_hashed_when_indexed(p.type)) {
            d.hashed = true;
            d.value = AbiValue(Bytes(topics[topic].bytes.begin(), topics[topic].bytes.end()));
            ++topic;
        } else {
            auto v = abi_decode({p.type}, topics[topic].bytes);
            if (!v) return Unexpected{AbiError{"topic " + std::to_string(topic), v.error().detail}};
            d.value = (*v)[0];
            ++topic;
        }
        out.push_back(std::move(d));
    }
    return out;
}

std::string panic_meaning(uint64_t code) {
    switch (code) {
        case 0x00: return "generic compiler panic";
        case 0x01: return "assertion failed";
        case 0x11: return "arithmetic overflow or underflow";
        case 0x12: return "division or modulo by zero";
        case 0x21: return "invalid enum value";
        case 0x22: return "corrupt storage byte array";
        case 0x31: return "pop on an empty array";
        case 0x32: return "array index out of bounds";
        case 0x41: return "out of memory";
        case 0x51: return "call to a zero-initialized internal function";
        default: return "unknown panic code";
    }
}

RevertReason decode_revert(ByteView data, const std::vector<AbiSignature>& custom_errors) {
    RevertReason r;
    r.raw.assign(data.begin(), data.end());
    if (data.empty()) {
        r.text = "reverted without a reason";
        return r;
    }
    r.kind = RevertReason::kUnknown;
    r.text = "reverted with unknown data " + to_hex(data);
    if (data.size() < 4) return r;
    std::array<uint8_t, 4> sel;
    std::memcpy(sel.data(), data.data(), 4);
    const ByteView body = data.subspan(4);
    if (sel == kErrorSelector) {
        auto v = abi_decode({AbiType::string()}, body);
        if (!v) return r;
        r.kind = RevertReason::kError, r.name = "Error", r.args = *v;
        r.text = "Error(" + format_abi_value(AbiType::string(), (*v)[0]) + ")";
        return r;
    }
    if (sel == kPanicSelector) {
        auto v = abi_decode({AbiType::uint()}, body);
        if (!v) return r;
        r.kind = RevertReason::kPanic, r.name = "Panic", r.args = *v;
        const U256& code = (*v)[0].word();
        r.text = "Panic(" + code.hex() + ": " + panic_meaning(code.fits_u64() ? code.low_u64() : ~0ull) + ")";
        return r;
    }
    // The caller's errors first, then every registered one (known_errors.hpp): all cvex contracts'.
    const auto decode_with = [&](const std::vector<AbiSignature>& errors) {
        for (const auto& e : errors) {
            if (e.selector() != sel) continue;
            auto v = abi_decode(e.input_types(), body);
            if (!v) continue;
            r.kind = RevertReason::kCustom, r.name = e.name, r.args = *v;
            r.text = e.name + "(";
            for (size_t i = 0; i < v->size(); ++i) {
                if (i) r.text += ", ";
                r.text += format_abi_value(e.inputs[i].type, (*v)[i]);
            }
            r.text += ")";
            return true;
        }
        return false;
    };
    if (decode_with(custom_errors) || decode_with(*known_errors())) return r;
    // As cast prints an error it has no signature for: the selector, then the raw arguments.
    r.text = "custom error " + to_hex(sel) + (body.empty() ? "" : ": " + to_hex(body));
    return r;
}

}  // namespace cvex::chain
