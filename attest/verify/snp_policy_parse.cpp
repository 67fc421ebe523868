// Reading a policy file (README "Policy file"): strict JSON, every key checked, layered on the
// default policy or on the profile "extends" names.
#include "attest/verify/snp_policy.hpp"

#include "base/bounded_read.hpp"
#include "attest/verify/strict_json.hpp"

namespace cvex::attest {

using cvex::Expected;
using cvex::Unexpected;
using nlohmann::json;

namespace {

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
        const std::string want = "must be " + std::to_string(N) + " bytes of hex (" + std::to_string(2 * N) + " digits)";
        if (v.is_string() && s.empty()) fail(key, "is empty; " + want);
        else if (!v.is_string() || !cvex::from_hex_fixed(s, out)) fail(key, want);
        return out;
    }
    // An allow-list that is present must allow something: [] would otherwise mean "anything".
    bool nonempty_list(const json& v, const std::string& key, const char* what) {
        if (!v.is_array()) fail(key, std::string("must be a list of ") + what);
        else if (v.empty()) fail(key, std::string("is an empty list; list the allowed ") + what + " or remove the key");
        return v.is_array() && !v.empty();
    }
    template <size_t N>
    std::vector<std::array<uint8_t, N>> bytes_list(const json& v, const std::string& key) {
        std::vector<std::array<uint8_t, N>> out;
        if (!nonempty_list(v, key, "hex values")) return out;
        for (size_t i = 0; i < v.size(); ++i) {
            const std::string sub = key + "[" + std::to_string(i) + "]";
            out.push_back(bytes<N>(v[i], sub));
            for (size_t k = 0; k + 1 < out.size(); ++k)
                if (out[k] == out.back()) fail(sub, "repeats " + key + "[" + std::to_string(k) + "]");
        }
        return out;
    }
    MinTcb tcb(const json& v, const std::string& key) {
        MinTcb t;
        if (!v.is_object() || v.empty()) {
            fail(key, "must be an object with at least one of fmc, bootloader, tee, snp, microcode");
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
    void per_product(const json& v, const std::string& key, std::map<SnpProduct, MinTcb>& out) {
        if (!v.is_object() || v.empty()) return fail(key, "must be an object keyed by Milan, Genoa or Turin");
        for (const auto& [name, val] : v.items()) {
            const auto product = parse_snp_product(name);
            if (!product || name != to_string(*product)) fail(key + "." + name, "unknown product (known: Milan, Genoa, Turin)");
            else out[*product] = tcb(val, key + "." + name);
        }
    }
    MinFirmware firmware(const json& v, const std::string& key) {
        MinFirmware f;
        if (!v.is_object() || v.empty()) {
            fail(key, "must be an object with at least one of major, minor, build");
            return f;
        }
        for (const auto& [k, val] : v.items()) {
            const auto b = static_cast<uint8_t>(uint(val, key + "." + k, 255));
            if (k == "major") f.major = b;
            else if (k == "minor") f.minor = b;
            else if (k == "build") f.build = b;
            else fail(key + "." + k, "unknown key (known: major, minor, build)");
        }
        return f;
    }
    std::vector<SigningKey> signing_keys(const json& v, const std::string& key) {
        std::vector<SigningKey> out;
        if (!nonempty_list(v, key, "signing keys (\"VCEK\", \"VLEK\")")) return out;
        for (size_t i = 0; i < v.size(); ++i) {
            const std::string s = v[i].is_string() ? v[i].get<std::string>() : "";
            const SigningKey k = s == "VLEK" ? SigningKey::kVlek : SigningKey::kVcek;
            if (s != "VCEK" && s != "VLEK") fail(key + "[" + std::to_string(i) + "]", "must be \"VCEK\" or \"VLEK\"");
            else if (std::find(out.begin(), out.end(), k) != out.end()) fail(key + "[" + std::to_string(i) + "]", "repeats " + s);
            else out.push_back(k);
        }
        return out;
    }
};

void read_key(SnpPolicy& p, Reader& r, const std::string& key, const json& v) {
    if (key == "measurements") p.measurements = r.bytes_list<48>(v, key);
    else if (key == "allow_debug") p.allow_debug = r.boolean(v, key);
    else if (key == "allow_migration_agent") p.allow_migration_agent = r.boolean(v, key);
    else if (key == "allow_smt") p.allow_smt = r.boolean(v, key);
    else if (key == "require_single_socket") p.require_single_socket = r.boolean(v, key);
    else if (key == "min_tcb") p.min_tcb = r.tcb(v, key);
    else if (key == "min_tcb_per_product") r.per_product(v, key, p.min_tcb_per_product);
    else if (key == "min_launch_tcb") p.min_launch_tcb = r.tcb(v, key);
    else if (key == "min_firmware") p.min_firmware = r.firmware(v, key);
    else if (key == "vmpl") p.vmpl = static_cast<uint32_t>(r.uint(v, key, 3));
    else if (key == "min_guest_svn") p.min_guest_svn = static_cast<uint32_t>(r.uint(v, key, 0xffffffff));
    else if (key == "host_data") p.host_data = r.bytes<32>(v, key);
    else if (key == "report_data") p.report_data = r.bytes<64>(v, key);
    else if (key == "family_id") p.family_id = r.bytes<16>(v, key);
    else if (key == "image_id") p.image_id = r.bytes<16>(v, key);
    else if (key == "id_key_digests") p.id_key_digests = r.bytes_list<48>(v, key);
    else if (key == "author_key_digests") p.author_key_digests = r.bytes_list<48>(v, key);
    else if (key == "require_author_key") p.require_author_key = r.boolean(v, key);
    else if (key == "signing_keys") p.signing_keys = r.signing_keys(v, key);
    else r.fail(key, "unknown key");
}

}  // namespace

Expected<SnpPolicy, PolicyError> parse_snp_policy(std::string_view text) {
    auto parsed = parse_strict_json(text);
    if (!parsed) return Unexpected{PolicyError{parsed.error().path.empty() ? "(file)" : parsed.error().path, parsed.error().detail}};
    const json& j = *parsed;
    if (!j.is_object()) return Unexpected{PolicyError{"(file)", "must be a JSON object"}};
    SnpPolicy p = default_snp_policy();
    if (auto it = j.find("extends"); it != j.end()) {
        const std::string base = it->is_string() ? it->get<std::string>() : "";
        if (base == "permissive") p = permissive_snp_policy();
        else if (base != "default") return Unexpected{PolicyError{"extends", "must be \"default\" or \"permissive\""}};
    }
    Reader r;
    for (const auto& [key, v] : j.items()) {
        if (key != "extends") read_key(p, r, key, v);
        if (r.error) return Unexpected{*r.error};
    }
    return p;
}

Expected<SnpPolicy, PolicyError> load_snp_policy(const std::string& path) {
    auto text = read_bounded(path, kMaxSmallInput, "file");
    if (!text) return Unexpected{PolicyError{"(file)", text.error().message()}};
    auto p = parse_snp_policy(*text);
    if (p) p->name = "file " + printable_path(path);
    return p;
}

Expected<SnpPolicy, PolicyError> resolve_snp_policy(const std::string& spec) {
    if (spec.empty())
        return Unexpected{PolicyError{"(name)", "is empty; give default, permissive or a policy file (omit the option for the default)"}};
    if (spec == "default") return default_snp_policy();
    if (spec == "permissive") return permissive_snp_policy();
    return load_snp_policy(spec);
}

}  // namespace cvex::attest
