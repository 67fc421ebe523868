#include "bots/report/report.hpp"

#include <map>

#include <nlohmann/json.hpp>

#include "bots/collect/decode.hpp"
#include "bots/math/full_math.hpp"
#include "bots/execute/vault_client.hpp"

namespace cvex::bots {

using chain::U256;
using cvex::Unexpected;

namespace {

const U256 kUnit = U256(1'000'000'000'000'000'000ULL);

const chain::ContractAbi& extra_abi() {
    static const chain::ContractAbi a = *chain::ContractAbi::from_signatures(
        "VaultViews", {"oracleOf(address,address)(address)", "getReserves()(uint112,uint112,uint32)", "token0()(address)"});
    return a;
}

std::string hex(const chain::Address& a) { return a.checksum_hex(); }

// The vault's whole value in the base token at `block`, at that block's reference price.
cvex::Expected<U256, BotError> value_at(const std::shared_ptr<chain::EthClient>& client, const VaultClient& vault, const chain::Address& base,
                                         const chain::Address& other, uint64_t block, bool& from_twap) {
    const auto tag = chain::BlockTag::number(block);
    auto b = vault.balance_of(base, tag);
    auto o = vault.balance_of(other, tag);
    if (!b || !o) return bot_failure("balances at block " + std::to_string(block) + ": " + (!b ? b.error().message() : o.error().message()));
    if (o->is_zero()) return *b;
    auto price = reference_price(client, vault.address(), base, other, block);
    if (!price) return Unexpected{price.error()};
    from_twap = from_twap && price->from_twap;
    return b->checked_add(value_at_price(*o, price->per_unit)).value_or(U256::max());
}

// Every Traded event of the vault in [from, to] with the gas of its transaction (once per
// transaction: a transaction with several trades pays its gas once).
cvex::Expected<std::vector<ReportedTrade>, BotError> read_trades(const std::shared_ptr<chain::EthClient>& client, const chain::Address& vault,
                                                                  uint64_t from, uint64_t to) {
    chain::LogFilter f;
    f.addresses = {vault};
    f.topics = {std::vector<chain::Hash32>{vault_traded_topic()}};
    f.from_block = from;
    f.to_block = to;
    auto logs = client->logs(f);
    if (!logs) return bot_failure("Traded logs: " + logs.error().message());
    std::vector<ReportedTrade> out;
    std::map<chain::Hash32, bool> seen;
    for (const auto& l : *logs) {
        auto t = decode_vault_traded(l);
        if (!t) return bot_failure("Traded in " + l.transaction_hash.hex() + ": " + t.error().message());
        ReportedTrade rt;
        rt.tx = l.transaction_hash;
        rt.block = l.block_number;
        rt.enclave = t->enclave;
        rt.target = t->target;
        rt.token_in = t->token_in;
        rt.token_out = t->token_out;
        rt.amount_in = t->amount_in;
        rt.amount_out = t->amount_out;
        if (seen.emplace(l.transaction_hash, true).second) {
            auto rc = client->transaction_receipt(l.transaction_hash);
            if (!rc || !*rc) return bot_failure("receipt of " + l.transaction_hash.hex());
            rt.gas_used = (*rc)->gas_used;
            rt.gas_cost_wei = (*rc)->effective_gas_price.checked_mul(U256((*rc)->gas_used)).value_or(U256(0));
        }
        out.push_back(rt);
    }
    return out;
}

EnclaveFigures& figures_of(std::vector<EnclaveFigures>& all, const chain::Address& enclave) {
    for (auto& e : all)
        if (e.enclave == enclave) return e;
    all.push_back(EnclaveFigures{enclave, 0, {}, 0, {}});
    return all.back();
}

}  // namespace

cvex::Expected<ReferencePrice, BotError> reference_price(std::shared_ptr<chain::EthClient> client, const chain::Address& vault_address,
                                                          const chain::Address& base, const chain::Address& other, uint64_t block) {
    const auto tag = chain::BlockTag::number(block);
    VaultClient vault(vault_address, client);
    if (auto ref = vault.min_amount_out_for(other, base, kUnit, tag)) return ReferencePrice{block, ref->second, true};
    // No usable TWAP at this block: the oracle pair's spot price.
    chain::Contract v(extra_abi(), vault_address, client);
    auto pair = v.call("oracleOf", {chain::AbiValue(base), chain::AbiValue(other)}, tag);
    if (!pair || (*pair)[0].address().is_zero()) return bot_failure("no reference price at block " + std::to_string(block));
    chain::Contract p(extra_abi(), (*pair)[0].address(), client);
    auto reserves = p.call("getReserves", {}, tag);
    auto token0 = p.call("token0", {}, tag);
    if (!reserves || !token0) return bot_failure("oracle pair reserves at block " + std::to_string(block));
    const bool base_is_0 = (*token0)[0].address() == base;
    const U256 rb = (*reserves)[base_is_0 ? 0 : 1].word(), ro = (*reserves)[base_is_0 ? 1 : 0].word();
    if (ro.is_zero()) return bot_failure(std::string("oracle pair has no liquidity at block ") + std::to_string(block));
    return ReferencePrice{block, mul_div(rb, kUnit, ro).value_or(U256::max()), false};
}

cvex::Expected<VaultReport, BotError> vault_report(std::shared_ptr<chain::EthClient> client, const chain::Address& vault_address,
                                                    const chain::Address& base, const chain::Address& other, const ReportOptions& options) {
    VaultClient vault(vault_address, client);
    VaultReport r;
    r.vault = vault_address;
    r.base_token = base;
    r.other_token = other;
    r.base_per_native = options.base_per_native;
    if (options.to_block) {
        r.to_block = *options.to_block;
    } else {
        auto head = client->block_number();
        if (!head) return bot_failure(head.error().message());
        r.to_block = *head;
    }
    if (options.from_block > r.to_block) return bot_failure("from block " + std::to_string(options.from_block) + " is after to block " + std::to_string(r.to_block));
    auto trades = read_trades(client, vault_address, options.from_block, r.to_block);
    if (!trades) return Unexpected{trades.error()};
    r.trades = std::move(*trades);
    r.from_block = options.from_block ? options.from_block : (r.trades.empty() ? r.to_block : r.trades.front().block - 1);
    const uint64_t valuation_block = options.valuation_block.value_or(r.to_block);

    // The opening inventory, at the reference price of the first block, pinned there.
    auto opening = vault.balance_of(other, chain::BlockTag::number(r.from_block));
    if (!opening) return bot_failure("balance at block " + std::to_string(r.from_block) + ": " + opening.error().message());
    r.opening_inventory = *opening;
    auto open_price = reference_price(client, vault_address, base, other, r.from_block);
    if (!open_price) return Unexpected{open_price.error()};
    r.opening_price = *open_price;
    PnlLedger ledger(base, other);
    ledger.open(*opening, value_at_price(*opening, open_price->per_unit));

    bool twap = true;
    auto start = value_at(client, vault, base, other, r.from_block, twap);
    if (!start) return Unexpected{start.error()};
    r.value_start = *start;
    for (auto& t : r.trades) {
        auto entry = ledger.apply(t.token_in, t.token_out, t.amount_in, t.amount_out);
        if (!entry) return bot_failure("trade in " + t.tx.hex() + ": " + entry.error().message());
        t.realised = entry->realised;
        auto v = value_at(client, vault, base, other, t.block, twap);
        if (!v) return Unexpected{v.error()};
        t.value_after = *v;
        r.gas_used += t.gas_used;
        r.gas_spent_wei = r.gas_spent_wei.wrapping_add(t.gas_cost_wei);
        EnclaveFigures& e = figures_of(r.by_enclave, t.enclave);
        ++e.trades;
        e.realised += t.realised;
        e.gas_used += t.gas_used;
        e.gas_spent_wei = e.gas_spent_wei.wrapping_add(t.gas_cost_wei);
    }
    if (auto closed = close_books(r, ledger, client, valuation_block, twap); !closed) return Unexpected{closed.error()};
    return r;
}

cvex::Expected<void, BotError> close_books(VaultReport& r, const PnlLedger& ledger, std::shared_ptr<chain::EthClient> client,
                                           uint64_t valuation_block, bool twap) {
    r.realised = ledger.realised();
    auto valuation = reference_price(client, r.vault, r.base_token, r.other_token, valuation_block);
    if (!valuation) return Unexpected{valuation.error()};
    r.valuation_price = *valuation;
    r.inventory = ledger.position();
    r.inventory_cost = ledger.cost_basis();
    r.inventory_value = value_at_price(r.inventory, valuation->per_unit);
    r.revaluation = ledger.revaluation(r.inventory_value);
    auto end = vault_value(client, r.vault, r.base_token, r.other_token, r.to_block, twap);
    if (!end) return Unexpected{end.error()};
    r.value_end = *end;
    r.value_from_twap = twap;
    return {};
}

cvex::Expected<U256, BotError> vault_value(std::shared_ptr<chain::EthClient> client, const chain::Address& vault, const chain::Address& base,
                                           const chain::Address& other, uint64_t block, bool& from_twap) {
    return value_at(client, VaultClient(vault, client), base, other, block, from_twap);
}

std::optional<U256> VaultReport::gas_in_base() const {
    if (!base_per_native) return std::nullopt;
    return mul_div(gas_spent_wei, *base_per_native, kUnit).value_or(U256::max());
}

std::optional<SignedU256> VaultReport::net_realised() const {
    auto gas = gas_in_base();
    if (!gas) return std::nullopt;
    SignedU256 n = realised;
    n -= SignedU256{*gas, false};
    return n;
}

std::string VaultReport::json() const {
    using J = nlohmann::ordered_json;
    J trades_json = J::array();
    for (const auto& t : trades)
        trades_json.push_back({{"tx", cvex::to_hex(t.tx.bytes)},
                               {"block", t.block},
                               {"enclave", hex(t.enclave)},
                               {"target", hex(t.target)},
                               {"token_in", hex(t.token_in)},
                               {"token_out", hex(t.token_out)},
                               {"amount_in", t.amount_in.dec()},
                               {"amount_out", t.amount_out.dec()},
                               {"realised_pnl", t.realised.dec()},
                               {"gas_used", t.gas_used},
                               {"gas_cost_wei", t.gas_cost_wei.dec()},
                               {"value_after", t.value_after.dec()}});
    J enclaves = J::array();
    for (const auto& e : by_enclave)
        enclaves.push_back({{"enclave", hex(e.enclave)},
                            {"trades", e.trades},
                            {"realised_pnl", e.realised.dec()},
                            {"gas_used", e.gas_used},
                            {"gas_spent_wei", e.gas_spent_wei.dec()}});
    auto price = [](const ReferencePrice& p) {
        return J{{"block", p.block}, {"base_per_unit", p.per_unit.dec()}, {"source", p.from_twap ? "twap" : "spot"}};
    };
    J pnl = {{"realised", realised.dec()},
             {"revaluation", revaluation.dec()},
             {"gas_spent_wei", gas_spent_wei.dec()}};
    if (auto g = gas_in_base()) pnl["gas_in_base"] = g->dec();
    if (auto n = net_realised()) pnl["realised_minus_gas"] = n->dec();
    pnl["valuation_block"] = valuation_price.block;
    pnl["valuation_price"] = valuation_price.per_unit.dec();
    return J{{"vault", hex(vault)},
             {"base_token", hex(base_token)},
             {"other_token", hex(other_token)},
             {"from_block", from_block},
             {"to_block", to_block},
             {"pnl", pnl},
             {"opening", {{"inventory", opening_inventory.dec()}, {"price", price(opening_price)}}},
             {"valuation", price(valuation_price)},
             {"inventory", {{"amount", inventory.dec()}, {"cost", inventory_cost.dec()}, {"value", inventory_value.dec()}}},
             {"trades", trades_json},
             {"trade_count", trades.size()},
             {"by_enclave", enclaves},
             {"gas_used", gas_used},
             {"gas_spent_wei", gas_spent_wei.dec()},
             {"value_start", value_start.dec()},
             {"value_end", value_end.dec()},
             {"value_change", SignedU256::diff(value_end, value_start).dec()},
             {"reference", value_from_twap ? "twap" : "spot"}}
        .dump(2);
}

}  // namespace cvex::bots
