// What a verifier requires of an attested guest beyond a genuine report: a policy in the spirit
// of go-sev-guest's `validate` package. It fails closed (issue 19):
//   - no policy given means default_snp_policy(), never "nothing": VMPL 0, no debug, no
//     migration agent, and a minimum TCB per product at the floor of AMD's security bulletins
//     (snp_policy_defaults.cpp names them);
//   - a policy file starts from that default (or from "permissive" with "extends") and each key
//     it names replaces the default's value; a file cannot loosen anything by omission;
//   - a file is read bounded (64 KiB) and parsed strictly: a duplicate key, an unknown key, a
//     value of the wrong type or range, an empty string and an empty list are errors naming the
//     key (an empty allow-list would otherwise mean "allow anything").
// `permissive_snp_policy()` is the development profile: any VMPL, debug, migration agents and
// any TCB; it says so wherever it is used (SnpPolicy::permissive).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "attest/verify/snp_check.hpp"
#include "attest/report/snp_report.hpp"
#include "base/expected.hpp"

namespace cvex::attest {

struct MinTcb {
    std::optional<uint8_t> fmc, bootloader, tee, snp, microcode;
    bool empty() const { return !fmc && !bootloader && !tee && !snp && !microcode; }
};

struct MinFirmware {
    std::optional<uint8_t> major, minor, build;
};

/// AMD's bulletin floor per product (amd_bulletin_tcb_floors() below, as the policy holds it).
std::map<SnpProduct, MinTcb> amd_bulletin_floor_map();

/// A default-constructed policy is the default policy: code that forgets to load one fails closed.
struct SnpPolicy {
    std::string name = "default";  // "default", "permissive", or "file <path>"
    bool permissive = false;       // the development profile (or a file extending it)
    std::vector<std::array<uint8_t, 48>> measurements;  // allowed MEASUREMENTs; empty: any
    bool allow_debug = false;                           // GUEST_POLICY.DEBUG (bit 19)
    bool allow_migration_agent = false;                 // GUEST_POLICY.MIGRATE_MA (bit 18)
    std::optional<bool> allow_smt;                      // GUEST_POLICY.SMT (bit 16); absent: either
    std::optional<bool> require_single_socket;          // GUEST_POLICY.SINGLE_SOCKET (bit 20)
    MinTcb min_tcb;                                     // every product: CURRENT, REPORTED, COMMITTED TCB
    std::map<SnpProduct, MinTcb> min_tcb_per_product = amd_bulletin_floor_map();  // the report's product, same TCBs
    MinTcb min_launch_tcb;                              // against LAUNCH_TCB
    MinFirmware min_firmware;                           // against CURRENT and COMMITTED firmware
    std::optional<uint32_t> vmpl = 0;                   // exact VMPL; the guest always asks for 0
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

/// VMPL 0, no debug, no migration agent, AMD's bulletin floor per product.
SnpPolicy default_snp_policy();
/// Development only: any VMPL, debug and migration agents allowed, no TCB floor.
SnpPolicy permissive_snp_policy();
/// The floor the default policy holds each product to, and the bulletin it comes from.
struct TcbFloor {
    SnpProduct product;
    MinTcb min;
    std::string_view source;  // e.g. "AMD-SB-3019 (CVE-2024-56161), MilanPI 1.0.0.F"
};
const std::vector<TcbFloor>& amd_bulletin_tcb_floors();

struct PolicyError {
    std::string key;  // e.g. "min_tcb.snp", "measurements[2]", "(file)"
    std::string detail;
    std::string message() const { return key == "(file)" ? "policy: " + detail : "policy " + key + ": " + detail; }
};

/// A policy file's JSON, layered on the default (or on the profile its "extends" names).
cvex::Expected<SnpPolicy, PolicyError> parse_snp_policy(std::string_view json_text);
/// Reads (bounded, regular file or "-") and parses a policy file.
cvex::Expected<SnpPolicy, PolicyError> load_snp_policy(const std::string& path);
/// "default", "permissive", or a policy file's path (write ./default for a file of that name).
/// An empty spec is an error: an unset variable must not select anything.
cvex::Expected<SnpPolicy, PolicyError> resolve_snp_policy(const std::string& spec);

/// One check per requirement ("policy.<key>", expected, actual). `product` selects the TCB layout
/// of v2 reports (v3+ carry CPUID) and the per-product floor; unknown, that floor fails.
std::vector<SnpCheck> evaluate_snp_policy(const SnpPolicy& policy, const AttestationReport& report,
                                          std::optional<SnpProduct> product = std::nullopt);

}  // namespace cvex::attest
