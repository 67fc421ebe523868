#include "bots/execute/vault_client.hpp"

namespace cvex::bots {

using chain::AbiValue;
using chain::ContractError;
using cvex::Expected;
using chain::U256;
using cvex::Unexpected;

namespace {

#define CVEX_INTENT "(uint8,address,address,address,bytes,uint256,uint256,uint256,uint256)"

const std::vector<std::string>& signatures() {
    static const std::vector<std::string> s = {
        "trade(" CVEX_INTENT ",bytes32)(uint256)",
        "paused()(bool)",
        "registry()(address)",
        "availableAllowance(address)(uint256)",
        "tokenLimits(address)((bool,uint96,uint96,uint32,uint96))",
        "minAmountOutFor(address,address,uint256)(uint256,uint256)",
        "pokeOracle(address)(bool)",
        "event Traded(address indexed enclave, address indexed target, address indexed tokenIn, address tokenOut, uint256 amountIn, "
        "uint256 amountOut, bytes32 intentHash)",
        "event VaultPaused(address indexed by)", "event VaultUnpaused(address indexed by)",
        "error NotOwner(address)", "error NotGuardian(address)", "error NotSelf(address)", "error ZeroAddress()", "error Paused()",
        "error Reentrancy()", "error IntentExpired(uint256,uint256)", "error IntentReplayed(address,uint256)", "error BadSignature()",
        "error MeasurementNotAllowed(bytes32)", "error NotAttested(address,bytes32)", "error TargetNotAllowed(address,uint8)",
        "error TokenNotAllowed(address)", "error BadPath()", "error ZeroAmount()", "error OverTradeCap(address,uint256,uint256)",
        "error OverEpochAllowance(address,uint256,uint256)", "error OracleNotConfigured(address,address)",
        "error TwapWindowTooShort(address,uint256,uint256)", "error TwapStale(address,uint256,uint256)",
        "error SlippageTooHigh(uint256,uint256,uint256)", "error SpentTooMuch(uint256,uint256)", "error ReceivedTooLittle(uint256,uint256)",
        "error UnexpectedCallback(address)", "error TokenCallFailed(address,bytes4)",
        // Governance: the bots never govern, but a log should name whatever the vault says.
        "error DelayTooLong(uint256,uint256)", "error UnknownChange(bytes4)", "error ChangeAlreadyQueued(bytes32)",
        "error ChangeNotQueued(bytes32)", "error ChangeNotReady(bytes32,uint256)", "error ChangeExpired(bytes32,uint256)",
        "error InvalidSlippage(uint256)", "error InvalidTwapWindow(uint32,uint32)", "error PairMismatch(address,address,address)",
        "error RefillPeriodTooLong(uint32,uint32)",
        // OpenZeppelin's EIP712 (ShortStrings): raised only by a constructor given too long a name.
        "error InvalidShortString()", "error StringTooLong(string)",
    };
    return s;
}

AbiValue intent_value(const Action& a) {
    return AbiValue(AbiValue::List{AbiValue(U256(static_cast<uint64_t>(a.kind))), AbiValue(a.target), AbiValue(a.token_in),
                                   AbiValue(a.token_out), AbiValue(trade_data(a)), AbiValue(a.amount_in), AbiValue(a.min_amount_out),
                                   AbiValue(U256(a.deadline)), AbiValue(U256(0))});
}


}  // namespace

const chain::ContractAbi& VaultClient::abi() {
    static const chain::ContractAbi a = *chain::ContractAbi::from_signatures("GuardedVault", signatures());
    return a;
}

VaultClient::VaultClient(chain::Address vault, std::shared_ptr<chain::EthClient> client, std::shared_ptr<chain::Sender> sender)
    : client_(client), contract_(abi(), vault, std::move(client), std::move(sender)) {}

Expected<cvex::Bytes, ContractError> VaultClient::trade_calldata(const Action& action, const chain::Hash32& measurement_id) const {
    return contract_.calldata("trade", {intent_value(action), AbiValue(measurement_id)});
}

Expected<U256, ContractError> VaultClient::simulate_trade(const Action& action, const chain::Hash32& measurement_id, const chain::Address& from,
                                                         const chain::BlockTag& tag) const {
    auto data = trade_calldata(action, measurement_id);
    if (!data) return Unexpected{data.error()};
    chain::CallRequest req;
    req.from = from;
    req.to = address();
    req.data = std::move(*data);
    auto out = contract_.client().call(req, tag);
    if (!out && !out.error().revert_data) return Unexpected{ContractError{"GuardedVault.trade: " + out.error().message(), std::nullopt}};
    return trade_output(out ? ByteView(*out) : ByteView(*out.error().revert_data), !out);
}

Expected<U256, ContractError> VaultClient::trade_output(cvex::ByteView data, bool reverted) {
    if (reverted) {
        auto reason = chain::decode_revert(data, abi().errors());
        return Unexpected{ContractError{"GuardedVault.trade: reverted: " + reason.text, reason}};
    }
    if (data.size() != 32) return Unexpected{ContractError{"GuardedVault.trade: returned " + std::to_string(data.size()) + " bytes", std::nullopt}};
    return *U256::from_be(data);
}

Expected<bool, ContractError> VaultClient::paused(const chain::BlockTag& tag) const {
    auto r = contract_.call("paused", {}, tag);
    if (!r) return Unexpected{r.error()};
    return (*r)[0].boolean();
}

Expected<chain::Address, ContractError> VaultClient::registry() const {
    auto r = contract_.call("registry", {});
    if (!r) return Unexpected{r.error()};
    return (*r)[0].address();
}

Expected<U256, ContractError> VaultClient::available_allowance(const chain::Address& token, const chain::BlockTag& tag) const {
    auto r = contract_.call("availableAllowance", {AbiValue(token)}, tag);
    if (!r) return Unexpected{r.error()};
    return (*r)[0].word();
}

Expected<VaultTokenLimits, ContractError> VaultClient::token_limits(const chain::Address& token, const chain::BlockTag& tag) const {
    auto r = contract_.call("tokenLimits", {AbiValue(token)}, tag);
    if (!r) return Unexpected{r.error()};
    const auto& t = (*r)[0].list();
    return VaultTokenLimits{t[0].boolean(), t[1].word(), t[2].word(), t[3].word().low_u64(), t[4].word()};
}

Expected<std::pair<U256, U256>, ContractError> VaultClient::min_amount_out_for(const chain::Address& token_in, const chain::Address& token_out,
                                                                              const U256& amount_in, const chain::BlockTag& tag) const {
    auto r = contract_.call("minAmountOutFor", {AbiValue(token_in), AbiValue(token_out), AbiValue(amount_in)}, tag);
    if (!r) return Unexpected{r.error()};
    return std::pair{(*r)[0].word(), (*r)[1].word()};
}

Expected<U256, ContractError> VaultClient::balance_of(const chain::Address& token, const chain::BlockTag& tag) const {
    static const chain::ContractAbi erc20 = *chain::ContractAbi::from_signatures("ERC20", {"balanceOf(address)(uint256)"});
    chain::Contract t(erc20, token, client_);
    auto r = t.call("balanceOf", {AbiValue(address())}, tag);
    if (!r) return Unexpected{r.error()};
    return (*r)[0].word();
}

}  // namespace cvex::bots
