#include "vrf/src/sha256.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

namespace cvex::vrf::detail {

namespace {

const EVP_MD* sha256_md() {
    static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return md;
}

EVP_MAC* hmac_mac() {
    static EVP_MAC* const mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    return mac;
}

}  // namespace

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
    ok_ = ctx_ != nullptr && sha256_md() != nullptr && EVP_DigestInit_ex2(ctx_, sha256_md(), nullptr) == 1;
}

Sha256::~Sha256() { EVP_MD_CTX_free(ctx_); }

Sha256& Sha256::update(cvex::ByteView data) {
    if (ok_ && !data.empty()) ok_ = EVP_DigestUpdate(ctx_, data.data(), data.size()) == 1;
    return *this;
}

bool Sha256::finalize(std::span<uint8_t, 32> out) {
    unsigned int len = 0;
    ok_ = ok_ && EVP_DigestFinal_ex(ctx_, out.data(), &len) == 1 && len == out.size();
    const bool ok = ok_;
    ok_ = false;
    return ok;
}

HmacSha256::HmacSha256() : ctx_(hmac_mac() ? EVP_MAC_CTX_new(hmac_mac()) : nullptr) {
    if (ctx_ == nullptr) return;
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                 OSSL_PARAM_construct_end()};
    if (EVP_MAC_CTX_set_params(ctx_, params) != 1) {
        EVP_MAC_CTX_free(ctx_);
        ctx_ = nullptr;
    }
}

HmacSha256::~HmacSha256() { EVP_MAC_CTX_free(ctx_); }

bool HmacSha256::init(std::span<const uint8_t, 32> key) {
    return ctx_ != nullptr && EVP_MAC_init(ctx_, key.data(), key.size(), nullptr) == 1;
}

bool HmacSha256::update(cvex::ByteView data) {
    return ctx_ != nullptr && (data.empty() || EVP_MAC_update(ctx_, data.data(), data.size()) == 1);
}

bool HmacSha256::finalize(std::span<uint8_t, 32> out) {
    size_t len = 0;
    return ctx_ != nullptr && EVP_MAC_final(ctx_, out.data(), &len, out.size()) == 1 && len == out.size();
}

}  // namespace cvex::vrf::detail
