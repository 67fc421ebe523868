#include "vrf/secp256k1_group.hpp"

#include <algorithm>
#include <cstring>

#include "chain/crypto/secp256k1_context.hpp"
#include "vrf/src/scalar_bytes.hpp"

namespace cvex::vrf {

namespace {

// SEC 2 §2.4.1: the order n and the field prime p of secp256k1.
constexpr Scalar kOrder = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                           0xFF, 0xFF, 0xFF, 0xFF, 0xFE, 0xBA, 0xAE, 0xDC, 0xE6, 0xAF, 0x48,
                           0xA0, 0x3B, 0xBF, 0xD2, 0x5E, 0x8C, 0xD0, 0x36, 0x41, 0x41};
constexpr Scalar kPrime = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                           0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                           0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE, 0xFF, 0xFF, 0xFC, 0x2F};

using detail::ct_is_zero;

Secp256k1Group::Point point_of(const secp256k1_pubkey& key) { return {key, false}; }

}  // namespace

const Scalar& Secp256k1Group::order() { return kOrder; }
const Scalar& Secp256k1Group::field_prime() { return kPrime; }

std::optional<Secp256k1Group::Point> Secp256k1Group::decode(cvex::ByteView bytes) {
    // libsecp256k1 also parses the 65-byte forms; RFC 9381 point strings are compressed only.
    if (bytes.size() != kPtLen || (bytes[0] != 0x02 && bytes[0] != 0x03)) return std::nullopt;
    secp256k1_pubkey key;
    // Fails for x >= p and for an x with no point (secp256k1_ec_pubkey_parse, SEC 1 §2.3.4).
    if (secp256k1_ec_pubkey_parse(chain::secp256k1_ctx(), &key, bytes.data(), bytes.size()) != 1) return std::nullopt;
    return point_of(key);
}

std::optional<PointBytes> Secp256k1Group::encode(const Point& p) {
    if (p.identity) return std::nullopt;
    PointBytes out;
    size_t len = out.size();
    if (secp256k1_ec_pubkey_serialize(chain::secp256k1_ctx(), out.data(), &len, &p.key, SECP256K1_EC_COMPRESSED) != 1)
        return std::nullopt;
    return out;
}

std::optional<std::array<uint8_t, 64>> Secp256k1Group::affine(const Point& p) {
    if (p.identity) return std::nullopt;
    uint8_t buf[65];
    size_t len = sizeof buf;
    if (secp256k1_ec_pubkey_serialize(chain::secp256k1_ctx(), buf, &len, &p.key, SECP256K1_EC_UNCOMPRESSED) != 1)
        return std::nullopt;
    std::array<uint8_t, 64> out;
    std::memcpy(out.data(), buf + 1, 64);
    return out;
}

std::optional<Secp256k1Group::Point> Secp256k1Group::mul_base(ScalarView k) {
    if (ct_is_zero(k)) return Point{};
    secp256k1_pubkey key;
    // Constant time in k (secp256k1_ecmult_gen), blinded by the randomised context.
    if (secp256k1_ec_pubkey_create(chain::secp256k1_ctx(), &key, k.data()) != 1) return std::nullopt;  // k >= n
    return point_of(key);
}

std::optional<Secp256k1Group::Point> Secp256k1Group::mul(const Point& p, ScalarView k) {
    if (p.identity || ct_is_zero(k)) return Point{};
    secp256k1_pubkey key = p.key;
    // Constant time in k (secp256k1_ecmult_const).
    if (secp256k1_ec_pubkey_tweak_mul(chain::secp256k1_ctx(), &key, k.data()) != 1) return std::nullopt;  // k >= n
    return point_of(key);
}

std::optional<Secp256k1Group::Point> Secp256k1Group::add(const Point& a, const Point& b) {
    if (a.identity) return b;
    if (b.identity) return a;
    const secp256k1_pubkey* terms[2] = {&a.key, &b.key};
    secp256k1_pubkey sum;
    // secp256k1_ec_pubkey_combine fails only when the sum is the point at infinity (a = −b).
    if (secp256k1_ec_pubkey_combine(chain::secp256k1_ctx(), &sum, terms, 2) != 1) return Point{};
    return point_of(sum);
}

std::optional<Secp256k1Group::Point> Secp256k1Group::negate(const Point& p) {
    if (p.identity) return p;
    Point r = p;
    if (secp256k1_ec_pubkey_negate(chain::secp256k1_ctx(), &r.key) != 1) return std::nullopt;
    return r;
}

std::optional<Secp256k1Group::Point> Secp256k1Group::sub(const Point& a, const Point& b) {
    auto nb = negate(b);
    if (!nb) return std::nullopt;
    return add(a, *nb);
}

bool Secp256k1Group::scalar_mul_add(ScalarView k, ScalarView c, ScalarView x, std::span<uint8_t, 32> out) {
    const secp256k1_context* ctx = chain::secp256k1_ctx();
    // c is public (a hash), so branching on it leaks nothing; c = 0 has probability 2^-128.
    if (ct_is_zero(c)) {
        std::copy(k.begin(), k.end(), out.begin());
        return true;
    }
    std::copy(x.begin(), x.end(), out.begin());
    if (secp256k1_ec_seckey_tweak_mul(ctx, out.data(), c.data()) != 1) return false;  // x invalid or c >= n
    // tweak_add refuses a zero result and then leaves zero in `out`: exactly s = 0, which
    // RFC 9381 allows (k + c·x ≡ 0 mod q, probability 2^-256). k is in [1, q−1] by construction.
    if (secp256k1_ec_seckey_tweak_add(ctx, out.data(), k.data()) != 1) std::fill(out.begin(), out.end(), uint8_t{0});
    return true;
}

}  // namespace cvex::vrf
