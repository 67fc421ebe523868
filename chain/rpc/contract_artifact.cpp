#include "chain/rpc/contract_artifact.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "chain/crypto/keccak.hpp"

namespace cvex::chain {

using nlohmann::json;

namespace {

// "tuple[2][]" with components → "(uint256,address)[2][]".
Expected<std::string, ArtifactError> type_text(const json& p) {
    if (!p.is_object() || !p.contains("type") || !p.at("type").is_string()) return artifact_failure("parameter without a type");
    std::string t = p.at("type").get<std::string>();
    if (t.rfind("tuple", 0) != 0) return t;
    if (!p.contains("components") || !p.at("components").is_array()) return artifact_failure("tuple parameter without components");
    std::string inner = "(";
    for (size_t i = 0; i < p.at("components").size(); ++i) {
        auto c = type_text(p.at("components")[i]);
        if (!c) return c;
        inner += (i ? "," : "") + *c;
    }
    return inner + ")" + t.substr(5);
}

constexpr size_t kLibraryAddressBytes = 20;

// solc's placeholder for library `fqn` ("path.sol:Name"): "__$" + the first 34 hex digits of
// keccak256(fqn) + "$__" (Solidity docs, "Library Linking"), 40 characters = 20 bytes.
std::string placeholder_for(const std::string& fqn) {
    const Hash32 h = keccak256(ByteView(reinterpret_cast<const uint8_t*>(fqn.data()), fqn.size()));
    return "__$" + to_hex(h.bytes, false).substr(0, 34) + "$__";
}

// Checks every listed placeholder against the hex creation code (no 0x) and blanks it to zeros,
// so the code decodes; the references are kept for link(). Offsets are in bytes.
Expected<std::vector<LinkReference>, ArtifactError> blank_placeholders(std::string& hex, const json& links) {
    std::vector<LinkReference> out;
    if (!links.is_object()) return artifact_failure("must be an object {source: {library: [{start, length}]}}");
    for (const auto& [source, libraries] : links.items()) {
        if (!libraries.is_object()) return artifact_failure(source + ": must be an object {library: [{start, length}]}");
        for (const auto& [library, refs] : libraries.items()) {
            const std::string where = source + ":" + library;
            if (!refs.is_array()) return artifact_failure(where + ": must be an array of {start, length}");
            const std::string expected = placeholder_for(where);
            for (const auto& r : refs) {
                const auto natural = [&](const char* key) {
                    return r.contains(key) && r.at(key).is_number_integer() && r.at(key).get<int64_t>() >= 0;
                };
                if (!r.is_object() || !natural("start") || !natural("length"))
                    return artifact_failure(where + ": an entry without a non-negative integer start and length");
                const size_t start = r.at("start").get<size_t>();
                if (r.at("length").get<size_t>() != kLibraryAddressBytes)
                    return artifact_failure(where + ": length at byte " + std::to_string(start) + " is not 20");
                if (start > hex.size() / 2 || hex.size() / 2 - start < kLibraryAddressBytes)
                    return artifact_failure(where + ": byte " + std::to_string(start) + " is past the end of the bytecode");
                const std::string found = hex.substr(2 * start, 2 * kLibraryAddressBytes);
                if (found != expected)
                    return artifact_failure(where + ": byte " + std::to_string(start) + " holds \"" + found + "\", not its placeholder " + expected);
                hex.replace(2 * start, 2 * kLibraryAddressBytes, 2 * kLibraryAddressBytes, '0');
                out.push_back(LinkReference{source, library, start});
            }
        }
    }
    std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) { return x.offset < y.offset; });
    return out;
}

}  // namespace

Expected<std::vector<AbiParam>, ArtifactError> abi_params_from_json(const json& params) {
    std::vector<AbiParam> out;
    if (params.is_null()) return out;
    if (!params.is_array()) return artifact_failure("parameters must be an array");
    for (const auto& p : params) {
        auto text = type_text(p);
        if (!text) return Unexpected{text.error()};
        auto type = parse_abi_type(*text);
        if (!type) return artifact_failure(type.error().message());
        AbiParam param{*type, p.value("name", ""), p.value("indexed", false)};
        out.push_back(std::move(param));
    }
    return out;
}

Expected<ContractArtifact, ArtifactError> ContractArtifact::from_json(const json& j, const std::string& name) {
    ContractArtifact a;
    a.name = name;
    if (!j.is_object() || !j.contains("abi") || !j.at("abi").is_array()) return artifact_failure(name + ": artifact has no abi array");
    for (const auto& item : j.at("abi")) {
        const std::string type = item.value("type", "function");
        auto inputs = abi_params_from_json(item.value("inputs", json::array()));
        if (!inputs) return artifact_failure(name + ": " + inputs.error().message());
        AbiSignature sig{item.value("name", ""), std::move(*inputs), {}};
        if (type == "function") {
            auto outputs = abi_params_from_json(item.value("outputs", json::array()));
            if (!outputs) return artifact_failure(name + ": " + outputs.error().message());
            sig.outputs = std::move(*outputs);
            a.functions.push_back(std::move(sig));
        } else if (type == "event") {
            a.events.push_back(std::move(sig));
        } else if (type == "error") {
            a.errors.push_back(std::move(sig));
        } else if (type == "constructor") {
            a.constructor = std::move(sig);
        }
    }
    // Foundry: {"bytecode": {"object": "0x…", "linkReferences": …}}; truffle/hardhat/waffle:
    // {"bytecode": "0x…"} (Hardhat lists placeholders in a top-level "linkReferences") or {"evm": {"bytecode": …}}.
    const json* code = nullptr;
    const json* links = j.contains("linkReferences") ? &j.at("linkReferences") : nullptr;
    if (j.contains("bytecode")) code = &j.at("bytecode");
    else if (j.contains("evm") && j.at("evm").contains("bytecode")) code = &j.at("evm").at("bytecode");
    if (code && code->is_object()) {
        if (code->contains("linkReferences")) links = &code->at("linkReferences");
        code = code->contains("object") ? &code->at("object") : nullptr;
    }
    if (code && code->is_string()) {
        std::string hex = code->get<std::string>();
        if (hex.rfind("0x", 0) == 0) hex.erase(0, 2);
        if (links) {
            auto refs = blank_placeholders(hex, *links);
            if (!refs) return artifact_failure(name + ": linkReferences: " + refs.error().message());
            a.unlinked = std::move(*refs);
        }
        if (auto at = hex.find('_'); at != std::string::npos)
            return artifact_failure(name + ": bytecode has an unlinked library placeholder at byte " + std::to_string(at / 2) +
                                    " that no linkReferences entry lists");
        auto b = from_hex("0x" + hex);
        if (!b) return artifact_failure(name + ": bytecode is not hex");
        a.bytecode = std::move(*b);
    }
    return a;
}

Expected<ContractArtifact, ArtifactError> ContractArtifact::load(const std::string& path) {
    std::ifstream f(path);
    if (!f) return artifact_failure("cannot open artifact " + path);
    std::stringstream ss;
    ss << f.rdbuf();
    json j = json::parse(ss.str(), nullptr, false);
    if (j.is_discarded()) return artifact_failure(path + " is not JSON");
    std::string name = path.substr(path.find_last_of('/') + 1);
    if (auto dot = name.rfind(".json"); dot != std::string::npos) name = name.substr(0, dot);
    return from_json(j, name);
}

namespace {
const AbiSignature* find(const std::vector<AbiSignature>& list, std::string_view key) {
    for (const auto& s : list)
        if (s.canonical() == key) return &s;
    for (const auto& s : list)
        if (s.name == key) return &s;
    return nullptr;
}
}  // namespace

const AbiSignature* ContractArtifact::function(std::string_view key) const { return find(functions, key); }
const AbiSignature* ContractArtifact::event(std::string_view key) const { return find(events, key); }

Expected<size_t, ArtifactError> ContractArtifact::link(std::string_view library, const Address& at) {
    size_t filled = 0;
    std::vector<LinkReference> rest;
    for (auto& ref : unlinked) {
        if (ref.library == library || ref.source + ":" + ref.library == library) {
            std::copy(at.bytes.begin(), at.bytes.end(), bytecode.begin() + static_cast<std::ptrdiff_t>(ref.offset));
            ++filled;
        } else {
            rest.push_back(std::move(ref));
        }
    }
    unlinked = std::move(rest);
    if (filled == 0) return artifact_failure(name + ": no unlinked reference to library " + std::string(library));
    return filled;
}

}  // namespace cvex::chain
