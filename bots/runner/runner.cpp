#include "bots/runner/runner.hpp"

#include <algorithm>
#include <sstream>
#include <thread>

#include "bots/execute/vault_client.hpp"
#include "bots/runner/send_routes.hpp"

namespace cvex::bots {

using cvex::Unexpected;

namespace {

Decision rpc_decision(RpcWatch::State s) {
    switch (s) {
        case RpcWatch::State::kUnreachable: return Decision::kRpcUnreachable;
        case RpcWatch::State::kStalled: return Decision::kRpcStalled;
        case RpcWatch::State::kBehind: return Decision::kRpcBehind;
        case RpcWatch::State::kOk: break;
    }
    return Decision::kTrade;
}

uint64_t wall_unix() {
    return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}

}  // namespace

cvex::Expected<ChainIdentity, BotError> read_chain_identity(chain::EthClient& client) {
    auto id = client.chain_id();
    if (!id) return bot_failure(id.error().message());
    auto genesis = client.block_by_number(chain::BlockTag::number(0));
    if (!genesis) return bot_failure(genesis.error().message());
    if (!*genesis) return bot_failure("the node has no block 0");
    return ChainIdentity{*id, (*genesis)->hash};
}

cvex::Expected<std::unique_ptr<Strategy>, BotError> make_strategy(const BotConfig& config) {
    if (const auto* a = std::get_if<ArbitrageConfig>(&config.strategy)) {
        auto s = ArbitrageStrategy::create(*a);
        if (!s) return bot_failure("bot " + config.name + ": " + s.error().message());
        return std::unique_ptr<Strategy>(std::make_unique<ArbitrageStrategy>(std::move(*s)));
    }
    auto s = RebalancerStrategy::create(std::get<RebalancerConfig>(config.strategy));
    if (!s) return bot_failure("bot " + config.name + ": " + s.error().message());
    return std::unique_ptr<Strategy>(std::make_unique<RebalancerStrategy>(std::move(*s)));
}

cvex::Expected<std::unique_ptr<Bot>, BotError> Bot::create(const BotConfig& config, std::shared_ptr<chain::EthClient> client,
                                                            std::shared_ptr<chain::Sender> sender, Log log, std::shared_ptr<chain::SendRoute> send_route) {
    if (!log) log = [](const std::string&) {};
    std::unique_ptr<Bot> bot(new Bot(config, std::move(log)));
    bot->client_ = client;
    bot->watch_ = RpcWatch(config.rpc);
    if (config.drawdown) bot->drawdown_.emplace(*config.drawdown);
    auto identity = read_chain_identity(*client);
    if (!identity) return bot_failure("bot " + config.name + ": the node's chain: " + identity.error().message());
    bot->identity_ = *identity;
    auto strategy = make_strategy(config);
    if (!strategy) return Unexpected{strategy.error()};
    bot->strategy_ = std::move(*strategy);
    BotCollector::Options co;
    co.vault = config.vault;
    co.enclave = sender->address();
    co.v2_pools = config.v2_pools();
    co.v3_pools = config.v3_ranges;
    auto collector = BotCollector::create(co, client);
    if (!collector) return bot_failure("bot " + config.name + ": " + collector.error().message());
    bot->collector_ = std::move(*collector);
    TradeExecutor::Options eo;
    eo.bot = config.name;
    eo.vault = config.vault;
    eo.measurement_id = config.measurement_id;
    eo.paper = config.paper;
    if (config.send) {
        if (!send_route) return bot_failure("bot " + config.name + ": its send route was not set up");
        eo.route = send_route_name(config.name);
        bot->send_route_ = std::move(send_route);
        bot->log_("bot " + config.name + ": its trades go through " + config.send->url + (config.send->fallback ? " (falling back to the read node)" : " only"));
    }
    bot->executor_ = std::make_unique<TradeExecutor>(eo, client, sender, bot->log_);
    if (config.mempool) {
        const std::string name = config.name;
        auto feed = MempoolFeed::start(*config.mempool, [log = bot->log_, name](const std::string& l) { log("bot " + name + ": " + l); });
        if (!feed) return bot_failure("bot " + config.name + ": " + feed.error().message());
        bot->mempool_ = std::move(*feed);
        bot->log_("bot " + config.name + ": following pending transactions at " + config.mempool->ws_url + " (back-running)");
    }
    return bot;
}

chain::Address Bot::base_token() const {
    // The arbitrage's base token, or the rebalancer's token A, is the unit of value.
    if (const auto* a = std::get_if<ArbitrageConfig>(&config_.strategy)) return a->base_token;
    return std::get<RebalancerConfig>(config_.strategy).token_a;
}

chain::Address Bot::other_token() const {
    const auto& tokens = collector_->tokens();
    return tokens[0] == base_token() ? tokens[1] : tokens[0];
}

Bot::Poll Bot::poll_once() {
    collect_trades();
    std::vector<BotEvent> events;
    if (!have_state_) {
        auto s = collector_->snapshot();
        if (!s) {
            last_error_ = "snapshot: " + s.error().message();
            return Poll::kRpcError;
        }
        state_ = std::move(*s);
        have_state_ = true;
        events.push_back(NewBlockEvent{state_.block.number, state_.block.timestamp, state_.block.base_fee_per_gas});
        if (config_.paper && !paper_ledger_) {
            // The would-be books open with what the vault holds now, at the vault's reference price.
            PnlLedger ledger(base_token(), other_token());
            const VaultToken* o = state_.vault.token(other_token());
            VaultClient vault(config_.vault, client_);
            auto ref = vault.min_amount_out_for(other_token(), base_token(), o ? o->balance : chain::U256(), chain::BlockTag::number(state_.block.number));
            if (o) ledger.open(o->balance, ref ? ref->second : chain::U256());
            paper_ledger_ = std::move(ledger);
        }
        if (drawdown_origin_ == 0) drawdown_origin_ = state_.block.number;
        log_("bot " + config_.name + (config_.paper ? " (PAPER: simulates only)" : "") + " watching vault " + config_.vault.checksum_hex() +
             " from block " + std::to_string(state_.block.number));
    } else {
        auto e = collector_->poll();
        if (!e) {
            last_error_ = e.error().message();
            return Poll::kRpcError;
        }
        events = std::move(*e);
        for (const auto& ev : events) {
            if (auto applied = apply_event(state_, ev); !applied) {
                log_("bot " + config_.name + ": " + applied.error().message() + "; re-reading the state");
                have_state_ = false;
                return Poll::kNothingNew;
            }
        }
    }
    if (events.empty()) return Poll::kNothingNew;
    if (state_.block.number >= last_report_block_ + kReportEvery) refresh_report();
    (void)apply_event(state_, BotEvent{PendingTradesEvent{executor_->pending()}});
    {
        std::lock_guard lock(mutex_);
        ++figures_.blocks;
        figures_.head = state_.block.number;
    }
    decide(events);
    return Poll::kNewBlocks;
}

BotEvent Bot::round_event(const std::vector<BotEvent>& events) {
    // Every round has one (BotCollector::poll, and the first snapshot above); the last event is a
    // fallback that never decides a rebalance.
    for (auto it = events.rbegin(); it != events.rend(); ++it)
        if (std::holds_alternative<NewBlockEvent>(*it)) return *it;
    return events.back();
}

void Bot::decide(const std::vector<BotEvent>& events) {
    // Decide on the newest state, once per round, with the round's new block as the event: every
    // new block re-evaluates, so an allowance that refilled or a floor that moved is seen without
    // waiting for a pool event, and the rebalancer (which decides on new blocks only) acts after
    // its first round too — it was once handed the round's last event, the vault snapshot, and
    // never traded again (found by the backtest, which replays the runner's decisions).
    if (drawdown_holds()) return;
    Verdict v = strategy_->decide(state_, round_event(events));
    if (watch_.state() == RpcWatch::State::kOk) {
        if (is_hold_reason(v.decision)) hold(v.decision, v.why, true);
        else hold(Decision::kTrade, "", true);
    }
    {
        std::lock_guard lock(mutex_);
        figures_.last_decision = to_string(v.decision);
        if (!v.actions.empty()) ++figures_.decisions;
    }
    // Paper trades change nothing on chain: without new pool events the same opportunity would be
    // "taken" again every block and the would-be PnL counted many times over.
    const bool pools_moved = std::any_of(events.begin(), events.end(), [](const BotEvent& e) {
        return std::holds_alternative<V2SyncEvent>(e) || std::holds_alternative<V3SwapEvent>(e);
    });
    if (v.actions.empty() || (config_.paper && !pools_moved)) return;
    send_actions(v.actions, "block " + std::to_string(state_.block.number) + ": trading", std::nullopt);
}

void Bot::send_actions(const std::vector<Action>& actions, const std::string& why, const std::optional<Backrun>& backrun) {
    std::ostringstream what;
    for (const auto& a : actions) what << " [" << a.amount_in.dec() << " in → ≥ " << a.min_amount_out.dec() << " out at " << a.target.checksum_hex() << "]";
    log_("bot " + config_.name + ": " + why + what.str());
    const size_t sent = executor_->execute(actions, backrun);
    std::lock_guard lock(mutex_);
    if (config_.paper) figures_.paper_trades += sent;
    else figures_.trades_sent += sent;
    if (sent < actions.size()) ++figures_.trades_failed;
}

void Bot::hold(Decision d, const std::string& why, bool log) {
    Decision was;
    {
        std::lock_guard lock(mutex_);
        was = figures_.hold;
        figures_.hold = d;
        figures_.hold_detail = why;
        figures_.idle = d != Decision::kTrade;
    }
    if (d == was || !log) return;
    // Logged once per change: "idle: <reason>: <figures>" and "resuming (was: <reason>)".
    if (d != Decision::kTrade) log_("bot " + config_.name + ": idle: " + to_string(d) + (why.empty() ? "" : ": " + why));
    else log_("bot " + config_.name + ": resuming (was: " + to_string(was) + ")");
}

bool Bot::check_chain() {
    auto now = read_chain_identity(*client_);
    if (!now) return true;  // unreachable: the watch says so; checked again when it answers
    if (*now == identity_) return true;
    std::string what = now->chain_id != identity_.chain_id
                           ? "chain id " + std::to_string(now->chain_id) + " (was " + std::to_string(identity_.chain_id) + ")"
                           : "genesis block " + now->genesis.hex() + " (was " + identity_.genesis.hex() + ")";
    // The host may swap the node: whatever the new chain says about pools and the vault is not
    // the chain this bot was configured and attested for, so it stops rather than trade on it.
    std::lock_guard lock(mutex_);
    fatal_ = "the node " + client_->rpc().url() + " now serves another chain: " + what + "; stopping this bot";
    return false;
}

void Bot::run(const std::function<bool()>& stop, std::chrono::milliseconds interval) {
    RpcWatchOptions o = config_.rpc;
    o.interval = interval;
    watch_ = RpcWatch(o);
    auto next_identity_check = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!stop()) {
        const auto start = std::chrono::steady_clock::now();
        const Poll p = poll_once();
        if (mempool_ && have_state_ && p != Poll::kRpcError) backrun_pending();
        const auto lines = p == Poll::kRpcError ? watch_.on_failure(last_error_, start)
                                                : watch_.on_success(state_.block.number, state_.block.timestamp, start, wall_unix());
        for (const auto& l : lines) log_("bot " + config_.name + ": " + l);
        if (watch_.state() != RpcWatch::State::kOk) hold(rpc_decision(watch_.state()), lines.empty() ? figures().hold_detail : lines.back(), false);
        else if (is_rpc_reason(figures().hold)) hold(Decision::kTrade, "", false);
        {
            std::lock_guard lock(mutex_);
            figures_.rpc = watch_.state();
            if (p == Poll::kRpcError) ++figures_.rpc_failures;
        }
        if (p != Poll::kRpcError && (watch_.take_recovered() || start >= next_identity_check)) {
            next_identity_check = start + std::chrono::seconds(10);
            if (!check_chain()) {
                log_("bot " + config_.name + ": " + *fatal());
                break;
            }
        }
        // With the mempool on, a pending transaction wakes the loop at once: a back-run must reach
        // the node before the block that holds the transaction is built.
        if (mempool_ && watch_.state() == RpcWatch::State::kOk) mempool_->wait_until(start + watch_.next_delay());
        else std::this_thread::sleep_until(start + watch_.next_delay());
    }
    collect_trades();
}

std::optional<std::string> Bot::fatal() const {
    std::lock_guard lock(mutex_);
    return fatal_;
}

}  // namespace cvex::bots
