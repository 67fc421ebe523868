// Evaluating a policy against a report: one named check per requirement, passed or not.
#include "attest/verify/snp_policy.hpp"

#include <algorithm>

namespace cvex::attest {

namespace {

template <size_t N>
std::string hex(const std::array<uint8_t, N>& a) { return cvex::to_hex(cvex::ByteView(a.data(), N), false); }

void check_tcb(std::vector<SnpCheck>& out, const std::string& key, const MinTcb& min, uint64_t raw, const char* field, TcbLayout layout) {
    const TcbParts p = decode_tcb(raw, layout);
    auto one = [&](const char* name, const std::optional<uint8_t>& want, uint8_t got) {
        if (!want) return;
        out.push_back({"policy." + key + "." + name + " (" + field + ")", got >= *want, ">= " + std::to_string(*want), std::to_string(got)});
    };
    one("fmc", min.fmc, p.fmc);
    one("bootloader", min.bootloader, p.bootloader);
    one("tee", min.tee, p.tee);
    one("snp", min.snp, p.snp);
    one("microcode", min.microcode, p.microcode);
}

template <size_t N>
void check_one_of(std::vector<SnpCheck>& out, const std::string& key, const std::vector<std::array<uint8_t, N>>& allowed,
                  const std::array<uint8_t, N>& got) {
    if (allowed.empty()) return;
    std::string want;
    for (const auto& a : allowed) want += (want.empty() ? "" : " | ") + hex(a);
    out.push_back({"policy." + key, std::find(allowed.begin(), allowed.end(), got) != allowed.end(), "one of " + want, hex(got)});
}

// The bulletin floor of the report's product. A product the verifier cannot name cannot be held
// to its floor, so that fails rather than being skipped.
void check_per_product(std::vector<SnpCheck>& out, const SnpPolicy& p, const AttestationReport& r, std::optional<SnpProduct> product,
                       TcbLayout layout) {
    if (p.min_tcb_per_product.empty()) return;
    if (!product) {
        out.push_back({"policy.min_tcb_per_product", false, "the report's product (from the root or CPUID)", "unknown"});
        return;
    }
    const auto it = p.min_tcb_per_product.find(*product);
    if (it == p.min_tcb_per_product.end()) return;
    const std::string key = "min_tcb_per_product." + std::string(to_string(*product));
    check_tcb(out, key, it->second, r.current_tcb, "CURRENT_TCB", layout);
    check_tcb(out, key, it->second, r.reported_tcb, "REPORTED_TCB", layout);
    check_tcb(out, key, it->second, r.committed_tcb, "COMMITTED_TCB", layout);
}

std::string yes_no(bool b) { return b ? "true" : "false"; }

}  // namespace

std::vector<SnpCheck> evaluate_snp_policy(const SnpPolicy& p, const AttestationReport& r, std::optional<SnpProduct> product) {
    std::vector<SnpCheck> out;
    const TcbLayout layout = r.layout(product);
    check_one_of(out, "measurements", p.measurements, r.measurement);
    // Debug and migration agents let the host read or move guest memory: refused unless allowed.
    out.push_back({"policy.allow_debug", p.allow_debug || !r.policy.debug(), p.allow_debug ? "debug allowed" : "DEBUG (policy bit 19) clear",
                   "DEBUG " + std::string(r.policy.debug() ? "set" : "clear")});
    out.push_back({"policy.allow_migration_agent", p.allow_migration_agent || !r.policy.migrate_ma(),
                   p.allow_migration_agent ? "migration agent allowed" : "MIGRATE_MA (policy bit 18) clear",
                   "MIGRATE_MA " + std::string(r.policy.migrate_ma() ? "set" : "clear")});
    if (p.allow_smt && !*p.allow_smt)
        out.push_back({"policy.allow_smt", !r.policy.smt_allowed(), "SMT (policy bit 16) clear", "SMT " + yes_no(r.policy.smt_allowed())});
    if (p.require_single_socket && *p.require_single_socket)
        out.push_back({"policy.require_single_socket", r.policy.single_socket(), "SINGLE_SOCKET (policy bit 20) set",
                       "SINGLE_SOCKET " + yes_no(r.policy.single_socket())});
    check_tcb(out, "min_tcb", p.min_tcb, r.current_tcb, "CURRENT_TCB", layout);
    check_tcb(out, "min_tcb", p.min_tcb, r.reported_tcb, "REPORTED_TCB", layout);
    check_tcb(out, "min_tcb", p.min_tcb, r.committed_tcb, "COMMITTED_TCB", layout);
    check_per_product(out, p, r, product ? product : r.cpuid_product(), layout);
    check_tcb(out, "min_launch_tcb", p.min_launch_tcb, r.launch_tcb, "LAUNCH_TCB", layout);
    for (const auto& [fw, field] : {std::pair{r.current_fw, "CURRENT"}, std::pair{r.committed_fw, "COMMITTED"}}) {
        // Versions compare as (major, minor): 1.55 is newer than 0.99 whatever the minor says.
        if (p.min_firmware.major || p.min_firmware.minor) {
            const unsigned want = (p.min_firmware.major.value_or(0) << 8) | p.min_firmware.minor.value_or(0);
            const unsigned got = (fw.major << 8) | fw.minor;
            out.push_back({std::string("policy.min_firmware.version (") + field + ")", got >= want,
                           ">= " + std::to_string(want >> 8) + "." + std::to_string(want & 0xff),
                           std::to_string(fw.major) + "." + std::to_string(fw.minor)});
        }
        if (p.min_firmware.build)
            out.push_back({std::string("policy.min_firmware.build (") + field + "_BUILD)", fw.build >= *p.min_firmware.build,
                           ">= " + std::to_string(*p.min_firmware.build), std::to_string(fw.build)});
    }
    if (p.vmpl) out.push_back({"policy.vmpl", r.vmpl == *p.vmpl, std::to_string(*p.vmpl), std::to_string(r.vmpl)});
    if (p.min_guest_svn)
        out.push_back({"policy.min_guest_svn", r.guest_svn >= *p.min_guest_svn, ">= " + std::to_string(*p.min_guest_svn), std::to_string(r.guest_svn)});
    if (p.host_data) out.push_back({"policy.host_data", r.host_data == *p.host_data, hex(*p.host_data), hex(r.host_data)});
    if (p.report_data) out.push_back({"policy.report_data", r.report_data == *p.report_data, hex(*p.report_data), hex(r.report_data)});
    if (p.family_id) out.push_back({"policy.family_id", r.family_id == *p.family_id, hex(*p.family_id), hex(r.family_id)});
    if (p.image_id) out.push_back({"policy.image_id", r.image_id == *p.image_id, hex(*p.image_id), hex(r.image_id)});
    check_one_of(out, "id_key_digests", p.id_key_digests, r.id_key_digest);
    if (!p.author_key_digests.empty() || p.require_author_key)
        out.push_back({"policy.require_author_key", r.signer.author_key_en, "AUTHOR_KEY_EN set",
                       "AUTHOR_KEY_EN " + std::string(r.signer.author_key_en ? "set" : "clear")});
    check_one_of(out, "author_key_digests", p.author_key_digests, r.author_key_digest);
    if (!p.signing_keys.empty()) {
        std::string want;
        for (SigningKey k : p.signing_keys) want += (want.empty() ? "" : " | ") + std::string(to_string(k));
        out.push_back({"policy.signing_keys",
                       std::find(p.signing_keys.begin(), p.signing_keys.end(), r.signer.signing_key) != p.signing_keys.end(),
                       "one of " + want, std::string(to_string(r.signer.signing_key))});
    }
    return out;
}

}  // namespace cvex::attest
