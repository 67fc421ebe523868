// The cvex-enclave config file (JSON). Every key is documented in enclave-app/README.md; an
// unknown key or a bad value is an error naming the key, so a typo never silently changes
// behaviour.
//
//   { "rpc_url": "http://127.0.0.1:8545", "chain_id": 31337,
//     or "rpc": { "urls": ["https://a.example", "https://b.example", "https://c.example"], "quorum": 2 },
//     "send": { "url": "https://private-tx.example", "fallback": false } (signed transactions only),
//     "contracts": { "registry": "0x…", "coordinator": "0x…", "key_handover": "0x…" },
//     "provider": "auto" | "configfs" | "ioctl" | "simulated",
//     "simulated_measurement": "0x…48 bytes", "simulated_chip": "/path/chip.seed" (simulated provider only),
//     "state_dir": "/var/lib/cvex" (where the sealed keys live; the host provides it),
//     "simulated_platform": "/path" (simulated provider only: a platform made by the host),
//     "attestation_policy": "default" | "permissive" | "<policy file>" (default: "default"),
//     "http": { "listen": "127.0.0.1", "port": 9100 },
//     "gas": { "base_fee_multiplier": 2, "max_fee_wei": "200000000000", "max_spend_per_hour_wei": "1000000000000000000" },
//     "confirmations": 3, "min_balance_wei": "10000000000000000",
//     "attestation_timeout_s": 300, "renew_before_s": 3600,
//     "handover": { "receive": "0x…32 (a key set: the VRF key hash)", "timeout_s": 600, "from_block": 0 },
//     "oracle": { "start_block": 0, "max_batch": 100, "max_in_flight": 4, "poll_ms": 100 },
//     "bots": [ … ] }
// The "oracle" object turns the VRF oracle workload on (it needs contracts.coordinator); each
// entry of "bots" is a trading bot (enclave-app/bot_config.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "chain/encoding/json_config.hpp"
#include "chain/types/address.hpp"
#include "base/expected.hpp"
#include "chain/types/u256.hpp"
#include "attest/provider/attestation_provider.hpp"
#include "attest/verify/snp_policy.hpp"
#include "bots/runner/config.hpp"

namespace cvex::enclave {

/// The VRF oracle workload (oracle/vrf_oracle.hpp OracleOptions).
struct OracleWorkloadConfig {
    uint64_t start_block = 0;
    uint64_t max_batch = 100;
    uint64_t max_in_flight = 4;
    uint64_t poll_ms = 100;
    uint64_t replica_index = 0;   // replicas of one VRF key split requests by id (oracle/README.md)
    uint64_t replica_count = 1;
    uint64_t takeover_blocks = 5;
};

/// Attested key handover (issue 14 §2, contracts/src/attestation/KeyHandover.sol). With
/// contracts.key_handover set, an attested guest delivers its VRF key set to every newcomer the
/// contract lets ask for it; with `receive`, a guest that does not hold that key set asks for it.
struct HandoverConfig {
    std::optional<chain::Hash32> receive;  // the key set to receive (its VRF key hash)
    uint64_t timeout_s = 600;              // from the request to the delivery
    uint64_t from_block = 0;               // where a holder starts looking for requests
};

/// Trust decision: the RPC endpoints and the quorum are part of the guest's config, which the
/// operator pins with the image (it is not the host's to change at run time); every endpoint of a
/// quorum is HTTPS (certificate and host name verified) unless it is on the guest's own loopback.
struct EnclaveConfig {
    std::vector<std::string> rpc_urls;  // "rpc_url", or "rpc.urls"
    size_t rpc_quorum = 1;              // k identical answers of rpc_urls.size()
    // "send": signed transactions go to this endpoint only (chain/rpc/send_route.hpp), never to the
    // read endpoints unless `send_fallback` says so when it fails.
    std::optional<std::string> send_url;
    bool send_fallback = false;
    uint64_t chain_id = 0;
    chain::Address registry;
    std::optional<chain::Address> coordinator;
    std::optional<chain::Address> key_handover;
    HandoverConfig handover;
    attest::ProviderKind provider = attest::ProviderKind::kAuto;
    std::array<uint8_t, 48> simulated_measurement{};
    attest::SnpPolicy attestation_policy = attest::default_snp_policy();  // the guest's own check of its report
    std::optional<std::string> simulated_chip;  // the simulated chip's seed file (created if absent)
    std::optional<std::string> state_dir;       // sealed keys persist here; absent: keys die with the guest
    // A simulated platform handed in from outside the guest (`cvex attest sim-platform`; in a VM
    // QEMU's fw_cfg file): it carries the MEASUREMENT it reports, as firmware does. Empty: the
    // guest makes its own platform reporting simulated_measurement.
    std::string simulated_platform;
    std::string http_listen = "127.0.0.1";  // loopback unless the operator says otherwise
    uint16_t http_port = 9100;
    unsigned base_fee_multiplier = 2;
    // Safe defaults: whatever the nodes quote, never more than 200 gwei per gas, nor more than
    // 1 ether of fees (counted at each transaction's max fee) in any hour.
    std::optional<chain::U256> max_fee_wei = chain::U256(200'000'000'000ULL);
    chain::U256 max_spend_per_hour_wei = chain::U256(1'000'000'000'000'000'000ULL);
    uint64_t confirmations = 3;  // a floor over each VRF request's own minConfirmations
    chain::U256 min_balance_wei = chain::U256(10'000'000'000'000'000ULL);  // 0.01 ether
    uint64_t attestation_timeout_s = 300;
    uint64_t renew_before_s = 3600;  // re-attest when the attestation expires within this
    std::optional<OracleWorkloadConfig> oracle;
    std::vector<bots::BotConfig> bots;
    std::string source;  // the JSON text as given: published on /attestation (in an image, the measured file)
};

using chain::ConfigError;  // chain/encoding/json_config.hpp: the key at fault and what is wrong

cvex::Expected<EnclaveConfig, ConfigError> parse_enclave_config(std::string_view json_text);
cvex::Expected<EnclaveConfig, ConfigError> load_enclave_config(const std::string& path);

}  // namespace cvex::enclave
