#include "enclave-app/sealed_keys.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstring>
#include <memory>

#include "base/secure_memory.hpp"

namespace cvex::enclave {

using cvex::Bytes;
using cvex::ByteView;
using cvex::Expected;
using cvex::Unexpected;

namespace {

constexpr char kMagic[8] = {'C', 'V', 'E', 'X', 'S', 'E', 'A', 'L'};
constexpr size_t kIvSize = 12;   // SP 800-38D §8.2: 96-bit IVs, random construction
constexpr size_t kTagSize = 16;  // the full 128-bit tag
constexpr size_t kKeySize = 32;

struct CtxFree {
    void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }  // cleanses the key schedule
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CtxFree>;

void put_be(Bytes& out, uint64_t v, int n) {
    for (int i = n - 1; i >= 0; --i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

uint64_t get_be(const uint8_t* p, int n) {
    uint64_t v = 0;
    for (int i = 0; i < n; ++i) v = v << 8 | p[i];
    return v;
}

Bytes header_bytes(const attest::DerivedKeyRequest& d, const chain::Address& address, size_t count) {
    Bytes h(kMagic, kMagic + sizeof kMagic);
    put_be(h, kSealVersion, 2);
    put_be(h, d.root_key, 4);
    put_be(h, d.guest_field_select, 8);
    put_be(h, d.vmpl, 4);
    put_be(h, d.guest_svn, 4);
    put_be(h, d.tcb_version, 8);
    h.insert(h.end(), address.bytes.begin(), address.bytes.end());
    h.push_back(static_cast<uint8_t>(count));
    return h;
}

/// The firmware's key, written straight into locked memory at `out`.
Expected<void, SealError> derive_into(attest::AttestationProvider& provider, const attest::DerivedKeyRequest& d, uint8_t* out) {
    auto r = provider.derive_key(d, attest::DerivedKeyOut(out, 32));
    if (r) return {};
    const auto code = r.error().code == attest::ProviderErrc::kUnsupported ? SealError::kNoDerivedKey : SealError::kDerive;
    return Unexpected{SealError{code, r.error().message()}};
}

SealError crypto_error(const char* step) { return {SealError::kCrypto, step}; }

}  // namespace

std::string SealError::message() const {
    const char* what = "sealed keys";
    switch (code) {
        case kNoDerivedKey: what = "the attestation provider has no derived key"; break;
        case kMalformed: what = "not a sealed key blob"; break;
        case kVersion: what = "unsupported sealed key blob version"; break;
        case kDerive: what = "the firmware did not derive the sealing key"; break;
        case kAuthentication:
            what = "the sealed keys do not open here (another measurement, policy or chip, or a tampered blob)";
            break;
        case kAddressMismatch: what = "the sealed keys do not match the address in their header"; break;
        case kCustody: what = "key custody refused the unsealed key"; break;
        case kCrypto: what = "AES-256-GCM failed"; break;
    }
    return detail.empty() ? what : std::string(what) + ": " + detail;
}

Expected<SealedHeader, SealError> parse_sealed_header(ByteView blob) {
    if (blob.size() < sizeof kMagic + 2 || std::memcmp(blob.data(), kMagic, sizeof kMagic) != 0)
        return Unexpected{SealError{SealError::kMalformed, "no CVEXSEAL magic"}};
    SealedHeader h;
    h.version = static_cast<uint16_t>(get_be(blob.data() + 8, 2));
    if (h.version != kSealVersion) return Unexpected{SealError{SealError::kVersion, "version " + std::to_string(h.version)}};
    if (blob.size() < kSealHeaderSize) return Unexpected{SealError{SealError::kMalformed, "truncated header"}};
    const uint8_t* p = blob.data();
    const uint64_t root = get_be(p + 10, 4);
    if (root > attest::DerivedKeyRequest::kVmrk) return Unexpected{SealError{SealError::kMalformed, "root_key_select " + std::to_string(root)}};
    h.derivation.root_key = static_cast<attest::DerivedKeyRequest::RootKey>(root);
    h.derivation.guest_field_select = get_be(p + 14, 8);
    h.derivation.vmpl = static_cast<uint32_t>(get_be(p + 22, 4));
    h.derivation.guest_svn = static_cast<uint32_t>(get_be(p + 26, 4));
    h.derivation.tcb_version = get_be(p + 30, 8);
    std::memcpy(h.address.bytes.data(), p + 38, 20);
    h.key_count = p[58];
    if (h.key_count == 0 || h.key_count > kMaxSealedKeys)
        return Unexpected{SealError{SealError::kMalformed, "key count " + std::to_string(h.key_count)}};
    const size_t want = kSealHeaderSize + kIvSize + kKeySize * h.key_count + kTagSize;
    if (blob.size() != want)
        return Unexpected{SealError{SealError::kMalformed, std::to_string(blob.size()) + " bytes, expected " + std::to_string(want)}};
    return h;
}

Expected<Bytes, SealError> seal_keys(attest::AttestationProvider& provider, const attest::DerivedKeyRequest& derivation, const KeyCustody& custody,
                                     std::span<const KeyHandle> keys) {
    if (keys.empty() || keys.size() > kMaxSealedKeys)
        return Unexpected{SealError{SealError::kMalformed, std::to_string(keys.size()) + " keys (1–8)"}};
    auto address = custody.address(keys[0]);
    if (!address) return Unexpected{SealError{SealError::kCustody, address.error().message()}};
    auto locked = LockedRegion::allocate(kKeySize);
    if (!locked) return Unexpected{SealError{SealError::kCustody, locked.error().message()}};
    if (auto d = derive_into(provider, derivation, locked->data()); !d) return Unexpected{d.error()};

    Bytes blob = header_bytes(derivation, *address, keys.size());
    const size_t aad_len = blob.size();
    blob.resize(aad_len + kIvSize + kKeySize * keys.size() + kTagSize);
    uint8_t* iv = blob.data() + aad_len;
    uint8_t* ct = iv + kIvSize;
    if (RAND_bytes(iv, kIvSize) != 1) return Unexpected{crypto_error("RAND_bytes")};
    CipherCtx ctx(EVP_CIPHER_CTX_new());
    int len = 0;
    bool ok = ctx && EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, locked->data(), iv) == 1 &&
              EVP_EncryptUpdate(ctx.get(), nullptr, &len, blob.data(), static_cast<int>(aad_len)) == 1;
    // Each key is encrypted in place from custody: the plaintext is never copied out.
    for (size_t i = 0; ok && i < keys.size(); ++i) {
        auto used = custody.with_secret(keys[i], [&](std::span<const uint8_t, 32> s) {
            ok = EVP_EncryptUpdate(ctx.get(), ct + kKeySize * i, &len, s.data(), kKeySize) == 1 && len == static_cast<int>(kKeySize);
        });
        if (!used) return Unexpected{SealError{SealError::kCustody, used.error().message()}};
    }
    ok = ok && EVP_EncryptFinal_ex(ctx.get(), ct, &len) == 1 &&
         EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagSize, ct + kKeySize * keys.size()) == 1;
    if (!ok) return Unexpected{crypto_error("encryption")};
    return blob;
}

Expected<std::vector<KeyHandle>, SealError> unseal_keys(attest::AttestationProvider& provider, KeyCustody& custody, ByteView blob) {
    auto header = parse_sealed_header(blob);
    if (!header) return Unexpected{header.error()};
    const size_t n = header->key_count;
    // One locked page: the derived key, then the plaintext keys.
    auto locked = LockedRegion::allocate(kKeySize * (1 + n));
    if (!locked) return Unexpected{SealError{SealError::kCustody, locked.error().message()}};
    if (auto d = derive_into(provider, header->derivation, locked->data()); !d) return Unexpected{d.error()};

    const uint8_t* iv = blob.data() + kSealHeaderSize;
    const uint8_t* ct = iv + kIvSize;
    uint8_t* plain = locked->data() + kKeySize;
    uint8_t tag[kTagSize];
    std::memcpy(tag, ct + kKeySize * n, kTagSize);
    CipherCtx ctx(EVP_CIPHER_CTX_new());
    int len = 0;
    const bool ready = ctx && EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, locked->data(), iv) == 1 &&
                       EVP_DecryptUpdate(ctx.get(), nullptr, &len, blob.data(), static_cast<int>(kSealHeaderSize)) == 1 &&
                       EVP_DecryptUpdate(ctx.get(), plain, &len, ct, static_cast<int>(kKeySize * n)) == 1 &&
                       EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagSize, tag) == 1;
    if (!ready) return Unexpected{crypto_error("decryption")};
    // Trust decision: only an authenticated blob (tag verified under the firmware's key) is used.
    if (EVP_DecryptFinal_ex(ctx.get(), plain + kKeySize * n, &len) != 1) {
        locked->wipe(0, locked->size());
        return Unexpected{SealError{SealError::kAuthentication, "GCM tag mismatch"}};
    }
    std::vector<KeyHandle> handles;
    auto give_back = [&](SealError e) -> Expected<std::vector<KeyHandle>, SealError> {
        for (KeyHandle h : handles) custody.release(h);
        return Unexpected{std::move(e)};
    };
    for (size_t i = 0; i < n; ++i) {
        auto h = custody.import_secp256k1(std::span<const uint8_t, 32>(plain + kKeySize * i, kKeySize));
        if (!h) return give_back(SealError{SealError::kCustody, h.error().message()});
        handles.push_back(*h);
    }
    auto address = custody.address(handles[0]);
    if (!address || *address != header->address)
        return give_back(SealError{SealError::kAddressMismatch, "header says " + header->address.checksum_hex()});
    return handles;  // `locked` wipes itself
}

}  // namespace cvex::enclave
