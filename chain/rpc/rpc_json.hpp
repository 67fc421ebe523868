// Conversions between rpc_types and the JSON the nodes speak. A mismatch is an error naming
// the field ("receipt.gasUsed: expected a hex quantity").
#pragma once

#include <nlohmann/json.hpp>

#include "base/expected.hpp"
#include "chain/rpc/rpc_types.hpp"

namespace cvex::chain::rpc_json {

using Error = std::string;

Expected<U256, Error> quantity(const nlohmann::json& j, const std::string& field);
Expected<uint64_t, Error> quantity_u64(const nlohmann::json& j, const std::string& field);
Expected<Hash32, Error> hash(const nlohmann::json& j, const std::string& field);
Expected<Address, Error> address(const nlohmann::json& j, const std::string& field);
Expected<Bytes, Error> data(const nlohmann::json& j, const std::string& field);
/// The hash of eth_sendRawTransaction's `[raw]`: keccak256 of the raw bytes (EIP-2718, typed and
/// legacy alike), computed locally so that no endpoint's word is taken for it.
Expected<Hash32, Error> raw_transaction_hash(const nlohmann::json& params);

Expected<Block, Error> block(const nlohmann::json& j);
Expected<Log, Error> log(const nlohmann::json& j);
Expected<Receipt, Error> receipt(const nlohmann::json& j);
Expected<TransactionInfo, Error> transaction(const nlohmann::json& j);
Expected<FeeHistory, Error> fee_history(const nlohmann::json& j);
Expected<std::vector<SimulatedCall>, Error> simulated_calls(const nlohmann::json& j);

nlohmann::json to_json(const CallRequest& c);
nlohmann::json to_json(const LogFilter& f);
std::string quantity_text(const U256& v);
std::string quantity_text(uint64_t v);

}  // namespace cvex::chain::rpc_json
