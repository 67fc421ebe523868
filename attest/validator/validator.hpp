// A validator: watches the AttestationRegistry for registrations, fetches each guest's published
// evidence, verifies it fully (AMD chain, report signature, policy, and that the report is the
// one registered and binds the registering key), then approves on-chain — passing the report
// hash, REPORT_DATA and measurement id it verified, which the registry checks against the
// registration — or rejects with the reason. It approves only what passes every check.
//
// Spam: anyone may register (for a bond). Registrations are worked on concurrently, new ones
// first, within a time budget per poll; one whose evidence is not published yet costs no RPC call
// and no transaction — it is looked at again with a growing back-off until the registry lets it
// expire (REGISTRATION_LIFETIME) — so hundreds of registrations without evidence never delay a
// real guest. Only evidence that fails a check is rejected on-chain.
#pragma once

#include <ctime>
#include <functional>
#include <map>
#include <mutex>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "attest/registry/published_evidence.hpp"
#include "attest/validator/validator_error.hpp"
#include "attest/registry/registry_client.hpp"
#include "attest/cert/snp_cert_cache.hpp"
#include "attest/verify/snp_check.hpp"
#include "attest/verify/snp_policy.hpp"

namespace cvex::attest {

struct ValidatorOptions {
    SnpPolicy policy = default_snp_policy();  // never "no policy"
    std::string crl;                           // AMD's CRL (DER or PEM); empty: not checked
    bool trust_sim_root = false;
    std::string sim_root_dir;          // empty: sim_root_dir()
    std::string chain_pem;             // ASK+ARK to use when the evidence carries none
    std::vector<std::string> evidence_urls;  // guests' GET /attestation endpoints
    std::string evidence_dir;          // or files <dir>/<enclave address lower-case hex>.json
    uint64_t from_block = 0;
    std::chrono::milliseconds poll_interval{500};
    size_t workers = 8;                                  // registrations handled at once
    std::chrono::milliseconds poll_budget{15'000};       // per poll; the rest waits for the next
    std::chrono::milliseconds max_evidence_backoff{20'000};
    std::chrono::seconds registration_lifetime{3600};    // AttestationRegistry.REGISTRATION_LIFETIME
};

/// The verdict on one registration, with every check.
struct Decision {
    bool approve = false;
    std::string reason;  // the first failed check, for the on-chain reject and the log
    std::vector<SnpCheck> checks;
    // What the verified report says (passed to `approve`, which checks them on-chain).
    std::array<uint8_t, 64> report_data{};
    chain::Hash32 measurement_id;
};

/// The pure part: is `evidence` exactly what `registration` committed to, and does it verify?
Decision evaluate_registration(const Registration& registration, const PublishedEvidence& evidence, const ValidatorOptions& options,
                               std::time_t now, SnpCertCache* cache = nullptr);

class Validator {
public:
    using Log = std::function<void(const std::string&)>;
    Validator(RegistryClient registry, ValidatorOptions options, Log log);

    /// Handles every registration seen since the last call; returns how many were decided.
    cvex::Expected<size_t, ValidatorError> poll_once();
    /// Polls until `stop()` returns true.
    void run(const std::function<bool()>& stop);

private:
    using Clock = std::chrono::steady_clock;
    using EvidenceByEnclave = std::map<chain::Address, PublishedEvidence>;
    struct Waiting {
        RegisteredEvent event;
        int attempts = 0;
        Clock::time_point next_try;
        Clock::time_point first_seen;
    };
    enum class Outcome { kDone, kWaitForEvidence, kRetry };

    EvidenceByEnclave fetch_url_evidence();
    std::optional<PublishedEvidence> find_evidence(const chain::Address& enclave, const EvidenceByEnclave& from_urls, std::string& why) const;
    Outcome handle(const RegisteredEvent& event, const EvidenceByEnclave& from_urls);
    void say(const std::string& line);

    RegistryClient registry_;
    ValidatorOptions options_;
    Log log_;
    std::mutex log_mutex_;
    SnpCertCache cache_;
    uint64_t next_block_;
    std::map<uint64_t, Waiting> waiting_;  // registration id → not decided yet
};

}  // namespace cvex::attest
