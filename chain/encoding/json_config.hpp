// Reading typed values out of a JSON configuration: one error type naming the key at fault
// (dotted, "contracts.registry", "bots[0].vault") and the checks every config reader shares —
// unknown keys refused, addresses, bounded unsigned integers and decimal U256 amounts. Used by
// the guest's config (enclave-app/enclave_config) and the bots' section of it (bots/runner/config).
// Trust: the config file comes from the host, so every value is checked here before use.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/expected.hpp"
#include "chain/types/address.hpp"
#include "chain/types/u256.hpp"

namespace cvex::chain {

struct ConfigError {
    std::string key;  // "contracts.registry"
    std::string detail;
    std::string message() const { return "config " + key + ": " + detail; }
};

/// `where.key` (or `key` alone at the top level, where `where` is empty).
std::string config_key(std::string_view where, std::string_view key);

/// Refuses a key of `obj` outside `allowed`, named `where.key`.
cvex::Expected<void, ConfigError> only_keys(const nlohmann::json& obj, std::string_view where, const std::set<std::string>& allowed);

/// A 0x-hex address string.
cvex::Expected<Address, ConfigError> config_address(const nlohmann::json& v, const std::string& key);

/// A non-negative JSON integer, at most `max`.
cvex::Expected<uint64_t, ConfigError> config_uint(const nlohmann::json& v, const std::string& key, uint64_t max = UINT64_MAX);

/// A decimal string of a 256-bit amount in `unit` ("wei", "base units").
cvex::Expected<U256, ConfigError> config_decimal(const nlohmann::json& v, const std::string& key, std::string_view unit);

}  // namespace cvex::chain
