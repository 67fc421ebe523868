// The two group back-ends behave identically where ECVRF relies on them: strict point decoding
// (RFC 9381 string_to_point), the identity, and s = k + c·x agreeing with the points.
#include <catch2/catch.hpp>

#include "base/bytes.hpp"
#include "vrf/p256_group.hpp"
#include "vrf/secp256k1_group.hpp"

using namespace cvex::vrf;
using cvex::Bytes;
using cvex::from_hex;

namespace {

Scalar scalar(uint64_t v) {
    Scalar s{};
    for (int i = 0; i < 8; ++i) s[31 - i] = static_cast<uint8_t>(v >> (8 * i));
    return s;
}

template <class G>
typename G::Point base_times(uint64_t v) {
    auto p = G::mul_base(scalar(v));
    REQUIRE(p);
    return *p;
}

template <class G>
PointBytes enc(const typename G::Point& p) {
    auto e = G::encode(p);
    REQUIRE(e);
    return *e;
}

// The field primes, to build x = p (non-canonical) encodings.
template <class G>
Bytes prime();
template <>
Bytes prime<Secp256k1Group>() {
    return *from_hex("fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f");
}
template <>
Bytes prime<P256Group>() {
    return *from_hex("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff");
}

}  // namespace

TEMPLATE_TEST_CASE("decode inverts encode", "[group]", Secp256k1Group, P256Group) {
    for (uint64_t v : {1ull, 2ull, 7ull, 0xdeadbeefull}) {
        const PointBytes e = enc<TestType>(base_times<TestType>(v));
        auto d = TestType::decode(e);
        REQUIRE(d);
        CHECK(enc<TestType>(*d) == e);
    }
}

TEMPLATE_TEST_CASE("decode accepts only 33-byte compressed points on the curve with x below p", "[group]", Secp256k1Group,
                   P256Group) {
    const PointBytes good = enc<TestType>(base_times<TestType>(3));
    Bytes wrong_prefix(good.begin(), good.end()), too_long(good.begin(), good.end()), x_is_p(33, 0x02);
    wrong_prefix[0] = 0x04;
    too_long.push_back(0x00);
    const Bytes p = prime<TestType>();
    std::copy(p.begin(), p.end(), x_is_p.begin() + 1);
    CHECK_FALSE(TestType::decode(wrong_prefix));
    CHECK_FALSE(TestType::decode(too_long));
    CHECK_FALSE(TestType::decode(Bytes(good.begin(), good.end() - 1)));
    CHECK_FALSE(TestType::decode(Bytes(33, 0x00)));  // SEC1's identity is one 0x00 byte, never 33
    CHECK_FALSE(TestType::decode(x_is_p));
}

TEMPLATE_TEST_CASE("the identity has no encoding and arises from 0·P and P − P", "[group]", Secp256k1Group, P256Group) {
    const auto p = base_times<TestType>(5);
    auto zero = TestType::mul(p, scalar(0));
    auto diff = TestType::sub(p, p);
    REQUIRE((zero && diff));
    CHECK(TestType::is_identity(*zero));
    CHECK(TestType::is_identity(*diff));
    CHECK_FALSE(TestType::encode(*diff));
    CHECK_FALSE(TestType::is_identity(p));
}

TEMPLATE_TEST_CASE("subtraction and multiplication agree: 7·B − 3·(2·B) = B", "[group]", Secp256k1Group, P256Group) {
    auto three_of_two = TestType::mul(base_times<TestType>(2), scalar(3));
    REQUIRE(three_of_two);
    auto r = TestType::sub(base_times<TestType>(7), *three_of_two);
    REQUIRE(r);
    CHECK(enc<TestType>(*r) == enc<TestType>(base_times<TestType>(1)));
}

TEMPLATE_TEST_CASE("scalar_mul_add gives s with s·B = k·B + c·(x·B), wrapping mod q", "[group]", Secp256k1Group, P256Group) {
    // x = q − 1 makes c·x wrap around the order.
    Scalar x = TestType::order();
    x[31] -= 1;
    const Scalar k = scalar(12345), c = scalar(0xfedcba9876543210ull);
    Scalar s{};
    REQUIRE(TestType::scalar_mul_add(k, c, x, s));
    auto sb = TestType::mul_base(s);
    auto xb = TestType::mul_base(x);
    REQUIRE((sb && xb));
    auto cxb = TestType::mul(*xb, c);
    REQUIRE(cxb);
    auto kb = TestType::sub(*sb, *cxb);  // s·B − c·x·B must be k·B
    REQUIRE(kb);
    CHECK(enc<TestType>(*kb) == enc<TestType>(base_times<TestType>(12345)));
}

TEST_CASE("secp256k1: s = 0 is produced when k + c·x is a multiple of q") {
    // k = q − c·x mod q with x = 1: k = q − c.
    const Scalar c = scalar(99);
    Scalar k = Secp256k1Group::order();
    k[31] -= 99;
    Scalar s;
    s.fill(0xAA);
    REQUIRE(Secp256k1Group::scalar_mul_add(k, c, scalar(1), s));
    CHECK(s == Scalar{});
}

TEST_CASE("secp256k1: a zero challenge gives s = k") {
    Scalar s{};
    REQUIRE(Secp256k1Group::scalar_mul_add(scalar(77), Scalar{}, scalar(5), s));
    CHECK(s == scalar(77));
}
