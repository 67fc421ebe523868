#include "enclave-app/key_custody.hpp"

#include <secp256k1.h>
#include <sys/random.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "chain/crypto/secp256k1_context.hpp"

namespace cvex::enclave {

using cvex::Expected;
using cvex::Unexpected;

namespace {
constexpr size_t kSecretSize = 32;
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
        case kInvalidKey: what = "not a valid secp256k1 secret key"; break;
    }
    return detail.empty() ? what : std::string(what) + ": " + detail;
}

Expected<std::unique_ptr<KeyCustody>, CustodyError> KeyCustody::create(size_t capacity) {
    auto region = cvex::LockedRegion::allocate(capacity * kSecretSize);
    if (!region) return Unexpected{CustodyError{CustodyError::kLockFailed, region.error().message()}};
    return std::unique_ptr<KeyCustody>(new KeyCustody(std::move(*region), capacity));
}

KeyCustody::KeyCustody(cvex::LockedRegion region, size_t capacity)
    : region_(std::move(region)), capacity_(capacity), generations_(capacity, 0), in_use_(capacity, false) {}

KeyCustody::~KeyCustody() = default;  // the region wipes itself

size_t KeyCustody::keys_held() const {
    std::lock_guard lock(mutex_);
    size_t n = 0;
    for (bool b : in_use_) n += b;
    return n;
}

const uint8_t* KeyCustody::secret_of(KeyHandle h) const {
    if (h.slot >= capacity_ || !in_use_[h.slot] || generations_[h.slot] != h.generation) return nullptr;
    return region_.data() + static_cast<size_t>(h.slot) * kSecretSize;
}

Expected<KeyHandle, CustodyError> KeyCustody::generate_secp256k1() {
    std::lock_guard lock(mutex_);
    const auto free = free_slot();
    if (!free) return Unexpected{CustodyError{CustodyError::kFull, std::to_string(capacity_) + " keys held"}};
    const uint32_t slot = *free;
    uint8_t* secret = region_.data() + static_cast<size_t>(slot) * kSecretSize;
    // Rejection sampling: 32 uniform bytes, retried until they are a valid scalar in [1, n-1].
    for (int tries = 0;; ++tries) {
        if (getrandom(secret, kSecretSize, 0) != static_cast<ssize_t>(kSecretSize)) {
            region_.wipe(static_cast<size_t>(slot) * kSecretSize, kSecretSize);
            return Unexpected{CustodyError{CustodyError::kRandomFailed, std::strerror(errno)}};
        }
        if (secp256k1_ec_seckey_verify(chain::secp256k1_ctx(), secret) == 1) break;
        if (tries > 64) return Unexpected{CustodyError{CustodyError::kRandomFailed, "no valid scalar after 64 draws"}};
    }
    in_use_[slot] = true;
    return KeyHandle{slot, ++generations_[slot]};
}

std::optional<uint32_t> KeyCustody::free_slot() const {
    for (uint32_t slot = 0; slot < capacity_; ++slot)
        if (!in_use_[slot]) return slot;
    return std::nullopt;
}

Expected<KeyHandle, CustodyError> KeyCustody::import_secp256k1(std::span<const uint8_t, 32> secret) {
    if (secp256k1_ec_seckey_verify(chain::secp256k1_ctx(), secret.data()) != 1)
        return Unexpected{CustodyError{CustodyError::kInvalidKey, "not a scalar in [1, n-1]"}};
    std::lock_guard lock(mutex_);
    const auto free = free_slot();
    if (!free) return Unexpected{CustodyError{CustodyError::kFull, std::to_string(capacity_) + " keys held"}};
    std::memcpy(region_.data() + static_cast<size_t>(*free) * kSecretSize, secret.data(), kSecretSize);
    in_use_[*free] = true;
    return KeyHandle{*free, ++generations_[*free]};
}

void KeyCustody::release(KeyHandle h) {
    std::lock_guard lock(mutex_);
    if (secret_of(h) == nullptr) return;
    region_.wipe(static_cast<size_t>(h.slot) * kSecretSize, kSecretSize);
    in_use_[h.slot] = false;
}

Expected<std::array<uint8_t, 65>, CustodyError> KeyCustody::public_key(KeyHandle h) const {
    std::lock_guard lock(mutex_);
    const uint8_t* secret = secret_of(h);
    if (secret == nullptr) return Unexpected{CustodyError{CustodyError::kInvalidHandle, ""}};
    const auto pk = chain::public_key_of_secret(secret);
    if (!pk) return Unexpected{CustodyError{CustodyError::kSigningFailed, "public key"}};
    return *pk;
}

Expected<chain::Address, CustodyError> KeyCustody::address(KeyHandle h) const {
    auto pk = public_key(h);
    if (!pk) return Unexpected{pk.error()};
    return chain::address_of(*pk);
}

Expected<chain::Signature, CustodyError> KeyCustody::sign_digest(KeyHandle h, const chain::Hash32& digest) const {
    std::lock_guard lock(mutex_);
    const uint8_t* secret = secret_of(h);
    if (secret == nullptr) return Unexpected{CustodyError{CustodyError::kInvalidHandle, ""}};
    auto sig = chain::sign_with_secret(secret, digest);
    if (!sig) return Unexpected{CustodyError{CustodyError::kSigningFailed, sig.error().message()}};
    return *sig;
}

Expected<void, CustodyError> KeyCustody::with_secret(KeyHandle h, const std::function<void(std::span<const uint8_t, 32>)>& fn) const {
    std::lock_guard lock(mutex_);
    const uint8_t* secret = secret_of(h);
    if (secret == nullptr) return Unexpected{CustodyError{CustodyError::kInvalidHandle, ""}};
    fn(std::span<const uint8_t, 32>(secret, 32));
    return {};
}

}  // namespace cvex::enclave

namespace cvex::enclave {

Expected<CustodySigner, CustodyError> CustodySigner::create(const KeyCustody& custody, KeyHandle handle) {
    auto address = custody.address(handle);
    if (!address) return Unexpected{address.error()};
    return CustodySigner(custody, handle, *address);
}

Expected<chain::Signature, chain::SignError> CustodySigner::sign_digest(const chain::Hash32& digest) const {
    auto sig = custody_->sign_digest(handle_, digest);
    if (!sig) return Unexpected{chain::SignError{sig.error().message()}};
    return *sig;
}

}  // namespace cvex::enclave
