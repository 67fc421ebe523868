#include "vrf/encode_to_curve.hpp"

#include "vrf/src/sha256.hpp"

namespace cvex::vrf {

namespace {
constexpr uint8_t kEncodeToCurveFront = 0x01;  // RFC 9381 §5.4.1.1 step 1: encode_to_curve_domain_separator_front
constexpr uint8_t kEncodeToCurveBack = 0x00;   // step 2: encode_to_curve_domain_separator_back
}  // namespace

std::optional<std::array<uint8_t, 32>> tai_candidate_hash(uint8_t suite, cvex::ByteView salt, cvex::ByteView alpha,
                                                          uint8_t ctr) {
    std::array<uint8_t, 32> out;
    detail::Sha256 h;
    // §5.4.1.1 step 5.B: hash_string = Hash(suite_string || front || encode_to_curve_salt ||
    // alpha_string || ctr_string || back), ctr_string = int_to_string(ctr, 1).
    h.update(suite).update(kEncodeToCurveFront).update(salt).update(alpha).update(ctr).update(kEncodeToCurveBack);
    if (!h.finalize(out)) return std::nullopt;
    return out;
}

template <EcvrfGroup G>
cvex::Expected<HashToCurve<G>, VrfError> encode_to_curve(cvex::ByteView salt, cvex::ByteView alpha) {
    for (unsigned ctr = 0; ctr <= 0xFF; ++ctr) {
        const auto hash = tai_candidate_hash(G::kSuiteString, salt, alpha, static_cast<uint8_t>(ctr));
        if (!hash) return cvex::Unexpected{VrfError::kInternal};
        // §5.5: interpret_hash_value_as_a_point(s) = string_to_point(0x02 || s). It is INVALID
        // when s >= p or no point has that x; string_to_point never yields the identity, so the
        // "H is identity" case of step 5 cannot occur, and the cofactor is 1 (step 5.D).
        PointBytes candidate;
        candidate[0] = 0x02;
        std::copy(hash->begin(), hash->end(), candidate.begin() + 1);
        if (auto point = G::decode(candidate))
            return HashToCurve<G>{std::move(*point), candidate, static_cast<uint8_t>(ctr)};
    }
    return cvex::Unexpected{VrfError::kHashToCurveFailed};
}

template cvex::Expected<HashToCurve<Secp256k1Group>, VrfError> encode_to_curve<Secp256k1Group>(cvex::ByteView,
                                                                                               cvex::ByteView);
template cvex::Expected<HashToCurve<P256Group>, VrfError> encode_to_curve<P256Group>(cvex::ByteView,
                                                                                     cvex::ByteView);

}  // namespace cvex::vrf
