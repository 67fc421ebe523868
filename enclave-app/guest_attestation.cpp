// The guest's attestation lifecycle: funds for the first transactions, its own report held to
// the validators' policy, registration with evidence binding both keys, the quorum, and renewal
// before the attestation lapses.
#include <sys/random.h>

#include <thread>

#include "attest/report/report_data.hpp"
#include "chain/crypto/keccak.hpp"
#include "enclave-app/guest.hpp"

namespace cvex::enclave {

bool Guest::attest(const std::function<bool()>& stop) {
    // 1. Funds: the key was born here, so someone must pay for its first transactions.
    // Registering also locks the registry's bond (returned at attestation): wait for both.
    set_state("awaiting-funds");
    for (bool warned = false; !stop();) {
        auto bond = registry_->registration_bond();
        const chain::U256 needed = config_.min_balance_wei.wrapping_add(bond ? *bond : chain::U256(0));
        auto bal = eth_->balance(address());
        if (bond && bal && *bal >= needed) break;
        if (!warned && bond) log_("waiting for funds: " + address().checksum_hex() + " needs at least " + needed.dec() + " wei (" +
                                  bond->dec() + " of them the registration bond, returned at attestation)");
        warned = warned || bond;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    if (stop()) return false;
    // A newcomer that does not hold its configured key set yet (a restart unseals it instead).
    if (config_.handover.receive && *config_.handover.receive != vrf_key_hash_) return receive_key_set(stop);
    return register_and_wait(stop, false);
}

void Guest::set_state(std::string s) {
    std::lock_guard lock(mutex_);
    state_ = std::move(s);
}

// The guest holds its own report to the policy its validators apply (the default unless the
// config names another): a debug launch, a VMPL other than 0 or a platform below AMD's TCB
// floor is refused here by name, instead of after a quorum of rejections on chain.
bool Guest::own_report_passes(const Bytes& report_bytes) {
    const attest::SnpPolicy& policy = config_.attestation_policy;
    if (policy.permissive) log_("WARNING: attestation_policy '" + policy.name + "' is the PERMISSIVE development profile");
    auto report = attest::parse_report(report_bytes);
    if (!report) {
        log_("own attestation report does not parse: " + report.error().message());
        return false;
    }
    bool ok = true;
    for (const attest::SnpCheck& c : attest::evaluate_snp_policy(policy, *report, report->cpuid_product()))
        if (!c.pass) {
            log_("own attestation report fails policy '" + policy.name + "': " + c.name + ": expected " + c.expected + ", got " + c.actual);
            ok = false;
        }
    if (!ok) log_("refusing to register evidence the validators' policy rejects");
    return ok;
}

bool Guest::register_and_wait(const std::function<bool()>& stop, bool renewal, std::optional<KeyHandle> bound_key) {
    // 2. Evidence binding both keys (report_data.hpp documents the layout), with a fresh nonce.
    chain::Hash32 nonce;
    if (getrandom(nonce.bytes.data(), nonce.bytes.size(), 0) != static_cast<ssize_t>(nonce.bytes.size())) {
        log_("getrandom failed");
        return false;
    }
    const KeyHandle bound_handle = bound_key.value_or(vrf_key_);
    auto vrf_pub = custody_->public_key(bound_handle);
    if (!vrf_pub) return false;
    std::array<uint8_t, 64> xy{};
    std::copy(vrf_pub->begin() + 1, vrf_pub->end(), xy.begin());
    const chain::Hash32 bound = attest::point_key_hash(xy);
    const attest::ReportDataBinding binding{config_.chain_id, config_.registry, address(), nonce, bound};
    if (!renewal) set_state("attesting");
    auto evidence = provider_->get_evidence(attest::make_report_data(binding), 0);
    if (!evidence) {
        log_("attestation report: " + evidence.error().message());
        return false;
    }
    if (!own_report_passes(evidence->report)) return false;
    attest::PublishedEvidence pub = attest::published_from(*evidence);
    pub.enclave = address();
    pub.chain_id = config_.chain_id;
    pub.registry = config_.registry;
    pub.nonce = nonce;
    pub.bound_data = bound;
    if (bound_handle == vrf_key_) pub.vrf_public_key.assign(vrf_pub->begin(), vrf_pub->end());

    // 3. Registration (MEASUREMENT is at 0x090 of the report, SNP ABI Table 23). A renewal
    // supersedes nothing that is live: the current attestation holds until this one has quorum.
    if (!renewal) set_state("registering");
    const cvex::ByteView measurement(evidence->report.data() + 0x90, 48);
    auto id = registry_->register_enclave(chain::keccak256(evidence->report), measurement, nonce, bound);
    if (!id) {
        log_("registration refused: " + id.error().message());
        return false;
    }
    pub.registration_id = *id;
    {
        std::lock_guard lock(mutex_);
        evidence_ = pub;  // validators fetch the evidence of the newest registration
        if (!renewal) state_ = "awaiting-attestation";
    }
    log_((renewal ? "re-attesting: registered as registration " : "registered as registration ") + std::to_string(*id) +
         "; waiting for the validators' quorum");

    // 4. Quorum.
    return wait_for_quorum(stop, *id, renewal);
}

bool Guest::wait_for_quorum(const std::function<bool()>& stop, uint64_t id, bool renewal) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(config_.attestation_timeout_s);
    std::string last_seen = "nothing read";  // said if the quorum never comes, so the cause can be told
    while (!stop() && std::chrono::steady_clock::now() < deadline) {
        auto a = registry_->attestation_of(address());
        last_seen = a ? "registration " + std::to_string(a->registration_id) + (a->valid ? " valid" : " not valid")
                      : "error: " + a.error().message();
        if (a && a->valid && a->registration_id == id) {
            {
                std::lock_guard lock(mutex_);
                expires_at_ = a->expires_at;
                validity_s_ = a->expires_at > a->attested_at ? a->expires_at - a->attested_at : 0;
                if (!renewal) state_ = "attested";
            }
            attested_ = true;
            log_("attested until " + std::to_string(a->expires_at) + " (unix time), registration " + std::to_string(id));
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    log_("not attested within " + std::to_string(config_.attestation_timeout_s) + " s (registration " + std::to_string(id) +
         "; the registry's attestation of this enclave last read: " + last_seen + ")");
    return false;
}

void Guest::renew_if_due(const std::function<bool()>& stop) {
    uint64_t expires = 0, validity = 0;
    {
        std::lock_guard lock(mutex_);
        expires = expires_at_;
        validity = validity_s_;
    }
    auto head = eth_->block_by_number(chain::BlockTag::latest());
    if (!head || !*head) return;
    const uint64_t now = (*head)->timestamp;  // the registry judges expiry by block time
    // A margin as long as the validity itself would re-attest without end: half of it at most.
    const uint64_t margin = std::min<uint64_t>(config_.renew_before_s, validity / 2);
    if (expires > now + margin) return;
    if (now >= expires) {
        attested_ = false;
        log_("WARNING: the attestation expired at " + std::to_string(expires) + "; workloads hold until it is renewed");
    }
    if (!register_and_wait(stop, true)) log_("renewal did not complete; trying again");
}

}  // namespace cvex::enclave
