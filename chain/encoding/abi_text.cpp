#include "chain/encoding/abi_text.hpp"

#include <cctype>

#include "chain/encoding/abi_codec.hpp"
#include "chain/types/units.hpp"

namespace cvex::chain {

namespace {

Unexpected<AbiError> fail(const std::string& path, std::string message) { return Unexpected{AbiError{path, std::move(message)}}; }

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

// Splits "a, [b, c], (d, e), \"f, g\"" at top-level commas.
Expected<std::vector<std::string_view>, AbiError> split_items(std::string_view inner, const std::string& path) {
    std::vector<std::string_view> items;
    if (trim(inner).empty()) return items;
    int depth = 0;
    bool quoted = false;
    size_t start = 0;
    for (size_t i = 0; i < inner.size(); ++i) {
        const char c = inner[i];
        if (quoted) {
            if (c == '\\') ++i;
            else if (c == '"') quoted = false;
            continue;
        }
        if (c == '"') quoted = true;
        else if (c == '[' || c == '(') ++depth;
        else if (c == ']' || c == ')') --depth;
        else if (c == ',' && depth == 0) {
            items.push_back(trim(inner.substr(start, i - start)));
            start = i + 1;
        }
        if (depth < 0) return fail(path, "unbalanced brackets");
    }
    if (depth != 0 || quoted) return fail(path, "unbalanced brackets or quotes");
    items.push_back(trim(inner.substr(start)));
    return items;
}

std::string unquote(std::string_view s) {
    if (s.size() < 2 || s.front() != '"' || s.back() != '"') return std::string(s);
    std::string out;
    for (size_t i = 1; i + 1 < s.size(); ++i) {
        if (s[i] == '\\' && i + 2 < s.size()) ++i;
        out.push_back(s[i]);
    }
    return out;
}

// Rust's {:?} for str, which cast uses.
std::string debug_quote(const std::string& s) {
    std::string out = "\"";
    for (unsigned char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            case '\0': out += "\\0"; break;
            default:
                if (c < 0x20 || c == 0x7f) {
                    static const char* hex = "0123456789abcdef";
                    out += "\\u{";
                    if (c >= 0x10) out.push_back(hex[c >> 4]);
                    out.push_back(hex[c & 0xf]);
                    out += "}";
                } else {
                    out.push_back(static_cast<char>(c));
                }
        }
    }
    return out + "\"";
}

// cast's hint for large numbers: 123456 → "1.234e5" (four significant digits, truncated).
std::string magnitude_hint(const std::string& digits) {
    std::string mantissa = digits.substr(0, 1);
    std::string frac = digits.substr(1, 3);
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
    if (!frac.empty()) mantissa += "." + frac;
    return mantissa + "e" + std::to_string(digits.size() - 1);
}

std::string format_integer(const U256& w, bool is_signed) {
    const bool negative = is_signed && w.bit(255);
    const std::string digits = negative ? (~w).wrapping_add(1).dec() : w.dec();
    std::string out = (negative ? "-" : "") + digits;
    if (digits.size() >= 5) out += " [" + std::string(negative ? "-" : "") + magnitude_hint(digits) + "]";
    return out;
}

// A signed integer: its magnitude as parse_amount reads it, negated in two's complement.
Expected<AbiValue, AbiError> parse_int(const AbiType& t, std::string_view text, const std::string& path) {
    const bool negative = !text.empty() && text[0] == '-';
    auto v = parse_amount(negative ? text.substr(1) : text);
    if (!v) return fail(path, v.error().message());
    if (negative && v->bit(255) && *v != (U256(1) << 255)) return fail(path, "value does not fit int256");
    if (!negative && v->bit(255)) return fail(path, "value does not fit " + t.canonical());
    return AbiValue(negative ? (~*v).wrapping_add(1) : *v);
}

// An array "[a, b]" or a tuple "(a, b)": each item parsed as its element or component type.
Expected<AbiValue, AbiError> parse_list(const AbiType& t, std::string_view text, const std::string& path) {
    const bool tuple = t.kind == AbiType::kTuple;
    const char open = tuple ? '(' : '[', close = tuple ? ')' : ']';
    if (text.size() < 2 || text.front() != open || text.back() != close)
        return fail(path, std::string("expected ") + open + "..." + close + " for " + t.canonical() + ", got '" + std::string(text) + "'");
    auto items = split_items(text.substr(1, text.size() - 2), path);
    if (!items) return Unexpected{items.error()};
    AbiValue::List list;
    for (size_t i = 0; i < items->size(); ++i) {
        if (tuple && i >= t.components.size()) break;  // the check below reports the count
        const AbiType& et = tuple ? t.components[i] : t.components[0];
        auto v = parse_abi_value(et, (*items)[i], path + (tuple ? "." + std::to_string(i) : "[" + std::to_string(i) + "]"));
        if (!v) return v;
        list.push_back(std::move(*v));
    }
    if (tuple && items->size() != t.components.size())
        return fail(path, t.canonical() + " needs " + std::to_string(t.components.size()) + " members, got " + std::to_string(items->size()));
    return AbiValue(std::move(list));
}

}  // namespace

Expected<AbiValue, AbiError> parse_abi_value(const AbiType& t, std::string_view raw, const std::string& path) {
    const std::string_view text = trim(raw);
    Expected<AbiValue, AbiError> result = AbiValue{};
    switch (t.kind) {
        case AbiType::kUint: {
            auto v = parse_amount(text);
            if (!v) return fail(path, v.error().message());
            result = AbiValue(*v);
            break;
        }
        case AbiType::kInt: result = parse_int(t, text, path); break;
        case AbiType::kAddress: {
            auto a = Address::parse(text);
            if (!a) return fail(path, std::string(to_string(a.error())) + ": '" + std::string(text) + "'");
            result = AbiValue(*a);
            break;
        }
        case AbiType::kBool:
            if (text == "true") result = AbiValue(true);
            else if (text == "false") result = AbiValue(false);
            else return fail(path, "expected true or false, got '" + std::string(text) + "'");
            break;
        case AbiType::kFixedBytes:
        case AbiType::kBytes: {
            auto b = from_hex(unquote(text));
            if (!b || unquote(text).rfind("0x", 0) != 0) return fail(path, "expected 0x-prefixed hex, got '" + std::string(text) + "'");
            result = AbiValue(std::move(*b));
            break;
        }
        case AbiType::kString: result = AbiValue(unquote(text)); break;
        case AbiType::kArray:
        case AbiType::kFixedArray:
        case AbiType::kTuple: result = parse_list(t, text, path); break;
    }
    if (!result) return result;
    auto ok = abi_check(t, *result, path);
    if (!ok) return Unexpected{ok.error()};
    return result;
}

std::string format_abi_value(const AbiType& t, const AbiValue& v) {
    switch (t.kind) {
        case AbiType::kUint: return format_integer(v.word(), false);
        case AbiType::kInt: return format_integer(v.word(), true);
        case AbiType::kAddress: return v.address().checksum_hex();
        case AbiType::kBool: return v.boolean() ? "true" : "false";
        case AbiType::kFixedBytes:
        case AbiType::kBytes: return to_hex(v.bytes());
        case AbiType::kString: return debug_quote(v.string());
        case AbiType::kArray:
        case AbiType::kFixedArray:
        case AbiType::kTuple: {
            std::string s(1, t.kind == AbiType::kTuple ? '(' : '[');
            for (size_t i = 0; i < v.list().size(); ++i) {
                if (i) s += ", ";
                s += format_abi_value(t.kind == AbiType::kTuple ? t.components[i] : t.components[0], v.list()[i]);
            }
            s.push_back(t.kind == AbiType::kTuple ? ')' : ']');
            return s;
        }
    }
    return "";
}

}  // namespace cvex::chain
