#include "vrf/error.hpp"

namespace cvex::vrf {

const char* to_string(VrfError e) {
    switch (e) {
        case VrfError::kBadPublicKey:
            return "public key: not a valid compressed point (33 bytes, prefix 0x02/0x03, x below p, on the curve)";
        case VrfError::kBadProofLength: return "proof: not 81 bytes (Gamma 33 || c 16 || s 32)";
        case VrfError::kBadGamma: return "proof: Gamma (bytes 0..32) is not a valid compressed point";
        case VrfError::kScalarOutOfRange: return "proof: s (bytes 49..80) is not below the group order";
        case VrfError::kHashToCurveFailed: return "encode_to_curve: no curve point for any counter 0..255";
        case VrfError::kIdentityPoint: return "proof: U or V is the identity point";
        case VrfError::kProofMismatch: return "proof: recomputed challenge differs from c (bytes 33..48)";
        case VrfError::kNoSecret: return "secret key: its holder did not lend it (released or unknown handle)";
        case VrfError::kBadSecretKey: return "secret key: zero or not below the group order";
        case VrfError::kNoMemory: return "cannot lock memory for the prover's secret intermediates";
        case VrfError::kInternal: return "a cryptographic library call failed";
    }
    return "ECVRF error";
}

}  // namespace cvex::vrf
