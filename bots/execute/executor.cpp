#include "bots/execute/executor.hpp"

#include "bots/collect/decode.hpp"

namespace cvex::bots {

using chain::U256;

const char* to_string(TradeRecord::State s) {
    switch (s) {
        case TradeRecord::State::kPaper: return "paper";
        case TradeRecord::State::kMined: return "mined";
        case TradeRecord::State::kReverted: return "reverted";
        case TradeRecord::State::kFailed: return "failed";
    }
    return "?";
}

TradeExecutor::TradeExecutor(Options options, std::shared_ptr<chain::EthClient> client, std::shared_ptr<chain::Sender> sender, Log log)
    : options_(std::move(options)),
      client_(std::move(client)),
      sender_(std::move(sender)),
      log_(log ? std::move(log) : [](const std::string&) {}),
      vault_(options_.vault, client_, sender_) {}

TradeExecutor::~TradeExecutor() {
    for (auto& f : in_flight_)
        if (f.receipt.valid()) f.receipt.wait();
}

cvex::Expected<cvex::Bytes, chain::ContractError> TradeExecutor::calldata(const Action& action) const {
    return vault_.trade_calldata(action, options_.measurement_id);
}

std::optional<std::vector<U256>> TradeExecutor::simulate(const std::vector<Action>& actions) {
    std::vector<U256> simulated;
    for (const auto& a : actions) {
        auto out = vault_.simulate_trade(a, options_.measurement_id, sender_->address());
        if (!out) {
            log_("bot " + options_.bot + ": simulation of " + a.amount_in.dec() + " " + a.token_in.checksum_hex() + " → " +
                 a.token_out.checksum_hex() + " at " + a.target.checksum_hex() + " failed: " + out.error().message() + "; nothing sent");
            return std::nullopt;
        }
        simulated.push_back(*out);
    }
    return simulated;
}

std::optional<std::vector<U256>> TradeExecutor::simulate_behind(const std::vector<Action>& actions, const Backrun& backrun) {
    // The pending transaction as its sender's call, then the trades from the enclave address, in
    // one simulated block: the trades see exactly the state the transaction leaves. The node is
    // the host's, so this is a filter against wasted gas only; the vault checks the real trade.
    const auto& t = backrun.after;
    std::vector<chain::CallRequest> calls{chain::CallRequest{t.from, t.to, t.input, t.value, t.gas}};
    for (const auto& a : actions) {
        auto data = calldata(a);
        if (!data) {
            log_("bot " + options_.bot + ": " + data.error().message());
            return std::nullopt;
        }
        calls.push_back(chain::CallRequest{sender_->address(), options_.vault, std::move(*data), std::nullopt, options_.gas_limit});
    }
    const std::string behind = "behind pending " + t.hash.hex();
    auto results = client_->simulate(calls);
    if (!results) {
        log_("bot " + options_.bot + ": simulation " + behind + " failed: " + results.error().message() + "; nothing sent");
        return std::nullopt;
    }
    if (!(*results)[0].success) {
        log_("bot " + options_.bot + ": pending " + t.hash.hex() + " reverts in simulation (" + (*results)[0].error + "); nothing sent");
        return std::nullopt;
    }
    std::vector<U256> simulated;
    for (size_t i = 0; i < actions.size(); ++i) {
        const auto& r = (*results)[i + 1];
        auto out = VaultClient::trade_output(r.return_data, !r.success);
        if (!out) {
            log_("bot " + options_.bot + ": simulation of trade " + std::to_string(i + 1) + " " + behind + " failed: " + out.error().message() +
                 "; nothing sent");
            return std::nullopt;
        }
        simulated.push_back(*out);
    }
    return simulated;
}

size_t TradeExecutor::execute(const std::vector<Action>& actions, const std::optional<Backrun>& backrun) {
    auto sim = backrun ? simulate_behind(actions, *backrun) : simulate(actions);
    if (!sim) return 0;
    const std::vector<U256>& simulated = *sim;
    std::lock_guard lock(mutex_);
    for (size_t i = 0; i < actions.size(); ++i) {
        TradeRecord rec;
        rec.bot = options_.bot;
        rec.action = actions[i];
        rec.simulated_out = simulated[i];
        if (backrun) rec.after_tx = backrun->after.hash;
        if (options_.paper) {
            rec.state = TradeRecord::State::kPaper;
            rec.amount_out = simulated[i];
            finished_.push_back(std::move(rec));
            continue;
        }
        auto data = calldata(actions[i]);
        if (!data) {
            log_("bot " + options_.bot + ": " + data.error().message());
            return i;
        }
        chain::FeeLimit below;
        if (backrun) below.priority_fee = backrun->priority_fee, below.max_fee = backrun->max_fee;
        auto sent = sender_->send(chain::TxRequest{options_.vault, U256(0), std::move(*data), options_.gas_limit}, below, options_.route);
        if (!sent) {
            log_("bot " + options_.bot + ": sending trade " + std::to_string(i + 1) + " of " + std::to_string(actions.size()) + ": " +
                 sent.error().message());
            return i;
        }
        auto sender = sender_;
        const auto p = *sent;
        const auto timeout = options_.receipt_timeout;
        rec.tx = p.hash;
        in_flight_.push_back(InFlight{std::move(rec), p, std::async(std::launch::async, [sender, p, timeout] { return sender->wait(p, timeout); })});
    }
    return actions.size();
}

std::vector<TradeRecord> TradeExecutor::take_finished() {
    std::lock_guard lock(mutex_);
    for (auto it = in_flight_.begin(); it != in_flight_.end();) {
        if (it->receipt.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
            ++it;
            continue;
        }
        auto r = it->receipt.get();
        TradeRecord rec = std::move(it->record);
        if (!r) {
            rec.state = r.error().kind == chain::SendError::kReverted ? TradeRecord::State::kReverted : TradeRecord::State::kFailed;
            rec.error = r.error().message();
            log_("bot " + options_.bot + ": trade " + rec.tx.hex() + ": " + rec.error);
        } else {
            rec.tx = r->transaction_hash;
            rec.block = r->block_number;
            rec.gas_used = r->gas_used;
            rec.gas_cost_wei = r->effective_gas_price.checked_mul(U256(r->gas_used)).value_or(U256(0));
            rec.state = r->status ? TradeRecord::State::kMined : TradeRecord::State::kReverted;
            for (const auto& l : r->logs) {
                if (l.address != options_.vault) continue;
                if (auto t = decode_vault_traded(l)) rec.amount_out = t->amount_out;
            }
            if (!r->status) log_("bot " + options_.bot + ": trade " + rec.tx.hex() + " reverted in block " + std::to_string(rec.block));
        }
        finished_.push_back(std::move(rec));
        it = in_flight_.erase(it);
    }
    std::vector<TradeRecord> out;
    out.swap(finished_);
    return out;
}

uint32_t TradeExecutor::pending() const {
    std::lock_guard lock(mutex_);
    return static_cast<uint32_t>(in_flight_.size());
}

}  // namespace cvex::bots
