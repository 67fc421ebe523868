#include "chain/encoding/json_config.hpp"

namespace cvex::chain {

using cvex::Unexpected;
using nlohmann::json;

std::string config_key(std::string_view where, std::string_view key) {
    return where.empty() ? std::string(key) : std::string(where) + "." + std::string(key);
}

cvex::Expected<void, ConfigError> only_keys(const json& obj, std::string_view where, const std::set<std::string>& allowed) {
    for (const auto& [k, v] : obj.items()) {
        (void)v;
        if (!allowed.contains(k)) return Unexpected{ConfigError{config_key(where, k), "unknown key"}};
    }
    return {};
}

cvex::Expected<Address, ConfigError> config_address(const json& v, const std::string& key) {
    if (!v.is_string()) return Unexpected{ConfigError{key, "must be an address string"}};
    auto a = Address::parse(v.get<std::string>());
    if (!a) return Unexpected{ConfigError{key, std::string(to_string(a.error()))}};
    return *a;
}

cvex::Expected<uint64_t, ConfigError> config_uint(const json& v, const std::string& key, uint64_t max) {
    if (!v.is_number_unsigned()) return Unexpected{ConfigError{key, "must be a non-negative integer"}};
    const auto n = v.get<uint64_t>();
    if (n > max) return Unexpected{ConfigError{key, "must be at most " + std::to_string(max)}};
    return n;
}

cvex::Expected<U256, ConfigError> config_decimal(const json& v, const std::string& key, std::string_view unit) {
    if (!v.is_string()) return Unexpected{ConfigError{key, "must be a decimal string (" + std::string(unit) + ")"}};
    auto u = U256::parse_dec(v.get<std::string>());
    if (!u) return Unexpected{ConfigError{key, "not a decimal number of " + std::string(unit) + ": " + v.get<std::string>()}};
    return *u;
}

}  // namespace cvex::chain
