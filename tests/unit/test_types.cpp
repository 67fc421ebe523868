#include <catch2/catch.hpp>

#include "chain/types/address.hpp"
#include "chain/types/hash.hpp"
#include "chain/types/u256.hpp"

using namespace cvex;
using namespace cvex::chain;

TEST_CASE("hex round-trips and rejects odd lengths and bad digits") {
    CHECK(to_hex(*from_hex("0xDEADbeef")) == "0xdeadbeef");
    CHECK(from_hex("")->empty());
    CHECK_FALSE(from_hex("0xabc"));
    CHECK_FALSE(from_hex("0xzz"));
}

TEST_CASE("Address prints the EIP-55 checksum (EIP-55 examples)") {
    for (const char* s : {"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
                          "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"}) {
        auto a = Address::parse(s);
        REQUIRE(a);
        CHECK(a->checksum_hex() == s);
    }
}

TEST_CASE("Address accepts all-lower and all-upper hex but rejects a wrong checksum") {
    CHECK(Address::parse("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"));
    CHECK(Address::parse("0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED"));
    auto bad = Address::parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD");
    REQUIRE_FALSE(bad);
    CHECK(bad.error() == AddressError::kBadChecksum);
    CHECK(Address::parse("0x1234").error() == AddressError::kBadLength);
    CHECK(Address::parse("0xg0000000000000000000000000000000000000000").error() == AddressError::kBadLength);
    CHECK(Address::parse("0xg000000000000000000000000000000000000000").error() == AddressError::kBadHex);
}

TEST_CASE("U256 parses decimal and hex and prints them back") {
    const auto max = U256::parse("115792089237316195423570985008687907853269984665640564039457584007913129639935");
    REQUIRE(max);
    CHECK(*max == U256::max());
    CHECK(max->hex() == "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
    CHECK(U256::parse("0x0")->dec() == "0");
    CHECK(U256(0).hex() == "0x0");
    CHECK(U256::parse("0x1bc16d674ec80000")->dec() == "2000000000000000000");
}

TEST_CASE("U256 parsing reports overflow, bad digits and empty input") {
    CHECK(U256::parse("115792089237316195423570985008687907853269984665640564039457584007913129639936").error() == U256Error::kOverflow);
    CHECK(U256::parse("0x1" + std::string(64, '0')).error() == U256Error::kOverflow);
    CHECK(U256::parse("12a").error() == U256Error::kBadDigit);
    CHECK(U256::parse("").error() == U256Error::kEmpty);
    CHECK(U256::parse("0x").error() == U256Error::kEmpty);
}

TEST_CASE("U256 checked arithmetic refuses to wrap") {
    CHECK_FALSE(U256::max().checked_add(1));
    CHECK_FALSE(U256(1).checked_sub(2));
    CHECK_FALSE((U256(1) << 200).checked_mul(U256(1) << 56));
    CHECK((U256(1) << 200).checked_mul(U256(1) << 55) == (U256(1) << 255));
    CHECK_FALSE((U256::max() >> 1).checked_mul(3));
    CHECK(U256(7).checked_mul(6) == U256(42));
}

TEST_CASE("U256 division by small and large divisors") {
    const U256 a = *U256::parse("0x123456789abcdef0123456789abcdef0123456789abcdef");
    const U256 d = *U256::parse("0xfedcba9876543210fedcba98");
    const auto [q, r] = *a.divmod(d);
    CHECK(q.wrapping_mul(d).wrapping_add(r) == a);
    CHECK(r < d);
    CHECK_FALSE(a.divmod(0));
    CHECK(U256(100).divmod(7)->first == U256(14));
}

TEST_CASE("U256 big-endian encoding is minimal for RLP") {
    CHECK(U256(0).to_be_minimal().empty());
    CHECK(U256(0x0400).to_be_minimal() == Bytes{0x04, 0x00});
    CHECK(*U256::from_be(Bytes{0x01, 0x00}) == U256(256));
    CHECK_FALSE(U256::from_be(Bytes(33, 1)));
}
