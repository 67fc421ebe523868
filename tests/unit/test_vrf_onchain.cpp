// The on-chain helpers (vrf/onchain_proof.hpp), recomputed independently of the code that made
// them: points with OpenSSL's secp256k1 (not libsecp256k1), field arithmetic with BIGNUM,
// V through a literal port of Chainlink VRF.sol's _projectiveECAdd, and every ecrecover check
// exactly as the header tells the contract to make it (libsecp256k1's recovery = the precompile).
// Inputs: the 51 atikayda vectors (TAI counters 0 to 22) and fresh random alphas.
#include <catch2/catch.hpp>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include <memory>

#include "chain/encoding/abi_codec.hpp"
#include "chain/crypto/keccak.hpp"
#include "chain/crypto/secp256k1_context.hpp"
#include "support/vectors.hpp"
#include "vrf/ecvrf.hpp"
#include "vrf/onchain_proof.hpp"
#include "vrf/vrf_key.hpp"

using namespace cvex::vrf;
using cvex::chain::Address;
using cvex::Bytes;
using cvex::from_hex;
using cvex::chain::U256;

namespace {

// ---- BIGNUM / OpenSSL EC plumbing ------------------------------------------------------------

struct BnDel {
    void operator()(BIGNUM* b) const { BN_free(b); }
};
struct CtxDel {
    void operator()(BN_CTX* c) const { BN_CTX_free(c); }
};
struct PtDel {
    void operator()(EC_POINT* p) const { EC_POINT_free(p); }
};
using Bn = std::unique_ptr<BIGNUM, BnDel>;
using Pt = std::unique_ptr<EC_POINT, PtDel>;

BN_CTX* ctx() {
    static BN_CTX* c = BN_CTX_new();
    return c;
}
const EC_GROUP* k1() {
    static EC_GROUP* g = EC_GROUP_new_by_curve_name(NID_secp256k1);
    return g;
}

Bn bn(const U256& v) {
    const auto be = v.to_be();
    return Bn(BN_bin2bn(be.data(), 32, nullptr));
}
Bn bn_hex(const char* hex) {
    BIGNUM* b = nullptr;
    BN_hex2bn(&b, hex);
    return Bn(b);
}
U256 u256(const BIGNUM* b) {
    std::array<uint8_t, 32> be{};
    REQUIRE(BN_bn2binpad(b, be.data(), 32) == 32);
    return *U256::from_be(be);
}

const Bn kP = bn_hex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F");
const Bn kN = bn_hex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141");

// Field operations mod P on U256 values.
U256 fmul(const U256& a, const U256& b) {
    Bn r(BN_new());
    REQUIRE(BN_mod_mul(r.get(), bn(a).get(), bn(b).get(), kP.get(), ctx()) == 1);
    return u256(r.get());
}
U256 fadd(const U256& a, const U256& b) {
    Bn r(BN_new());
    REQUIRE(BN_mod_add(r.get(), bn(a).get(), bn(b).get(), kP.get(), ctx()) == 1);
    return u256(r.get());
}
U256 fsub(const U256& a, const U256& b) {
    Bn r(BN_new());
    REQUIRE(BN_mod_sub(r.get(), bn(a).get(), bn(b).get(), kP.get(), ctx()) == 1);
    return u256(r.get());
}
U256 nmul(const U256& a, const U256& b) {
    Bn r(BN_new());
    REQUIRE(BN_mod_mul(r.get(), bn(a).get(), bn(b).get(), kN.get(), ctx()) == 1);
    return u256(r.get());
}
U256 order_minus(const U256& a) {  // (n − a) mod n
    Bn r(BN_new());
    REQUIRE(BN_mod_sub(r.get(), kN.get(), bn(a).get(), kN.get(), ctx()) == 1);
    return u256(r.get());
}

Pt ossl_point(const AffinePoint& a) {
    Pt p(EC_POINT_new(k1()));
    REQUIRE(EC_POINT_set_affine_coordinates(k1(), p.get(), bn(a.x).get(), bn(a.y).get(), ctx()) == 1);
    return p;
}
AffinePoint affine(const EC_POINT* p) {
    Bn x(BN_new()), y(BN_new());
    REQUIRE(EC_POINT_get_affine_coordinates(k1(), p, x.get(), y.get(), ctx()) == 1);
    return {u256(x.get()), u256(y.get())};
}
// a·P1 + b·P2 with OpenSSL (P1 = generator when null).
AffinePoint lincomb(const U256& a, const AffinePoint* p1, const U256& b, const AffinePoint& p2) {
    Pt r(EC_POINT_new(k1())), t(EC_POINT_new(k1()));
    Pt q2 = ossl_point(p2);
    if (p1 == nullptr) {
        REQUIRE(EC_POINT_mul(k1(), r.get(), bn(a).get(), q2.get(), bn(b).get(), ctx()) == 1);
    } else {
        Pt q1 = ossl_point(*p1);
        REQUIRE(EC_POINT_mul(k1(), r.get(), nullptr, q1.get(), bn(a).get(), ctx()) == 1);
        REQUIRE(EC_POINT_mul(k1(), t.get(), nullptr, q2.get(), bn(b).get(), ctx()) == 1);
        REQUIRE(EC_POINT_add(k1(), r.get(), r.get(), t.get(), ctx()) == 1);
    }
    return affine(r.get());
}

bool on_curve(const AffinePoint& a) {
    const U256 p = u256(kP.get());
    return a.x < p && a.y < p && fmul(a.y, a.y) == fadd(fmul(fmul(a.x, a.x), a.x), U256(7));
}

// ---- What the contract does --------------------------------------------------------------------

Address address_of(const AffinePoint& a) {
    Bytes xy;
    for (const auto& w : {a.x.to_be(), a.y.to_be()}) xy.insert(xy.end(), w.begin(), w.end());
    const auto h = cvex::chain::keccak256(xy);
    Address out;
    std::copy(h.bytes.begin() + 12, h.bytes.end(), out.bytes.begin());
    return out;
}

// The ECRECOVER precompile: address of r⁻¹(s·R − h·G), R = (r, parity v − 27); zero on failure.
Address ecrecover(const U256& h, unsigned v, const U256& r, const U256& s) {
    std::array<uint8_t, 64> rs{};
    const auto rb = r.to_be(), sb = s.to_be(), hb = h.to_be();
    std::copy(rb.begin(), rb.end(), rs.begin());
    std::copy(sb.begin(), sb.end(), rs.begin() + 32);
    secp256k1_ecdsa_recoverable_signature sig;
    secp256k1_pubkey pk;
    const auto* c = cvex::chain::secp256k1_ctx();
    if (v < 27 || v > 28 || secp256k1_ecdsa_recoverable_signature_parse_compact(c, &sig, rs.data(), int(v - 27)) != 1 ||
        secp256k1_ecdsa_recover(c, &pk, &sig, hb.data()) != 1)
        return Address{};
    uint8_t out[65];
    size_t len = 65;
    REQUIRE(secp256k1_ec_pubkey_serialize(c, out, &len, &pk, SECP256K1_EC_UNCOMPRESSED) == 1);
    return address_of({*U256::from_be({out + 1, 32}), *U256::from_be({out + 33, 32})});
}

unsigned parity_v(const AffinePoint& a) { return 27 + (a.y.bit(0) ? 1 : 0); }

Bytes compressed(const AffinePoint& a) {
    Bytes out{static_cast<uint8_t>(a.y.bit(0) ? 0x03 : 0x02)};
    const auto x = a.x.to_be();
    out.insert(out.end(), x.begin(), x.end());
    return out;
}

// VRF.sol's _projectiveECAdd, line by line.
struct Projective {
    U256 x, y, z;
};
std::pair<U256, U256> projective_sub(const U256& x1, const U256& z1, const U256& x2, const U256& z2) {
    return {fadd(fmul(z2, x1), fmul(fsub(U256(0), x2), z1)), fmul(z1, z2)};
}
Projective projective_add(const AffinePoint& p, const AffinePoint& q) {
    const U256 one(1);
    const U256 lx = fsub(q.y, p.y), lz = fsub(q.x, p.x);
    auto [sx, dx] = std::pair{fmul(lx, lx), fmul(lz, lz)};
    std::tie(sx, dx) = projective_sub(sx, dx, p.x, one);
    std::tie(sx, dx) = projective_sub(sx, dx, q.x, one);
    auto [sy, dy] = projective_sub(p.x, one, sx, dx);
    std::tie(sy, dy) = std::pair{fmul(sy, lx), fmul(dy, lz)};
    std::tie(sy, dy) = projective_sub(sy, dy, p.y, one);
    if (dx != dy) return {fmul(sx, dy), fmul(sy, dx), fmul(dx, dy)};
    return {sx, sy, dx};
}

std::array<uint8_t, 32> sha256(const Bytes& b) {
    std::array<uint8_t, 32> out{};
    unsigned len = 0;
    REQUIRE(EVP_Digest(b.data(), b.size(), out.data(), &len, EVP_sha256(), nullptr) == 1);
    return out;
}
U256 tai_x(const AffinePoint& pk, const Bytes& alpha, unsigned ctr) {
    Bytes m{0xFE, 0x01};
    const Bytes pkc = compressed(pk);
    m.insert(m.end(), pkc.begin(), pkc.end());
    m.insert(m.end(), alpha.begin(), alpha.end());
    m.push_back(static_cast<uint8_t>(ctr));
    m.push_back(0x00);
    return *U256::from_be(sha256(m));
}

// ---- Inputs --------------------------------------------------------------------------------------

struct Case {
    Bytes pk, alpha, pi;
    std::string label;
};

const std::vector<Case>& cases() {
    static const std::vector<Case> all = [] {
        std::vector<Case> out;
        const auto v = cvex::test::load_vectors("vectors/vrf/ecvrf_secp256k1_atikayda.json");
        for (const auto& c : v["vectors"])
            out.push_back({*from_hex(c["pk"].get<std::string>()), *from_hex(c["alpha"].get<std::string>()),
                           *from_hex(c["pi"].get<std::string>()), c["label"].get<std::string>()});
        auto key = VrfKey<Secp256k1Group>::generate();
        REQUIRE(key);
        for (uint8_t i = 0; i < 24; ++i) {
            const Bytes alpha{i, 0x5a, static_cast<uint8_t>(i * 7)};
            auto pr = prove<Secp256k1Group>(key->public_key(), *key, alpha);
            REQUIRE(pr);
            out.push_back({Bytes(key->public_key().begin(), key->public_key().end()), alpha,
                           Bytes(pr->pi.begin(), pr->pi.end()), "random key, alpha #" + std::to_string(i)});
        }
        return out;
    }();
    return all;
}

OnchainProof onchain(const Case& c) {
    auto p = make_onchain_proof(c.pk, c.alpha, c.pi);
    INFO(c.label);
    REQUIRE(p);
    return *p;
}

}  // namespace

TEST_CASE("onchain: pk, Gamma, c, s and beta restate the key and the proof") {
    for (const auto& c : cases()) {
        INFO(c.label);
        const auto p = onchain(c);
        CHECK(compressed(p.pk) == c.pk);
        CHECK(compressed(p.gamma) == Bytes(c.pi.begin(), c.pi.begin() + 33));
        CHECK(p.c == *U256::from_be({c.pi.data() + 33, 16}));
        CHECK(p.s == *U256::from_be({c.pi.data() + 49, 32}));
        CHECK(p.beta == *verify<Secp256k1Group>(c.pk, c.alpha, c.pi));
    }
}

TEST_CASE("onchain: every helper point is on the curve") {
    for (const auto& c : cases()) {
        INFO(c.label);
        const auto p = onchain(c);
        for (const auto* a : {&p.pk, &p.gamma, &p.h, &p.u, &p.v, &p.c_gamma_witness, &p.s_hash_witness})
            CHECK(on_curve(*a));
    }
}

TEST_CASE("onchain: U and V equal s·B − c·Y and s·H − c·Gamma computed with OpenSSL") {
    for (const auto& c : cases()) {
        INFO(c.label);
        const auto p = onchain(c);
        CHECK(p.u == lincomb(p.s, nullptr, order_minus(p.c), p.pk));
        CHECK(p.v == lincomb(p.s, &p.h, order_minus(p.c), p.gamma));
        CHECK(p.c_gamma_witness == lincomb(p.c, &p.gamma, U256(0), p.gamma));
        CHECK(p.s_hash_witness == lincomb(p.s, &p.h, U256(0), p.h));
    }
}

TEST_CASE("onchain: H and its counter satisfy the TAI checks, with a non-residue witness per failed try") {
    const U256 p_field = u256(kP.get());
    unsigned max_ctr = 0;
    for (const auto& c : cases()) {
        INFO(c.label);
        const auto p = onchain(c);
        REQUIRE(p.h_non_residue.size() == p.h_ctr);
        for (unsigned i = 0; i < p.h_ctr; ++i) {
            const U256 x = tai_x(p.pk, c.alpha, i);
            if (!(x < p_field)) {
                CHECK(p.h_non_residue[i] == U256(0));
                continue;
            }
            const U256 w = p.h_non_residue[i];
            CHECK(w < p_field);
            CHECK(fmul(w, w) == fsub(U256(0), fadd(fmul(fmul(x, x), x), U256(7))));
        }
        CHECK(p.h.x == tai_x(p.pk, c.alpha, p.h_ctr));
        CHECK_FALSE(p.h.y.bit(0));
        max_ctr = std::max<unsigned>(max_ctr, p.h_ctr);
    }
    CHECK(max_ctr >= 22);  // the atikayda "high ctr" case exercises many witnesses
}

TEST_CASE("onchain: uWitness is address(U) and ecrecover derives it from s, c and the key") {
    for (const auto& c : cases()) {
        INFO(c.label);
        const auto p = onchain(c);
        CHECK(p.u_witness == address_of(p.u));
        const U256 r = p.pk.x;
        CHECK(ecrecover(order_minus(nmul(p.s, r)), parity_v(p.pk), r, order_minus(nmul(p.c, r))) == p.u_witness);
    }
}

TEST_CASE("onchain: ecrecover confirms cGammaWitness = c·Gamma and sHashWitness = s·H") {
    for (const auto& c : cases()) {
        INFO(c.label);
        const auto p = onchain(c);
        CHECK(ecrecover(U256(0), parity_v(p.gamma), p.gamma.x, nmul(p.c, p.gamma.x)) == address_of(p.c_gamma_witness));
        CHECK(ecrecover(U256(0), parity_v(p.h), p.h.x, nmul(p.s, p.h.x)) == address_of(p.s_hash_witness));
    }
}

TEST_CASE("onchain: the ecrecover checks fail for a wrong witness") {
    const auto p = onchain(cases().front());
    const U256 r = p.pk.x;
    // s + 1 instead of s: a different U, so a different address.
    const U256 s1 = p.s.wrapping_add(U256(1));
    CHECK(ecrecover(order_minus(nmul(s1, r)), parity_v(p.pk), r, order_minus(nmul(p.c, r))) != p.u_witness);
    CHECK(ecrecover(U256(0), parity_v(p.gamma), p.gamma.x, nmul(p.c.wrapping_add(U256(1)), p.gamma.x)) !=
          address_of(p.c_gamma_witness));
}

TEST_CASE("onchain: zInv turns VRF.sol's projective sum of s·H and −c·Gamma into V") {
    const U256 p_field = u256(kP.get());
    for (const auto& c : cases()) {
        INFO(c.label);
        const auto p = onchain(c);
        const AffinePoint neg_cg{p.c_gamma_witness.x, fsub(p_field, p.c_gamma_witness.y)};
        const Projective sum = projective_add(p.s_hash_witness, neg_cg);
        CHECK(fmul(sum.z, p.z_inv) == U256(1));
        CHECK(fmul(sum.x, p.z_inv) == p.v.x);
        CHECK(fmul(sum.y, p.z_inv) == p.v.y);
    }
}

TEST_CASE("onchain: V is collinear with s·H and −c·Gamma (the check that needs no zInv)") {
    for (const auto& c : cases()) {
        INFO(c.label);
        const auto p = onchain(c);
        const AffinePoint& a = p.s_hash_witness;
        const AffinePoint b{p.c_gamma_witness.x, fsub(U256(0), p.c_gamma_witness.y)};
        const U256 dx = fsub(b.x, a.x), dy = fsub(b.y, a.y);
        CHECK(fmul(fadd(fadd(p.v.x, a.x), b.x), fmul(dx, dx)) == fmul(dy, dy));
        CHECK(fmul(dy, fsub(a.x, p.v.x)) == fmul(fadd(p.v.y, a.y), dx));
    }
}

TEST_CASE("onchain: the challenge recomputed from the helpers' compressed points is c") {
    for (const auto& c : cases()) {
        INFO(c.label);
        const auto p = onchain(c);
        Bytes m{0xFE, 0x02};
        for (const auto* a : {&p.pk, &p.h, &p.gamma, &p.u, &p.v}) {
            const Bytes enc = compressed(*a);
            m.insert(m.end(), enc.begin(), enc.end());
        }
        m.push_back(0x00);
        CHECK((*U256::from_be(sha256(m)) >> 128) == p.c);
        Bytes b{0xFE, 0x03};
        const Bytes g = compressed(p.gamma);
        b.insert(b.end(), g.begin(), g.end());
        b.push_back(0x00);
        CHECK(sha256(b) == p.beta.bytes);
    }
}

TEST_CASE("onchain: the ABI encoding decodes back to the same struct") {
    for (const auto& c : cases()) {
        INFO(c.label);
        const auto p = onchain(c);
        auto encoded = abi_encode(p);
        REQUIRE(encoded);
        // One dynamic tuple: its offset word, 20 head words (pairs inline, the array by offset),
        // then the array's length word and its elements.
        CHECK(encoded->size() == 32 * (22 + size_t{p.h_ctr}));
        auto decoded = cvex::chain::abi_decode({onchain_proof_abi_type()}, *encoded);
        REQUIRE(decoded);
        CHECK(decoded->at(0) == to_abi_value(p));
        CHECK(onchain_proof_abi_type().canonical() ==
              "(uint256[2],uint256[2],uint256,uint256,uint256[2],uint8,uint256[],uint256[2],address,uint256[2],"
              "uint256[2],uint256[2],uint256)");
    }
}

TEST_CASE("onchain: no helpers for a proof RFC 9381 rejects") {
    const Case& c = cases().front();
    Bytes bad = c.pi;
    bad[40] ^= 0x01;  // inside c
    auto p = make_onchain_proof(c.pk, c.alpha, bad);
    REQUIRE_FALSE(p);
    CHECK(p.error().code == OnchainError::kInvalidProof);
    CHECK(p.error().vrf_error == VrfError::kProofMismatch);
    Bytes other_alpha = c.alpha;
    other_alpha.push_back(0x00);
    auto q = make_onchain_proof(c.pk, other_alpha, c.pi);
    REQUIRE_FALSE(q);
    CHECK(q.error().vrf_error == VrfError::kProofMismatch);
}
