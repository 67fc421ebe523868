// The guest's share of a simulated platform as a file (sim_platform.hpp): what QEMU hands a VM
// through fw_cfg, outside its measured inputs, the way real firmware sits outside the guest.
#include "attest/provider/sim_platform.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <nlohmann/json.hpp>

#include "attest/provider/sim_platform_keys.hpp"

namespace cvex::attest {

using cvex::Expected;
using cvex::Unexpected;
using nlohmann::json;

namespace {

constexpr const char* kAbout = "cvex SIMULATED SEV-SNP platform for one guest (development only; not AMD, proves nothing about hardware)";

std::string key_pem(EVP_PKEY* key) {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    std::string s(data, static_cast<size_t>(n));
    OPENSSL_cleanse(data, static_cast<size_t>(n));
    BIO_free(bio);
    return s;
}

template <class T>
T* read_pem(const std::string& text, T* (*reader)(BIO*, T**, pem_password_cb*, void*)) {
    BIO* bio = BIO_new_mem_buf(text.data(), static_cast<int>(text.size()));
    T* out = reader(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    return out;
}

template <size_t N>
bool hex_field(const json& j, const char* key, std::array<uint8_t, N>& out) {
    return j.contains(key) && j[key].is_string() && cvex::from_hex_fixed(j[key].get<std::string>(), out);
}

}  // namespace

std::string SimulatedSnpPlatform::export_for_guest() const {
    const SimulatedGuest& g = guest_;
    json j = {{"about", kAbout},
              {"product", g.product},
              {"report_version", g.report_version},
              {"policy", g.policy},
              {"guest_svn", g.guest_svn},
              {"measurement", cvex::to_hex(cvex::ByteView(g.measurement.data(), g.measurement.size()))},
              {"host_data", cvex::to_hex(cvex::ByteView(g.host_data.data(), g.host_data.size()))},
              {"tcb", g.tcb},
              {"platform_info", g.platform_info},
              {"firmware", {g.fw_major, g.fw_minor, g.fw_build}},
              {"chip_id", cvex::to_hex(cvex::ByteView(chip_id_.data(), chip_id_.size()))},
              {"derivation_secret", cvex::to_hex(cvex::ByteView(keys_->derivation_secret.data(), 32))},
              {"vcek_key", key_pem(keys_->vcek_key.get())},
              {"vcek", vcek_pem()},
              {"ask", ask_pem()},
              {"ark", ark_pem()}};
    return j.dump(1) + "\n";
}

Expected<std::unique_ptr<SimulatedSnpPlatform>, SimPlatformError> SimulatedSnpPlatform::import_for_guest(std::string_view text) {
    const json j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return sim_platform_failure("simulated platform: not a JSON object");
    if (!j.contains("about") || j["about"] != kAbout) return sim_platform_failure("simulated platform: not a cvex simulated platform file");
    SimulatedGuest g;
    auto keys = std::make_unique<Keys>();
    std::array<uint8_t, 64> chip_id{};
    try {
        g.product = j.at("product").get<std::string>();
        g.report_version = j.at("report_version").get<uint32_t>();
        g.policy = j.at("policy").get<uint64_t>();
        g.guest_svn = j.at("guest_svn").get<uint32_t>();
        g.tcb = j.at("tcb").get<uint64_t>();
        g.platform_info = j.at("platform_info").get<uint64_t>();
        const auto fw = j.at("firmware").get<std::array<uint8_t, 3>>();
        g.fw_major = fw[0], g.fw_minor = fw[1], g.fw_build = fw[2];
    } catch (const json::exception& e) {
        return sim_platform_failure(std::string("simulated platform: ") + e.what());
    }
    if (!hex_field(j, "measurement", g.measurement)) return sim_platform_failure("simulated platform: measurement must be 48 bytes of hex");
    if (!hex_field(j, "host_data", g.host_data)) return sim_platform_failure("simulated platform: host_data must be 32 bytes of hex");
    if (!hex_field(j, "chip_id", chip_id)) return sim_platform_failure("simulated platform: chip_id must be 64 bytes of hex");
    if (!hex_field(j, "derivation_secret", keys->derivation_secret))
        return sim_platform_failure("simulated platform: derivation_secret must be 32 bytes of hex");
    auto text_of = [&j](const char* k) { return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : std::string(); };
    keys->vcek_key.reset(read_pem<EVP_PKEY>(text_of("vcek_key"), PEM_read_bio_PrivateKey));
    keys->vcek.reset(read_pem<X509>(text_of("vcek"), PEM_read_bio_X509));
    keys->ask.reset(read_pem<X509>(text_of("ask"), PEM_read_bio_X509));
    keys->ark.reset(read_pem<X509>(text_of("ark"), PEM_read_bio_X509));
    if (!keys->vcek_key || !keys->vcek || !keys->ask || !keys->ark)
        return sim_platform_failure("simulated platform: vcek_key, vcek, ask and ark must be PEM");
    if (X509_check_private_key(keys->vcek.get(), keys->vcek_key.get()) != 1)
        return sim_platform_failure("simulated platform: vcek_key is not the VCEK's key");
    std::unique_ptr<SimulatedSnpPlatform> p(new SimulatedSnpPlatform(std::move(g), std::move(keys)));
    p->chip_id_ = chip_id;
    return p;
}

}  // namespace cvex::attest
