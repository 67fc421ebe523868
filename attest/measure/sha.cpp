#include "attest/measure/sha.hpp"

#include <openssl/evp.h>

namespace cvex::attest::measure {
namespace {

// Fetched once: OpenSSL 3 otherwise looks the algorithm up again on every EVP_Digest call,
// which costs more than hashing a 112-byte PAGE_INFO.
const EVP_MD* md_sha256() {
    static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return md;
}
const EVP_MD* md_sha384() {
    static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA384", nullptr);
    return md;
}

bool digest(const EVP_MD* md, std::span<const uint8_t> in, uint8_t* out) {
    return md != nullptr && EVP_Digest(in.data(), in.size(), out, nullptr, md, nullptr) == 1;
}

}  // namespace

bool sha256(std::span<const uint8_t> in, Sha256Digest& out) { return digest(md_sha256(), in, out.data()); }
bool sha384(std::span<const uint8_t> in, Sha384Digest& out) { return digest(md_sha384(), in, out.data()); }

void StreamingHash::Free::operator()(void* ctx) const { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx)); }

StreamingHash::StreamingHash(Algorithm a) : ctx_(EVP_MD_CTX_new()) {
    const EVP_MD* md = a == Algorithm::kSha256 ? md_sha256() : md_sha384();
    ok_ = ctx_ && md != nullptr && EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(ctx_.get()), md, nullptr) == 1;
}

void StreamingHash::update(std::span<const uint8_t> data) {
    if (ok_) ok_ = EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_.get()), data.data(), data.size()) == 1;
}

void StreamingHash::finish(std::span<uint8_t> out) {
    auto* ctx = static_cast<EVP_MD_CTX*>(ctx_.get());
    if (ok_) ok_ = out.size() >= static_cast<size_t>(EVP_MD_CTX_get_size(ctx)) && EVP_DigestFinal_ex(ctx, out.data(), nullptr) == 1;
}

}  // namespace cvex::attest::measure
