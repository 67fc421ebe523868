// NIST P-256 for ECVRF-P256-SHA256-TAI (suite_string 0x01) through OpenSSL's EC_POINT. Present
// only to prove the generic ECVRF code against RFC 9381 Appendix B.1; production uses secp256k1.
#pragma once

#include <memory>
#include <optional>

#include "vrf/group.hpp"

struct ec_point_st;

namespace cvex::vrf {

struct P256Group {
    static constexpr uint8_t kSuiteString = 0x01;

    /// An owned OpenSSL EC_POINT (which represents the identity natively).
    class Point {
    public:
        Point();  // the identity
        explicit Point(ec_point_st* p) : p_(p) {}
        Point(const Point& other);
        Point& operator=(const Point& other);
        Point(Point&&) noexcept = default;
        Point& operator=(Point&&) noexcept = default;
        ~Point();
        ec_point_st* get() const { return p_.get(); }
        bool valid() const { return p_ != nullptr; }

    private:
        struct Free {
            void operator()(ec_point_st* p) const;
        };
        std::unique_ptr<ec_point_st, Free> p_;
    };

    static const Scalar& order();
    static std::optional<Point> decode(cvex::ByteView bytes);
    static std::optional<PointBytes> encode(const Point& p);
    static bool is_identity(const Point& p);
    static std::optional<Point> mul_base(ScalarView k);
    static std::optional<Point> mul(const Point& p, ScalarView k);
    static std::optional<Point> sub(const Point& a, const Point& b);
    static bool scalar_mul_add(ScalarView k, ScalarView c, ScalarView x, std::span<uint8_t, 32> out);
};

static_assert(EcvrfGroup<P256Group>);

}  // namespace cvex::vrf
