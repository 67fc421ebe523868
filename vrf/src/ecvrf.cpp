#include "vrf/ecvrf.hpp"

#include <algorithm>
#include <cstring>

#include "vrf/nonce.hpp"
#include "vrf/src/scalar_bytes.hpp"
#include "vrf/src/secret_scratch.hpp"
#include "vrf/src/sha256.hpp"

namespace cvex::vrf {

namespace {

constexpr uint8_t kChallengeFront = 0x02;   // §5.4.3 step 1: challenge_generation_domain_separator_front
constexpr uint8_t kChallengeBack = 0x00;    // step 4: challenge_generation_domain_separator_back
constexpr uint8_t kProofToHashFront = 0x03;  // §5.2 step 4: proof_to_hash_domain_separator_front
constexpr uint8_t kProofToHashBack = 0x00;   // step 5: proof_to_hash_domain_separator_back

constexpr size_t kGammaOffset = 0, kCOffset = kPtLen, kSOffset = kPtLen + kCLen;

std::optional<chain::Hash32> hash_gamma(uint8_t suite, const PointBytes& gamma_string) {
    chain::Hash32 beta;
    detail::Sha256 h;
    h.update(suite).update(kProofToHashFront).update(gamma_string).update(kProofToHashBack);
    if (!h.finalize(beta.bytes)) return std::nullopt;
    return beta;
}

// For public values only (s, read from a proof); secrets use detail::ct_in_scalar_range.
bool below(ScalarView a, const Scalar& q) { return std::lexicographical_compare(a.begin(), a.end(), q.begin(), q.end()); }

// s·P1 − c·P2: U = s·B − c·Y (P1 = B when `p1` is null) and V = s·H − c·Gamma (§5.3 steps 7–8).
template <EcvrfGroup G>
cvex::Expected<PointBytes, VrfError> combine(const typename G::Point* p1, ScalarView s, const typename G::Point& p2,
                                              ScalarView c) {
    auto sp = p1 ? G::mul(*p1, s) : G::mul_base(s);
    auto cp = G::mul(p2, c);
    if (!sp || !cp) return cvex::Unexpected{VrfError::kInternal};
    auto r = G::sub(*sp, *cp);
    if (!r) return cvex::Unexpected{VrfError::kInternal};
    if (G::is_identity(*r)) return cvex::Unexpected{VrfError::kIdentityPoint};
    auto enc = G::encode(*r);
    if (!enc) return cvex::Unexpected{VrfError::kInternal};
    return *enc;
}

// §5.1 steps 4–9 with the secret lent: everything derived from x stays in locked scratch.
template <EcvrfGroup G>
cvex::Expected<ProveResult, VrfError> prove_with(const PointBytes& pk_string, const HashToCurve<G>& h, ScalarView x) {
    if (!detail::ct_in_scalar_range(x, G::order())) return cvex::Unexpected{VrfError::kBadSecretKey};
    // 4. Gamma = x·H (constant time in x).
    auto gamma = G::mul(h.point, x);
    if (!gamma) return cvex::Unexpected{VrfError::kInternal};
    auto gamma_string = G::encode(*gamma);
    if (!gamma_string) return cvex::Unexpected{VrfError::kInternal};

    auto k_mem = detail::ScratchBytes::take(32);
    auto s_mem = detail::ScratchBytes::take(32);
    if (!k_mem || !s_mem) return cvex::Unexpected{VrfError::kNoMemory};
    const std::span<uint8_t, 32> k = k_mem->first<32>();
    // 5. k = ECVRF_nonce_generation(SK, h_string).
    if (!generate_nonce<G>(x, h.encoded, k)) return cvex::Unexpected{VrfError::kInternal};
    // 6. c = ECVRF_challenge_generation(Y, H, Gamma, k·B, k·H).
    auto kb = G::mul_base(k);
    auto kh = G::mul(h.point, k);
    if (!kb || !kh) return cvex::Unexpected{VrfError::kInternal};
    auto kb_string = G::encode(*kb);
    auto kh_string = G::encode(*kh);
    if (!kb_string || !kh_string) return cvex::Unexpected{VrfError::kInternal};
    auto c = challenge(G::kSuiteString, pk_string, h.encoded, *gamma_string, *kb_string, *kh_string);
    if (!c) return cvex::Unexpected{VrfError::kInternal};
    Scalar c_scalar{};
    std::copy(c->begin(), c->end(), c_scalar.begin() + (kQLen - kCLen));
    // 7. s = (k + c·x) mod q.
    const std::span<uint8_t, 32> s = s_mem->first<32>();
    if (!G::scalar_mul_add(k, c_scalar, x, s)) return cvex::Unexpected{VrfError::kInternal};

    // 8. pi_string = point_to_string(Gamma) || int_to_string(c, cLen) || int_to_string(s, qLen).
    ProveResult out;
    std::copy(gamma_string->begin(), gamma_string->end(), out.pi.begin() + kGammaOffset);
    std::copy(c->begin(), c->end(), out.pi.begin() + kCOffset);
    std::copy(s.begin(), s.end(), out.pi.begin() + kSOffset);
    auto beta = hash_gamma(G::kSuiteString, *gamma_string);
    if (!beta) return cvex::Unexpected{VrfError::kInternal};
    out.beta = *beta;
    return out;
}

}  // namespace

std::optional<Challenge> challenge(uint8_t suite, const PointBytes& p1, const PointBytes& p2, const PointBytes& p3,
                                   const PointBytes& p4, const PointBytes& p5) {
    // §5.4.3 steps 1–5: str = suite || 0x02 || P1..P5 (point_to_string each) || 0x00.
    detail::Digest digest;
    detail::Sha256 h;
    h.update(suite).update(kChallengeFront).update(p1).update(p2).update(p3).update(p4).update(p5).update(kChallengeBack);
    if (!h.finalize(digest)) return std::nullopt;
    // Steps 6–7: c_string = the first cLen bytes; c = string_to_int(truncated_c_string).
    Challenge c;
    std::copy_n(digest.begin(), kCLen, c.begin());
    return c;
}

template <EcvrfGroup G>
cvex::Expected<DecodedProof<G>, VrfError> decode_proof(cvex::ByteView pi) {
    if (pi.size() != kProofLen) return cvex::Unexpected{VrfError::kBadProofLength};
    // Steps 2–4 split pi; step 5: Gamma = string_to_point(gamma_string), INVALID if it fails.
    auto gamma = G::decode(pi.subspan(kGammaOffset, kPtLen));
    if (!gamma) return cvex::Unexpected{VrfError::kBadGamma};
    DecodedProof<G> d{std::move(*gamma), {}, {}, {}};
    std::copy_n(pi.begin() + kGammaOffset, kPtLen, d.gamma_string.begin());
    std::copy_n(pi.begin() + kCOffset, kCLen, d.c.begin());
    std::copy_n(pi.begin() + kSOffset, kQLen, d.s.begin());
    // Step 6: s must be below q (a larger s would make proofs malleable).
    if (!below(d.s, G::order())) return cvex::Unexpected{VrfError::kScalarOutOfRange};
    return d;
}

template <EcvrfGroup G>
cvex::Expected<chain::Hash32, VrfError> proof_to_hash(cvex::ByteView pi) {
    auto d = decode_proof<G>(pi);
    if (!d) return cvex::Unexpected{d.error()};
    auto beta = hash_gamma(G::kSuiteString, d->gamma_string);
    if (!beta) return cvex::Unexpected{VrfError::kInternal};
    return *beta;
}

template <EcvrfGroup G>
cvex::Expected<ProveResult, VrfError> prove(const PointBytes& public_key, const SecretKey& secret,
                                             cvex::ByteView alpha) {
    // 1.–3. H = ECVRF_encode_to_curve(encode_to_curve_salt = PK_string, alpha); public work,
    // done before the secret is touched.
    auto h = encode_to_curve<G>(public_key, alpha);
    if (!h) return cvex::Unexpected{h.error()};
    cvex::Expected<ProveResult, VrfError> result = cvex::Unexpected{VrfError::kNoSecret};
    const bool lent = secret.with_secret([&](std::span<const uint8_t, 32> x) { result = prove_with<G>(public_key, *h, x); });
    if (!lent) return cvex::Unexpected{VrfError::kNoSecret};
    return result;
}

template <EcvrfGroup G>
cvex::Expected<chain::Hash32, VrfError> verify(cvex::ByteView public_key, cvex::ByteView alpha, cvex::ByteView pi) {
    // 1.–3. Y = string_to_point(PK_string), validated (see the header).
    auto y = G::decode(public_key);
    if (!y) return cvex::Unexpected{VrfError::kBadPublicKey};
    // 4.–5. D = ECVRF_decode_proof(pi_string).
    auto d = decode_proof<G>(pi);
    if (!d) return cvex::Unexpected{d.error()};
    // 6. H = ECVRF_encode_to_curve(PK_string, alpha_string).
    auto h = encode_to_curve<G>(public_key, alpha);
    if (!h) return cvex::Unexpected{h.error()};
    // 7.–8. U = s·B − c·Y, V = s·H − c·Gamma.
    const Scalar c = d->c_scalar();
    auto u = combine<G>(nullptr, d->s, *y, c);
    if (!u) return cvex::Unexpected{u.error()};
    auto v = combine<G>(&h->point, d->s, d->gamma, c);
    if (!v) return cvex::Unexpected{v.error()};
    // 9.–10. c' = ECVRF_challenge_generation(Y, H, Gamma, U, V); valid iff c = c'.
    PointBytes y_string;
    std::copy(public_key.begin(), public_key.end(), y_string.begin());
    auto c_prime = challenge(G::kSuiteString, y_string, h->encoded, d->gamma_string, *u, *v);
    if (!c_prime) return cvex::Unexpected{VrfError::kInternal};
    if (*c_prime != d->c) return cvex::Unexpected{VrfError::kProofMismatch};
    auto beta = hash_gamma(G::kSuiteString, d->gamma_string);
    if (!beta) return cvex::Unexpected{VrfError::kInternal};
    return *beta;
}

#define CVEX_VRF_INSTANTIATE(G)                                                                                \
    template cvex::Expected<DecodedProof<G>, VrfError> decode_proof<G>(cvex::ByteView);                      \
    template cvex::Expected<chain::Hash32, VrfError> proof_to_hash<G>(cvex::ByteView);                       \
    template cvex::Expected<ProveResult, VrfError> prove<G>(const PointBytes&, const SecretKey&, cvex::ByteView); \
    template cvex::Expected<chain::Hash32, VrfError> verify<G>(cvex::ByteView, cvex::ByteView, cvex::ByteView);
CVEX_VRF_INSTANTIATE(Secp256k1Group)
CVEX_VRF_INSTANTIATE(P256Group)
#undef CVEX_VRF_INSTANTIATE

}  // namespace cvex::vrf
