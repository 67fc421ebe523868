#include "enclave-app/host_config.hpp"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace cvex::enclave {

using cvex::Unexpected;
using nlohmann::json;

namespace {
constexpr const char* kRefused = "the host may set only http.port; this setting is measured (put it in the image's config)";
}

cvex::Expected<EnclaveConfig, ConfigError> apply_host_config(EnclaveConfig config, std::string_view text) {
    const json j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return Unexpected{ConfigError{"host config", "not a JSON object"}};
    for (const auto& [key, value] : j.items()) {
        // Trust decision: everything but the API's port inside the guest is refused, so the host
        // cannot move the guest to another chain, contract, RPC, policy or fee cap.
        if (key != "http" || !value.is_object()) return Unexpected{ConfigError{"host config " + key, kRefused}};
        for (const auto& [hkey, hvalue] : value.items()) {
            if (hkey != "port") return Unexpected{ConfigError{"host config http." + hkey, kRefused}};
            if (!hvalue.is_number_unsigned() || hvalue.get<uint64_t>() == 0 || hvalue.get<uint64_t>() > 65535)
                return Unexpected{ConfigError{"host config http.port", "must be 1–65535"}};
            config.http_port = static_cast<uint16_t>(hvalue.get<uint64_t>());
        }
    }
    return config;
}

cvex::Expected<EnclaveConfig, ConfigError> load_host_config(EnclaveConfig config, const std::string& path) {
    std::ifstream in(path);
    if (!in) return Unexpected{ConfigError{"host config", "cannot read " + path}};
    std::stringstream ss;
    ss << in.rdbuf();
    return apply_host_config(std::move(config), ss.str());
}

}  // namespace cvex::enclave
