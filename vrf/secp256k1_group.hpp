// secp256k1 for ECVRF-SECP256K1-SHA256-TAI (suite_string 0xFE): the production suite, through
// libsecp256k1. Multiplications use its constant-time paths (secp256k1_ec_pubkey_create for
// k·B, secp256k1_ec_pubkey_tweak_mul for k·P), which is what RFC 9381 §7.2 asks of the
// secret-dependent steps (x·H and the nonce k); scalar arithmetic uses its constant-time
// seckey tweaks.
#pragma once

#include <secp256k1.h>

#include <optional>

#include "vrf/group.hpp"

namespace cvex::vrf {

struct Secp256k1Group {
    static constexpr uint8_t kSuiteString = 0xFE;

    /// libsecp256k1 cannot represent the identity in a secp256k1_pubkey, so it is a flag here.
    struct Point {
        secp256k1_pubkey key{};
        bool identity = true;
    };

    static const Scalar& order();
    static std::optional<Point> decode(cvex::ByteView bytes);
    static std::optional<PointBytes> encode(const Point& p);
    static bool is_identity(const Point& p) { return p.identity; }
    static std::optional<Point> mul_base(ScalarView k);
    static std::optional<Point> mul(const Point& p, ScalarView k);
    static std::optional<Point> add(const Point& a, const Point& b);
    static std::optional<Point> negate(const Point& p);
    static std::optional<Point> sub(const Point& a, const Point& b);
    static bool scalar_mul_add(ScalarView k, ScalarView c, ScalarView x, std::span<uint8_t, 32> out);

    /// The affine coordinates (x, y) as 64 bytes, big-endian; nullopt for the identity.
    static std::optional<std::array<uint8_t, 64>> affine(const Point& p);
    /// The field prime p, big-endian.
    static const Scalar& field_prime();
};

static_assert(EcvrfGroup<Secp256k1Group>);

}  // namespace cvex::vrf
