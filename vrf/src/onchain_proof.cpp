#include "vrf/onchain_proof.hpp"

#include <openssl/bn.h>

#include <algorithm>
#include <memory>

#include "chain/encoding/abi_codec.hpp"
#include "chain/crypto/signature.hpp"

namespace cvex::vrf {

namespace {

using G = Secp256k1Group;
using chain::U256;

struct BnCtxFree {
    void operator()(BN_CTX* c) const { BN_CTX_free(c); }
};
struct BnFree {
    void operator()(BIGNUM* b) const { BN_free(b); }
};
using Bn = std::unique_ptr<BIGNUM, BnFree>;
using BnCtx = std::unique_ptr<BN_CTX, BnCtxFree>;

Bn bn_of(cvex::ByteView be) { return Bn(BN_bin2bn(be.data(), static_cast<int>(be.size()), nullptr)); }

std::optional<U256> u256_of(const BIGNUM* b) {
    std::array<uint8_t, 32> be{};
    if (BN_bn2binpad(b, be.data(), 32) != 32) return std::nullopt;
    return U256::from_be(be);
}

U256 word(cvex::ByteView be32) { return *U256::from_be(be32); }

cvex::Unexpected<OnchainProofError> fail(OnchainError code, VrfError e = VrfError::kInternal) {
    return cvex::Unexpected{OnchainProofError{code, e}};
}

std::optional<std::array<uint8_t, 64>> affine_of(const std::optional<G::Point>& p) {
    if (!p) return std::nullopt;
    return G::affine(*p);
}

AffinePoint to_affine(const std::array<uint8_t, 64>& xy) {
    return {word(cvex::ByteView(xy).first(32)), word(cvex::ByteView(xy).last(32))};
}

// A witness that the TAI candidate x is no curve point: 0 when x >= P (string_to_point refuses
// it outright), else w with w² = −(x³ + 7) mod P. As P ≡ 3 (mod 4), −1 is a non-residue, so a
// square root of −(x³ + 7) exists exactly when x³ + 7 has none.
std::optional<U256> non_residue_witness(const std::array<uint8_t, 32>& x_be, BN_CTX* ctx) {
    const Bn p = bn_of(G::field_prime()), x = bn_of(x_be);
    Bn t(BN_new()), seven(BN_new()), w(BN_new());
    if (!p || !x || !t || !seven || !w || BN_set_word(seven.get(), 7) != 1) return std::nullopt;
    if (BN_cmp(x.get(), p.get()) >= 0) return U256(0);
    if (BN_mod_sqr(t.get(), x.get(), p.get(), ctx) != 1 || BN_mod_mul(t.get(), t.get(), x.get(), p.get(), ctx) != 1 ||
        BN_mod_add(t.get(), t.get(), seven.get(), p.get(), ctx) != 1 || BN_mod_sub(t.get(), p.get(), t.get(), p.get(), ctx) != 1)
        return std::nullopt;
    // BN_mod_sqrt checks its answer and fails for a non-residue: that would mean the candidate
    // was a point after all, i.e. encode_to_curve disagrees with this arithmetic.
    if (BN_mod_sqrt(w.get(), t.get(), p.get(), ctx) == nullptr) return std::nullopt;
    return u256_of(w.get());
}

// zInv = ((cGamma.x − sH.x)^5)^-1 mod P: the inverse of the z that VRF.sol's
// _projectiveECAdd(sH, −cGamma) produces (dx = lz², dy = lz³, z = dx·dy with lz = q.x − p.x).
std::optional<U256> z_inverse(const AffinePoint& s_h, const AffinePoint& c_gamma, BN_CTX* ctx) {
    const Bn p = bn_of(G::field_prime()), a = bn_of(c_gamma.x.to_be()), b = bn_of(s_h.x.to_be());
    Bn lz(BN_new()), z(BN_new()), five(BN_new());
    if (!p || !a || !b || !lz || !z || !five || BN_set_word(five.get(), 5) != 1) return std::nullopt;
    if (BN_mod_sub(lz.get(), a.get(), b.get(), p.get(), ctx) != 1 ||
        BN_mod_exp(z.get(), lz.get(), five.get(), p.get(), ctx) != 1)
        return std::nullopt;
    if (BN_mod_inverse(z.get(), z.get(), p.get(), ctx) == nullptr) return std::nullopt;
    return u256_of(z.get());
}

bool below_order(const U256& v) { return v < word(G::order()); }

chain::AbiValue pair(const AffinePoint& p) { return chain::AbiValue(chain::AbiValue::List{p.x, p.y}); }

}  // namespace

std::string OnchainProofError::message() const {
    switch (code) {
        case OnchainError::kInvalidProof: return std::string("invalid proof: ") + to_string(vrf_error);
        case OnchainError::kNotOnchainVerifiable:
            return "valid proof that ecrecover cannot check (a coordinate >= n, a zero scalar, or c·Gamma and s·H "
                   "sharing x)";
        case OnchainError::kInternal: return "a cryptographic library call failed";
    }
    return "on-chain proof error";
}

cvex::Expected<OnchainProof, OnchainProofError> make_onchain_proof(cvex::ByteView public_key, cvex::ByteView alpha,
                                                                    cvex::ByteView pi) {
    // RFC 9381 verify first: helpers are only ever made for a proof the contract must accept.
    auto beta = verify<G>(public_key, alpha, pi);
    if (!beta) return fail(OnchainError::kInvalidProof, beta.error());
    auto y = G::decode(public_key);
    auto d = decode_proof<G>(pi);
    auto h = encode_to_curve<G>(public_key, alpha);
    if (!y || !d || !h) return fail(OnchainError::kInternal);

    const Scalar c = d->c_scalar();
    auto c_gamma = G::mul(d->gamma, c);
    auto s_h = G::mul(h->point, d->s);
    if (!c_gamma || !s_h) return fail(OnchainError::kInternal);
    // A zero c or s puts c·Gamma or s·H at the identity, which ecrecover cannot produce.
    if (G::is_identity(*c_gamma) || G::is_identity(*s_h)) return fail(OnchainError::kNotOnchainVerifiable);
    auto sb = G::mul_base(d->s);
    auto cy = G::mul(*y, c);
    if (!sb || !cy) return fail(OnchainError::kInternal);
    auto u = G::sub(*sb, *cy);
    auto v = G::sub(*s_h, *c_gamma);

    const auto pk_xy = affine_of(y), gamma_xy = affine_of(d->gamma), h_xy = affine_of(h->point), u_xy = affine_of(u),
               v_xy = affine_of(v), cg_xy = affine_of(c_gamma), sh_xy = affine_of(s_h);
    if (!pk_xy || !gamma_xy || !h_xy || !u_xy || !v_xy || !cg_xy || !sh_xy) return fail(OnchainError::kInternal);

    OnchainProof out;
    out.pk = to_affine(*pk_xy);
    out.gamma = to_affine(*gamma_xy);
    out.c = word(c);
    out.s = word(d->s);
    out.h = to_affine(*h_xy);
    out.h_ctr = h->ctr;
    out.u = to_affine(*u_xy);
    out.v = to_affine(*v_xy);
    out.c_gamma_witness = to_affine(*cg_xy);
    out.s_hash_witness = to_affine(*sh_xy);
    out.beta = *beta;
    std::array<uint8_t, 65> u_uncompressed{0x04};
    std::copy(u_xy->begin(), u_xy->end(), u_uncompressed.begin() + 1);
    out.u_witness = chain::address_of(u_uncompressed);

    // ecrecover takes r = x below n; the sum in check 8 needs distinct x.
    if (!below_order(out.pk.x) || !below_order(out.gamma.x) || !below_order(out.h.x) ||
        out.c_gamma_witness.x == out.s_hash_witness.x)
        return fail(OnchainError::kNotOnchainVerifiable);

    BnCtx ctx(BN_CTX_new());
    if (!ctx) return fail(OnchainError::kInternal);
    for (unsigned ctr = 0; ctr < h->ctr; ++ctr) {
        const auto x = tai_candidate_hash(G::kSuiteString, public_key, alpha, static_cast<uint8_t>(ctr));
        if (!x) return fail(OnchainError::kInternal);
        const auto w = non_residue_witness(*x, ctx.get());
        if (!w) return fail(OnchainError::kInternal);
        out.h_non_residue.push_back(*w);
    }
    const auto z_inv = z_inverse(out.s_hash_witness, out.c_gamma_witness, ctx.get());
    if (!z_inv) return fail(OnchainError::kInternal);
    out.z_inv = *z_inv;
    return out;
}

const chain::AbiType& onchain_proof_abi_type() {
    using chain::AbiType;
    static const AbiType type = [] {
        const AbiType word = AbiType::uint(256), point = AbiType::fixed_array(AbiType::uint(256), 2);
        return AbiType::tuple({point, point, word, word, point, AbiType::uint(8), AbiType::array(word), point,
                               AbiType::address(), point, point, point, word});
    }();
    return type;
}

chain::AbiValue to_abi_value(const OnchainProof& p) {
    chain::AbiValue::List non_residue(p.h_non_residue.begin(), p.h_non_residue.end());
    return chain::AbiValue(chain::AbiValue::List{
        pair(p.pk), pair(p.gamma), p.c, p.s, pair(p.h), U256(p.h_ctr), chain::AbiValue(std::move(non_residue)),
        pair(p.u), p.u_witness, pair(p.v), pair(p.c_gamma_witness), pair(p.s_hash_witness), p.z_inv});
}

cvex::Expected<cvex::Bytes, chain::AbiError> abi_encode(const OnchainProof& p) {
    return chain::abi_encode({onchain_proof_abi_type()}, {to_abi_value(p)});
}

}  // namespace cvex::vrf
