// The runner's figures: trades finished, the vault's PnL in parts from the chain, and /metrics.
#include <sstream>

#include "bots/collect/decode.hpp"
#include "bots/report/report.hpp"
#include "bots/runner/runner.hpp"

namespace cvex::bots {

void Bot::refresh_report() {
    last_report_block_ = state_.block.number;
    if (drawdown_ && !drawdown_->stopped()) sample_drawdown();
    ReportOptions o;
    o.to_block = state_.block.number;
    auto r = vault_report(client_, config_.vault, base_token(), other_token(), o);
    if (!r) {
        log_("bot " + config_.name + ": report: " + r.error().message());
        return;
    }
    std::lock_guard lock(mutex_);
    figures_.vault_trades = r->trades.size();
    figures_.vault_value = r->value_end;
    figures_.realised = r->realised;
    figures_.revaluation = r->revaluation;
    figures_.valuation_block = r->valuation_price.block;
    figures_.valuation_price = r->valuation_price.per_unit;
    figures_.vault_gas_spent_wei = r->gas_spent_wei;
}

void Bot::sample_drawdown() {
    // The bot's PnL since it started (or last resumed), trades or not: the report from that block.
    ReportOptions o;
    o.from_block = drawdown_origin_;
    o.to_block = state_.block.number;
    auto r = vault_report(client_, config_.vault, base_token(), other_token(), o);
    if (!r) {
        log_("bot " + config_.name + ": drawdown report: " + r.error().message());
        return;
    }
    SignedU256 pnl = r->realised;
    pnl += r->revaluation;
    if (auto why = drawdown_->sample(state_.block.number, state_.block.timestamp, pnl)) hold(Decision::kDrawdown, *why, true);
}

bool Bot::drawdown_holds() {
    if (!drawdown_ || !drawdown_->stopped()) return false;
    // A resume recorded on-chain after the stop: the vault's VaultUnpaused (its owner's act).
    std::optional<std::string> by;
    chain::LogFilter f;
    f.addresses = {config_.vault};
    f.topics = {std::vector<chain::Hash32>{vault_unpaused_topic()}};
    f.from_block = drawdown_->stopped_block() + 1;
    f.to_block = state_.block.number;
    if (f.to_block >= f.from_block) {
        auto logs = client_->logs(f);
        if (logs && !logs->empty() && logs->back().topics.size() == 2) {
            chain::Address who;
            std::copy(logs->back().topics[1].bytes.begin() + 12, logs->back().topics[1].bytes.end(), who.bytes.begin());
            by = who.checksum_hex() + " (VaultUnpaused in block " + std::to_string(logs->back().block_number) + ")";
        }
    }
    if (auto line = drawdown_->maybe_resume(state_.block.timestamp, by)) {
        log_("bot " + config_.name + ": drawdown stop lifted: " + *line);
        drawdown_origin_ = state_.block.number;
        return false;
    }
    hold(Decision::kDrawdown, drawdown_->why(), true);
    return true;
}

void Bot::collect_trades() {
    for (const auto& t : executor_->take_finished()) {
        std::string paper_note;
        {
            std::lock_guard lock(mutex_);
            if (t.state == TradeRecord::State::kMined) {
                ++figures_.trades_mined;
                last_report_block_ = 0;  // the vault's value changed: report at the next block
            }
            if (t.state == TradeRecord::State::kReverted || t.state == TradeRecord::State::kFailed) ++figures_.trades_failed;
            figures_.gas_used += t.gas_used;
            figures_.gas_spent_wei = figures_.gas_spent_wei.wrapping_add(t.gas_cost_wei);
            if (t.state == TradeRecord::State::kPaper && paper_ledger_) {
                if (auto e = paper_ledger_->apply(t.action.token_in, t.action.token_out, t.action.amount_in, t.amount_out)) {
                    figures_.paper_realised = paper_ledger_->realised();
                    paper_note = "; would-be realised " + e->realised.dec() + ", in all " + paper_ledger_->realised().dec() + " base units";
                }
            }
        }
        log_("bot " + config_.name + ": trade " + to_string(t.state) + (t.tx == chain::Hash32{} ? "" : " " + t.tx.hex()) + ": " +
             t.action.amount_in.dec() + " " + t.action.token_in.checksum_hex() + " → " + t.amount_out.dec() + " " +
             t.action.token_out.checksum_hex() + (t.block ? " in block " + std::to_string(t.block) : "") +
             (t.gas_used ? ", gas " + std::to_string(t.gas_used) : "") + (t.after_tx ? ", back-run after " + t.after_tx->hex() : "") + paper_note);
        if (on_trade_) on_trade_(t);
    }
}

BotFigures Bot::figures() const {
    std::lock_guard lock(mutex_);
    return figures_;
}

std::string Bot::prometheus() const {
    const BotFigures f = figures();
    const std::string name = "bot=\"" + config_.name + "\"";
    const std::string l = "{" + name + "}";
    std::ostringstream m;
    m << "cvex_bot_blocks_total" << l << ' ' << f.blocks << '\n'
      << "cvex_bot_head_block" << l << ' ' << f.head << '\n'
      << "cvex_bot_decisions_total" << l << ' ' << f.decisions << '\n'
      << "cvex_bot_pending_swaps_total" << l << ' ' << f.pending_swaps << '\n'
      << "cvex_bot_backruns_total" << l << ' ' << f.backruns << '\n'
      << "cvex_bot_trades_sent_total" << l << ' ' << f.trades_sent << '\n'
      << "cvex_bot_trades_mined_total" << l << ' ' << f.trades_mined << '\n'
      << "cvex_bot_trades_failed_total" << l << ' ' << f.trades_failed << '\n'
      << "cvex_bot_paper_trades_total" << l << ' ' << f.paper_trades << '\n'
      << "cvex_bot_gas_used_total" << l << ' ' << f.gas_used << '\n'
      << "cvex_bot_gas_spent_wei_total" << l << ' ' << f.gas_spent_wei.dec() << '\n'
      << "cvex_bot_idle" << l << ' ' << (f.idle ? 1 : 0) << '\n';
    // One series per reason, 1 for the one holding the bot now (none while it may trade).
    for (Decision d : hold_reasons())
        m << "cvex_bot_hold{" << name << ",reason=\"" << metric_name(d) << "\"} " << (f.hold == d ? 1 : 0) << '\n';
    for (auto s : {RpcWatch::State::kOk, RpcWatch::State::kUnreachable, RpcWatch::State::kStalled, RpcWatch::State::kBehind})
        m << "cvex_bot_rpc_state{" << name << ",state=\"" << to_string(s) << "\"} " << (f.rpc == s ? 1 : 0) << '\n';
    m << "cvex_bot_rpc_failures_total" << l << ' ' << f.rpc_failures << '\n'
      << "cvex_bot_vault_trades" << l << ' ' << f.vault_trades << '\n'
      << "cvex_bot_vault_value_base" << l << ' ' << f.vault_value.dec() << '\n'
      << "cvex_bot_realised_pnl_base" << l << ' ' << f.realised.dec() << '\n'
      << "cvex_bot_revaluation_base" << l << ' ' << f.revaluation.dec() << '\n'
      << "cvex_bot_valuation_block" << l << ' ' << f.valuation_block << '\n'
      << "cvex_bot_valuation_price_base" << l << ' ' << f.valuation_price.dec() << '\n'
      << "cvex_bot_vault_gas_spent_wei" << l << ' ' << f.vault_gas_spent_wei.dec() << '\n';
    if (config_.paper) m << "cvex_bot_paper_realised_pnl_base" << l << ' ' << f.paper_realised.dec() << '\n';
    if (send_route_) {  // the bot's own send route (runner/send_routes.hpp)
        const auto r = send_route_->stats();
        m << "cvex_bot_send_route_sent_total" << l << ' ' << r.sent << '\n'
          << "cvex_bot_send_route_failed_total" << l << ' ' << r.failed << '\n'
          << "cvex_bot_send_route_fallback_total" << l << ' ' << r.fell_back << '\n';
    }
    return m.str();
}

}  // namespace cvex::bots
