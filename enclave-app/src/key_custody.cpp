#include "enclave-app/key_custody.hpp"

#include <secp256k1.h>
#include <secp256k1_recovery.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <openssl/crypto.h>

#include "chain/keccak.hpp"

namespace cvex::enclave {

using chain::Expected;
using chain::Unexpected;

namespace {

constexpr size_t kSecretSize = 32;

const secp256k1_context* ctx() {
    // One context for the process, randomised against side channels (secp256k1.h: blinding).
    static secp256k1_context* c = [] {
        secp256k1_context* created = secp256k1_context_create(SECP256K1_CONTEXT_SIGN | SECP256K1_CONTEXT_VERIFY);
        unsigned char seed[32];
        if (getrandom(seed, sizeof seed, 0) == static_cast<ssize_t>(sizeof seed)) {
            [[maybe_unused]] const int ok = secp256k1_context_randomize(created, seed);  // blinding is best effort
        }
        OPENSSL_cleanse(seed, sizeof seed);
        return created;
    }();
    return c;
}

}  // namespace

std::string CustodyError::message() const {
    const char* what = "key custody error";
    switch (code) {
        case kNoMemory: what = "cannot map custody memory"; break;
        case kLockFailed: what = "cannot lock custody memory (raise RLIMIT_MEMLOCK / ulimit -l)"; break;
        case kFull: what = "key custody is full"; break;
        case kRandomFailed: what = "the OS random generator failed"; break;
        case kInvalidHandle: what = "invalid or released key handle"; break;
        case kSigningFailed: what = "signing failed"; break;
    }
    return detail.empty() ? what : std::string(what) + ": " + detail;
}

Expected<std::unique_ptr<KeyCustody>, CustodyError> KeyCustody::create(size_t capacity) {
    // No core dumps and no ptrace by unprivileged peers for this process, whatever else happens.
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    const size_t size = (capacity * kSecretSize + page - 1) / page * page;
    void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return Unexpected{CustodyError{CustodyError::kNoMemory, std::strerror(errno)}};
    if (mlock(p, size) != 0) {
        const int e = errno;
        munmap(p, size);
        return Unexpected{CustodyError{CustodyError::kLockFailed, std::strerror(e)}};
    }
    madvise(p, size, MADV_DONTDUMP);  // out of core dumps even if the process is made dumpable again
    madvise(p, size, MADV_DONTFORK);  // and out of any child a fork creates
    return std::unique_ptr<KeyCustody>(new KeyCustody(static_cast<uint8_t*>(p), size, capacity));
}

KeyCustody::KeyCustody(uint8_t* region, size_t region_size, size_t capacity)
    : region_(region), region_size_(region_size), capacity_(capacity), generations_(capacity, 0), in_use_(capacity, false) {}

KeyCustody::~KeyCustody() {
    OPENSSL_cleanse(region_, region_size_);
    munlock(region_, region_size_);
    munmap(region_, region_size_);
}

size_t KeyCustody::keys_held() const {
    std::lock_guard lock(mutex_);
    size_t n = 0;
    for (bool b : in_use_) n += b;
    return n;
}

const uint8_t* KeyCustody::secret_of(KeyHandle h) const {
    if (h.slot >= capacity_ || !in_use_[h.slot] || generations_[h.slot] != h.generation) return nullptr;
    return region_ + static_cast<size_t>(h.slot) * kSecretSize;
}

Expected<KeyHandle, CustodyError> KeyCustody::generate_secp256k1() {
    std::lock_guard lock(mutex_);
    uint32_t slot = 0;
    while (slot < capacity_ && in_use_[slot]) ++slot;
    if (slot == capacity_) return Unexpected{CustodyError{CustodyError::kFull, std::to_string(capacity_) + " keys held"}};
    uint8_t* secret = region_ + static_cast<size_t>(slot) * kSecretSize;
    // Rejection sampling: 32 uniform bytes, retried until they are a valid scalar in [1, n-1].
    for (int tries = 0;; ++tries) {
        if (getrandom(secret, kSecretSize, 0) != static_cast<ssize_t>(kSecretSize)) {
            OPENSSL_cleanse(secret, kSecretSize);
            return Unexpected{CustodyError{CustodyError::kRandomFailed, std::strerror(errno)}};
        }
        if (secp256k1_ec_seckey_verify(ctx(), secret) == 1) break;
        if (tries > 64) return Unexpected{CustodyError{CustodyError::kRandomFailed, "no valid scalar after 64 draws"}};
    }
    in_use_[slot] = true;
    return KeyHandle{slot, ++generations_[slot]};
}

void KeyCustody::release(KeyHandle h) {
    std::lock_guard lock(mutex_);
    if (secret_of(h) == nullptr) return;
    OPENSSL_cleanse(region_ + static_cast<size_t>(h.slot) * kSecretSize, kSecretSize);
    in_use_[h.slot] = false;
}

Expected<std::array<uint8_t, 65>, CustodyError> KeyCustody::public_key(KeyHandle h) const {
    std::lock_guard lock(mutex_);
    const uint8_t* secret = secret_of(h);
    if (secret == nullptr) return Unexpected{CustodyError{CustodyError::kInvalidHandle, ""}};
    secp256k1_pubkey pk;
    if (secp256k1_ec_pubkey_create(ctx(), &pk, secret) != 1) return Unexpected{CustodyError{CustodyError::kSigningFailed, "pubkey"}};
    std::array<uint8_t, 65> out;
    size_t len = out.size();
    secp256k1_ec_pubkey_serialize(ctx(), out.data(), &len, &pk, SECP256K1_EC_UNCOMPRESSED);
    return out;
}

Expected<chain::Address, CustodyError> KeyCustody::address(KeyHandle h) const {
    auto pk = public_key(h);
    if (!pk) return Unexpected{pk.error()};
    const chain::Hash32 hash = chain::keccak256(chain::ByteView(pk->data() + 1, 64));
    chain::Address a;
    std::memcpy(a.bytes.data(), hash.bytes.data() + 12, 20);
    return a;
}

Expected<RecoverableSignature, CustodyError> KeyCustody::sign_digest(KeyHandle h, const chain::Hash32& digest) const {
    std::lock_guard lock(mutex_);
    const uint8_t* secret = secret_of(h);
    if (secret == nullptr) return Unexpected{CustodyError{CustodyError::kInvalidHandle, ""}};
    secp256k1_ecdsa_recoverable_signature sig;
    // Default nonce function: RFC 6979. libsecp256k1 signs low-s (EIP-2) by construction.
    if (secp256k1_ecdsa_sign_recoverable(ctx(), &sig, digest.bytes.data(), secret, nullptr, nullptr) != 1)
        return Unexpected{CustodyError{CustodyError::kSigningFailed, "secp256k1_ecdsa_sign_recoverable"}};
    uint8_t compact[64];
    int recid = 0;
    secp256k1_ecdsa_recoverable_signature_serialize_compact(ctx(), compact, &recid, &sig);
    RecoverableSignature out;
    std::memcpy(out.r.data(), compact, 32);
    std::memcpy(out.s.data(), compact + 32, 32);
    out.y_parity = static_cast<uint8_t>(recid);
    return out;
}

Expected<bool, CustodyError> KeyCustody::with_secret(KeyHandle h, const std::function<void(std::span<const uint8_t, 32>)>& fn) const {
    std::lock_guard lock(mutex_);
    const uint8_t* secret = secret_of(h);
    if (secret == nullptr) return Unexpected{CustodyError{CustodyError::kInvalidHandle, ""}};
    fn(std::span<const uint8_t, 32>(secret, 32));
    return true;
}

}  // namespace cvex::enclave
