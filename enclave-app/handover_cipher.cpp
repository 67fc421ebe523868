#include "enclave-app/handover_cipher.hpp"

#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>
#include <secp256k1.h>
#include <secp256k1_ecdh.h>

#include <cstring>
#include <memory>

#include "base/secure_memory.hpp"
#include "chain/crypto/secp256k1_context.hpp"

namespace cvex::enclave {

using cvex::Bytes;
using cvex::Expected;
using cvex::Unexpected;

namespace {

constexpr size_t kPointSize = 33, kIvSize = 12, kTagSize = 16, kKeySize = 32, kMaxKeys = 8;
constexpr size_t kHeaderSize = 1 + kPointSize + kIvSize;
constexpr char kInfo[] = "cvex key handover v1";

struct CtxFree {
    void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};

Bytes info_for(const chain::Hash32& key_set, const chain::Address& recipient) {
    Bytes info(sizeof kInfo - 1 + 32 + 20);
    std::memcpy(info.data(), kInfo, sizeof kInfo - 1);
    std::memcpy(info.data() + sizeof kInfo - 1, key_set.bytes.data(), 32);
    std::memcpy(info.data() + sizeof kInfo - 1 + 32, recipient.bytes.data(), 20);
    return info;
}

Bytes aad_for(const chain::Hash32& key_set, const chain::Address& recipient, size_t n) {
    Bytes aad(1 + 32 + 20 + 1);
    aad[0] = kHandoverVersion;
    std::memcpy(aad.data() + 1, key_set.bytes.data(), 32);
    std::memcpy(aad.data() + 33, recipient.bytes.data(), 20);
    aad[53] = static_cast<uint8_t>(n);
    return aad;
}

/// HKDF-SHA256 (RFC 5869) of the ECDH secret into the AES-256-GCM key, both in locked memory.
bool derive_aes_key(const uint8_t* shared, const uint8_t* ephemeral33, const Bytes& info, uint8_t* out) {
    EVP_PKEY_CTX* p = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, nullptr);
    size_t len = kKeySize;
    const bool ok = p && EVP_PKEY_derive_init(p) > 0 && EVP_PKEY_CTX_set_hkdf_md(p, EVP_sha256()) > 0 &&
                    EVP_PKEY_CTX_set1_hkdf_salt(p, ephemeral33, kPointSize) > 0 && EVP_PKEY_CTX_set1_hkdf_key(p, shared, kKeySize) > 0 &&
                    EVP_PKEY_CTX_add1_hkdf_info(p, info.data(), static_cast<int>(info.size())) > 0 && EVP_PKEY_derive(p, out, &len) > 0 &&
                    len == kKeySize;
    EVP_PKEY_CTX_free(p);  // cleanses the key material it copied
    return ok;
}

/// secp256k1_ecdh of the secret held in custody with `point`, into `shared` (locked).
Expected<void, HandoverError> ecdh(const KeyCustody& custody, KeyHandle secret, const secp256k1_pubkey& point, uint8_t* shared) {
    bool ok = false;
    auto used = custody.with_secret(secret, [&](std::span<const uint8_t, 32> s) {
        ok = secp256k1_ecdh(chain::secp256k1_ctx(), shared, &point, s.data(), nullptr, nullptr) == 1;
    });
    if (!used) return Unexpected{HandoverError{HandoverError::kCustody, used.error().message()}};
    if (!ok) return Unexpected{HandoverError{HandoverError::kCrypto, "ECDH"}};
    return {};
}

}  // namespace

std::string HandoverError::message() const {
    const char* what = "key handover";
    switch (code) {
        case kInvalidKey: what = "the transport key is not a secp256k1 point"; break;
        case kMalformed: what = "not a key handover envelope"; break;
        case kAuthentication: what = "the key handover envelope does not open (another recipient or key set, or tampered)"; break;
        case kCustody: what = "key custody refused a key"; break;
        case kCrypto: what = "handover cryptography failed"; break;
    }
    return detail.empty() ? what : std::string(what) + ": " + detail;
}

Expected<Bytes, HandoverError> encrypt_key_set(std::span<const uint8_t, 64> transport_xy, const chain::Hash32& key_set,
                                               const chain::Address& recipient, KeyCustody& custody, std::span<const KeyHandle> keys) {
    if (keys.empty() || keys.size() > kMaxKeys) return Unexpected{HandoverError{HandoverError::kMalformed, "1–8 keys"}};
    uint8_t uncompressed[65] = {0x04};
    std::memcpy(uncompressed + 1, transport_xy.data(), 64);
    secp256k1_pubkey point;
    if (secp256k1_ec_pubkey_parse(chain::secp256k1_ctx(), &point, uncompressed, sizeof uncompressed) != 1)
        return Unexpected{HandoverError{HandoverError::kInvalidKey, ""}};
    auto ephemeral = custody.generate_secp256k1();
    if (!ephemeral) return Unexpected{HandoverError{HandoverError::kCustody, ephemeral.error().message()}};
    struct Release {
        KeyCustody& c;
        KeyHandle h;
        ~Release() { c.release(h); }  // the ephemeral key is used once
    } release{custody, *ephemeral};
    auto pub = custody.public_key(*ephemeral);
    if (!pub) return Unexpected{HandoverError{HandoverError::kCustody, pub.error().message()}};

    Bytes out(kHeaderSize + kKeySize * keys.size() + kTagSize);
    out[0] = kHandoverVersion;
    out[1] = ((*pub)[64] & 1) ? 0x03 : 0x02;
    std::memcpy(out.data() + 2, pub->data() + 1, 32);
    uint8_t* iv = out.data() + 1 + kPointSize;
    uint8_t* ct = iv + kIvSize;
    auto locked = cvex::LockedRegion::allocate(2 * kKeySize);
    if (!locked) return Unexpected{HandoverError{HandoverError::kCustody, locked.error().message()}};
    if (auto e = ecdh(custody, *ephemeral, point, locked->data()); !e) return Unexpected{e.error()};
    uint8_t* aes = locked->data() + kKeySize;
    if (!derive_aes_key(locked->data(), out.data() + 1, info_for(key_set, recipient), aes) || RAND_bytes(iv, kIvSize) != 1)
        return Unexpected{HandoverError{HandoverError::kCrypto, "HKDF"}};

    std::unique_ptr<EVP_CIPHER_CTX, CtxFree> ctx(EVP_CIPHER_CTX_new());
    const Bytes aad = aad_for(key_set, recipient, keys.size());
    int len = 0;
    bool ok = ctx && EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, aes, iv) == 1 &&
              EVP_EncryptUpdate(ctx.get(), nullptr, &len, aad.data(), static_cast<int>(aad.size())) == 1;
    for (size_t i = 0; ok && i < keys.size(); ++i) {
        auto used = custody.with_secret(keys[i], [&](std::span<const uint8_t, 32> s) {
            ok = EVP_EncryptUpdate(ctx.get(), ct + kKeySize * i, &len, s.data(), kKeySize) == 1;
        });
        if (!used) return Unexpected{HandoverError{HandoverError::kCustody, used.error().message()}};
    }
    ok = ok && EVP_EncryptFinal_ex(ctx.get(), ct, &len) == 1 &&
         EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagSize, ct + kKeySize * keys.size()) == 1;
    if (!ok) return Unexpected{HandoverError{HandoverError::kCrypto, "AES-256-GCM"}};
    return out;
}

Expected<std::vector<KeyHandle>, HandoverError> decrypt_key_set(KeyCustody& custody, KeyHandle transport_key, const chain::Hash32& key_set,
                                                                const chain::Address& recipient, cvex::ByteView envelope) {
    if (envelope.size() < kHeaderSize + kKeySize + kTagSize || envelope[0] != kHandoverVersion ||
        (envelope.size() - kHeaderSize - kTagSize) % kKeySize != 0)
        return Unexpected{HandoverError{HandoverError::kMalformed, std::to_string(envelope.size()) + " bytes"}};
    const size_t n = (envelope.size() - kHeaderSize - kTagSize) / kKeySize;
    if (n > kMaxKeys) return Unexpected{HandoverError{HandoverError::kMalformed, std::to_string(n) + " keys"}};
    secp256k1_pubkey ephemeral;
    if (secp256k1_ec_pubkey_parse(chain::secp256k1_ctx(), &ephemeral, envelope.data() + 1, kPointSize) != 1)
        return Unexpected{HandoverError{HandoverError::kMalformed, "the ephemeral key is not a point"}};
    auto locked = cvex::LockedRegion::allocate(kKeySize * (2 + n));
    if (!locked) return Unexpected{HandoverError{HandoverError::kCustody, locked.error().message()}};
    if (auto e = ecdh(custody, transport_key, ephemeral, locked->data()); !e) return Unexpected{e.error()};
    uint8_t* aes = locked->data() + kKeySize;
    uint8_t* plain = aes + kKeySize;
    if (!derive_aes_key(locked->data(), envelope.data() + 1, info_for(key_set, recipient), aes))
        return Unexpected{HandoverError{HandoverError::kCrypto, "HKDF"}};

    const uint8_t* iv = envelope.data() + 1 + kPointSize;
    const uint8_t* ct = iv + kIvSize;
    uint8_t tag[kTagSize];
    std::memcpy(tag, ct + kKeySize * n, kTagSize);
    std::unique_ptr<EVP_CIPHER_CTX, CtxFree> ctx(EVP_CIPHER_CTX_new());
    const Bytes aad = aad_for(key_set, recipient, n);
    int len = 0;
    const bool ready = ctx && EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, aes, iv) == 1 &&
                       EVP_DecryptUpdate(ctx.get(), nullptr, &len, aad.data(), static_cast<int>(aad.size())) == 1 &&
                       EVP_DecryptUpdate(ctx.get(), plain, &len, ct, static_cast<int>(kKeySize * n)) == 1 &&
                       EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagSize, tag) == 1;
    if (!ready) return Unexpected{HandoverError{HandoverError::kCrypto, "AES-256-GCM"}};
    // Trust decision: only an envelope that authenticates for this recipient and key set is used.
    if (EVP_DecryptFinal_ex(ctx.get(), plain + kKeySize * n, &len) != 1) {
        locked->wipe(0, locked->size());
        return Unexpected{HandoverError{HandoverError::kAuthentication, "GCM tag mismatch"}};
    }
    std::vector<KeyHandle> handles;
    for (size_t i = 0; i < n; ++i) {
        auto h = custody.import_secp256k1(std::span<const uint8_t, 32>(plain + kKeySize * i, kKeySize));
        if (!h) {
            for (KeyHandle k : handles) custody.release(k);
            return Unexpected{HandoverError{HandoverError::kCustody, h.error().message()}};
        }
        handles.push_back(*h);
    }
    return handles;  // `locked` wipes itself
}

}  // namespace cvex::enclave
