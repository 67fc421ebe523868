// SecretKey: a VRF secret the prover may compute with but nobody can read out. It lends the
// 32-byte scalar to one computation at a time (the pattern of enclave-app's
// KeyCustody::with_secret), so the secret stays in the holder's locked memory:
//   - VrfKey (vrf/vrf_key.hpp) holds it in this process, for development and the CLI;
//   - LentSecret adapts any lender, e.g. a key-custody handle inside the guest:
//       LentSecret key([&](const auto& fn) { return custody.with_secret(handle, fn).has_value(); });
#pragma once

#include <cstdint>
#include <functional>
#include <span>

namespace cvex::vrf {

using SecretUse = std::function<void(std::span<const uint8_t, 32>)>;

class SecretKey {
public:
    virtual ~SecretKey() = default;
    /// Runs `use` with the secret in place; the span is valid only during the call and must not
    /// be copied out. False when the holder cannot lend it (released or unknown handle).
    virtual bool with_secret(const SecretUse& use) const = 0;
};

/// A SecretKey over a lending function, so cvex_vrf needs no dependency on the custody code.
class LentSecret final : public SecretKey {
public:
    using Lender = std::function<bool(const SecretUse&)>;
    explicit LentSecret(Lender lender) : lender_(std::move(lender)) {}
    bool with_secret(const SecretUse& use) const override { return lender_ && lender_(use); }

private:
    Lender lender_;
};

}  // namespace cvex::vrf
