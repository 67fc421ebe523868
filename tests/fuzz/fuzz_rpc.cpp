// Fuzz target `rpc`: a JSON-RPC node's answer (the node is the host's, so every byte is hostile):
// the response envelope for a single call and for a batch (chain/rpc/json_rpc.hpp), then the
// typed readers cvex applies to a result (chain/rpc/rpc_json.hpp: blocks, receipts, logs,
// transactions and their effective tip, fee history, eth_simulateV1 blocks, quantities). Each either yields a value or a typed error; nothing
// may throw.
#include <string>
#include <vector>

#include "chain/rpc/json_rpc.hpp"
#include "chain/rpc/rpc_json.hpp"
#include "fuzz_check.hpp"

using namespace cvex;
using namespace cvex::chain;

namespace {

void read_result(const nlohmann::json& r) {
    (void)rpc_json::quantity(r, "result");
    (void)rpc_json::quantity_u64(r, "result");
    (void)rpc_json::hash(r, "result");
    (void)rpc_json::address(r, "result");
    (void)rpc_json::data(r, "result");
    (void)rpc_json::block(r);
    (void)rpc_json::receipt(r);
    (void)rpc_json::transaction(r);
    (void)rpc_json::fee_history(r);
    if (auto s = rpc_json::simulated_calls(r); !s) CVEX_FUZZ_CHECK(!s.error().empty(), "an eth_simulateV1 error has a message");
    if (auto t = rpc_json::transaction(r); t) (void)t->effective_tip(U256(7));
    if (auto l = rpc_json::log(r); !l) CVEX_FUZZ_CHECK(!l.error().empty(), "a log error has a message");
    if (r.is_array())  // eth_getLogs
        for (const auto& e : r) (void)rpc_json::log(e);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view body = cvex::fuzz::text(data, size);
    auto one = JsonRpcClient::read_response(body, 1, "eth_getBlockByNumber");
    if (one) {
        read_result(*one);
    } else {
        CVEX_FUZZ_CHECK(!one.error().message().empty(), "an RPC error has a message");
        (void)one.error().retryable();
    }
    const std::vector<std::string> methods = {"eth_blockNumber", "eth_getLogs", "eth_call"};
    auto batch = JsonRpcClient::read_batch_response(body, 1, methods);
    if (batch) {
        CVEX_FUZZ_CHECK(batch->size() == methods.size(), "a batch answers every request, in order");
        for (const auto& r : *batch)
            if (r) read_result(*r);
    }
    return 0;
}
