// Why an ECVRF operation refused its input: one code per RFC 9381 check, each naming the field
// (and its byte range in the 81-byte proof) so a caller can tell a bad key from a bad proof.
#pragma once

namespace cvex::vrf {

enum class VrfError {
    kBadPublicKey,       // PK_string is not a valid compressed point (§5.3 steps 1–3, §5.4.5)
    kBadProofLength,     // pi_string is not ptLen + cLen + qLen = 81 bytes (§5.4.4 step 1)
    kBadGamma,           // Gamma, proof bytes [0, 33), is not a valid compressed point (§5.4.4 step 5)
    kScalarOutOfRange,   // s, proof bytes [49, 81), is not below the group order q (§5.4.4 step 6)
    kHashToCurveFailed,  // encode_to_curve found no point for any ctr in 0..255 (§5.4.1.1)
    kIdentityPoint,      // U or V is the identity, which an honest proof never yields (k != 0, H != O)
    kProofMismatch,      // the recomputed challenge differs from c, proof bytes [33, 49) (§5.3 step 10)
    kNoSecret,           // the secret's holder did not lend it (a released custody handle)
    kBadSecretKey,       // the secret is zero or not below q
    kNoMemory,           // no locked memory for the prover's secret intermediates
    kInternal,           // a cryptographic library call failed (allocation)
};

/// A one-line description that names the offending field; never contains key material.
const char* to_string(VrfError e);

/// True for the errors RFC 9381 verify reports as INVALID about the proof itself (as opposed to
/// an unusable public key or a local failure).
inline bool is_invalid_proof(VrfError e) {
    return e == VrfError::kBadProofLength || e == VrfError::kBadGamma || e == VrfError::kScalarOutOfRange ||
           e == VrfError::kIdentityPoint || e == VrfError::kProofMismatch;
}

}  // namespace cvex::vrf
