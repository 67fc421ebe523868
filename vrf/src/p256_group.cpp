#include "vrf/p256_group.hpp"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/obj_mac.h>

namespace cvex::vrf {

namespace {

// FIPS 186-4 D.1.2.3: the order n of P-256.
constexpr Scalar kOrder = {0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF,
                           0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17,
                           0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51};

// EC_GROUP objects are safe to share for reading across threads.
const EC_GROUP* group() {
    static EC_GROUP* const g = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
    return g;
}

struct CtxFree {
    void operator()(BN_CTX* c) const { BN_CTX_free(c); }
};
struct BnFree {
    void operator()(BIGNUM* b) const { BN_clear_free(b); }
};
using Ctx = std::unique_ptr<BN_CTX, CtxFree>;
using Bn = std::unique_ptr<BIGNUM, BnFree>;

// A scalar that may be secret: secure heap, and BN_FLG_CONSTTIME so OpenSSL takes its
// constant-time paths with it.
Bn secret_bn(ScalarView k) {
    Bn b(BN_secure_new());
    if (!b || BN_bin2bn(k.data(), static_cast<int>(k.size()), b.get()) == nullptr) return nullptr;
    BN_set_flags(b.get(), BN_FLG_CONSTTIME);
    return b;
}

std::optional<P256Group::Point> new_point() {
    P256Group::Point p;
    if (!p.valid()) return std::nullopt;
    return p;
}

}  // namespace

P256Group::Point::Point() : p_(EC_POINT_new(group())) {
    if (p_) EC_POINT_set_to_infinity(group(), p_.get());
}
P256Group::Point::Point(const Point& other) : p_(other.p_ ? EC_POINT_dup(other.p_.get(), group()) : nullptr) {}
P256Group::Point& P256Group::Point::operator=(const Point& other) {
    if (this != &other) p_.reset(other.p_ ? EC_POINT_dup(other.p_.get(), group()) : nullptr);
    return *this;
}
P256Group::Point::~Point() = default;
void P256Group::Point::Free::operator()(ec_point_st* p) const { EC_POINT_clear_free(p); }

const Scalar& P256Group::order() { return kOrder; }

bool P256Group::is_identity(const Point& p) { return !p.valid() || EC_POINT_is_at_infinity(group(), p.get()) == 1; }

std::optional<P256Group::Point> P256Group::decode(cvex::ByteView bytes) {
    if (bytes.size() != kPtLen || (bytes[0] != 0x02 && bytes[0] != 0x03)) return std::nullopt;
    auto p = new_point();
    Ctx ctx(BN_CTX_new());
    if (!p || !ctx) return std::nullopt;
    // EC_POINT_oct2point rejects x >= p and points not on the curve.
    if (EC_POINT_oct2point(group(), p->get(), bytes.data(), bytes.size(), ctx.get()) != 1) return std::nullopt;
    return p;
}

std::optional<PointBytes> P256Group::encode(const Point& p) {
    if (is_identity(p)) return std::nullopt;
    PointBytes out;
    Ctx ctx(BN_CTX_new());
    if (!ctx) return std::nullopt;
    if (EC_POINT_point2oct(group(), p.get(), POINT_CONVERSION_COMPRESSED, out.data(), out.size(), ctx.get()) != out.size())
        return std::nullopt;
    return out;
}

std::optional<P256Group::Point> P256Group::mul_base(ScalarView k) {
    auto r = new_point();
    Ctx ctx(BN_CTX_secure_new());
    Bn bk = secret_bn(k);
    if (!r || !ctx || !bk) return std::nullopt;
    if (EC_POINT_mul(group(), r->get(), bk.get(), nullptr, nullptr, ctx.get()) != 1) return std::nullopt;
    return r;
}

std::optional<P256Group::Point> P256Group::mul(const Point& p, ScalarView k) {
    auto r = new_point();
    Ctx ctx(BN_CTX_secure_new());
    Bn bk = secret_bn(k);
    if (!r || !ctx || !bk || !p.valid()) return std::nullopt;
    if (EC_POINT_mul(group(), r->get(), nullptr, p.get(), bk.get(), ctx.get()) != 1) return std::nullopt;
    return r;
}

std::optional<P256Group::Point> P256Group::sub(const Point& a, const Point& b) {
    Point nb = b;
    auto r = new_point();
    Ctx ctx(BN_CTX_new());
    if (!nb.valid() || !r || !ctx || !a.valid()) return std::nullopt;
    if (EC_POINT_invert(group(), nb.get(), ctx.get()) != 1) return std::nullopt;
    if (EC_POINT_add(group(), r->get(), a.get(), nb.get(), ctx.get()) != 1) return std::nullopt;
    return r;
}

bool P256Group::scalar_mul_add(ScalarView k, ScalarView c, ScalarView x, std::span<uint8_t, 32> out) {
    Ctx ctx(BN_CTX_secure_new());
    Bn bk = secret_bn(k), bc = secret_bn(c), bx = secret_bn(x), q = secret_bn(kOrder), t(BN_secure_new());
    if (!ctx || !bk || !bc || !bx || !q || !t) return false;
    BN_set_flags(t.get(), BN_FLG_CONSTTIME);
    if (BN_mod_mul(t.get(), bc.get(), bx.get(), q.get(), ctx.get()) != 1) return false;
    if (BN_mod_add(t.get(), t.get(), bk.get(), q.get(), ctx.get()) != 1) return false;
    return BN_bn2binpad(t.get(), out.data(), static_cast<int>(out.size())) == static_cast<int>(out.size());
}

}  // namespace cvex::vrf
