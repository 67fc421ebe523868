// The small group interface ECVRF is written over (RFC 9381 §5 needs only these operations).
// Two back-ends implement it: Secp256k1Group (libsecp256k1, the production suite 0xFE) and
// P256Group (OpenSSL, suite 0x01, to prove conformance with RFC 9381 Appendix B.1).
//
// Both curves have cofactor 1, a 256-bit prime order q (qLen = 32) and 33-byte compressed
// SEC1 points (ptLen = 33), so scalars and point strings have one size for both.
#pragma once

#include <array>
#include <concepts>
#include <cstdint>
#include <optional>
#include <span>

#include "base/bytes.hpp"

namespace cvex::vrf {

/// A scalar as RFC 9381 int_to_string(x, qLen): 32 bytes, big-endian.
using Scalar = std::array<uint8_t, 32>;
using ScalarView = std::span<const uint8_t, 32>;
/// A point as RFC 9381 point_to_string: compressed SEC1 (0x02/0x03 || x), 33 bytes.
using PointBytes = std::array<uint8_t, 33>;

inline constexpr size_t kPtLen = 33;  // RFC 9381 §5.5: ptLen for both suites
inline constexpr size_t kQLen = 32;   // qLen: bytes of the group order
inline constexpr size_t kCLen = 16;   // cLen: challenge length (§5.5, both suites)

/// What ECVRF asks of a group. `Point` may be the identity (which has no compressed encoding);
/// every operation returns nullopt only when the underlying library fails (out of memory, a
/// scalar it refuses), never for the identity.
template <class G>
concept EcvrfGroup = requires(const typename G::Point& p, ScalarView k, cvex::ByteView bytes,
                              std::span<uint8_t, 32> out) {
    { G::kSuiteString } -> std::convertible_to<uint8_t>;
    /// q, big-endian.
    { G::order() } -> std::same_as<const Scalar&>;
    /// RFC 9381 string_to_point: exactly 33 bytes, prefix 0x02/0x03, x < p, on the curve.
    { G::decode(bytes) } -> std::same_as<std::optional<typename G::Point>>;
    /// point_to_string; nullopt for the identity.
    { G::encode(p) } -> std::same_as<std::optional<PointBytes>>;
    { G::is_identity(p) } -> std::same_as<bool>;
    /// k·B, constant time in k (k may be secret). k must be below q.
    { G::mul_base(k) } -> std::same_as<std::optional<typename G::Point>>;
    /// k·P, constant time in k (k may be secret). k must be below q.
    { G::mul(p, k) } -> std::same_as<std::optional<typename G::Point>>;
    /// a − b.
    { G::sub(p, p) } -> std::same_as<std::optional<typename G::Point>>;
    /// out = (k + c·x) mod q, constant time; `out` is caller-provided (locked) memory because
    /// the intermediate c·x is as secret as x.
    { G::scalar_mul_add(k, k, k, out) } -> std::same_as<bool>;
};

}  // namespace cvex::vrf
