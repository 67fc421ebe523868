#include <catch2/catch.hpp>

#include "chain/crypto/keccak.hpp"
#include "support/vectors.hpp"

using namespace cvex;
using namespace cvex::chain;

TEST_CASE("keccak256 matches every official vector (Ethereum padding 0x01)") {
    const auto j = cvex::test::load_vectors("vectors/eth/keccak256_vectors.json");
    REQUIRE(j.at("vectors").size() >= 9);
    for (const auto& v : j.at("vectors")) {
        INFO(v.at("name").get<std::string>());
        const auto input = from_hex(v.at("input_hex").get<std::string>());
        REQUIRE(input);
        CHECK(keccak256(*input).hex() == v.at("keccak256").get<std::string>());
    }
}

TEST_CASE("incremental keccak256 equals one-shot for every split point across block boundaries") {
    Bytes data(300);
    for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i * 7 + 3);
    const Hash32 expected = keccak256(data);
    for (size_t split = 0; split <= data.size(); split += 17) {
        Keccak256 k;
        k.update(ByteView(data).first(split));
        k.update(ByteView(data).subspan(split));
        CHECK(k.finalize() == expected);
    }
}

TEST_CASE("keccak256 is not FIPS SHA3-256") {
    // SHA3-256("") = a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a
    CHECK(keccak256({}).hex() != "0xa7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a");
}
