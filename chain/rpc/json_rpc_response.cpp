// Reading a JSON-RPC 2.0 answer (JsonRpcClient::read_response / read_batch_response). Trust
// decision: the node belongs to the host, so its answer is hostile input — every member is
// type-checked before use, ids must match what was asked, and nothing here throws.
#include "chain/rpc/json_rpc.hpp"

#include <optional>

namespace cvex::chain {

using json = nlohmann::json;

namespace {

RpcError malformed(const std::string& method, std::string message) {
    return RpcError{RpcError::kMalformed, method, std::nullopt, 0, 0, std::move(message), nullptr, std::nullopt};
}

RpcResult<json> from_response_object(const json& r, const std::string& method) {
    if (!r.is_object()) return Unexpected{malformed(method, "response is not a JSON object")};
    if (r.contains("error") && !r.at("error").is_null()) {
        const json& e = r.at("error");
        RpcError err{RpcError::kRpc, method, std::nullopt, 0, 0, "", nullptr, std::nullopt};
        if (!e.is_object()) return Unexpected{malformed(method, "error is not an object")};
        if (e.contains("code") && e.at("code").is_number_integer()) err.code = e.at("code").get<int64_t>();
        if (e.contains("message") && e.at("message").is_string()) err.detail = e.at("message").get<std::string>();
        if (e.contains("data")) {
            err.data = e.at("data");
            const json* hex = &err.data;
            if (err.data.is_object() && err.data.contains("data")) hex = &err.data.at("data");  // some nodes nest it
            if (hex->is_string())
                if (auto b = from_hex(hex->get<std::string>()); b && hex->get<std::string>().rfind("0x", 0) == 0) err.revert_data = std::move(*b);
        }
        return Unexpected{err};
    }
    if (!r.contains("result")) return Unexpected{malformed(method, "no result and no error")};
    return r.at("result");
}

RpcResult<json> parse_body(std::string_view body, const std::string& method) {
    json parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded()) return Unexpected{malformed(method, "not JSON: " + std::string(body.substr(0, 120)))};
    return parsed;
}

}  // namespace

RpcResult<json> JsonRpcClient::read_response(std::string_view body, uint64_t id, const std::string& method) {
    auto resp = parse_body(body, method);
    if (!resp) return resp;
    if (!resp->is_object()) return Unexpected{malformed(method, "response is not a JSON object")};
    if (!resp->contains("id") || (*resp)["id"] != json(id)) {
        // Some nodes answer a request-level parse failure with id null and an error: surface it.
        if (resp->contains("error")) return from_response_object(*resp, method);
        return Unexpected{malformed(method, "response id does not match the request")};
    }
    return from_response_object(*resp, method);
}

RpcResult<std::vector<RpcResult<json>>> JsonRpcClient::read_batch_response(std::string_view body, uint64_t first,
                                                                          const std::vector<std::string>& methods) {
    const std::string label = "batch of " + std::to_string(methods.size());
    auto resp = parse_body(body, label);
    if (!resp) return Unexpected{resp.error()};
    if (!resp->is_array()) {
        if (resp->is_object() && resp->contains("error")) {
            auto e = from_response_object(*resp, label);
            if (!e) return Unexpected{e.error()};
        }
        return Unexpected{malformed(label, "batch response is not an array")};
    }
    std::vector<std::optional<RpcResult<json>>> slots(methods.size());
    for (const auto& r : *resp) {
        if (!r.is_object() || !r.contains("id") || !r.at("id").is_number_unsigned())
            return Unexpected{malformed(label, "batch element without a numeric id")};
        const uint64_t id = r.at("id").get<uint64_t>();
        if (id < first || id - first >= methods.size() || slots[id - first])
            return Unexpected{malformed(label, "batch element with an unknown or repeated id")};
        slots[id - first] = from_response_object(r, methods[id - first]);
    }
    std::vector<RpcResult<json>> out;
    for (size_t i = 0; i < slots.size(); ++i) {
        if (!slots[i]) return Unexpected{malformed(label, "no answer for " + methods[i])};
        out.push_back(std::move(*slots[i]));
    }
    return out;
}

}  // namespace cvex::chain
