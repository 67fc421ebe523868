#include "cli/attest_report_view.hpp"

#include <cstdio>
#include <sstream>

namespace cvex::cli {

using attest::AttestationReport;
using nlohmann::ordered_json;

namespace {

template <size_t N>
std::string hex(const std::array<uint8_t, N>& a) { return cvex::to_hex(cvex::ByteView(a.data(), N), false); }

std::string hex64(uint64_t v) { return attest::tcb_hex(v); }

ordered_json fw_json(const attest::FirmwareVersion& f) { return {{"major", f.major}, {"minor", f.minor}, {"build", f.build}}; }

ordered_json policy_json(const attest::GuestPolicy& p) {
    // SNP ABI Table "GUEST_POLICY Structure".
    return {{"raw", hex64(p.raw)},           {"abi_minor", p.abi_minor()},
            {"abi_major", p.abi_major()},    {"smt_allowed", p.smt_allowed()},
            {"migrate_ma", p.migrate_ma()},  {"debug", p.debug()},
            {"single_socket", p.single_socket()}, {"cxl_allowed", p.cxl_allowed()},
            {"mem_aes_256_xts", p.mem_aes_256_xts()}, {"rapl_dis", p.rapl_dis()},
            {"ciphertext_hiding", p.ciphertext_hiding()}, {"page_swap_disable", p.page_swap_disable()}};
}

ordered_json platform_json(const attest::PlatformInfo& p) {
    // SNP ABI Table "PLATFORM_INFO Field"; bits it does not name stay visible in raw.
    return {{"raw", hex64(p.raw)},
            {"smt_enabled", p.smt_enabled()},
            {"tsme_enabled", p.tsme_enabled()},
            {"ecc_enabled", p.ecc_enabled()},
            {"rapl_disabled", p.rapl_disabled()},
            {"ciphertext_hiding_enabled", p.ciphertext_hiding_enabled()},
            {"alias_check_complete", p.alias_check_complete()}};
}

}  // namespace

ordered_json tcb_json(uint64_t raw, attest::TcbLayout layout) {
    const attest::TcbParts t = attest::decode_tcb(raw, layout);
    ordered_json j = {{"raw", hex64(raw)}};
    j["fmc"] = layout == attest::TcbLayout::kTurin ? ordered_json(t.fmc) : ordered_json(nullptr);
    j["bootloader"] = t.bootloader;
    j["tee"] = t.tee;
    j["snp"] = t.snp;
    j["microcode"] = t.microcode;
    return j;
}

ordered_json report_json(const AttestationReport& r, attest::TcbLayout layout) {
    ordered_json j;
    j["version"] = r.version;
    j["guest_svn"] = r.guest_svn;
    j["policy"] = policy_json(r.policy);
    j["family_id"] = hex(r.family_id);
    j["image_id"] = hex(r.image_id);
    j["vmpl"] = r.vmpl;
    j["signature_algo"] = r.signature_algo;
    j["current_tcb"] = tcb_json(r.current_tcb, layout);
    j["platform_info"] = platform_json(r.platform_info);
    j["signer"] = {{"signing_key", std::string(to_string(r.signer.signing_key))},
                   {"mask_chip_key", r.signer.mask_chip_key},
                   {"author_key_en", r.signer.author_key_en}};
    j["report_data"] = hex(r.report_data);
    j["measurement"] = hex(r.measurement);
    j["host_data"] = hex(r.host_data);
    j["id_key_digest"] = hex(r.id_key_digest);
    j["author_key_digest"] = hex(r.author_key_digest);
    j["report_id"] = hex(r.report_id);
    j["report_id_ma"] = hex(r.report_id_ma);
    j["reported_tcb"] = tcb_json(r.reported_tcb, layout);
    j["cpuid"] = r.version >= 3 ? ordered_json{{"family", r.cpuid_family}, {"model", r.cpuid_model}, {"stepping", r.cpuid_stepping}}
                                : ordered_json(nullptr);
    j["chip_id"] = hex(r.chip_id);
    j["committed_tcb"] = tcb_json(r.committed_tcb, layout);
    j["current_fw"] = fw_json(r.current_fw);
    j["committed_fw"] = fw_json(r.committed_fw);
    j["launch_tcb"] = tcb_json(r.launch_tcb, layout);
    j["launch_mit_vector"] = r.version >= 5 ? ordered_json(hex64(r.launch_mit_vector)) : ordered_json(nullptr);
    j["current_mit_vector"] = r.version >= 5 ? ordered_json(hex64(r.current_mit_vector)) : ordered_json(nullptr);
    j["signature"] = {{"r", hex(r.signature_r)}, {"s", hex(r.signature_s)}};
    return j;
}

// Every field of the report, in table order (SNP ABI, "ATTESTATION_REPORT Structure").
std::vector<std::pair<std::string, std::string>> report_text_fields(const AttestationReport& r, attest::TcbLayout layout) {
    auto tcb = [layout](uint64_t raw) { return hex64(raw) + " (" + attest::describe_tcb(attest::decode_tcb(raw, layout), layout) + ")"; };
    auto yn = [](bool b) { return b ? "yes" : "no"; };
    auto fw = [](const attest::FirmwareVersion& f) {
        return std::to_string(f.major) + "." + std::to_string(f.minor) + " build " + std::to_string(f.build);
    };
    std::ostringstream policy;
    policy << hex64(r.policy.raw) << " (abi " << int(r.policy.abi_major()) << "." << int(r.policy.abi_minor()) << ", smt " << yn(r.policy.smt_allowed())
           << ", migrate_ma " << yn(r.policy.migrate_ma()) << ", debug " << yn(r.policy.debug()) << ", single_socket "
           << yn(r.policy.single_socket()) << ")";
    std::ostringstream signer;
    signer << to_string(r.signer.signing_key) << " (mask_chip_key " << yn(r.signer.mask_chip_key) << ", author_key_en "
           << yn(r.signer.author_key_en) << ")";
    std::vector<std::pair<std::string, std::string>> f = {
        {"version", std::to_string(r.version)},
        {"guest_svn", std::to_string(r.guest_svn)},
        {"policy", policy.str()},
        {"family_id", hex(r.family_id)},
        {"image_id", hex(r.image_id)},
        {"vmpl", std::to_string(r.vmpl)},
        {"signature_algo", std::to_string(r.signature_algo) + (r.signature_algo == 1 ? " (ECDSA P-384 SHA-384)" : "")},
        {"current_tcb", tcb(r.current_tcb)},
        {"platform_info", hex64(r.platform_info.raw) + " (smt " + yn(r.platform_info.smt_enabled()) + ", tsme " +
                              yn(r.platform_info.tsme_enabled()) + ", ecc " + yn(r.platform_info.ecc_enabled()) + ")"},
        {"signer", signer.str()},
        {"report_data", hex(r.report_data)},
        {"measurement", hex(r.measurement)},
        {"host_data", hex(r.host_data)},
        {"id_key_digest", hex(r.id_key_digest)},
        {"author_key_digest", hex(r.author_key_digest)},
        {"report_id", hex(r.report_id)},
        {"report_id_ma", hex(r.report_id_ma)},
        {"reported_tcb", tcb(r.reported_tcb)},
    };
    if (r.version >= 3) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "family %02Xh model %02Xh stepping %u", r.cpuid_family, r.cpuid_model, r.cpuid_stepping);
        f.emplace_back("cpuid", buf);
    }
    f.emplace_back("chip_id", hex(r.chip_id));
    f.emplace_back("committed_tcb", tcb(r.committed_tcb));
    f.emplace_back("current_fw", fw(r.current_fw));
    f.emplace_back("committed_fw", fw(r.committed_fw));
    f.emplace_back("launch_tcb", tcb(r.launch_tcb));
    if (r.version >= 5) {
        f.emplace_back("launch_mit_vector", hex64(r.launch_mit_vector));
        f.emplace_back("current_mit_vector", hex64(r.current_mit_vector));
    }
    f.emplace_back("signature_r", hex(r.signature_r));
    f.emplace_back("signature_s", hex(r.signature_s));
    return f;
}

}  // namespace cvex::cli
