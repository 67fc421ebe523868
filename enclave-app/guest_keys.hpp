// A guest's key set at boot: unsealed from the host's state directory when this very guest
// (same measurement and policy, same chip, no TCB rollback) sealed it there before; otherwise
// generated fresh in custody and sealed for the next boot.
//
// The host owns the state directory: it may delete the blob, replay an older one, or tamper
// with it. A blob that does not open is moved aside (never deleted: the operator may want it on
// the machine it belongs to) and the guest starts with fresh keys, saying so. A replayed older
// blob brings back an older key set, which is harmless: nonces come from the chain, and the
// oracle resyncs its pending requests from the coordinator.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "base/expected.hpp"
#include "attest/provider/attestation_provider.hpp"
#include "enclave-app/guest_error.hpp"
#include "enclave-app/key_custody.hpp"

namespace cvex::enclave {

constexpr const char* kSealedKeysFile = "keys.sealed";

struct GuestKeys {
    KeyHandle eth;  // the guest's Ethereum signing key
    KeyHandle vrf;  // its VRF proving key
    enum class Origin { kUnsealed, kGenerated, kHandedOver } origin = Origin::kGenerated;
    bool sealed = false;  // a blob now in the state directory holds these keys
};

std::string_view to_string(GuestKeys::Origin origin);

/// Unseals `<state_dir>/keys.sealed` or generates (and seals) a fresh key set. Without a state
/// directory, or with a provider that has no derived key (configfs-tsm), keys are generated and
/// not sealed. Fails only when custody or the OS random generator fails.
Expected<GuestKeys, GuestError> restore_or_generate_keys(attest::AttestationProvider& provider, KeyCustody& custody,
                                                                 const std::optional<std::string>& state_dir,
                                                                 const std::function<void(const std::string&)>& log);

/// Seals `eth` and `vrf` into `<state_dir>/keys.sealed` in place of the blob there (after a
/// handover brought another VRF key), bound to the platform's current TCB.
Expected<void, GuestError> seal_key_set(attest::AttestationProvider& provider, KeyCustody& custody, const std::string& state_dir,
                                         KeyHandle eth, KeyHandle vrf);

}  // namespace cvex::enclave
