#include "chain/encoding/abi_type.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "chain/crypto/keccak.hpp"

namespace cvex::chain {

namespace {

bool is_ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$'; }

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

AbiError error_at(std::string_view whole, size_t pos, std::string message) {
    return {"at position " + std::to_string(pos) + " of '" + std::string(whole) + "'", std::move(message)};
}

// Types nest at most this deep, counting tuples and array dimensions alike: Solidity code never
// comes near it, and the recursive descent (and every encoder and decoder after it, which recurse
// over the type) must not exhaust the stack on hostile text such as 1,300 '(' or "uint8" followed
// by 50,000 "[]" (both found by the abi_text fuzz target under ASan).
constexpr size_t kMaxTupleNesting = 64;

// How many tuples and array dimensions `t` nests (an elementary type is 0). Only called on types
// whose parts the parser already bounded, so this recursion is at most kMaxTupleNesting deep.
size_t nesting(const AbiType& t) {
    if (t.components.empty()) return 0;
    size_t inner = 0;
    for (const auto& c : t.components) inner = std::max(inner, nesting(c));
    return inner + 1;
}

// A static type's head can exceed any real calldata (uint8[999999999][999999999] is 3.2e19
// bytes, past size_t): head_size() saturates here, far above any data yet far below overflow
// when offsets are added to it, so every bounds check against the data simply fails.
constexpr size_t kHeadSizeCap = size_t{1} << 48;

// A recursive-descent parser over one type or parameter list; `pos_` indexes `text_`.
class Parser {
public:
    explicit Parser(std::string_view text) : text_(text) {}

    Expected<AbiType, AbiError> type() {
        skip_space();
        AbiType t;
        if (peek() == '(') {
            auto members = param_list();
            if (!members) return Unexpected{members.error()};
            std::vector<AbiType> types;
            for (auto& p : *members) types.push_back(std::move(p.type));
            t = AbiType::tuple(std::move(types));
            if (nesting(t) > kMaxTupleNesting)
                return Unexpected{error_at(text_, pos_, "types nested deeper than " + std::to_string(kMaxTupleNesting))};
        } else {
            const size_t start = pos_;
            while (pos_ < text_.size() && is_ident_char(text_[pos_])) ++pos_;
            auto base = elementary(text_.substr(start, pos_ - start), start);
            if (!base) return Unexpected{base.error()};
            t = *base;
        }
        // Array suffixes, innermost first: "uint8[2][]" is a dynamic array of uint8[2].
        while (peek() == '[') {
            ++pos_;
            const size_t start = pos_;
            while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) ++pos_;
            if (peek() != ']') return Unexpected{error_at(text_, pos_, "expected ']'")};
            const std::string digits(text_.substr(start, pos_ - start));
            ++pos_;
            if (digits.empty()) {
                t = AbiType::array(std::move(t));
            } else {
                if (digits.size() > 9 || (digits.size() > 1 && digits[0] == '0'))
                    return Unexpected{error_at(text_, start, "bad array length '" + digits + "'")};
                const unsigned n = static_cast<unsigned>(std::stoul(digits));
                if (n == 0) return Unexpected{error_at(text_, start, "a fixed array needs a length above zero")};
                t = AbiType::fixed_array(std::move(t), n);
            }
            if (nesting(t) > kMaxTupleNesting)
                return Unexpected{error_at(text_, start, "types nested deeper than " + std::to_string(kMaxTupleNesting))};
        }
        return t;
    }

    // "(T name, T indexed name, ...)"
    Expected<std::vector<AbiParam>, AbiError> param_list() {
        skip_space();
        if (peek() != '(') return Unexpected{error_at(text_, pos_, "expected '('")};
        if (depth_ == kMaxTupleNesting)
            return Unexpected{error_at(text_, pos_, "tuples nested deeper than " + std::to_string(kMaxTupleNesting))};
        ++pos_;
        ++depth_;
        auto params = param_list_body();
        --depth_;
        return params;
    }

    Expected<std::vector<AbiParam>, AbiError> param_list_body() {
        std::vector<AbiParam> params;
        skip_space();
        if (peek() == ')') {
            ++pos_;
            return params;
        }
        for (;;) {
            auto t = type();
            if (!t) return Unexpected{t.error()};
            AbiParam p{std::move(*t), "", false};
            // Optional "indexed", data location and name.
            for (;;) {
                skip_space();
                const size_t start = pos_;
                while (pos_ < text_.size() && is_ident_char(text_[pos_])) ++pos_;
                const std::string_view word = text_.substr(start, pos_ - start);
                if (word.empty()) break;
                if (word == "indexed") p.indexed = true;
                else if (word == "memory" || word == "calldata" || word == "storage") continue;
                else if (p.name.empty()) p.name = std::string(word);
                else return Unexpected{error_at(text_, start, "unexpected word '" + std::string(word) + "'")};
            }
            params.push_back(std::move(p));
            skip_space();
            if (peek() == ',') {
                ++pos_;
                continue;
            }
            if (peek() == ')') {
                ++pos_;
                return params;
            }
            return Unexpected{error_at(text_, pos_, "expected ',' or ')'")};
        }
    }

    Expected<std::string, AbiError> identifier() {
        skip_space();
        const size_t start = pos_;
        while (pos_ < text_.size() && is_ident_char(text_[pos_])) ++pos_;
        return std::string(text_.substr(start, pos_ - start));
    }

    bool at_end() {
        skip_space();
        return pos_ == text_.size();
    }
    size_t pos() const { return pos_; }
    char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }

private:
    void skip_space() {
        while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    }

    Expected<AbiType, AbiError> elementary(std::string_view w, size_t at) {
        auto number = [&](std::string_view digits, unsigned& out) {
            if (digits.empty() || digits.size() > 3 || digits[0] == '0') return false;
            for (char c : digits)
                if (!std::isdigit(static_cast<unsigned char>(c))) return false;
            out = static_cast<unsigned>(std::stoul(std::string(digits)));
            return true;
        };
        if (w == "address") return AbiType::address();
        if (w == "bool") return AbiType::boolean();
        if (w == "string") return AbiType::string();
        if (w == "bytes") return AbiType::bytes();
        if (w == "uint") return AbiType::uint(256);  // aliases (ABI spec: uint = uint256)
        if (w == "int") return AbiType::int_(256);
        if (w == "byte") return AbiType::fixed_bytes(1);
        unsigned n = 0;
        if (w.rfind("uint", 0) == 0 || (w.rfind("int", 0) == 0)) {
            const bool is_unsigned = w[0] == 'u';
            if (number(w.substr(is_unsigned ? 4 : 3), n) && n % 8 == 0 && n >= 8 && n <= 256)
                return is_unsigned ? AbiType::uint(n) : AbiType::int_(n);
            return Unexpected{error_at(text_, at, "'" + std::string(w) + "': integer width must be 8..256 in steps of 8")};
        }
        if (w.rfind("bytes", 0) == 0) {
            if (number(w.substr(5), n) && n >= 1 && n <= 32) return AbiType::fixed_bytes(n);
            return Unexpected{error_at(text_, at, "'" + std::string(w) + "': bytesN needs 1 <= N <= 32")};
        }
        if (w.empty()) return Unexpected{error_at(text_, at, "expected a type")};
        return Unexpected{error_at(text_, at, "unknown type '" + std::string(w) + "'")};
    }

    std::string_view text_;
    size_t pos_ = 0;
    size_t depth_ = 0;  // tuples open at pos_
};

}  // namespace

std::string AbiType::canonical() const {
    switch (kind) {
        case kUint: return "uint" + std::to_string(size);
        case kInt: return "int" + std::to_string(size);
        case kAddress: return "address";
        case kBool: return "bool";
        case kFixedBytes: return "bytes" + std::to_string(size);
        case kBytes: return "bytes";
        case kString: return "string";
        case kArray: return components[0].canonical() + "[]";
        case kFixedArray: return components[0].canonical() + "[" + std::to_string(size) + "]";
        case kTuple: {
            std::string s = "(";
            for (size_t i = 0; i < components.size(); ++i) {
                if (i) s.push_back(',');
                s.append(components[i].canonical());
            }
            s.push_back(')');
            return s;
        }
    }
    return "";
}

bool AbiType::is_dynamic() const {
    switch (kind) {
        case kBytes:
        case kString:
        case kArray: return true;
        case kFixedArray: return components[0].is_dynamic();
        case kTuple:
            for (const auto& c : components)
                if (c.is_dynamic()) return true;
            return false;
        default: return false;
    }
}

size_t AbiType::head_size() const {
    if (is_dynamic()) return 32;
    if (kind == kFixedArray) {
        const size_t element = components[0].head_size();
        return element > kHeadSizeCap / size ? kHeadSizeCap : size * element;
    }
    if (kind == kTuple) {
        size_t n = 0;
        for (const auto& c : components) n = std::min(kHeadSizeCap, n + c.head_size());
        return n;
    }
    return 32;
}

std::string AbiSignature::canonical() const {
    std::string s = name + "(";
    for (size_t i = 0; i < inputs.size(); ++i) {
        if (i) s.push_back(',');
        s.append(inputs[i].type.canonical());
    }
    s.push_back(')');
    return s;
}

std::vector<AbiType> AbiSignature::input_types() const {
    std::vector<AbiType> out;
    for (const auto& p : inputs) out.push_back(p.type);
    return out;
}

std::vector<AbiType> AbiSignature::output_types() const {
    std::vector<AbiType> out;
    for (const auto& p : outputs) out.push_back(p.type);
    return out;
}

std::array<uint8_t, 4> AbiSignature::selector() const {
    const Hash32 h = keccak256(as_view(canonical()));
    return {h.bytes[0], h.bytes[1], h.bytes[2], h.bytes[3]};
}

Hash32 AbiSignature::topic() const { return keccak256(as_view(canonical())); }

Expected<AbiType, AbiError> parse_abi_type(std::string_view text) {
    Parser p(trim(text));
    auto t = p.type();
    if (!t) return t;
    if (!p.at_end()) return Unexpected{error_at(trim(text), p.pos(), "unexpected text after the type")};
    return t;
}

Expected<AbiSignature, AbiError> parse_abi_signature(std::string_view text) {
    const std::string_view t = trim(text);
    Parser p(t);
    AbiSignature sig;
    auto name = p.identifier();
    sig.name = *name;
    if (!sig.name.empty() && std::isdigit(static_cast<unsigned char>(sig.name[0])))
        return Unexpected{error_at(t, 0, "a name cannot start with a digit: '" + sig.name + "'")};
    auto inputs = p.param_list();
    if (!inputs) return Unexpected{inputs.error()};
    sig.inputs = std::move(*inputs);
    if (!p.at_end() && p.peek() == '(') {
        auto outputs = p.param_list();
        if (!outputs) return Unexpected{outputs.error()};
        sig.outputs = std::move(*outputs);
    }
    if (!p.at_end()) {
        // "f(uint256) returns (bool)" as Solidity writes it.
        auto word = p.identifier();
        if (*word == "returns") {
            auto outputs = p.param_list();
            if (!outputs) return Unexpected{outputs.error()};
            sig.outputs = std::move(*outputs);
        }
        if (!p.at_end()) return Unexpected{error_at(t, p.pos(), "unexpected text after the signature")};
    }
    return sig;
}

}  // namespace cvex::chain
