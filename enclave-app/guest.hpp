// The confidential guest's runtime (cvex-enclave): detect the attestation provider, create the
// keys in custody, get a report whose REPORT_DATA binds them, register in the
// AttestationRegistry, wait for the validators' quorum, and serve the read-only HTTP API.
// Workloads (the VRF oracle, bots) run once `attested()` is true: run_workloads() registers the
// VRF key in the coordinator (self-registration, allowed only for an attested key holder) and
// runs the oracle with the key still in custody.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "chain/rpc/quorum_rpc.hpp"
#include "bots/runner/send_routes.hpp"
#include "chain/rpc/send_route.hpp"
#include "bots/runner/runner.hpp"
#include "enclave-app/enclave_config.hpp"
#include "enclave-app/http_server.hpp"
#include "enclave-app/guest_keys.hpp"
#include "enclave-app/key_custody.hpp"
#include "attest/registry/key_handover_client.hpp"
#include "attest/registry/published_evidence.hpp"
#include "attest/registry/registry_client.hpp"
#include "oracle/vrf_oracle.hpp"

namespace cvex::enclave {

class Guest {
public:
    using Log = std::function<void(const std::string&)>;
    static cvex::Expected<std::unique_ptr<Guest>, GuestError> create(EnclaveConfig config, Log log);
    ~Guest();

    /// Boots (funds, evidence, registration) and waits for attestation; false on a fatal error or stop.
    bool attest(const std::function<bool()>& stop);
    /// Runs the configured workloads until stop(); false on a fatal error.
    bool run_workloads(const std::function<bool()>& stop);

    chain::Address address() const;
    bool attested() const { return attested_.load(); }
    uint16_t http_port() const { return http_ ? http_->port() : 0; }
    std::shared_ptr<chain::Sender> sender() const { return sender_; }
    std::shared_ptr<chain::EthClient> client() const { return eth_; }
    const KeyCustody& custody() const { return *custody_; }
    KeyHandle vrf_key() const { return vrf_key_; }

private:
    Guest() = default;
    cvex::Expected<void, GuestError> connect_chain();
    void refresh_figures();
    HttpReply serve(std::string_view target);
    std::string metrics();
    bool register_vrf_key(const oracle::Prover& prover);
    void set_state(std::string s);
    /// Steps 2–4 of attest(): fresh evidence, registration, quorum. `renewal`: while attested.
    bool own_report_passes(const Bytes& report);
    /// `bound_key`: the key REPORT_DATA binds (its keccak256(x ‖ y) is the bound data); the VRF
    /// key unless a handover is under way (then the transport key).
    bool register_and_wait(const std::function<bool()>& stop, bool renewal, std::optional<KeyHandle> bound_key = std::nullopt);
    /// Until registration `id` is this enclave's valid attestation (true) or the timeout passes.
    bool wait_for_quorum(const std::function<bool()>& stop, uint64_t id, bool renewal);
    /// A newcomer's side of a handover (guest_handover.cpp): attest a fresh transport key, ask the
    /// KeyHandover contract for the key set, wait for a holder's delivery, adopt and seal it.
    bool receive_key_set(const std::function<bool()>& stop);
    bool adopt_delivery(const attest::HandoverDelivery& delivery, KeyHandle transport);
    /// A successor's step: the holder's Ethereum key becomes this guest's (its signer, Sender,
    /// registry and handover clients), after the boot key's balance is swept to it.
    bool become_successor(KeyHandle eth);
    chain::SenderOptions sender_options() const;
    /// A holder's side: deliver the VRF key set to each newcomer the contract let ask for it.
    void serve_handovers();
    /// Adds the handover requests logged up to `head` to handover_pending_; false (logged) when
    /// they could not be read.
    bool scan_handover_requests(uint64_t head);
    void renew_if_due(const std::function<bool()>& stop);
    bool start_oracle();

    EnclaveConfig config_;
    std::string config_sha256_;  // of config_.source, published on /attestation
    Log log_;
    std::unique_ptr<KeyCustody> custody_;
    KeyHandle eth_key_, vrf_key_;
    GuestKeys::Origin key_origin_ = GuestKeys::Origin::kGenerated;
    chain::Hash32 vrf_key_hash_;  // keccak256(x ‖ y) of the VRF key, as the coordinator names it
    std::shared_ptr<CustodySigner> signer_;
    mutable std::mutex address_mutex_;  // address_ changes once, when a successor adopts a key
    chain::Address address_;
    std::unique_ptr<attest::AttestationProvider> provider_;
    std::shared_ptr<chain::QuorumRpc> quorum_;  // set when the config names several endpoints
    std::shared_ptr<chain::SendRoute> send_route_;  // set when the config names a send endpoint
    bots::BotSendRoutes bot_routes_;  // the bots' own send routes (bots/runner/send_routes.hpp)
    std::shared_ptr<chain::EthClient> eth_;
    std::shared_ptr<chain::Sender> sender_;
    std::unique_ptr<attest::RegistryClient> registry_;
    std::unique_ptr<attest::KeyHandoverClient> handover_;  // set when contracts.key_handover is
    uint64_t handover_scanned_to_ = 0;                    // requests seen up to this block
    struct PendingHandover {
        std::array<uint8_t, 64> transport_xy{};
        unsigned attempts = 0;
    };
    std::map<chain::Address, PendingHandover> handover_pending_;  // newcomers not yet served
    std::unique_ptr<HttpServer> http_;

    mutable std::mutex mutex_;  // guards what the HTTP thread reads
    std::string state_ = "booting";
    std::optional<attest::PublishedEvidence> evidence_;
    uint64_t expires_at_ = 0;
    uint64_t validity_s_ = 0;
    std::optional<chain::U256> balance_;  // refreshed by figures_thread_
    std::atomic<bool> stopping_{false};
    std::thread figures_thread_;
    std::atomic<bool> attested_{false};
    std::atomic<bool> retired_{false};  // handed the whole key set to a successor: stop signing
    std::unique_ptr<oracle::VrfOracle> oracle_;  // set once before the loop; its metrics are thread-safe
    std::atomic<oracle::VrfOracle*> oracle_view_{nullptr};
    std::vector<std::unique_ptr<bots::Bot>> bots_;  // filled before bots_ready_, never changed after
    std::atomic<bool> bots_ready_{false};
};

}  // namespace cvex::enclave
