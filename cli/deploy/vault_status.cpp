#include "cli/deploy/vault_status.hpp"

#include <algorithm>

namespace cvex::cli {

using chain::AbiValue;
using chain::Address;
using chain::Contract;
using cvex::Expected;
using chain::U256;
using cvex::Unexpected;

namespace {

const std::vector<std::string> kErc20 = {"balanceOf(address)(uint256)", "decimals()(uint8)", "symbol()(string)"};

class Reader {
public:
    Reader(Contract vault, std::shared_ptr<chain::EthClient> client, uint64_t block)
        : vault_(std::move(vault)), client_(std::move(client)), tag_(chain::BlockTag::number(block)) {}

    Expected<std::vector<AbiValue>, DeployError> call(const Contract& c, std::string_view f, const std::vector<AbiValue>& args = {}) const {
        auto r = c.call(f, args, tag_);
        if (!r) return deploy_failure(r.error().message());
        return *r;
    }
    Expected<std::vector<AbiValue>, DeployError> vault(std::string_view f, const std::vector<AbiValue>& args = {}) const {
        return call(vault_, f, args);
    }
    Contract erc20(const Address& token) const {
        return Contract(*chain::ContractAbi::from_signatures("ERC20", kErc20), token, client_);
    }
    // The events' indexed addresses, each once, in the order first seen.
    Expected<std::vector<std::vector<Address>>, DeployError> indexed(std::string_view event, const std::vector<std::string>& names,
                                                                      uint64_t from, uint64_t to) const {
        auto logs = vault_.logs(event, from, to);
        if (!logs) return deploy_failure(logs.error().message());
        std::vector<std::vector<Address>> out;
        for (const auto& log : *logs) {
            auto params = vault_.decode(event, log);
            if (!params) return deploy_failure(params.error().message());
            std::vector<Address> row;
            for (const auto& n : names) row.push_back(chain::param(*params, n)->address());
            if (std::find(out.begin(), out.end(), row) == out.end()) out.push_back(std::move(row));
        }
        return out;
    }

private:
    Contract vault_;
    std::shared_ptr<chain::EthClient> client_;
    chain::BlockTag tag_;
};

// 10^decimals of `token` (18 when it has no decimals()).
U256 one_token(const Reader& r, const Address& token) {
    auto d = r.call(r.erc20(token), "decimals");
    const uint64_t decimals = d && (*d)[0].word() <= U256(77) ? (*d)[0].word().low_u64() : 18;
    U256 one(1);
    for (uint64_t i = 0; i < decimals; ++i) one = one.wrapping_mul(U256(10));
    return one;
}

nlohmann::ordered_json quote(const Reader& r, const Address& in, const Address& out) {
    const U256 amount = one_token(r, in);
    nlohmann::ordered_json j = {{"token_in", in.checksum_hex()}, {"token_out", out.checksum_hex()}, {"amount_in", amount.dec()}};
    if (auto q = r.vault("minAmountOutFor", {in, out, amount}); q) {
        j["min_amount_out"] = (*q)[0].word().dec();
        j["reference_out"] = (*q)[1].word().dec();
    } else {
        const std::string why = q.error().message();
        const auto pos = why.find("reverted: ");
        j["error"] = pos == std::string::npos ? why : why.substr(pos + 10);
    }
    return j;
}

}  // namespace

Expected<nlohmann::ordered_json, DeployError> vault_status(std::shared_ptr<chain::EthClient> client, const chain::ContractAbi& vault_abi,
                                                           const Address& vault, uint64_t from_block) {
    auto code = client->code(vault);
    if (!code) return deploy_failure("eth_getCode: " + code.error().message());
    if (code->empty()) return deploy_failure("no code at " + vault.checksum_hex());
    auto head = client->block_by_number(chain::BlockTag::latest());
    if (!head) return deploy_failure("latest block: " + head.error().message());
    if (!*head) return deploy_failure("latest block: the node has none");
    const uint64_t block = (*head)->number;
    const Reader r(Contract(vault_abi, vault, client), client, block);

    nlohmann::ordered_json j;
    j["vault"] = vault.checksum_hex();
    j["block"] = block;
    j["timestamp"] = (*head)->timestamp;
    for (const char* f : {"owner", "guardian", "registry"}) {
        auto v = r.vault(f);
        if (!v) return Unexpected{v.error()};
        j[f] = (*v)[0].address().checksum_hex();
    }
    auto paused = r.vault("paused");
    if (!paused) return Unexpected{paused.error()};
    j["paused"] = (*paused)[0].boolean();
    auto delay = r.vault("delay");
    if (!delay) return Unexpected{delay.error()};
    j["delay"] = delay->at(0).word().dec();
    auto guard = r.vault("priceGuard");
    if (!guard) return Unexpected{guard.error()};
    j["price_guard"] = {{"max_slippage_bps", (*guard)[0].word().low_u64()},
                        {"min_twap_window", (*guard)[1].word().low_u64()},
                        {"max_twap_window", (*guard)[2].word().low_u64()}};

    auto tokens = r.indexed("TokenLimitsSet", {"token"}, from_block, block);
    if (!tokens) return Unexpected{tokens.error()};
    j["tokens"] = nlohmann::ordered_json::array();
    for (const auto& row : *tokens) {
        const Address& token = row[0];
        nlohmann::ordered_json t = {{"token", token.checksum_hex()}};
        if (auto sym = r.call(r.erc20(token), "symbol"); sym) t["symbol"] = (*sym)[0].string();
        auto balance = r.call(r.erc20(token), "balanceOf", {vault});
        if (!balance) return Unexpected{balance.error()};
        t["balance"] = (*balance)[0].word().dec();
        auto limits = r.vault("tokenLimits", {token});
        if (!limits) return Unexpected{limits.error()};
        const auto& l = (*limits)[0].list();  // (allowed, maxPerTrade, refillAmount, refillPeriod, maxBalance)
        t["allowed"] = l[0].boolean();
        t["max_per_trade"] = l[1].word().dec();
        t["refill_amount"] = l[2].word().dec();
        t["refill_period"] = l[3].word().low_u64();
        t["max_balance"] = l[4].word().dec();
        auto available = r.vault("availableAllowance", {token});
        if (!available) return Unexpected{available.error()};
        t["available_allowance"] = (*available)[0].word().dec();
        j["tokens"].push_back(std::move(t));
    }

    auto oracles = r.indexed("OracleSet", {"token0", "token1", "pair"}, from_block, block);
    if (!oracles) return Unexpected{oracles.error()};
    j["oracles"] = nlohmann::ordered_json::array();
    for (const auto& row : *oracles) {
        auto current = r.vault("oracleOf", {row[0], row[1]});
        if (!current) return Unexpected{current.error()};
        if ((*current)[0].address() != row[2]) continue;  // since replaced by a later setOracle
        j["oracles"].push_back({{"pair", row[2].checksum_hex()},
                                {"token0", row[0].checksum_hex()},
                                {"token1", row[1].checksum_hex()},
                                {"quotes", {quote(r, row[0], row[1]), quote(r, row[1], row[0])}}});
    }
    return j;
}

}  // namespace cvex::cli
