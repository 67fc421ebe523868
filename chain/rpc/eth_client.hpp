// EthClient: the Ethereum JSON-RPC methods cvex uses, typed, over an RpcTransport (one node, or a
// quorum of nodes); plus Anvil's
// test helpers. Every failure is an RpcError naming the method.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "chain/rpc/json_rpc.hpp"
#include "chain/rpc/rpc_types.hpp"

namespace cvex::chain {

class EthClient {
public:
    explicit EthClient(std::shared_ptr<RpcTransport> rpc) : rpc_(std::move(rpc)) {}
    static Expected<std::unique_ptr<EthClient>, EndpointError> connect(const std::string& url, JsonRpcClient::Options options = {});

    RpcTransport& rpc() { return *rpc_; }

    RpcResult<uint64_t> chain_id();
    RpcResult<uint64_t> block_number();
    RpcResult<std::optional<Block>> block_by_number(const BlockTag& tag);
    RpcResult<std::optional<Block>> block_by_hash(const Hash32& hash);
    RpcResult<U256> balance(const Address& a, const BlockTag& tag = BlockTag::latest());
    RpcResult<uint64_t> transaction_count(const Address& a, const BlockTag& tag = BlockTag::latest());
    RpcResult<Bytes> code(const Address& a, const BlockTag& tag = BlockTag::latest());
    /// eth_call. A revert is an RpcError whose `revert_data` holds the ABI-encoded reason.
    RpcResult<Bytes> call(const CallRequest& req, const BlockTag& tag = BlockTag::latest());
    RpcResult<uint64_t> estimate_gas(const CallRequest& req);
    /// eth_simulateV1 (execution-apis): `calls` in order in one block on top of `tag`, each seeing
    /// the state the ones before it left — e.g. a pending transaction, then a trade after it.
    /// Unsigned calls, no nonce or fee checks (validation off).
    RpcResult<std::vector<SimulatedCall>> simulate(const std::vector<CallRequest>& calls, const BlockTag& tag = BlockTag::latest());
    RpcResult<FeeHistory> fee_history(uint64_t blocks, const BlockTag& newest, const std::vector<double>& percentiles);
    RpcResult<U256> max_priority_fee();
    RpcResult<U256> gas_price();
    RpcResult<Hash32> send_raw_transaction(ByteView raw);
    RpcResult<std::optional<TransactionInfo>> transaction_by_hash(const Hash32& hash);
    RpcResult<std::optional<Receipt>> transaction_receipt(const Hash32& hash);
    /// eth_getLogs over [from, to]; when the node refuses a range as too large, the range is
    /// split in halves until it accepts, and the parts are merged in order.
    RpcResult<std::vector<Log>> logs(const LogFilter& filter);

    // Anvil / Hardhat test helpers.
    RpcResult<bool> evm_mine();
    RpcResult<bool> evm_set_automine(bool on);
    RpcResult<bool> anvil_set_balance(const Address& a, const U256& wei);
    RpcResult<bool> anvil_reorg(uint64_t depth);
    RpcResult<bool> anvil_set_next_block_base_fee(const U256& wei);
    RpcResult<U256> evm_snapshot();
    RpcResult<bool> evm_revert(const U256& id);

    /// Whether an RpcError from eth_getLogs means "the range is too large".
    static bool is_range_too_large(const RpcError& e);

private:
    RpcResult<std::vector<Log>> logs_range(LogFilter filter, int depth);
    std::shared_ptr<RpcTransport> rpc_;
};

}  // namespace cvex::chain
