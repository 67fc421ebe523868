#include "bots/report/report.hpp"

#include <map>

#include <nlohmann/json.hpp>

#include "bots/collect/decode.hpp"
#include "bots/execute/vault_client.hpp"

namespace cvex::bots {

using chain::U256;
using cvex::Unexpected;

namespace {

const chain::ContractAbi& extra_abi() {
    static const chain::ContractAbi a = *chain::ContractAbi::from_signatures(
        "VaultViews", {"oracleOf(address,address)(address)", "getReserves()(uint112,uint112,uint32)", "token0()(address)"});
    return a;
}

// The vault's value in the base token at `block`.
cvex::Expected<U256, std::string> value_at(std::shared_ptr<chain::EthClient> client, const VaultClient& vault, const chain::Address& base,
                                            const chain::Address& other, uint64_t block, bool& from_twap) {
    const auto tag = chain::BlockTag::number(block);
    auto b = vault.balance_of(base, tag);
    auto o = vault.balance_of(other, tag);
    if (!b || !o) return Unexpected{"balances at block " + std::to_string(block) + ": " + (!b ? b.error().what : o.error().what)};
    if (o->is_zero()) return *b;
    if (auto ref = vault.min_amount_out_for(other, base, *o, tag)) return b->checked_add(ref->second).value_or(U256::max());
    // No usable TWAP at this block: the oracle pair's spot price.
    from_twap = false;
    chain::Contract v(extra_abi(), vault.address(), client);
    auto pair = v.call("oracleOf", {chain::AbiValue(base), chain::AbiValue(other)}, tag);
    if (!pair || (*pair)[0].address().is_zero()) return Unexpected{"no reference price at block " + std::to_string(block)};
    chain::Contract p(extra_abi(), (*pair)[0].address(), client);
    auto reserves = p.call("getReserves", {}, tag);
    auto token0 = p.call("token0", {}, tag);
    if (!reserves || !token0) return Unexpected{"oracle pair reserves at block " + std::to_string(block)};
    const bool base_is_0 = (*token0)[0].address() == base;
    const U256 rb = (*reserves)[base_is_0 ? 0 : 1].word(), ro = (*reserves)[base_is_0 ? 1 : 0].word();
    if (ro.is_zero()) return Unexpected{std::string("oracle pair has no liquidity")};
    auto prod = o->checked_mul(rb);
    if (!prod) return Unexpected{std::string("value overflows")};
    return b->checked_add(prod->divmod(ro)->first).value_or(U256::max());
}

std::string hex(const chain::Address& a) { return a.checksum_hex(); }

}  // namespace

cvex::Expected<VaultReport, std::string> vault_report(std::shared_ptr<chain::EthClient> client, const chain::Address& vault_address,
                                                       const chain::Address& base, const chain::Address& other, uint64_t from_block,
                                                       std::optional<uint64_t> to_block) {
    VaultClient vault(vault_address, client);
    VaultReport r;
    r.vault = vault_address;
    r.base_token = base;
    r.other_token = other;
    if (!to_block) {
        auto head = client->block_number();
        if (!head) return Unexpected{head.error().text()};
        to_block = *head;
    }
    r.to_block = *to_block;
    chain::LogFilter f;
    f.addresses = {vault_address};
    f.topics = {std::vector<chain::Hash32>{vault_traded_topic()}};
    f.from_block = from_block;
    f.to_block = *to_block;
    auto logs = client->logs(f);
    if (!logs) return Unexpected{"Traded logs: " + logs.error().text()};
    std::map<chain::Hash32, chain::Receipt> receipts;
    for (const auto& l : *logs) {
        auto t = decode_vault_traded(l);
        if (!t) return Unexpected{"Traded in " + l.transaction_hash.hex() + ": " + t.error().message()};
        ReportedTrade rt;
        rt.tx = l.transaction_hash;
        rt.block = l.block_number;
        rt.enclave = t->enclave;
        rt.target = t->target;
        rt.token_in = t->token_in;
        rt.token_out = t->token_out;
        rt.amount_in = t->amount_in;
        rt.amount_out = t->amount_out;
        auto it = receipts.find(l.transaction_hash);
        if (it == receipts.end()) {
            auto rc = client->transaction_receipt(l.transaction_hash);
            if (!rc || !*rc) return Unexpected{"receipt of " + l.transaction_hash.hex()};
            it = receipts.emplace(l.transaction_hash, **rc).first;
            rt.gas_used = it->second.gas_used;
            rt.gas_cost_wei = it->second.effective_gas_price.checked_mul(U256(it->second.gas_used)).value_or(U256(0));
        }
        r.trades.push_back(rt);
    }
    r.from_block = from_block ? from_block : (r.trades.empty() ? *to_block : r.trades.front().block - 1);
    bool twap = true;
    auto start = value_at(client, vault, base, other, r.from_block, twap);
    if (!start) return Unexpected{start.error()};
    r.value_start = *start;
    for (auto& t : r.trades) {
        auto v = value_at(client, vault, base, other, t.block, twap);
        if (!v) return Unexpected{v.error()};
        t.value_after = *v;
        r.gas_used += t.gas_used;
        r.gas_spent_wei = r.gas_spent_wei.wrapping_add(t.gas_cost_wei);
    }
    auto end = value_at(client, vault, base, other, *to_block, twap);
    if (!end) return Unexpected{end.error()};
    r.value_end = *end;
    r.value_from_twap = twap;
    r.pnl_negative = r.value_end < r.value_start;
    r.pnl = r.pnl_negative ? *r.value_start.checked_sub(r.value_end) : *r.value_end.checked_sub(r.value_start);
    return r;
}

std::string VaultReport::json() const {
    nlohmann::ordered_json trades_json = nlohmann::ordered_json::array();
    for (const auto& t : trades)
        trades_json.push_back({{"tx", cvex::to_hex(t.tx.bytes)},
                               {"block", t.block},
                               {"enclave", hex(t.enclave)},
                               {"target", hex(t.target)},
                               {"token_in", hex(t.token_in)},
                               {"token_out", hex(t.token_out)},
                               {"amount_in", t.amount_in.dec()},
                               {"amount_out", t.amount_out.dec()},
                               {"gas_used", t.gas_used},
                               {"gas_cost_wei", t.gas_cost_wei.dec()},
                               {"value_after", t.value_after.dec()}});
    return nlohmann::ordered_json{{"vault", hex(vault)},
                                  {"base_token", hex(base_token)},
                                  {"other_token", hex(other_token)},
                                  {"from_block", from_block},
                                  {"to_block", to_block},
                                  {"trades", trades_json},
                                  {"trade_count", trades.size()},
                                  {"gas_used", gas_used},
                                  {"gas_spent_wei", gas_spent_wei.dec()},
                                  {"value_start", value_start.dec()},
                                  {"value_end", value_end.dec()},
                                  {"reference", value_from_twap ? "twap" : "spot"},
                                  {"pnl", (pnl_negative && !pnl.is_zero() ? "-" : "") + pnl.dec()}}
        .dump(2);
}

}  // namespace cvex::bots
