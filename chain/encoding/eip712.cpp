#include "chain/encoding/eip712.hpp"

#include <set>

#include "chain/encoding/abi_type.hpp"
#include "chain/crypto/keccak.hpp"
#include "chain/types/units.hpp"

namespace cvex::chain {

namespace {

using json = nlohmann::json;

Unexpected<Eip712Error> fail(const std::string& path, std::string message) { return Unexpected{Eip712Error{path, std::move(message)}}; }

// "Person[]" → "Person"; "uint256[2][]" → "uint256".
std::string base_type(const std::string& type) { return type.substr(0, type.find('[')); }

void collect(const Eip712Types& types, const std::string& type, std::set<std::string>& seen) {
    const std::string base = base_type(type);
    if (!types.count(base) || seen.count(base)) return;
    seen.insert(base);
    for (const auto& f : types.at(base)) collect(types, f.type, seen);
}

void put_word(Bytes& out, const std::array<uint8_t, 32>& w) { out.insert(out.end(), w.begin(), w.end()); }

Expected<U256, Eip712Error> integer(const json& v, const std::string& path) {
    if (v.is_number_unsigned()) return U256(v.get<uint64_t>());
    if (v.is_number_integer()) {
        const int64_t x = v.get<int64_t>();
        return x < 0 ? ~U256(static_cast<uint64_t>(-(x + 1))) : U256(static_cast<uint64_t>(x));
    }
    if (v.is_string()) {
        std::string s = v.get<std::string>();
        const bool negative = !s.empty() && s[0] == '-';
        auto parsed = parse_amount(negative ? s.substr(1) : s);
        if (!parsed) return fail(path, parsed.error().message());
        return negative ? (~*parsed).wrapping_add(1) : *parsed;
    }
    return fail(path, "expected an integer, got " + v.dump());
}

Expected<std::array<uint8_t, 32>, Eip712Error> encode_value(const Eip712Types& types, const std::string& type, const json& v,
                                                            const std::string& path);

Expected<Bytes, Eip712Error> encode_data_impl(const Eip712Types& types, const std::string& type, const json& data, const std::string& path) {
    auto th = eip712_type_hash(types, type);
    if (!th) return Unexpected{th.error()};
    if (!data.is_object()) return fail(path, "expected an object for " + type);
    Bytes out;
    put_word(out, th->bytes);
    for (const auto& f : types.at(type)) {
        const std::string sub = path + "." + f.name;
        if (!data.contains(f.name)) return fail(sub, "missing field of type " + f.type);
        auto w = encode_value(types, f.type, data.at(f.name), sub);
        if (!w) return Unexpected{w.error()};
        put_word(out, *w);
    }
    return out;
}

Expected<std::array<uint8_t, 32>, Eip712Error> encode_value(const Eip712Types& types, const std::string& type, const json& v,
                                                            const std::string& path) {
    // Arrays: keccak256 of the concatenated encodings of their elements (eth_signTypedData_v4).
    if (!type.empty() && type.back() == ']') {
        if (!v.is_array()) return fail(path, "expected an array for " + type);
        const std::string element = type.substr(0, type.rfind('['));
        const std::string len = type.substr(type.rfind('[') + 1, type.size() - type.rfind('[') - 2);
        if (!len.empty() && std::to_string(v.size()) != len) return fail(path, type + " needs " + len + " elements, got " + std::to_string(v.size()));
        Bytes concat;
        for (size_t i = 0; i < v.size(); ++i) {
            auto w = encode_value(types, element, v[i], path + "[" + std::to_string(i) + "]");
            if (!w) return w;
            put_word(concat, *w);
        }
        return keccak256(concat).bytes;
    }
    if (types.count(type)) {
        auto d = encode_data_impl(types, type, v, path);
        if (!d) return Unexpected{d.error()};
        return keccak256(*d).bytes;
    }
    if (type == "string") {
        if (!v.is_string()) return fail(path, "expected a string");
        return keccak256(as_view(v.get<std::string>())).bytes;
    }
    if (type == "bytes") {
        auto b = v.is_string() ? from_hex(v.get<std::string>()) : std::nullopt;
        if (!b) return fail(path, "expected 0x-hex bytes");
        return keccak256(*b).bytes;
    }
    auto atomic = parse_abi_type(type);
    if (!atomic) return fail(path, "unknown type '" + type + "'");
    std::array<uint8_t, 32> w{};
    switch (atomic->kind) {
        case AbiType::kUint:
        case AbiType::kInt: {
            auto x = integer(v, path);
            if (!x) return Unexpected{x.error()};
            return x->to_be();
        }
        case AbiType::kAddress: {
            auto a = v.is_string() ? Address::parse(v.get<std::string>()) : Unexpected{AddressError::kBadHex};
            if (!a) return fail(path, "expected an address");
            std::copy(a->bytes.begin(), a->bytes.end(), w.begin() + 12);
            return w;
        }
        case AbiType::kBool:
            if (!v.is_boolean()) return fail(path, "expected true or false");
            w[31] = v.get<bool>() ? 1 : 0;
            return w;
        case AbiType::kFixedBytes: {
            auto b = v.is_string() ? from_hex(v.get<std::string>()) : std::nullopt;
            if (!b || b->size() != atomic->size) return fail(path, "expected " + std::to_string(atomic->size) + " bytes of hex");
            std::copy(b->begin(), b->end(), w.begin());
            return w;
        }
        default: return fail(path, "unsupported type '" + type + "'");
    }
}

}  // namespace

Expected<TypedData, Eip712Error> parse_typed_data(const json& j) {
    if (!j.is_object()) return fail("", "typed data must be a JSON object");
    for (const char* key : {"types", "primaryType", "domain", "message"})
        if (!j.contains(key)) return fail(key, "missing");
    TypedData td;
    for (const auto& [name, fields] : j.at("types").items()) {
        if (!fields.is_array()) return fail("types." + name, "must be a list of {name, type}");
        auto& list = td.types[name];
        for (const auto& f : fields) {
            if (!f.is_object() || !f.contains("name") || !f.contains("type") || !f.at("name").is_string() || !f.at("type").is_string())
                return fail("types." + name, "each field needs a string name and type");
            list.push_back({f.at("name").get<std::string>(), f.at("type").get<std::string>()});
        }
    }
    if (!j.at("primaryType").is_string()) return fail("primaryType", "must be a string");
    td.primary_type = j.at("primaryType").get<std::string>();
    if (!td.types.count(td.primary_type)) return fail("primaryType", "'" + td.primary_type + "' is not among the types");
    if (!td.types.count("EIP712Domain")) return fail("types.EIP712Domain", "missing");
    td.domain = j.at("domain");
    td.message = j.at("message");
    return td;
}

Expected<std::string, Eip712Error> eip712_encode_type(const Eip712Types& types, const std::string& type) {
    if (!types.count(type)) return fail("types", "unknown type '" + type + "'");
    std::set<std::string> deps;
    collect(types, type, deps);
    deps.erase(type);
    auto one = [&](const std::string& name) {
        std::string s = name + "(";
        const auto& fields = types.at(name);
        for (size_t i = 0; i < fields.size(); ++i) s += (i ? "," : "") + fields[i].type + " " + fields[i].name;
        return s + ")";
    };
    std::string out = one(type);
    for (const auto& d : deps) out += one(d);  // std::set iterates in sorted order
    return out;
}

Expected<Hash32, Eip712Error> eip712_type_hash(const Eip712Types& types, const std::string& type) {
    auto enc = eip712_encode_type(types, type);
    if (!enc) return Unexpected{enc.error()};
    return keccak256(as_view(*enc));
}

Expected<Bytes, Eip712Error> eip712_encode_data(const Eip712Types& types, const std::string& type, const json& data) {
    return encode_data_impl(types, type, data, type == "EIP712Domain" ? "domain" : "message");
}

Expected<Hash32, Eip712Error> eip712_hash_struct(const Eip712Types& types, const std::string& type, const json& data) {
    auto d = eip712_encode_data(types, type, data);
    if (!d) return Unexpected{d.error()};
    return keccak256(*d);
}

Expected<Hash32, Eip712Error> eip712_domain_separator(const TypedData& td) { return eip712_hash_struct(td.types, "EIP712Domain", td.domain); }

Expected<Hash32, Eip712Error> eip712_signing_hash(const TypedData& td) {
    auto ds = eip712_domain_separator(td);
    if (!ds) return ds;
    auto hs = eip712_hash_struct(td.types, td.primary_type, td.message);
    if (!hs) return hs;
    return eip712_digest(*ds, *hs);
}

Hash32 eip712_domain_separator(const std::string& name, const std::string& version, uint64_t chain_id, const Address& verifying_contract) {
    Bytes enc;
    put_word(enc, keccak256(as_view("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")).bytes);
    put_word(enc, keccak256(as_view(name)).bytes);
    put_word(enc, keccak256(as_view(version)).bytes);
    put_word(enc, U256(chain_id).to_be());
    std::array<uint8_t, 32> a{};
    std::copy(verifying_contract.bytes.begin(), verifying_contract.bytes.end(), a.begin() + 12);
    put_word(enc, a);
    return keccak256(enc);
}

Hash32 eip712_digest(const Hash32& domain_separator, const Hash32& struct_hash) {
    Bytes buf = {0x19, 0x01};
    buf.insert(buf.end(), domain_separator.bytes.begin(), domain_separator.bytes.end());
    buf.insert(buf.end(), struct_hash.bytes.begin(), struct_hash.bytes.end());
    return keccak256(buf);
}

}  // namespace cvex::chain
