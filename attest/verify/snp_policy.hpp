// What a verifier requires of an attested guest beyond a genuine report: a policy in the spirit
// of go-sev-guest's `validate` package, loaded from JSON with self-explaining keys (documented in
// enclave-app/README.md). A key that is absent imposes nothing, except that debug and migration
// agents are refused unless allowed. Unknown keys and bad values are errors naming the key.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/expected.hpp"
#include "attest/verify/snp_check.hpp"
#include "attest/report/snp_report.hpp"

namespace cvex::attest {

struct MinTcb {
    std::optional<uint8_t> fmc, bootloader, tee, snp, microcode;
};

struct MinFirmware {
    std::optional<uint8_t> major, minor, build;
};

struct SnpPolicy {
    std::vector<std::array<uint8_t, 48>> measurements;  // allowed MEASUREMENTs; empty: any
    bool allow_debug = false;                           // GUEST_POLICY.DEBUG (bit 19)
    bool allow_migration_agent = false;                 // GUEST_POLICY.MIGRATE_MA (bit 18)
    std::optional<bool> allow_smt;                      // GUEST_POLICY.SMT (bit 16); absent: either
    std::optional<bool> require_single_socket;          // GUEST_POLICY.SINGLE_SOCKET (bit 20)
    MinTcb min_tcb;                                     // against CURRENT, REPORTED and COMMITTED TCB
    MinTcb min_launch_tcb;                              // against LAUNCH_TCB
    MinFirmware min_firmware;                           // against CURRENT and COMMITTED firmware
    std::optional<uint32_t> vmpl;                       // exact VMPL
    std::optional<uint32_t> min_guest_svn;
    std::optional<std::array<uint8_t, 32>> host_data;
    std::optional<std::array<uint8_t, 64>> report_data;
    std::optional<std::array<uint8_t, 16>> family_id;
    std::optional<std::array<uint8_t, 16>> image_id;
    std::vector<std::array<uint8_t, 48>> id_key_digests;      // trusted ID keys; non-empty: one must match
    std::vector<std::array<uint8_t, 48>> author_key_digests;  // trusted author keys; non-empty: one must match
    bool require_author_key = false;                          // SIGNER_INFO.AUTHOR_KEY_EN must be set
    std::vector<SigningKey> signing_keys;                     // allowed: "VCEK", "VLEK"; empty: either
};

struct PolicyError {
    std::string key;  // e.g. "min_tcb.snp", "measurements[2]", "(file)"
    std::string detail;
    std::string message() const { return "policy " + key + ": " + detail; }
};

cvex::Expected<SnpPolicy, PolicyError> parse_snp_policy(std::string_view json_text);
/// Reads and parses a policy file; a missing or unreadable file is an error.
cvex::Expected<SnpPolicy, PolicyError> load_snp_policy(const std::string& path);

/// One check per requirement ("policy.<key>", expected, actual). `product` selects the TCB layout
/// of v2 reports (v3+ carry CPUID).
std::vector<SnpCheck> evaluate_snp_policy(const SnpPolicy& policy, const AttestationReport& report,
                                          std::optional<SnpProduct> product = std::nullopt);

}  // namespace cvex::attest
