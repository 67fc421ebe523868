#include "attest/verify/snp_policy.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace cvex::attest {

using cvex::Expected;
using cvex::Unexpected;
using nlohmann::json;

namespace {

template <size_t N>
std::string hex(const std::array<uint8_t, N>& a) { return cvex::to_hex(cvex::ByteView(a.data(), N), false); }

struct Reader {
    std::optional<PolicyError> error;
    void fail(const std::string& key, const std::string& why) {
        if (!error) error = PolicyError{key, why};
    }

    bool boolean(const json& v, const std::string& key) {
        if (!v.is_boolean()) fail(key, "must be true or false");
        return v.is_boolean() && v.get<bool>();
    }
    uint64_t uint(const json& v, const std::string& key, uint64_t max) {
        if (!v.is_number_unsigned() || v.get<uint64_t>() > max) {
            fail(key, "must be an integer from 0 to " + std::to_string(max));
            return 0;
        }
        return v.get<uint64_t>();
    }
    template <size_t N>
    std::array<uint8_t, N> bytes(const json& v, const std::string& key) {
        std::array<uint8_t, N> out{};
        std::string s = v.is_string() ? v.get<std::string>() : "";
        if (s.rfind("0x", 0) == 0) s = s.substr(2);
        if (!v.is_string() || !cvex::from_hex_fixed(s, out))
            fail(key, "must be " + std::to_string(N) + " bytes of hex (" + std::to_string(2 * N) + " digits)");
        return out;
    }
    template <size_t N>
    std::vector<std::array<uint8_t, N>> bytes_list(const json& v, const std::string& key) {
        std::vector<std::array<uint8_t, N>> out;
        if (!v.is_array()) {
            fail(key, "must be a list of hex strings");
            return out;
        }
        for (size_t i = 0; i < v.size(); ++i) out.push_back(bytes<N>(v[i], key + "[" + std::to_string(i) + "]"));
        return out;
    }
    MinTcb tcb(const json& v, const std::string& key) {
        MinTcb t;
        if (!v.is_object()) {
            fail(key, "must be an object with fmc, bootloader, tee, snp, microcode");
            return t;
        }
        for (const auto& [k, val] : v.items()) {
            const std::string sub = key + "." + k;
            const auto b = static_cast<uint8_t>(uint(val, sub, 255));
            if (k == "fmc") t.fmc = b;
            else if (k == "bootloader") t.bootloader = b;
            else if (k == "tee") t.tee = b;
            else if (k == "snp") t.snp = b;
            else if (k == "microcode") t.microcode = b;
            else fail(sub, "unknown key (known: fmc, bootloader, tee, snp, microcode)");
        }
        return t;
    }
};

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

std::string yes_no(bool b) { return b ? "true" : "false"; }

}  // namespace

Expected<SnpPolicy, PolicyError> parse_snp_policy(std::string_view text) {
    const json j = json::parse(text, nullptr, false);
    if (j.is_discarded()) return Unexpected{PolicyError{"(file)", "not valid JSON"}};
    if (!j.is_object()) return Unexpected{PolicyError{"(file)", "must be a JSON object"}};
    SnpPolicy p;
    Reader r;
    for (const auto& [key, v] : j.items()) {
        if (key == "measurements") p.measurements = r.bytes_list<48>(v, key);
        else if (key == "allow_debug") p.allow_debug = r.boolean(v, key);
        else if (key == "allow_migration_agent") p.allow_migration_agent = r.boolean(v, key);
        else if (key == "allow_smt") p.allow_smt = r.boolean(v, key);
        else if (key == "require_single_socket") p.require_single_socket = r.boolean(v, key);
        else if (key == "min_tcb") p.min_tcb = r.tcb(v, key);
        else if (key == "min_launch_tcb") p.min_launch_tcb = r.tcb(v, key);
        else if (key == "min_firmware") {
            if (!v.is_object()) r.fail(key, "must be an object with major, minor, build");
            else
                for (const auto& [k, val] : v.items()) {
                    const auto b = static_cast<uint8_t>(r.uint(val, key + "." + k, 255));
                    if (k == "major") p.min_firmware.major = b;
                    else if (k == "minor") p.min_firmware.minor = b;
                    else if (k == "build") p.min_firmware.build = b;
                    else r.fail(key + "." + k, "unknown key (known: major, minor, build)");
                }
        } else if (key == "vmpl") p.vmpl = static_cast<uint32_t>(r.uint(v, key, 3));
        else if (key == "min_guest_svn") p.min_guest_svn = static_cast<uint32_t>(r.uint(v, key, 0xffffffff));
        else if (key == "host_data") p.host_data = r.bytes<32>(v, key);
        else if (key == "report_data") p.report_data = r.bytes<64>(v, key);
        else if (key == "family_id") p.family_id = r.bytes<16>(v, key);
        else if (key == "image_id") p.image_id = r.bytes<16>(v, key);
        else if (key == "id_key_digests") p.id_key_digests = r.bytes_list<48>(v, key);
        else if (key == "author_key_digests") p.author_key_digests = r.bytes_list<48>(v, key);
        else if (key == "require_author_key") p.require_author_key = r.boolean(v, key);
        else if (key == "signing_keys") {
            if (!v.is_array()) r.fail(key, "must be a list of \"VCEK\" / \"VLEK\"");
            else
                for (size_t i = 0; i < v.size(); ++i) {
                    const std::string s = v[i].is_string() ? v[i].get<std::string>() : "";
                    if (s == "VCEK") p.signing_keys.push_back(SigningKey::kVcek);
                    else if (s == "VLEK") p.signing_keys.push_back(SigningKey::kVlek);
                    else r.fail(key + "[" + std::to_string(i) + "]", "must be \"VCEK\" or \"VLEK\"");
                }
        } else r.fail(key, "unknown key");
        if (r.error) return Unexpected{*r.error};
    }
    return p;
}

Expected<SnpPolicy, PolicyError> load_snp_policy(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) return Unexpected{PolicyError{"(file)", "cannot read " + path}};
    std::stringstream ss;
    ss << f.rdbuf();
    return parse_snp_policy(ss.str());
}

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
