#include "bots/runner/preflight.hpp"

#include <optional>

#include "chain/rpc/contract.hpp"
#include "attest/registry/registry_client.hpp"
#include "bots/execute/vault_client.hpp"

namespace cvex::bots {

using chain::AbiValue;
using chain::Address;

namespace {

const chain::ContractAbi& probe_abi() {
    static const chain::ContractAbi a = *chain::ContractAbi::from_signatures(
        "Probe", {"token0()(address)", "token1()(address)", "getReserves()(uint112,uint112,uint32)",
                  "slot0()(uint160,int24,uint16,uint16,uint16,uint8,bool)", "decimals()(uint8)", "totalSupply()(uint256)",
                  "targetKind(address)(uint8)", "isMeasurementAllowed(bytes32)(bool)", "tokenLimits(address)((bool,uint96,uint96,uint32,uint96))",
                  "registry()(address)", "isAttestedFor(address,bytes32)(bool)"});
    return a;
}

enum class PoolKind { kNoCode, kV2, kV3, kToken, kOther };

// What answers at `a`: a V2 pair has getReserves, a V3 pool slot0; an ERC-20 decimals and totalSupply.
PoolKind probe(const std::shared_ptr<chain::EthClient>& client, const Address& a) {
    auto code = client->code(a);
    if (code && code->empty()) return PoolKind::kNoCode;
    chain::Contract c(probe_abi(), a, client);
    if (c.call("getReserves", {})) return PoolKind::kV2;
    if (c.call("slot0", {})) return PoolKind::kV3;
    if (c.call("decimals", {}) && c.call("totalSupply", {})) return PoolKind::kToken;
    return PoolKind::kOther;
}

const char* kind_name(TradeKind k) {
    switch (k) {
        case TradeKind::kNone: return "None";
        case TradeKind::kUniswapV2Router: return "UniswapV2Router";
        case TradeKind::kUniswapV3Router: return "UniswapV3Router";
        case TradeKind::kUniswapV2Pair: return "UniswapV2Pair";
        case TradeKind::kUniswapV3Pool: return "UniswapV3Pool";
    }
    return "?";
}

struct Checker {
    std::shared_ptr<chain::EthClient> client;
    Address vault;
    std::string at;  // "bots[i]"
    std::vector<PreflightProblem> problems;

    void fail(const std::string& key, const std::string& detail) { problems.push_back({at + "." + key, detail}); }

    // The venue's pool answers as its kind; returns its tokens when it does.
    std::optional<std::pair<Address, Address>> pool(const Venue& v, const std::string& key) {
        const std::string k = key + ".pool";
        const bool want_v3 = is_v3(v.kind);
        const PoolKind got = probe(client, v.pool);
        const std::string a = v.pool.checksum_hex();
        switch (got) {
            case PoolKind::kNoCode: fail(k, "no contract at " + a); return std::nullopt;
            case PoolKind::kToken: fail(k, a + " is an ERC-20 token, not a " + std::string(want_v3 ? "V3 pool" : "V2 pair")); return std::nullopt;
            case PoolKind::kOther: fail(k, a + " answers neither getReserves() nor slot0(): not a Uniswap V2 pair or V3 pool"); return std::nullopt;
            case PoolKind::kV2:
                if (want_v3) return fail(k, a + " is a V2 pair, not a V3 pool"), std::nullopt;
                break;
            case PoolKind::kV3:
                if (!want_v3) return fail(k, a + " is a V3 pool, not a V2 pair"), std::nullopt;
                break;
        }
        chain::Contract c(probe_abi(), v.pool, client);
        auto t0 = c.call("token0", {});
        auto t1 = c.call("token1", {});
        if (!t0 || !t1) return fail(k, a + ": token0()/token1() failed"), std::nullopt;
        return std::pair{(*t0)[0].address(), (*t1)[0].address()};
    }

    // The vault lets the bot trade at the venue's target with the venue's kind.
    void target(const Venue& v, const std::string& key) {
        chain::Contract c(probe_abi(), vault, client);
        auto kind = c.call("targetKind", {AbiValue(v.target)});
        if (!kind) return fail(key + (targets_pool(v.kind) ? ".pool" : ".target"), "vault.targetKind: " + kind.error().message());
        const auto got = static_cast<TradeKind>((*kind)[0].word().low_u64());
        if (got == v.kind) return;
        const std::string field = key + (targets_pool(v.kind) ? ".pool" : ".target");
        if (got == TradeKind::kNone)
            fail(field, v.target.checksum_hex() + " is not a target of vault " + vault.checksum_hex() +
                            " (the owner allows it with setTarget through the vault's timelock)");
        else
            fail(field, v.target.checksum_hex() + " is a target of kind " + kind_name(got) + " in vault " + vault.checksum_hex() + ", not " +
                            kind_name(v.kind));
    }

    void token_allowed(const Address& token, const std::string& key) {
        chain::Contract c(probe_abi(), vault, client);
        auto limits = c.call("tokenLimits", {AbiValue(token)});
        if (!limits) return fail(key, "vault.tokenLimits: " + limits.error().message());
        if (!(*limits)[0].list().at(0).boolean()) fail(key, "token " + token.checksum_hex() + " is not allowed by vault " + vault.checksum_hex());
    }

    void attested(const chain::Hash32& measurement_id, const Address& enclave) {
        chain::Contract c(probe_abi(), vault, client);
        auto allowed = c.call("isMeasurementAllowed", {AbiValue(measurement_id)});
        if (!allowed) return fail("measurement", "vault.isMeasurementAllowed: " + allowed.error().message());
        if (!(*allowed)[0].boolean())
            fail("measurement", "vault " + vault.checksum_hex() + " does not allow measurement id " + measurement_id.hex());
        auto registry = c.call("registry", {});
        if (!registry) return fail("vault", "vault.registry: " + registry.error().message());
        chain::Contract r(probe_abi(), (*registry)[0].address(), client);
        auto ok = r.call("isAttestedFor", {AbiValue(enclave), AbiValue(measurement_id)});
        if (!ok) return fail("measurement", "registry.isAttestedFor: " + ok.error().message());
        if (!(*ok)[0].boolean())
            fail("measurement", "key " + enclave.checksum_hex() + " is not attested for measurement id " + measurement_id.hex() + " in registry " +
                                    (*registry)[0].address().checksum_hex() + " (development: `cvex dev attest --registry " +
                                    (*registry)[0].address().checksum_hex() + " --measurement 0x…`)");
    }
};

bool holds(const std::pair<Address, Address>& pair, const Address& t) { return pair.first == t || pair.second == t; }

std::string pair_text(const std::pair<Address, Address>& p) { return p.first.checksum_hex() + "/" + p.second.checksum_hex(); }

}  // namespace

std::vector<PreflightProblem> preflight_bot(const BotConfig& config, size_t index, const Address& enclave,
                                            std::shared_ptr<chain::EthClient> client) {
    Checker c{client, config.vault, "bots[" + std::to_string(index) + "]", {}};
    // The vault first: without it nothing else can be judged.
    auto code = client->code(config.vault);
    if (!code) return {{c.at + ".vault", "eth_getCode: " + code.error().message()}};
    if (code->empty()) return {{c.at + ".vault", "no contract at " + config.vault.checksum_hex()}};
    chain::Contract v(probe_abi(), config.vault, client);
    if (!v.call("registry", {})) return {{c.at + ".vault", config.vault.checksum_hex() + " is not a GuardedVault (registry() failed)"}};

    std::vector<std::pair<Venue, std::string>> venues;
    Address base;
    std::string base_key;
    if (const auto* a = std::get_if<ArbitrageConfig>(&config.strategy)) {
        venues = {{a->venue_a, "venue_a"}, {a->venue_b, "venue_b"}};
        base = a->base_token;
        base_key = "base_token";
    } else {
        const auto& r = std::get<RebalancerConfig>(config.strategy);
        venues = {{r.venue, "venue"}};
        base = r.token_a;
        base_key = "token_a";
    }
    std::optional<std::pair<Address, Address>> first_pair;
    std::string first_key;
    for (const auto& [venue, key] : venues) {
        auto pair = c.pool(venue, key);
        c.target(venue, key);
        if (!pair) continue;
        if (!holds(*pair, base))
            c.fail(base_key, base.checksum_hex() + " is not a token of " + key + ".pool " + venue.pool.checksum_hex() + " (it trades " + pair_text(*pair) + ")");
        if (!first_pair) {
            first_pair = pair, first_key = key;
            c.token_allowed(pair->first, key + ".pool");
            c.token_allowed(pair->second, key + ".pool");
        } else if (*pair != *first_pair) {
            c.fail(key + ".pool", venue.pool.checksum_hex() + " trades " + pair_text(*pair) + ", not the pair of " + first_key + " (" + pair_text(*first_pair) + ")");
        }
    }
    c.attested(config.measurement_id, enclave);
    return c.problems;
}

}  // namespace cvex::bots
