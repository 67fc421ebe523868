#include "cli/deploy/dex_swap.hpp"

#include "chain/rpc/contract.hpp"

namespace cvex::cli {

using chain::AbiValue;
using chain::Address;
using chain::Contract;
using chain::ContractAbi;
using cvex::Expected;
using chain::U256;
using cvex::Unexpected;

namespace {

constexpr uint64_t kDeadlineSeconds = 600;

// Only what a swap needs, as signatures: the swap reads no artifact, just the deployment file.
const std::vector<std::string> kErc20 = {
    "balanceOf(address)(uint256)",
    "allowance(address,address)(uint256)",
    "approve(address,uint256)(bool)",
    "event Transfer(address indexed from, address indexed to, uint256 value)",
    "error InsufficientBalance(address account, uint256 balance, uint256 needed)",  // TestToken's
    "error InsufficientAllowance(address spender, uint256 allowance, uint256 needed)",
};
// IUniswapV2Router02 (v2-periphery/contracts/interfaces/IUniswapV2Router01.sol).
const std::vector<std::string> kV2Router = {
    "swapExactTokensForTokens(uint256 amountIn, uint256 amountOutMin, address[] path, address to, uint256 deadline)(uint256[] amounts)",
};
// ISwapRouter.ExactInputSingleParams (v3-periphery/contracts/interfaces/ISwapRouter.sol): tokenIn,
// tokenOut, fee, recipient, deadline, amountIn, amountOutMinimum, sqrtPriceLimitX96.
const std::vector<std::string> kV3Router = {
    "exactInputSingle((address,address,uint24,address,uint256,uint256,uint256,uint160) params)(uint256 amountOut)",
};

Expected<Contract, DeployError> bind_abi(std::string name, const std::vector<std::string>& sigs, const Address& at,
                                     std::shared_ptr<chain::EthClient> client, std::shared_ptr<chain::Sender> sender) {
    auto abi = ContractAbi::from_signatures(std::move(name), sigs);
    if (!abi) return deploy_failure(abi.error().message());
    return Contract(std::move(*abi), at, std::move(client), std::move(sender));
}

}  // namespace

Expected<DexSwapResult, DeployError> dex_swap(std::shared_ptr<chain::EthClient> client, std::shared_ptr<chain::Sender> sender,
                                              const DexDeployment& deployment, const DexSwapRequest& request) {
    if (request.amount_in.is_zero()) return deploy_failure("swap: the amount in must be positive");
    if (deployment.chain_id != sender->chain_id())
        return deploy_failure("swap: the deployment is for chain " + std::to_string(deployment.chain_id) + ", the node is chain " +
                              std::to_string(sender->chain_id()));
    const bool v2 = request.venue == DexVenue::kV2;
    const Address router_address = v2 ? deployment.v2_router : deployment.v3_swap_router;
    const char* router_field = v2 ? "v2_router" : "v3_swap_router";
    auto code = client->code(router_address);
    if (!code) return deploy_failure(std::string("swap: eth_getCode: ") + code.error().message());
    if (code->empty())
        return deploy_failure(std::string("swap: no code at the deployment's ") + router_field + " " + router_address.checksum_hex() +
                              " (a deployment from an earlier chain?)");

    DexSwapResult result;
    result.token_in = request.a_to_b ? deployment.token_a : deployment.token_b;
    result.token_out = request.a_to_b ? deployment.token_b : deployment.token_a;
    result.recipient = request.recipient.value_or(sender->address());
    result.amount_in = request.amount_in;

    auto token_in = bind_abi(request.a_to_b ? "TokenA" : "TokenB", kErc20, result.token_in, client, sender);
    auto token_out = bind_abi(request.a_to_b ? "TokenB" : "TokenA", kErc20, result.token_out, client, sender);
    auto router = bind_abi(v2 ? "UniswapV2Router02" : "SwapRouter", v2 ? kV2Router : kV3Router, router_address, client, sender);
    if (!token_in || !token_out || !router) return deploy_failure(std::string("swap: internal ABI: ") + (!token_in ? token_in.error() : !router ? router.error() : token_out.error()).message());

    auto balance = token_in->call("balanceOf", {sender->address()});
    if (!balance) return deploy_failure("swap: " + balance.error().message());
    if ((*balance)[0].word() < request.amount_in)
        return deploy_failure("swap: " + sender->address().checksum_hex() + " holds " + (*balance)[0].word().dec() + " of " +
                              token_in->abi().name() + ", less than the " + request.amount_in.dec() + " to swap");
    auto allowance = token_in->call("allowance", {sender->address(), router_address});
    if (!allowance) return deploy_failure("swap: " + allowance.error().message());
    if ((*allowance)[0].word() < request.amount_in) {
        // TestToken never decreases an allowance of 2^256 − 1, so one approval serves every swap.
        auto approved = token_in->transact("approve", {router_address, U256::max()});
        if (!approved) return deploy_failure("swap: " + approved.error().message());
        result.approve_tx = approved->transaction_hash;
    }

    auto head = client->block_by_number(chain::BlockTag::latest());
    if (!head) return deploy_failure("swap: latest block: " + head.error().message());
    if (!*head) return deploy_failure("swap: latest block: the node has none");
    const U256 deadline((*head)->timestamp + kDeadlineSeconds);

    Expected<chain::Receipt, chain::ContractError> receipt = Unexpected{chain::ContractError{}};
    if (v2) {
        const AbiValue path = AbiValue::List{result.token_in, result.token_out};
        receipt = router->transact("swapExactTokensForTokens", {request.amount_in, request.min_out, path, result.recipient, deadline});
    } else {
        const AbiValue params = AbiValue::List{result.token_in,  result.token_out, U256(deployment.v3_fee), result.recipient,
                                               deadline,         request.amount_in, request.min_out,         U256(0)};
        receipt = router->transact("exactInputSingle", {params});
    }
    if (!receipt) return deploy_failure("swap: " + receipt.error().message());
    result.tx = receipt->transaction_hash;
    result.block = receipt->block_number;
    result.gas_used = receipt->gas_used;
    for (const auto& transfer : token_out->events_in(*receipt, "Transfer")) {
        const AbiValue* to = chain::param(transfer, "to");
        const AbiValue* value = chain::param(transfer, "value");
        if (!to || !value || to->address() != result.recipient) continue;
        auto sum = result.amount_out.checked_add(value->word());
        if (!sum) return deploy_failure("swap: Transfer amounts overflow uint256");
        result.amount_out = *sum;
    }
    return result;
}

nlohmann::ordered_json dex_swap_to_json(const DexSwapRequest& request, const DexSwapResult& r) {
    nlohmann::ordered_json j;
    j["venue"] = request.venue == DexVenue::kV2 ? "v2" : "v3";
    j["tx"] = r.tx.hex();
    j["block"] = r.block;
    j["token_in"] = r.token_in.checksum_hex();
    j["token_out"] = r.token_out.checksum_hex();
    j["recipient"] = r.recipient.checksum_hex();
    j["amount_in"] = r.amount_in.dec();
    j["amount_out"] = r.amount_out.dec();
    j["gas_used"] = r.gas_used;
    j["approve_tx"] = r.approve_tx ? nlohmann::ordered_json(r.approve_tx->hex()) : nlohmann::ordered_json(nullptr);
    return j;
}

}  // namespace cvex::cli
