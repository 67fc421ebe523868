#include "chain/contract_artifact.hpp"

#include <fstream>
#include <sstream>

namespace cvex::chain {

using nlohmann::json;

namespace {

// "tuple[2][]" with components → "(uint256,address)[2][]".
Expected<std::string, std::string> type_text(const json& p) {
    if (!p.is_object() || !p.contains("type") || !p.at("type").is_string()) return Unexpected{std::string("parameter without a type")};
    std::string t = p.at("type").get<std::string>();
    if (t.rfind("tuple", 0) != 0) return t;
    if (!p.contains("components") || !p.at("components").is_array()) return Unexpected{"tuple parameter without components"};
    std::string inner = "(";
    for (size_t i = 0; i < p.at("components").size(); ++i) {
        auto c = type_text(p.at("components")[i]);
        if (!c) return c;
        inner += (i ? "," : "") + *c;
    }
    return inner + ")" + t.substr(5);
}

}  // namespace

Expected<std::vector<AbiParam>, std::string> abi_params_from_json(const json& params) {
    std::vector<AbiParam> out;
    if (params.is_null()) return out;
    if (!params.is_array()) return Unexpected{std::string("parameters must be an array")};
    for (const auto& p : params) {
        auto text = type_text(p);
        if (!text) return Unexpected{text.error()};
        auto type = parse_abi_type(*text);
        if (!type) return Unexpected{type.error().text()};
        AbiParam param{*type, p.value("name", ""), p.value("indexed", false)};
        out.push_back(std::move(param));
    }
    return out;
}

Expected<ContractArtifact, std::string> ContractArtifact::from_json(const json& j, const std::string& name) {
    ContractArtifact a;
    a.name = name;
    if (!j.is_object() || !j.contains("abi") || !j.at("abi").is_array()) return Unexpected{name + ": artifact has no abi array"};
    for (const auto& item : j.at("abi")) {
        const std::string type = item.value("type", "function");
        auto inputs = abi_params_from_json(item.value("inputs", json::array()));
        if (!inputs) return Unexpected{name + ": " + inputs.error()};
        AbiSignature sig{item.value("name", ""), std::move(*inputs), {}};
        if (type == "function") {
            auto outputs = abi_params_from_json(item.value("outputs", json::array()));
            if (!outputs) return Unexpected{name + ": " + outputs.error()};
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
    // Foundry: {"bytecode": {"object": "0x…"}}; truffle/hardhat/waffle: {"bytecode": "0x…"} or {"evm": {"bytecode": …}}.
    const json* code = nullptr;
    if (j.contains("bytecode")) code = &j.at("bytecode");
    else if (j.contains("evm") && j.at("evm").contains("bytecode")) code = &j.at("evm").at("bytecode");
    if (code && code->is_object()) code = code->contains("object") ? &code->at("object") : nullptr;
    if (code && code->is_string()) {
        std::string hex = code->get<std::string>();
        if (!hex.empty() && hex.rfind("0x", 0) != 0) hex = "0x" + hex;
        if (hex.find("__") != std::string::npos) return Unexpected{name + ": bytecode has unlinked library placeholders"};
        auto b = from_hex(hex);
        if (!b) return Unexpected{name + ": bytecode is not hex"};
        a.bytecode = std::move(*b);
    }
    return a;
}

Expected<ContractArtifact, std::string> ContractArtifact::load(const std::string& path) {
    std::ifstream f(path);
    if (!f) return Unexpected{"cannot open artifact " + path};
    std::stringstream ss;
    ss << f.rdbuf();
    json j = json::parse(ss.str(), nullptr, false);
    if (j.is_discarded()) return Unexpected{path + " is not JSON"};
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

}  // namespace cvex::chain
