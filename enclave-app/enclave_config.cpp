#include "enclave-app/enclave_config.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "chain/rpc/http_client.hpp"
#include "chain/rpc/send_route_config.hpp"
#include "chain/types/units.hpp"
#include "attest/verify/strict_json.hpp"

namespace cvex::enclave {

using nlohmann::json;
using cvex::Unexpected;

using chain::config_address;
using chain::config_uint;
using chain::only_keys;
using chain::config_decimal;

namespace {

// One URL: parseable; in a quorum also HTTPS unless on loopback (a plain-HTTP node elsewhere is
// the host's to impersonate, and then a quorum of them is one liar). A lone `rpc_url` is the
// host's view anyway (e.g. QEMU's guestfwd to the host's node) and may be plain HTTP.
cvex::Expected<std::string, ConfigError> rpc_url_at(const json& v, const std::string& key, bool in_quorum) {
    if (!v.is_string()) return Unexpected{ConfigError{key, "must be a URL string"}};
    const std::string text = v.get<std::string>();
    auto url = chain::Url::parse(text);
    if (!url) return Unexpected{ConfigError{key, url.error().message()}};
    if (in_quorum && !url->tls && !url->loopback())
        return Unexpected{ConfigError{key, "must be https:// (only a loopback node may be http:// in a quorum): " + text}};
    return text;
}

// "rpc_url" (one node) or "rpc": {"urls": [...], "quorum": k} (k of them must agree).
cvex::Expected<void, ConfigError> parse_rpc(const json& j, EnclaveConfig& c) {
    if (j.contains("rpc_url") == j.contains("rpc")) return Unexpected{ConfigError{"rpc_url", "required: exactly one of \"rpc_url\" and \"rpc\""}};
    if (j.contains("rpc_url")) {
        auto u = rpc_url_at(j["rpc_url"], "rpc_url", false);
        if (!u) return Unexpected{u.error()};
        c.rpc_urls = {*u};
        c.rpc_quorum = 1;
        return {};
    }
    const json& r = j["rpc"];
    if (!r.is_object()) return Unexpected{ConfigError{"rpc", "must be an object with \"urls\" and \"quorum\""}};
    if (auto ok = only_keys(r, "rpc", {"urls", "quorum"}); !ok) return Unexpected{ok.error()};
    if (!r.contains("urls") || !r["urls"].is_array() || r["urls"].empty()) return Unexpected{ConfigError{"rpc.urls", "required: a non-empty array of URLs"}};
    for (size_t i = 0; i < r["urls"].size(); ++i) {
        auto u = rpc_url_at(r["urls"][i], "rpc.urls[" + std::to_string(i) + "]", true);
        if (!u) return Unexpected{u.error()};
        if (std::find(c.rpc_urls.begin(), c.rpc_urls.end(), *u) != c.rpc_urls.end())
            return Unexpected{ConfigError{"rpc.urls[" + std::to_string(i) + "]", "repeated: a quorum needs independent endpoints"}};
        c.rpc_urls.push_back(*u);
    }
    c.rpc_quorum = c.rpc_urls.size() / 2 + 1;  // a majority unless told otherwise
    if (r.contains("quorum")) {
        auto k = config_uint(r["quorum"], "rpc.quorum", c.rpc_urls.size());
        if (!k) return Unexpected{k.error()};
        if (*k < 1) return Unexpected{ConfigError{"rpc.quorum", "must be 1–" + std::to_string(c.rpc_urls.size())}};
        c.rpc_quorum = *k;
    }
    return {};
}

// "send": {"url": "...", "fallback": false}: where signed transactions go (a private-transaction
// endpoint; chain/rpc/send_route_config.hpp), never one of the read endpoints.
cvex::Expected<void, ConfigError> parse_send(const json& s, EnclaveConfig& c) {
    auto r = chain::parse_send_route_config(s, "send");
    if (!r) return Unexpected{r.error()};
    if (std::find(c.rpc_urls.begin(), c.rpc_urls.end(), r->url) != c.rpc_urls.end())
        return Unexpected{ConfigError{"send.url", "is a read endpoint: the send route must be another endpoint"}};
    c.send_url = r->url;
    c.send_fallback = r->fallback;
    return {};
}

// "handover": {"receive": "0x…", "timeout_s": 600, "from_block": 0} (needs contracts.key_handover).
cvex::Expected<void, ConfigError> parse_handover(const json& h, EnclaveConfig& c) {
    if (!h.is_object()) return Unexpected{ConfigError{"handover", "must be an object"}};
    if (auto ok = only_keys(h, "handover", {"receive", "timeout_s", "from_block"}); !ok) return Unexpected{ok.error()};
    if (!c.key_handover) return Unexpected{ConfigError{"handover", "needs contracts.key_handover"}};
    if (h.contains("receive")) {
        chain::Hash32 key_set;
        if (!h["receive"].is_string() || !cvex::from_hex_fixed(h["receive"].get<std::string>(), key_set.bytes) || key_set == chain::Hash32{})
            return Unexpected{ConfigError{"handover.receive", "must be a key set: a non-zero 32-byte 0x-hex VRF key hash"}};
        c.handover.receive = key_set;
    }
    if (h.contains("timeout_s")) {
        auto t = config_uint(h["timeout_s"], "handover.timeout_s");
        if (!t) return Unexpected{t.error()};
        if (*t == 0) return Unexpected{ConfigError{"handover.timeout_s", "must be positive"}};
        c.handover.timeout_s = *t;
    }
    if (h.contains("from_block")) {
        auto b = config_uint(h["from_block"], "handover.from_block");
        if (!b) return Unexpected{b.error()};
        c.handover.from_block = *b;
    }
    return {};
}

// Sets `target` from an Expected, or returns its error from the enclosing parser.
#define CVEX_SET(target, expr)                     \
    {                                              \
        auto v_ = (expr);                          \
        if (!v_) return Unexpected{v_.error()};    \
        target = *v_;                              \
    }

// "contracts": {"registry", "coordinator", "key_handover"}, and "handover", which needs the last.
cvex::Expected<void, ConfigError> parse_contracts(const json& j, EnclaveConfig& c) {
    if (!j.contains("contracts") || !j["contracts"].is_object()) return Unexpected{ConfigError{"contracts", "required: an object with \"registry\""}};
    const json& k = j["contracts"];
    if (auto ok = only_keys(k, "contracts", {"registry", "coordinator", "key_handover"}); !ok) return Unexpected{ok.error()};
    if (!k.contains("registry")) return Unexpected{ConfigError{"contracts.registry", "required"}};
    CVEX_SET(c.registry, config_address(k["registry"], "contracts.registry"));
    if (k.contains("coordinator")) CVEX_SET(c.coordinator, config_address(k["coordinator"], "contracts.coordinator"));
    if (k.contains("key_handover")) CVEX_SET(c.key_handover, config_address(k["key_handover"], "contracts.key_handover"));
    if (j.contains("handover"))
        if (auto ok = parse_handover(j["handover"], c); !ok) return Unexpected{ok.error()};
    return {};
}

// "provider", "attestation_policy" and what the simulated provider takes.
cvex::Expected<void, ConfigError> parse_provider(const json& j, EnclaveConfig& c) {
    if (j.contains("provider")) {
        auto p = j["provider"].is_string() ? attest::parse_provider_kind(j["provider"].get<std::string>()) : std::nullopt;
        if (!p) return Unexpected{ConfigError{"provider", "must be one of auto, configfs, ioctl, simulated"}};
        c.provider = *p;
    }
    if (j.contains("attestation_policy")) {
        const auto& v = j["attestation_policy"];
        if (!v.is_string()) return Unexpected{ConfigError{"attestation_policy", "must be \"default\", \"permissive\" or a policy file"}};
        auto p = attest::resolve_snp_policy(v.get<std::string>());
        if (!p) return Unexpected{ConfigError{"attestation_policy", p.error().message()}};
        c.attestation_policy = std::move(*p);
    }
    if (j.contains("simulated_measurement")) {
        const auto& v = j["simulated_measurement"];
        if (!v.is_string() || !cvex::from_hex_fixed(v.get<std::string>(), c.simulated_measurement))
            return Unexpected{ConfigError{"simulated_measurement", "must be 48 bytes of 0x-hex"}};
        if (c.provider != attest::ProviderKind::kSimulated) return Unexpected{ConfigError{"simulated_measurement", "only meaningful with \"provider\": \"simulated\""}};
    }
    for (const auto& [key, field] : {std::pair{"simulated_chip", &c.simulated_chip}, std::pair{"state_dir", &c.state_dir}}) {
        if (!j.contains(key)) continue;
        if (!j[key].is_string() || j[key].get<std::string>().empty()) return Unexpected{ConfigError{key, "must be a non-empty path"}};
        *field = j[key].get<std::string>();
    }
    if (c.simulated_chip && c.provider != attest::ProviderKind::kSimulated)
        return Unexpected{ConfigError{"simulated_chip", "only meaningful with \"provider\": \"simulated\""}};
    if (j.contains("simulated_platform")) {
        const auto& v = j["simulated_platform"];
        if (!v.is_string() || v.get<std::string>().empty()) return Unexpected{ConfigError{"simulated_platform", "must be a file path"}};
        if (c.provider != attest::ProviderKind::kSimulated) return Unexpected{ConfigError{"simulated_platform", "only meaningful with \"provider\": \"simulated\""}};
        if (j.contains("simulated_measurement") || c.simulated_chip)
            return Unexpected{ConfigError{"simulated_platform", "the platform carries its chip and the MEASUREMENT it reports: drop simulated_measurement and simulated_chip"}};
        c.simulated_platform = v.get<std::string>();
    }
    return {};
}

// "http": {"listen", "port"}.
cvex::Expected<void, ConfigError> parse_http(const json& j, EnclaveConfig& c) {
    if (j.contains("http")) {
        const json& h = j["http"];
        if (!h.is_object()) return Unexpected{ConfigError{"http", "must be an object"}};
        if (auto ok = only_keys(h, "http", {"listen", "port"}); !ok) return Unexpected{ok.error()};
        if (h.contains("listen")) {
            if (!h["listen"].is_string()) return Unexpected{ConfigError{"http.listen", "must be an IP address string"}};
            c.http_listen = h["listen"];
        }
        if (h.contains("port")) {
            uint64_t port = 0;
            CVEX_SET(port, config_uint(h["port"], "http.port"));
            if (port > 65535) return Unexpected{ConfigError{"http.port", "must be 0–65535"}};
            c.http_port = static_cast<uint16_t>(port);
        }
    }
    return {};
}

// "gas": the Sender's fee policy and caps.
cvex::Expected<void, ConfigError> parse_gas(const json& j, EnclaveConfig& c) {
    if (j.contains("gas")) {
        const json& g = j["gas"];
        if (!g.is_object()) return Unexpected{ConfigError{"gas", "must be an object"}};
        if (auto ok = only_keys(g, "gas", {"base_fee_multiplier", "max_fee_wei", "max_spend_per_hour_wei"}); !ok) return Unexpected{ok.error()};
        if (g.contains("base_fee_multiplier")) {
            uint64_t m = 0;
            CVEX_SET(m, config_uint(g["base_fee_multiplier"], "gas.base_fee_multiplier"));
            if (m < 1 || m > 10) return Unexpected{ConfigError{"gas.base_fee_multiplier", "must be 1–10"}};
            c.base_fee_multiplier = static_cast<unsigned>(m);
        }
        if (g.contains("max_fee_wei")) CVEX_SET(c.max_fee_wei, config_decimal(g["max_fee_wei"], "gas.max_fee_wei", "wei"));
        if (g.contains("max_spend_per_hour_wei"))
            CVEX_SET(c.max_spend_per_hour_wei, config_decimal(g["max_spend_per_hour_wei"], "gas.max_spend_per_hour_wei", "wei"));
    }
    return {};
}

// "oracle": the VRF oracle workload (needs contracts.coordinator).
cvex::Expected<void, ConfigError> parse_oracle(const json& j, EnclaveConfig& c) {
    if (j.contains("oracle")) {
        const json& o = j["oracle"];
        if (!o.is_object()) return Unexpected{ConfigError{"oracle", "must be an object (present: run the VRF oracle)"}};
        if (auto ok = only_keys(o, "oracle", {"start_block", "max_batch", "max_in_flight", "poll_ms", "replica_index", "replica_count", "takeover_blocks"}); !ok) return Unexpected{ok.error()};
        if (!c.coordinator) return Unexpected{ConfigError{"oracle", "needs contracts.coordinator"}};
        OracleWorkloadConfig w;
        if (o.contains("start_block")) CVEX_SET(w.start_block, config_uint(o["start_block"], "oracle.start_block"));
        for (const auto& [key, field] : {std::pair{"max_batch", &w.max_batch}, std::pair{"max_in_flight", &w.max_in_flight},
                                         std::pair{"poll_ms", &w.poll_ms}, std::pair{"replica_count", &w.replica_count}}) {
            if (!o.contains(key)) continue;
            CVEX_SET(*field, config_uint(o[key], std::string("oracle.") + key));
            if (*field == 0) return Unexpected{ConfigError{std::string("oracle.") + key, "must be positive"}};
        }
        if (o.contains("replica_index")) CVEX_SET(w.replica_index, config_uint(o["replica_index"], "oracle.replica_index"));
        if (w.replica_index >= w.replica_count) return Unexpected{ConfigError{"oracle.replica_index", "must be below oracle.replica_count"}};
        if (o.contains("takeover_blocks")) CVEX_SET(w.takeover_blocks, config_uint(o["takeover_blocks"], "oracle.takeover_blocks"));
        c.oracle = w;
    }
    return {};
}

}  // namespace

cvex::Expected<EnclaveConfig, ConfigError> parse_enclave_config(std::string_view text) {
    // Strict: a key given twice is an error, not "the last one wins" (attest/verify/strict_json.hpp).
    auto parsed = attest::parse_strict_json(text);
    if (!parsed) return Unexpected{ConfigError{parsed.error().path.empty() ? "(file)" : parsed.error().path, parsed.error().detail}};
    const json j = std::move(*parsed);
    if (!j.is_object()) return Unexpected{ConfigError{"(file)", "not a JSON object"}};
    if (auto ok = only_keys(j, "", {"rpc_url", "rpc", "send", "chain_id", "contracts", "provider", "simulated_measurement", "simulated_chip", "simulated_platform", "state_dir", "attestation_policy", "http", "gas", "confirmations",
                                    "min_balance_wei", "attestation_timeout_s", "renew_before_s", "handover", "oracle", "bots"});
        !ok)
        return Unexpected{ok.error()};
    EnclaveConfig c;
    if (auto ok = parse_rpc(j, c); !ok) return Unexpected{ok.error()};
    if (j.contains("send"))
        if (auto ok = parse_send(j["send"], c); !ok) return Unexpected{ok.error()};
    if (!j.contains("chain_id")) return Unexpected{ConfigError{"chain_id", "required"}};
    CVEX_SET(c.chain_id, config_uint(j["chain_id"], "chain_id"));
    if (auto ok = parse_contracts(j, c); !ok) return Unexpected{ok.error()};
    if (auto ok = parse_provider(j, c); !ok) return Unexpected{ok.error()};
    if (auto ok = parse_http(j, c); !ok) return Unexpected{ok.error()};
    if (auto ok = parse_gas(j, c); !ok) return Unexpected{ok.error()};
    if (j.contains("confirmations")) CVEX_SET(c.confirmations, config_uint(j["confirmations"], "confirmations"));
    if (j.contains("min_balance_wei")) CVEX_SET(c.min_balance_wei, config_decimal(j["min_balance_wei"], "min_balance_wei", "wei"));
    if (j.contains("attestation_timeout_s")) CVEX_SET(c.attestation_timeout_s, config_uint(j["attestation_timeout_s"], "attestation_timeout_s"));
    if (j.contains("renew_before_s")) CVEX_SET(c.renew_before_s, config_uint(j["renew_before_s"], "renew_before_s"));
    if (auto ok = parse_oracle(j, c); !ok) return Unexpected{ok.error()};
    if (j.contains("bots")) {
        auto bots = bots::parse_bot_configs(j["bots"]);
        if (!bots) return Unexpected{bots.error()};
        c.bots = std::move(*bots);
    }
    c.source = std::string(text);
    return c;
}

cvex::Expected<EnclaveConfig, ConfigError> load_enclave_config(const std::string& path) {
    std::ifstream in(path);
    if (!in) return Unexpected{ConfigError{"(file)", "cannot read " + path}};
    std::stringstream ss;
    ss << in.rdbuf();
    return parse_enclave_config(ss.str());
}

#undef CVEX_SET

}  // namespace cvex::enclave
