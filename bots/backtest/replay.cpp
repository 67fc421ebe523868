#include "bots/backtest/replay.hpp"

#include <algorithm>

#include "chain/rpc/rpc_json.hpp"

namespace cvex::bots {

using chain::U256;
using cvex::Unexpected;

Replay::Replay(const BotConfig& config, std::shared_ptr<chain::EthClient> client, const BacktestOptions& options, BotCollector& collector,
               const Strategy& strategy)
    : config_(config), client_(client), options_(options), collector_(collector), strategy_(strategy), vault_(config.vault, client) {}

chain::Address Replay::base_token() const {
    if (const auto* a = std::get_if<ArbitrageConfig>(&config_.strategy)) return a->base_token;
    return std::get<RebalancerConfig>(config_.strategy).token_a;
}

cvex::Expected<Replay::Outcome, BotError> Replay::decide_at(uint64_t block, uint64_t last_traded) {
    auto header = client_->block_by_number(chain::BlockTag::number(block));
    if (!header || !*header) return bot_failure("block " + std::to_string(block) + ": " + (header ? std::string("none") : header.error().message()));
    auto state = collector_.snapshot_at(**header);
    if (!state) return bot_failure("state at block " + std::to_string(block) + ": " + state.error().message());
    // What the live state would hold from the vault's Traded events since the bot started, and
    // from our own would-be trades (their Traded events, had they been sent).
    state->vault.last_trade_block = std::max(last_traded, last_would_be_);
    ++evaluated_;
    // The event the live runner decides on: each round's NewBlockEvent (Bot::round_event).
    const BotEvent event = NewBlockEvent{block, state->block.timestamp, state->block.base_fee_per_gas};
    Verdict v = strategy_.decide(*state, event);
    last_decision_ = v.decision;
    if (v.actions.empty()) return Outcome::kHeld;
    return simulate(v.actions, *state);
}

cvex::Expected<uint64_t, BotError> Replay::estimate_gas(const Action& action, uint64_t block) const {
    auto data = vault_.trade_calldata(action, config_.measurement_id);
    if (!data) return bot_failure(data.error().message());
    chain::CallRequest req;
    req.from = options_.trader;
    req.to = config_.vault;
    req.data = std::move(*data);
    auto r = client_->rpc().call("eth_estimateGas", {chain::rpc_json::to_json(req), chain::BlockTag::number(block).str()});
    if (!r) return bot_failure("eth_estimateGas at block " + std::to_string(block) + ": " + r.error().message());
    auto gas = chain::rpc_json::quantity_u64(*r, "result");
    if (!gas) return bot_failure("eth_estimateGas at block " + std::to_string(block) + ": " + gas.error());
    return *gas;
}

cvex::Expected<Replay::Outcome, BotError> Replay::simulate(const std::vector<Action>& actions, const MarketState& state) {
    // As the live executor: every action simulated from the trading address; one refusal and
    // nothing of the decision is sent.
    const uint64_t block = state.block.number;
    const auto tag = chain::BlockTag::number(block);
    std::vector<WouldBe> legs;
    for (size_t i = 0; i < actions.size(); ++i) {
        auto out = vault_.simulate_trade(actions[i], config_.measurement_id, options_.trader, tag);
        if (!out) {
            refusals_.push_back(BacktestRefusal{block, i + 1, actions[i], out.error().message()});
            return Outcome::kRefused;
        }
        auto gas = estimate_gas(actions[i], block);
        if (!gas) return Unexpected{gas.error()};
        U256 price = state.block.base_fee_per_gas;
        if (const auto* a = std::get_if<ArbitrageConfig>(&config_.strategy)) price = price.wrapping_add(a->priority_fee_wei);
        legs.push_back(WouldBe{block, actions[i], *out, *gas, price.checked_mul(U256(*gas)).value_or(U256::max())});
    }
    trades_.insert(trades_.end(), legs.begin(), legs.end());
    last_would_be_ = block;
    return Outcome::kTraded;
}

}  // namespace cvex::bots
