#include "chain/rpc/eth_client.hpp"

#include <algorithm>
#include <cctype>

#include "chain/rpc/rpc_json.hpp"

namespace cvex::chain {

using nlohmann::json;

namespace {

template <class T>
RpcResult<T> convert(const RpcResult<json>& r, const char* method, Expected<T, std::string> (*parse)(const json&, const std::string&),
                     const char* field) {
    if (!r) return Unexpected{r.error()};
    auto v = parse(*r, field);
    if (!v) return Unexpected{RpcError{RpcError::kMalformed, method, std::nullopt, 0, 0, v.error(), nullptr, std::nullopt}};
    return *v;
}

template <class T>
RpcResult<std::optional<T>> convert_object(const RpcResult<json>& r, const char* method, Expected<T, std::string> (*parse)(const json&)) {
    if (!r) return Unexpected{r.error()};
    if (r->is_null()) return std::optional<T>{};
    auto v = parse(*r);
    if (!v) return Unexpected{RpcError{RpcError::kMalformed, method, std::nullopt, 0, 0, v.error(), nullptr, std::nullopt}};
    return std::optional<T>{std::move(*v)};
}

RpcResult<bool> ok(const RpcResult<json>& r) {
    if (!r) return Unexpected{r.error()};
    return true;
}

}  // namespace

Expected<std::unique_ptr<EthClient>, EndpointError> EthClient::connect(const std::string& url, JsonRpcClient::Options options) {
    auto rpc = JsonRpcClient::connect(url, options);
    if (!rpc) return Unexpected{rpc.error()};
    return std::make_unique<EthClient>(std::shared_ptr<RpcTransport>(std::move(*rpc)));
}

RpcResult<uint64_t> EthClient::chain_id() { return convert<uint64_t>(rpc_->call("eth_chainId"), "eth_chainId", rpc_json::quantity_u64, "result"); }

RpcResult<uint64_t> EthClient::block_number() {
    return convert<uint64_t>(rpc_->call("eth_blockNumber"), "eth_blockNumber", rpc_json::quantity_u64, "result");
}

RpcResult<std::optional<Block>> EthClient::block_by_number(const BlockTag& tag) {
    return convert_object<Block>(rpc_->call("eth_getBlockByNumber", {tag.str(), false}), "eth_getBlockByNumber", rpc_json::block);
}

RpcResult<std::optional<Block>> EthClient::block_by_hash(const Hash32& hash) {
    return convert_object<Block>(rpc_->call("eth_getBlockByHash", {hash.hex(), false}), "eth_getBlockByHash", rpc_json::block);
}

RpcResult<U256> EthClient::balance(const Address& a, const BlockTag& tag) {
    return convert<U256>(rpc_->call("eth_getBalance", {a.hex(), tag.str()}), "eth_getBalance", rpc_json::quantity, "result");
}

RpcResult<uint64_t> EthClient::transaction_count(const Address& a, const BlockTag& tag) {
    return convert<uint64_t>(rpc_->call("eth_getTransactionCount", {a.hex(), tag.str()}), "eth_getTransactionCount",
                             rpc_json::quantity_u64, "result");
}

RpcResult<Bytes> EthClient::code(const Address& a, const BlockTag& tag) {
    return convert<Bytes>(rpc_->call("eth_getCode", {a.hex(), tag.str()}), "eth_getCode", rpc_json::data, "result");
}

RpcResult<Bytes> EthClient::call(const CallRequest& req, const BlockTag& tag) {
    return convert<Bytes>(rpc_->call("eth_call", {rpc_json::to_json(req), tag.str()}), "eth_call", rpc_json::data, "result");
}

RpcResult<uint64_t> EthClient::estimate_gas(const CallRequest& req) {
    return convert<uint64_t>(rpc_->call("eth_estimateGas", nlohmann::json::array({rpc_json::to_json(req)})), "eth_estimateGas", rpc_json::quantity_u64, "result");
}

RpcResult<std::vector<SimulatedCall>> EthClient::simulate(const std::vector<CallRequest>& calls, const BlockTag& tag) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& c : calls) list.push_back(rpc_json::to_json(c));
    const nlohmann::json opts = {{"blockStateCalls", nlohmann::json::array({{{"calls", list}}})}};
    auto r = rpc_->call("eth_simulateV1", {opts, tag.str()});
    if (!r) return Unexpected{r.error()};
    auto s = rpc_json::simulated_calls(*r);
    if (!s) return Unexpected{RpcError{RpcError::kMalformed, "eth_simulateV1", std::nullopt, 0, 0, s.error(), nullptr, std::nullopt}};
    if (s->size() != calls.size())
        return Unexpected{RpcError{RpcError::kMalformed, "eth_simulateV1", std::nullopt, 0, 0,
                                   rpc_json::Error{"eth_simulateV1: " + std::to_string(s->size()) + " results for " + std::to_string(calls.size()) + " calls"},
                                   nullptr, std::nullopt}};
    return std::move(*s);
}

RpcResult<FeeHistory> EthClient::fee_history(uint64_t blocks, const BlockTag& newest, const std::vector<double>& percentiles) {
    auto r = rpc_->call("eth_feeHistory", {rpc_json::quantity_text(blocks), newest.str(), percentiles});
    if (!r) return Unexpected{r.error()};
    auto f = rpc_json::fee_history(*r);
    if (!f) return Unexpected{RpcError{RpcError::kMalformed, "eth_feeHistory", std::nullopt, 0, 0, f.error(), nullptr, std::nullopt}};
    return *f;
}

RpcResult<U256> EthClient::max_priority_fee() {
    return convert<U256>(rpc_->call("eth_maxPriorityFeePerGas"), "eth_maxPriorityFeePerGas", rpc_json::quantity, "result");
}

RpcResult<U256> EthClient::gas_price() { return convert<U256>(rpc_->call("eth_gasPrice"), "eth_gasPrice", rpc_json::quantity, "result"); }

RpcResult<Hash32> EthClient::send_raw_transaction(ByteView raw) {
    return convert<Hash32>(rpc_->call("eth_sendRawTransaction", {to_hex(raw)}, Idempotency::kUnsafe), "eth_sendRawTransaction",
                           rpc_json::hash, "result");
}

RpcResult<std::optional<TransactionInfo>> EthClient::transaction_by_hash(const Hash32& hash) {
    return convert_object<TransactionInfo>(rpc_->call("eth_getTransactionByHash", {hash.hex()}), "eth_getTransactionByHash",
                                           rpc_json::transaction);
}

RpcResult<std::optional<Receipt>> EthClient::transaction_receipt(const Hash32& hash) {
    return convert_object<Receipt>(rpc_->call("eth_getTransactionReceipt", {hash.hex()}), "eth_getTransactionReceipt", rpc_json::receipt);
}

bool EthClient::is_range_too_large(const RpcError& e) {
    if (e.kind != RpcError::kRpc && e.kind != RpcError::kHttpStatus) return false;
    std::string m = e.detail;
    std::transform(m.begin(), m.end(), m.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    // The phrasings of geth, Erigon, Alchemy, Infura, QuickNode and Anvil for the same refusal.
    for (const char* p : {"range", "too many", "more than", "limit exceeded", "too large", "exceed", "response size"})
        if (m.find(p) != std::string::npos) return true;
    return e.code == -32005;
}

RpcResult<std::vector<Log>> EthClient::logs_range(LogFilter filter, int depth) {
    auto r = rpc_->call("eth_getLogs", nlohmann::json::array({rpc_json::to_json(filter)}));
    if (!r) {
        if (!is_range_too_large(r.error()) || filter.from_block >= filter.to_block || depth > 40) return Unexpected{r.error()};
        const uint64_t mid = filter.from_block + (filter.to_block - filter.from_block) / 2;
        LogFilter lo = filter, hi = filter;
        lo.to_block = mid;
        hi.from_block = mid + 1;
        auto a = logs_range(lo, depth + 1);
        if (!a) return a;
        auto b = logs_range(hi, depth + 1);
        if (!b) return b;
        a->insert(a->end(), std::make_move_iterator(b->begin()), std::make_move_iterator(b->end()));
        return a;
    }
    if (!r->is_array())
        return Unexpected{RpcError{RpcError::kMalformed, "eth_getLogs", std::nullopt, 0, 0, "result is not an array", nullptr, std::nullopt}};
    std::vector<Log> out;
    for (const auto& j : *r) {
        auto l = rpc_json::log(j);
        if (!l) return Unexpected{RpcError{RpcError::kMalformed, "eth_getLogs", std::nullopt, 0, 0, l.error(), nullptr, std::nullopt}};
        out.push_back(std::move(*l));
    }
    return out;
}

RpcResult<std::vector<Log>> EthClient::logs(const LogFilter& filter) { return logs_range(filter, 0); }

RpcResult<bool> EthClient::evm_mine() { return ok(rpc_->call("evm_mine", json::array(), Idempotency::kUnsafe)); }
RpcResult<bool> EthClient::evm_set_automine(bool on) { return ok(rpc_->call("evm_setAutomine", {on}, Idempotency::kSafe)); }
RpcResult<bool> EthClient::anvil_set_balance(const Address& a, const U256& wei) {
    return ok(rpc_->call("anvil_setBalance", {a.hex(), wei.hex()}, Idempotency::kSafe));
}
RpcResult<bool> EthClient::anvil_reorg(uint64_t depth) {
    return ok(rpc_->call("anvil_reorg", {depth, json::array()}, Idempotency::kUnsafe));
}
RpcResult<bool> EthClient::anvil_set_next_block_base_fee(const U256& wei) {
    return ok(rpc_->call("anvil_setNextBlockBaseFeePerGas", {wei.hex()}, Idempotency::kSafe));
}
RpcResult<U256> EthClient::evm_snapshot() {
    return convert<U256>(rpc_->call("evm_snapshot", json::array(), Idempotency::kUnsafe), "evm_snapshot", rpc_json::quantity, "result");
}
RpcResult<bool> EthClient::evm_revert(const U256& id) {
    auto r = rpc_->call("evm_revert", {id.hex()}, Idempotency::kUnsafe);
    if (!r) return Unexpected{r.error()};
    return r->is_boolean() && r->get<bool>();
}

}  // namespace cvex::chain
