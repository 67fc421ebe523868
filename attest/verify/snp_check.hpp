// One named check of an attestation verdict: what was required and what the evidence showed.
// The verifier and the policy engine both report every check they ran, passed or not, so a
// verdict can be audited line by line (`cvex attest verify` prints them all).
#pragma once

#include <string>
#include <vector>

namespace cvex::attest {

struct SnpCheck {
    std::string name;      // e.g. "ask.signature", "vcek.tcb.snp", "policy.allow_debug"
    bool pass = false;
    std::string expected;
    std::string actual;
};

/// True when `checks` is non-empty and every check passed.
inline bool all_passed(const std::vector<SnpCheck>& checks) {
    if (checks.empty()) return false;
    for (const SnpCheck& c : checks)
        if (!c.pass) return false;
    return true;
}

}  // namespace cvex::attest
