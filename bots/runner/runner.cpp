#include "bots/runner/runner.hpp"

#include <algorithm>
#include <sstream>
#include <thread>

#include "bots/report/report.hpp"

namespace cvex::bots {

using cvex::Unexpected;

namespace {

uint64_t expiry_margin(const BotConfig& c) {
    if (const auto* a = std::get_if<ArbitrageConfig>(&c.strategy)) return a->expiry_margin_s;
    return std::get<RebalancerConfig>(c.strategy).expiry_margin_s;
}

}  // namespace

cvex::Expected<std::unique_ptr<Bot>, std::string> Bot::create(const BotConfig& config, std::shared_ptr<chain::EthClient> client,
                                                               std::shared_ptr<chain::Sender> sender, Log log) {
    if (!log) log = [](const std::string&) {};
    std::unique_ptr<Bot> bot(new Bot(config, std::move(log)));
    bot->client_ = client;
    if (const auto* a = std::get_if<ArbitrageConfig>(&config.strategy)) {
        auto s = ArbitrageStrategy::create(*a);
        if (!s) return Unexpected{"bot " + config.name + ": " + s.error()};
        bot->strategy_ = std::make_unique<ArbitrageStrategy>(std::move(*s));
    } else {
        auto s = RebalancerStrategy::create(std::get<RebalancerConfig>(config.strategy));
        if (!s) return Unexpected{"bot " + config.name + ": " + s.error()};
        bot->strategy_ = std::make_unique<RebalancerStrategy>(std::move(*s));
    }
    BotCollector::Options co;
    co.vault = config.vault;
    co.enclave = sender->address();
    co.v2_pools = config.v2_pools();
    co.v3_pools = config.v3_ranges;
    auto collector = BotCollector::create(co, client);
    if (!collector) return Unexpected{"bot " + config.name + ": " + collector.error()};
    bot->collector_ = std::move(*collector);
    TradeExecutor::Options eo;
    eo.bot = config.name;
    eo.vault = config.vault;
    eo.measurement_id = config.measurement_id;
    eo.paper = config.paper;
    bot->executor_ = std::make_unique<TradeExecutor>(eo, client, sender, bot->log_);
    return bot;
}

void Bot::poll_once() {
    collect_trades();
    std::vector<BotEvent> events;
    if (!have_state_) {
        auto s = collector_->snapshot();
        if (!s) {
            log_("bot " + config_.name + ": snapshot: " + s.error() + " (will retry)");
            return;
        }
        state_ = std::move(*s);
        have_state_ = true;
        events.push_back(NewBlockEvent{state_.block.number, state_.block.timestamp, state_.block.base_fee_per_gas});
        log_("bot " + config_.name + (config_.paper ? " (PAPER: simulates only)" : "") + " watching vault " + config_.vault.checksum_hex() +
             " from block " + std::to_string(state_.block.number));
    } else {
        auto e = collector_->poll();
        if (!e) {
            log_("bot " + config_.name + ": " + e.error() + " (will retry)");
            return;
        }
        events = std::move(*e);
        for (const auto& ev : events) {
            if (auto applied = apply_event(state_, ev); !applied) {
                log_("bot " + config_.name + ": " + applied.error().message() + "; re-reading the state");
                have_state_ = false;
                return;
            }
        }
    }
    if (events.empty()) return;
    if (state_.block.number >= last_report_block_ + kReportEvery) refresh_report();
    (void)apply_event(state_, BotEvent{PendingTradesEvent{executor_->pending()}});
    {
        std::lock_guard lock(mutex_);
        ++figures_.blocks;
    }

    // The kill switch, logged on each change.
    const Decision gate = kill_switch(state_, expiry_margin(config_));
    const bool idle = gate == Decision::kPaused || gate == Decision::kAttestationExpiring;
    if (gate != last_idle_ && (idle || last_idle_ == Decision::kPaused || last_idle_ == Decision::kAttestationExpiring))
        log_("bot " + config_.name + (idle ? ": idle: " + std::string(to_string(gate)) : ": resuming"));
    last_idle_ = gate;

    // Paper trades change nothing on chain: without new pool events the same opportunity would be
    // "taken" again every block and the would-be PnL counted many times over.
    const bool pools_moved = std::any_of(events.begin(), events.end(), [](const BotEvent& e) {
        return std::holds_alternative<V2SyncEvent>(e) || std::holds_alternative<V3SwapEvent>(e);
    });
    if (config_.paper && !pools_moved) return;
    // Decide on the newest state (the last event), once per round.
    const auto actions = strategy_->on_event(state_, events.back());
    {
        std::lock_guard lock(mutex_);
        figures_.idle = idle;
        figures_.last_decision = actions.empty() ? to_string(gate) : "trade";
        if (!actions.empty()) ++figures_.decisions;
    }
    if (actions.empty()) return;
    std::ostringstream what;
    for (const auto& a : actions) what << " [" << a.amount_in.dec() << " in → ≥ " << a.min_amount_out.dec() << " out at " << a.target.checksum_hex() << "]";
    log_("bot " + config_.name + ": block " + std::to_string(state_.block.number) + ": trading" + what.str());
    const size_t sent = executor_->execute(actions);
    std::lock_guard lock(mutex_);
    if (config_.paper) figures_.paper_trades += sent;
    else figures_.trades_sent += sent;
    if (sent < actions.size()) ++figures_.trades_failed;
}

void Bot::refresh_report() {
    last_report_block_ = state_.block.number;
    // The arbitrage's base token, or the rebalancer's token A, is the unit of value.
    const chain::Address base = std::holds_alternative<ArbitrageConfig>(config_.strategy) ? std::get<ArbitrageConfig>(config_.strategy).base_token
                                                                                       : std::get<RebalancerConfig>(config_.strategy).token_a;
    const auto& tokens = collector_->tokens();
    const chain::Address other = tokens[0] == base ? tokens[1] : tokens[0];
    auto r = vault_report(client_, config_.vault, base, other, 0, state_.block.number);
    if (!r) {
        log_("bot " + config_.name + ": report: " + r.error());
        return;
    }
    std::lock_guard lock(mutex_);
    figures_.vault_trades = r->trades.size();
    figures_.vault_value = r->value_end;
    figures_.vault_pnl = (r->pnl_negative && !r->pnl.is_zero() ? "-" : "") + r->pnl.dec();
}

void Bot::collect_trades() {
    for (const auto& t : executor_->take_finished()) {
        {
            std::lock_guard lock(mutex_);
            if (t.state == TradeRecord::State::kMined) {
                ++figures_.trades_mined;
                last_report_block_ = 0;  // the vault's value changed: report at the next block
            }
            if (t.state == TradeRecord::State::kReverted || t.state == TradeRecord::State::kFailed) ++figures_.trades_failed;
            figures_.gas_used += t.gas_used;
            if (t.state == TradeRecord::State::kPaper) {
                if (const auto* a = std::get_if<ArbitrageConfig>(&config_.strategy)) {
                    if (t.action.token_in == a->base_token) figures_.paper_base_out = figures_.paper_base_out.wrapping_add(t.action.amount_in);
                    if (t.action.token_out == a->base_token) figures_.paper_base_in = figures_.paper_base_in.wrapping_add(t.amount_out);
                }
            }
            figures_.gas_spent_wei = figures_.gas_spent_wei.wrapping_add(t.gas_cost_wei);
        }
        log_("bot " + config_.name + ": trade " + to_string(t.state) + (t.tx == chain::Hash32{} ? "" : " " + t.tx.hex()) + ": " +
             t.action.amount_in.dec() + " " + t.action.token_in.checksum_hex() + " → " + t.amount_out.dec() + " " +
             t.action.token_out.checksum_hex() + (t.gas_used ? ", gas " + std::to_string(t.gas_used) : ""));
        if (on_trade_) on_trade_(t);
    }
}

void Bot::run(const std::function<bool()>& stop, std::chrono::milliseconds interval) {
    while (!stop()) {
        const auto start = std::chrono::steady_clock::now();
        poll_once();
        std::this_thread::sleep_until(start + interval);
    }
    collect_trades();
}

BotFigures Bot::figures() const {
    std::lock_guard lock(mutex_);
    return figures_;
}

std::string Bot::prometheus() const {
    const BotFigures f = figures();
    const std::string l = "{bot=\"" + config_.name + "\"}";
    std::ostringstream m;
    m << "cvex_bot_blocks_total" << l << ' ' << f.blocks << '\n'
      << "cvex_bot_decisions_total" << l << ' ' << f.decisions << '\n'
      << "cvex_bot_trades_sent_total" << l << ' ' << f.trades_sent << '\n'
      << "cvex_bot_trades_mined_total" << l << ' ' << f.trades_mined << '\n'
      << "cvex_bot_trades_failed_total" << l << ' ' << f.trades_failed << '\n'
      << "cvex_bot_paper_trades_total" << l << ' ' << f.paper_trades << '\n'
      << "cvex_bot_gas_used_total" << l << ' ' << f.gas_used << '\n'
      << "cvex_bot_gas_spent_wei_total" << l << ' ' << f.gas_spent_wei.dec() << '\n'
      << "cvex_bot_idle" << l << ' ' << (f.idle ? 1 : 0) << '\n'
      << "cvex_bot_vault_trades" << l << ' ' << f.vault_trades << '\n'
      << "cvex_bot_vault_value_base" << l << ' ' << f.vault_value.dec() << '\n'
      << "cvex_bot_vault_pnl_base" << l << ' ' << f.vault_pnl << '\n';
    if (config_.paper) {
        const bool loss = f.paper_base_in < f.paper_base_out;
        const auto pnl = loss ? *f.paper_base_out.checked_sub(f.paper_base_in) : *f.paper_base_in.checked_sub(f.paper_base_out);
        m << "cvex_bot_paper_pnl_base" << l << ' ' << (loss ? "-" : "") << pnl.dec() << '\n';
    }
    return m.str();
}

}  // namespace cvex::bots
