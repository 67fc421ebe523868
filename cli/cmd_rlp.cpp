// cvex to-rlp <json> and cvex from-rlp <0xhex>, as cast's: a JSON array of 0x-hex strings (and
// integers) nested to any depth, printed back in compact JSON.
#include <nlohmann/json.hpp>
#include <ostream>

#include "cli/command.hpp"
#include "chain/encoding/rlp.hpp"

namespace cvex::cli {
namespace {

using chain::rlp::Item;

Item item_from_json(const nlohmann::json& j, const std::string& path) {
    Item it;
    if (j.is_array()) {
        it.is_list = true;
        for (size_t i = 0; i < j.size(); ++i) it.items.push_back(item_from_json(j[i], path + "[" + std::to_string(i) + "]"));
    } else if (j.is_number_unsigned() || (j.is_number_integer() && j.get<int64_t>() >= 0)) {
        it.bytes = chain::U256(j.get<uint64_t>()).to_be_minimal();
    } else if (j.is_string()) {
        auto bytes = cvex::from_hex(j.get<std::string>());
        if (!bytes || j.get<std::string>().rfind("0x", 0) != 0)
            throw UsageError("to-rlp: " + path + " is not 0x-prefixed hex of even length: " + j.dump());
        it.bytes = std::move(*bytes);
    } else {
        throw UsageError("to-rlp: " + path + " must be a 0x-hex string, a non-negative integer or a list, not " + j.dump());
    }
    return it;
}

nlohmann::json item_to_json(const Item& it) {
    if (!it.is_list) return cvex::to_hex(it.bytes);
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& child : it.items) arr.push_back(item_to_json(child));
    return arr;
}

int run_to_rlp(const Args& args, std::ostream& out) {
    if (args.size() != 1) throw UsageError("usage: cvex to-rlp <json>");
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(args[0]);
    } catch (const nlohmann::json::parse_error& e) {
        throw UsageError(std::string("to-rlp: not JSON: ") + e.what());
    }
    out << cvex::to_hex(chain::rlp::encode(item_from_json(j, "input"))) << "\n";
    return kOk;
}

int run_from_rlp(const Args& args, std::ostream& out) {
    if (args.size() != 1) throw UsageError("usage: cvex from-rlp <0xhex>");
    auto bytes = cvex::from_hex(args[0]);
    if (!bytes) throw UsageError("from-rlp: '" + args[0] + "' is not valid hex");
    auto item = chain::rlp::decode(*bytes);
    if (!item) throw UsageError("from-rlp: " + item.error().message());
    out << item_to_json(*item).dump() << "\n";
    return kOk;
}

const CommandRegistrar to_rlp{{"to-rlp", "<json>", "RLP-encode a JSON list of 0x-hex strings (as cast to-rlp)", run_to_rlp}};
const CommandRegistrar from_rlp{{"from-rlp", "<0xhex>", "Decode canonical RLP to JSON (as cast from-rlp)", run_from_rlp}};

}  // namespace
}  // namespace cvex::cli
