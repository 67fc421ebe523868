// The backtest's would-be trades in the books and the format of `cvex bot report` (report.hpp):
// the same ledger (pnl.hpp), the same opening and valuation prices (the vault's TWAP reference at
// the range's first and last block), gas at the estimate times the block's base fee and the
// bot's priority fee.
#include <nlohmann/json.hpp>

#include "bots/backtest/replay.hpp"

namespace cvex::bots {

using chain::U256;
using cvex::Unexpected;

cvex::Expected<BacktestResult, BotError> Replay::finish() {
    BacktestResult out;
    out.bot = config_.name;
    out.trader = options_.trader;
    out.refusals = refusals_;
    out.evaluated_blocks = evaluated_;
    VaultReport& r = out.report;
    const auto& tokens = collector_.tokens();
    r.vault = config_.vault;
    r.base_token = base_token();
    r.other_token = tokens[0] == r.base_token ? tokens[1] : tokens[0];
    r.from_block = options_.from_block;
    r.to_block = options_.to_block;
    if (const auto* a = std::get_if<ArbitrageConfig>(&config_.strategy); a && !a->base_per_native.is_zero()) r.base_per_native = a->base_per_native;

    auto opening = vault_.balance_of(r.other_token, chain::BlockTag::number(r.from_block));
    if (!opening) return bot_failure("balance at block " + std::to_string(r.from_block) + ": " + opening.error().message());
    r.opening_inventory = *opening;
    auto open_price = reference_price(client_, r.vault, r.base_token, r.other_token, r.from_block);
    if (!open_price) return Unexpected{open_price.error()};
    r.opening_price = *open_price;
    PnlLedger ledger(r.base_token, r.other_token);
    ledger.open(*opening, value_at_price(*opening, open_price->per_unit));

    bool twap = true;
    auto start = vault_value(client_, r.vault, r.base_token, r.other_token, r.from_block, twap);
    if (!start) return Unexpected{start.error()};
    r.value_start = *start;
    if (auto booked = book(out, ledger, twap); !booked) return Unexpected{booked.error()};
    if (auto closed = close_books(r, ledger, client_, r.to_block, twap); !closed) return Unexpected{closed.error()};
    return out;
}

cvex::Expected<void, BotError> Replay::book(BacktestResult& out, PnlLedger& ledger, bool& twap) const {
    VaultReport& r = out.report;
    EnclaveFigures mine{options_.trader, 0, {}, 0, {}};
    for (const auto& w : trades_) {
        ReportedTrade t;
        t.block = w.block;
        t.enclave = options_.trader;
        t.target = w.action.target;
        t.token_in = w.action.token_in;
        t.token_out = w.action.token_out;
        t.amount_in = w.action.amount_in;
        t.amount_out = w.amount_out;
        t.gas_used = w.gas;
        t.gas_cost_wei = w.gas_cost_wei;
        auto entry = ledger.apply(t.token_in, t.token_out, t.amount_in, t.amount_out);
        if (!entry) return bot_failure("would-be trade at block " + std::to_string(w.block) + ": " + entry.error().message());
        t.realised = entry->realised;
        // History's value at that block: the would-be trades never happened (the caveat).
        auto v = vault_value(client_, r.vault, r.base_token, r.other_token, w.block, twap);
        if (!v) return Unexpected{v.error()};
        t.value_after = *v;
        r.gas_used += t.gas_used;
        r.gas_spent_wei = r.gas_spent_wei.wrapping_add(t.gas_cost_wei);
        ++mine.trades;
        mine.realised += t.realised;
        mine.gas_used += t.gas_used;
        mine.gas_spent_wei = mine.gas_spent_wei.wrapping_add(t.gas_cost_wei);
        r.trades.push_back(t);
        out.actions.push_back(w.action);
    }
    if (mine.trades > 0) r.by_enclave.push_back(mine);
    return {};
}

std::string BacktestResult::json() const {
    using J = nlohmann::ordered_json;
    J j = J::parse(report.json());
    J refused = J::array();
    for (const auto& f : refusals)
        refused.push_back({{"block", f.block},
                           {"leg", f.leg},
                           {"token_in", f.action.token_in.checksum_hex()},
                           {"token_out", f.action.token_out.checksum_hex()},
                           {"amount_in", f.action.amount_in.dec()},
                           {"min_amount_out", f.action.min_amount_out.dec()},
                           {"error", f.error}});
    J trades = J::array();
    for (size_t i = 0; i < actions.size() && i < report.trades.size(); ++i)
        trades.push_back({{"block", report.trades[i].block},
                          {"min_amount_out", actions[i].min_amount_out.dec()},
                          {"expected_amount_out", actions[i].expected_amount_out.dec()},
                          {"deadline", actions[i].deadline}});
    j["backtest"] = J{{"bot", bot},
                      {"trader", trader.checksum_hex()},
                      {"blocks", blocks},
                      {"evaluated_blocks", evaluated_blocks},
                      {"elapsed_ms", elapsed.count()},
                      {"caveat", kBacktestCaveat},
                      {"intents", trades},
                      {"refused", refused}};
    return j.dump(2);
}

}  // namespace cvex::bots
