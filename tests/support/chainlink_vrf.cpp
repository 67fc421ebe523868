#include "support/chainlink_vrf.hpp"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/obj_mac.h>

#include <memory>

#include "chain/crypto/keccak.hpp"
#include "chain/crypto/signature.hpp"

namespace cvex::test {

namespace {

using chain::U256;

// SEC 2 §2.4.1: secp256k1's field prime p and group order n.
const U256 kP = *U256::parse_hex("fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f");
const U256 kN = *U256::parse_hex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
// VRF.sol's domain separators.
constexpr uint64_t kHashToCurvePrefix = 1;
constexpr uint64_t kScalarFromCurvePointsPrefix = 2;
constexpr uint64_t kRandomOutputPrefix = 3;

struct BnFree {
    void operator()(BIGNUM* b) const { BN_free(b); }
};
struct CtxFree {
    void operator()(BN_CTX* c) const { BN_CTX_free(c); }
};
struct PointFree {
    void operator()(EC_POINT* p) const { EC_POINT_free(p); }
};
using Bn = std::unique_ptr<BIGNUM, BnFree>;
using Ctx = std::unique_ptr<BN_CTX, CtxFree>;
using Point = std::unique_ptr<EC_POINT, PointFree>;

const EC_GROUP* group() {
    static EC_GROUP* const g = EC_GROUP_new_by_curve_name(NID_secp256k1);
    return g;
}

Bn bn(const U256& v) {
    const auto be = v.to_be();
    return Bn(BN_bin2bn(be.data(), static_cast<int>(be.size()), nullptr));
}

U256 u256(const BIGNUM* b) {
    std::array<uint8_t, 32> be{};
    BN_bn2binpad(b, be.data(), 32);
    return *U256::from_be(be);
}

// Modular arithmetic on U256 through BIGNUM: a op b mod m.
enum class Op { kAdd, kSub, kMul, kExp };
U256 mod(Op op, const U256& a, const U256& b, const U256& m) {
    const Ctx ctx(BN_CTX_new());
    const Bn x = bn(a), y = bn(b), n = bn(m);
    Bn r(BN_new());
    switch (op) {
        case Op::kAdd: BN_mod_add(r.get(), x.get(), y.get(), n.get(), ctx.get()); break;
        case Op::kSub: BN_mod_sub(r.get(), x.get(), y.get(), n.get(), ctx.get()); break;
        case Op::kMul: BN_mod_mul(r.get(), x.get(), y.get(), n.get(), ctx.get()); break;
        case Op::kExp: BN_mod_exp(r.get(), x.get(), y.get(), n.get(), ctx.get()); break;
    }
    return u256(r.get());
}

U256 inverse(const U256& a, const U256& m) {
    const Ctx ctx(BN_CTX_new());
    const Bn x = bn(a), n = bn(m);
    Bn r(BN_new());
    if (BN_mod_inverse(r.get(), x.get(), n.get(), ctx.get()) == nullptr) return U256(0);
    return u256(r.get());
}

U256 keccak_word(ByteView data) { return *U256::from_be(chain::keccak256(data).bytes); }

void append(Bytes& out, const U256& w) {
    const auto be = w.to_be();
    out.insert(out.end(), be.begin(), be.end());
}

void append(Bytes& out, const ChainlinkPoint& p) {
    append(out, p[0]);
    append(out, p[1]);
}

chain::Address address_of(const ChainlinkPoint& p) {
    std::array<uint8_t, 65> uncompressed{0x04};
    const auto x = p[0].to_be(), y = p[1].to_be();
    std::copy(x.begin(), x.end(), uncompressed.begin() + 1);
    std::copy(y.begin(), y.end(), uncompressed.begin() + 33);
    return chain::address_of(uncompressed);
}

bool on_curve(const ChainlinkPoint& p) {
    if (p[0] >= kP || p[1] >= kP) return false;
    const U256 x3 = mod(Op::kMul, p[0], mod(Op::kMul, p[0], p[0], kP), kP);
    return mod(Op::kAdd, x3, 7, kP) == mod(Op::kMul, p[1], p[1], kP);
}

Point point_of(const ChainlinkPoint& p) {
    Point out(EC_POINT_new(group()));
    const Bn x = bn(p[0]), y = bn(p[1]);
    if (!out || EC_POINT_set_affine_coordinates(group(), out.get(), x.get(), y.get(), nullptr) != 1) return nullptr;
    return out;
}

std::optional<ChainlinkPoint> affine(const EC_POINT* p) {
    if (EC_POINT_is_at_infinity(group(), p) == 1) return std::nullopt;
    Bn x(BN_new()), y(BN_new());
    if (EC_POINT_get_affine_coordinates(group(), p, x.get(), y.get(), nullptr) != 1) return std::nullopt;
    return ChainlinkPoint{u256(x.get()), u256(y.get())};
}

// a·A + b·G (A may be null: then b·G), affine; nullopt at infinity.
std::optional<ChainlinkPoint> combine(const ChainlinkPoint* a_point, const U256& a, const U256& b) {
    Point out(EC_POINT_new(group()));
    const Bn ka = bn(mod(Op::kAdd, a, 0, kN)), kb = bn(mod(Op::kAdd, b, 0, kN));
    Point base = a_point != nullptr ? point_of(*a_point) : nullptr;
    if (!out || (a_point != nullptr && !base)) return std::nullopt;
    if (EC_POINT_mul(group(), out.get(), b.is_zero() ? nullptr : kb.get(), base.get(), base ? ka.get() : nullptr,
                     nullptr) != 1)
        return std::nullopt;
    return affine(out.get());
}

std::optional<ChainlinkPoint> times(const ChainlinkPoint& p, const U256& k) { return combine(&p, k, 0); }

// VRF.sol's _fieldHash and _newCandidateSecp256k1Point: an x and the even root of x³ + 7,
// which is only a curve point when x³ + 7 is a square (checked by the caller, as _isOnCurve).
U256 field_hash(ByteView data) {
    U256 x = keccak_word(data);
    while (x >= kP) x = keccak_word(x.to_be());
    return x;
}

ChainlinkPoint candidate(ByteView data) {
    const U256 x = field_hash(data);
    const U256 y2 = mod(Op::kAdd, mod(Op::kMul, x, mod(Op::kMul, x, x, kP), kP), 7, kP);
    // (p + 1) / 4: p ≡ 3 (mod 4), so this power is a square root of any square.
    U256 y = mod(Op::kExp, y2, (kP.wrapping_add(1)) >> 2, kP);
    if (y.bit(0)) y = kP.wrapping_sub(y);
    return {x, y};
}

// _projectiveECAdd(p, q) then _affineECAdd's check z·zInv = 1: the sum, or nullopt.
std::optional<ChainlinkPoint> affine_add(const ChainlinkPoint& p, const ChainlinkPoint& q, const U256& z_inv) {
    const U256 lx = mod(Op::kSub, q[1], p[1], kP), lz = mod(Op::kSub, q[0], p[0], kP);
    U256 sx = mod(Op::kMul, lx, lx, kP), dx = mod(Op::kMul, lz, lz, kP);
    sx = mod(Op::kSub, mod(Op::kSub, sx, mod(Op::kMul, p[0], dx, kP), kP), mod(Op::kMul, q[0], dx, kP), kP);
    U256 sy = mod(Op::kSub, mod(Op::kMul, p[0], dx, kP), sx, kP), dy = dx;
    sy = mod(Op::kMul, sy, lx, kP);
    dy = mod(Op::kMul, dy, lz, kP);
    sy = mod(Op::kSub, sy, mod(Op::kMul, p[1], dy, kP), kP);
    U256 sz = dx;
    if (dx != dy) {
        sx = mod(Op::kMul, sx, dy, kP);
        sy = mod(Op::kMul, sy, dx, kP);
        sz = mod(Op::kMul, dx, dy, kP);
    }
    if (mod(Op::kMul, sz, z_inv, kP) != 1) return std::nullopt;
    return ChainlinkPoint{mod(Op::kMul, sx, z_inv, kP), mod(Op::kMul, sy, z_inv, kP)};
}

U256 scalar_from_curve_points(const ChainlinkPoint& h, const ChainlinkPoint& pk, const ChainlinkPoint& gamma,
                              const chain::Address& u_witness, const ChainlinkPoint& v) {
    Bytes msg;
    append(msg, U256(kScalarFromCurvePointsPrefix));
    for (const auto* p : {&h, &pk, &gamma, &v}) append(msg, *p);
    msg.insert(msg.end(), u_witness.bytes.begin(), u_witness.bytes.end());
    return keccak_word(msg);
}

// _ecmulVerify(multiplicand, scalar, product): ecrecover yields address(scalar·multiplicand).
bool ecmul_verify(const ChainlinkPoint& multiplicand, const U256& scalar, const ChainlinkPoint& product) {
    if (scalar.is_zero() || multiplicand[0] >= kN || mod(Op::kMul, scalar, multiplicand[0], kN).is_zero()) return false;
    const auto actual = times(multiplicand, scalar);
    return actual && address_of(*actual) == address_of(product);
}

}  // namespace

U256 chainlink_actual_seed(const U256& pre_seed, const chain::Hash32& block_hash) {
    Bytes msg;
    append(msg, pre_seed);
    msg.insert(msg.end(), block_hash.bytes.begin(), block_hash.bytes.end());
    return keccak_word(msg);
}

std::optional<ChainlinkPoint> chainlink_public_key(const U256& secret_key) {
    if (secret_key.is_zero() || secret_key >= kN) return std::nullopt;
    return combine(nullptr, 0, secret_key);
}

chain::Hash32 chainlink_key_hash(const ChainlinkPoint& pk) {
    Bytes msg;
    append(msg, pk);
    return chain::keccak256(msg);
}

std::optional<ChainlinkPoint> chainlink_hash_to_curve(const ChainlinkPoint& pk, const U256& actual_seed) {
    Bytes msg;
    append(msg, U256(kHashToCurvePrefix));
    append(msg, pk);
    append(msg, actual_seed);
    ChainlinkPoint h = candidate(msg);
    // Each round succeeds with probability about 1/2: 256 rounds failing is 2⁻²⁵⁶.
    for (int round = 0; !on_curve(h); ++round) {
        if (round == 256) return std::nullopt;
        h = candidate(h[0].to_be());
    }
    return h;
}

std::optional<ChainlinkProof> chainlink_prove(const U256& secret_key, const U256& pre_seed,
                                              const chain::Hash32& block_hash) {
    const auto pk = chainlink_public_key(secret_key);
    if (!pk) return std::nullopt;
    const U256 seed = chainlink_actual_seed(pre_seed, block_hash);
    const auto h = chainlink_hash_to_curve(*pk, seed);
    if (!h) return std::nullopt;
    Bytes nonce_input;
    append(nonce_input, secret_key);
    append(nonce_input, seed);
    const U256 k = mod(Op::kAdd, keccak_word(nonce_input), 0, kN);
    const auto gamma = times(*h, secret_key), u = combine(nullptr, 0, k), v = times(*h, k);
    if (!gamma || !u || !v || k.is_zero()) return std::nullopt;

    ChainlinkProof p{.pk = *pk, .gamma = *gamma, .c = 0, .s = 0, .seed = pre_seed, .u_witness = address_of(*u),
                     .c_gamma_witness = {}, .s_hash_witness = {}, .z_inv = 0};
    p.c = scalar_from_curve_points(*h, *pk, *gamma, p.u_witness, *v);
    p.s = mod(Op::kSub, k, mod(Op::kMul, p.c, secret_key, kN), kN);
    const auto c_gamma = times(*gamma, p.c), s_hash = times(*h, p.s);
    if (!c_gamma || !s_hash || c_gamma->at(0) == s_hash->at(0)) return std::nullopt;
    p.c_gamma_witness = *c_gamma;
    p.s_hash_witness = *s_hash;
    p.z_inv = inverse(mod(Op::kExp, mod(Op::kSub, (*s_hash)[0], (*c_gamma)[0], kP), 5, kP), kP);
    // The cases ecrecover cannot check (a coordinate ≥ n, a zero product) fail verification.
    if (!chainlink_verify(p, seed)) return std::nullopt;
    return p;
}

bool chainlink_verify(const ChainlinkProof& p, const U256& actual_seed) {
    for (const auto* point : {&p.pk, &p.gamma, &p.c_gamma_witness, &p.s_hash_witness})
        if (!on_curve(*point)) return false;
    // _verifyLinearCombinationWithGenerator: ecrecover yields address(c·pk + s·G).
    if (p.u_witness.is_zero() || p.pk[0] >= kN || mod(Op::kMul, p.c, p.pk[0], kN).is_zero()) return false;
    const auto u = combine(&p.pk, p.c, p.s);
    if (!u || address_of(*u) != p.u_witness) return false;
    const auto h = chainlink_hash_to_curve(p.pk, actual_seed);
    if (!h) return false;
    // _linearCombination(c, gamma, cGammaWitness, s, hash, sHashWitness, zInv).
    if (p.c_gamma_witness[0] == p.s_hash_witness[0]) return false;
    if (!ecmul_verify(p.gamma, p.c, p.c_gamma_witness) || !ecmul_verify(*h, p.s, p.s_hash_witness)) return false;
    const auto v = affine_add(p.c_gamma_witness, p.s_hash_witness, p.z_inv);
    return v && p.c == scalar_from_curve_points(*h, p.pk, p.gamma, p.u_witness, *v);
}

U256 chainlink_randomness(const ChainlinkProof& p) {
    Bytes msg;
    append(msg, U256(kRandomOutputPrefix));
    append(msg, p.gamma);
    return keccak_word(msg);
}

const chain::AbiType& chainlink_proof_abi_type() {
    using chain::AbiType;
    static const AbiType type = [] {
        const AbiType word = AbiType::uint(256), point = AbiType::fixed_array(AbiType::uint(256), 2);
        return AbiType::tuple({point, point, word, word, word, AbiType::address(), point, point, word});
    }();
    return type;
}

chain::AbiValue to_abi_value(const ChainlinkProof& p) {
    const auto pair = [](const ChainlinkPoint& q) { return chain::AbiValue(chain::AbiValue::List{q[0], q[1]}); };
    return chain::AbiValue(chain::AbiValue::List{pair(p.pk), pair(p.gamma), p.c, p.s, p.seed, p.u_witness,
                                                 pair(p.c_gamma_witness), pair(p.s_hash_witness), p.z_inv});
}

}  // namespace cvex::test
