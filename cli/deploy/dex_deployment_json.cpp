// DexDeployment as JSON: the file `cvex dex deploy --out` writes and `cvex dex swap --deployment`
// (and the devnet's bots) read. Addresses EIP-55 checksummed, U256 values as decimal strings.
#include <fstream>
#include <limits>
#include <sstream>
#include <type_traits>
#include <utility>

#include "cli/deploy/dex_deployer.hpp"

namespace cvex::cli {

using chain::Address;
using cvex::Expected;
using chain::U256;
using cvex::Unexpected;

namespace {

// The deployment's addresses in file order: one table for the writer and the reader.
constexpr std::pair<const char*, Address DexDeployment::*> kAddressFields[] = {
    {"deployer", &DexDeployment::deployer},
    {"weth", &DexDeployment::weth},
    {"v2_factory", &DexDeployment::v2_factory},
    {"v2_router", &DexDeployment::v2_router},
    {"v3_factory", &DexDeployment::v3_factory},
    {"v3_swap_router", &DexDeployment::v3_swap_router},
    {"v3_position_manager", &DexDeployment::v3_position_manager},
    {"v3_quoter", &DexDeployment::v3_quoter},
    {"v3_descriptor", &DexDeployment::v3_descriptor},
    {"token_a", &DexDeployment::token_a},
    {"token_b", &DexDeployment::token_b},
    {"v2_pair", &DexDeployment::v2_pair},
    {"v3_pool", &DexDeployment::v3_pool},
};

}  // namespace

nlohmann::ordered_json dex_deployment_to_json(const DexDeployment& d) {
    nlohmann::ordered_json j;
    j["chain_id"] = d.chain_id;
    j["deploy_block"] = d.deploy_block;
    for (const auto& [field, member] : kAddressFields) j[field] = (d.*member).checksum_hex();
    j["v3_fee"] = d.v3_fee;
    j["v3_sqrt_price_x96"] = d.v3_sqrt_price_x96.dec();
    j["v3_tick_lower"] = d.v3_tick_lower;
    j["v3_tick_upper"] = d.v3_tick_upper;
    j["v3_position_id"] = d.v3_position_id.dec();
    return j;
}

namespace {

std::string field_error(std::string_view field, std::string_view what) {
    return "field \"" + std::string(field) + "\" " + std::string(what);
}

Expected<Address, DeployError> address_field(const nlohmann::json& j, const char* field) {
    if (!j.contains(field)) return deploy_failure(field_error(field, "is missing"));
    if (!j.at(field).is_string()) return deploy_failure(field_error(field, "must be an address string"));
    auto a = Address::parse(j.at(field).get<std::string>());
    if (!a) return deploy_failure(field_error(field, std::string("is not an address: ") + chain::to_string(a.error())));
    return *a;
}

template <class Int>
Expected<Int, DeployError> int_field(const nlohmann::json& j, const char* field) {
    if (!j.contains(field)) return deploy_failure(field_error(field, "is missing"));
    const auto& v = j.at(field);
    if (!v.is_number_integer()) return deploy_failure(field_error(field, "must be an integer"));
    if constexpr (std::is_signed_v<Int>) {
        const int64_t x = v.get<int64_t>();
        if (x < std::numeric_limits<Int>::min() || x > std::numeric_limits<Int>::max()) return deploy_failure(field_error(field, "is out of range"));
        return static_cast<Int>(x);
    } else {
        if (!v.is_number_unsigned()) return deploy_failure(field_error(field, "must not be negative"));
        const uint64_t x = v.get<uint64_t>();
        if (x > std::numeric_limits<Int>::max()) return deploy_failure(field_error(field, "is out of range"));
        return static_cast<Int>(x);
    }
}

Expected<U256, DeployError> u256_field(const nlohmann::json& j, const char* field) {
    if (!j.contains(field)) return deploy_failure(field_error(field, "is missing"));
    if (!j.at(field).is_string()) return deploy_failure(field_error(field, "must be a decimal string"));
    auto v = U256::parse_dec(j.at(field).get<std::string>());
    if (!v) return deploy_failure(field_error(field, std::string("is not a decimal uint256: ") + chain::to_string(v.error())));
    return *v;
}

}  // namespace

Expected<DexDeployment, DeployError> dex_deployment_from_json(const nlohmann::json& j) {
    if (!j.is_object()) return deploy_failure("not a JSON object");
    DexDeployment d;
    for (const auto& [field, member] : kAddressFields) {
        auto a = address_field(j, field);
        if (!a) return Unexpected{a.error()};
        d.*member = *a;
    }
    auto chain_id = int_field<uint64_t>(j, "chain_id");
    if (!chain_id) return Unexpected{chain_id.error()};
    auto block = int_field<uint64_t>(j, "deploy_block");
    if (!block) return Unexpected{block.error()};
    auto fee = int_field<uint32_t>(j, "v3_fee");
    if (!fee) return Unexpected{fee.error()};
    auto lower = int_field<int32_t>(j, "v3_tick_lower");
    if (!lower) return Unexpected{lower.error()};
    auto upper = int_field<int32_t>(j, "v3_tick_upper");
    if (!upper) return Unexpected{upper.error()};
    auto price = u256_field(j, "v3_sqrt_price_x96");
    if (!price) return Unexpected{price.error()};
    auto position = u256_field(j, "v3_position_id");
    if (!position) return Unexpected{position.error()};
    d.chain_id = *chain_id;
    d.deploy_block = *block;
    d.v3_fee = *fee;
    d.v3_tick_lower = *lower;
    d.v3_tick_upper = *upper;
    d.v3_sqrt_price_x96 = *price;
    d.v3_position_id = *position;
    if (d.token_a == d.token_b) return deploy_failure(field_error("token_b", "is the same address as token_a"));
    return d;
}

Expected<DexDeployment, DeployError> load_dex_deployment(const std::string& path) {
    std::ifstream f(path);
    if (!f) return deploy_failure("cannot open " + path);
    std::stringstream ss;
    ss << f.rdbuf();
    const auto j = nlohmann::json::parse(ss.str(), nullptr, false);
    if (j.is_discarded()) return deploy_failure(path + " is not JSON");
    auto d = dex_deployment_from_json(j);
    if (!d) return deploy_failure(path + ": " + d.error().message());
    return d;
}

}  // namespace cvex::cli
