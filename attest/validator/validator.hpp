// A validator: watches the AttestationRegistry for registrations, fetches each guest's published
// evidence, verifies it fully (AMD chain, report signature, policy, and that the report is the
// one registered and binds the registering key), then approves on-chain or rejects with the
// reason. It approves only what passes every check.
#pragma once

#include <ctime>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "attest/registry/published_evidence.hpp"
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
};

/// The verdict on one registration, with every check.
struct Decision {
    bool approve = false;
    std::string reason;  // the first failed check, for the on-chain reject and the log
    std::vector<SnpCheck> checks;
};

/// The pure part: is `evidence` exactly what `registration` committed to, and does it verify?
Decision evaluate_registration(const Registration& registration, const PublishedEvidence& evidence, const ValidatorOptions& options,
                               std::time_t now, SnpCertCache* cache = nullptr);

class Validator {
public:
    using Log = std::function<void(const std::string&)>;
    Validator(RegistryClient registry, ValidatorOptions options, Log log);

    /// Handles every registration seen since the last call; returns how many were decided.
    cvex::Expected<size_t, std::string> poll_once();
    /// Polls until `stop()` returns true.
    void run(const std::function<bool()>& stop);

private:
    std::optional<PublishedEvidence> fetch_evidence(const chain::Address& enclave, std::string& why);
    void handle(const RegisteredEvent& event);

    RegistryClient registry_;
    ValidatorOptions options_;
    Log log_;
    SnpCertCache cache_;
    uint64_t next_block_;
    std::map<uint64_t, int> retries_;  // registration id → evidence fetch attempts
};

}  // namespace cvex::attest
