// RLP against ethereum/tests (RLPTests): every valid case encodes and decodes exactly, every
// invalid case is refused.
#include <catch2/catch.hpp>

#include "chain/encoding/rlp.hpp"
#include "support/vectors.hpp"

using namespace cvex;
using namespace cvex::chain;
using nlohmann::json;

namespace {

// ethereum/tests write big integers as "#<decimal>", possibly wider than 256 bits.
Bytes decimal_to_be(const std::string& dec) {
    Bytes be;  // big-endian, grown by multiply-add in base 256
    for (char c : dec) {
        unsigned carry = static_cast<unsigned>(c - '0');
        for (auto it = be.rbegin(); it != be.rend(); ++it) {
            const unsigned v = *it * 10u + carry;
            *it = static_cast<uint8_t>(v & 0xff);
            carry = v >> 8;
        }
        while (carry) be.insert(be.begin(), static_cast<uint8_t>(carry & 0xff)), carry >>= 8;
    }
    return be;
}

rlp::Item to_item(const json& in) {
    rlp::Item it;
    if (in.is_array()) {
        it.is_list = true;
        for (const auto& x : in) it.items.push_back(to_item(x));
    } else if (in.is_number()) {
        it.bytes = U256(in.get<uint64_t>()).to_be_minimal();
    } else {
        const std::string s = in.get<std::string>();
        if (!s.empty() && s[0] == '#') it.bytes = decimal_to_be(s.substr(1));
        else it.bytes.assign(s.begin(), s.end());
    }
    return it;
}

}  // namespace

TEST_CASE("RLP encodes every valid ethereum/tests case") {
    const auto cases = cvex::test::load_vectors("vectors/eth/RLPTests_rlptest.json");
    REQUIRE(cases.size() == 28);
    for (const auto& [name, c] : cases.items()) {
        INFO(name);
        CHECK(to_hex(rlp::encode(to_item(c.at("in")))) == c.at("out").get<std::string>());
    }
}

TEST_CASE("RLP decodes every valid ethereum/tests case to the same tree") {
    const auto cases = cvex::test::load_vectors("vectors/eth/RLPTests_rlptest.json");
    for (const auto& [name, c] : cases.items()) {
        INFO(name);
        auto decoded = rlp::decode(*from_hex(c.at("out").get<std::string>()));
        REQUIRE(decoded);
        CHECK(*decoded == to_item(c.at("in")));
    }
}

TEST_CASE("RLP rejects every invalid ethereum/tests case") {
    const auto cases = cvex::test::load_vectors("vectors/eth/RLPTests_invalidRLPTest.json");
    REQUIRE(cases.size() == 26);
    for (const auto& [name, c] : cases.items()) {
        INFO(name);
        auto bytes = from_hex(c.at("out").get<std::string>());
        REQUIRE(bytes);
        CHECK_FALSE(rlp::decode(*bytes));
    }
}

TEST_CASE("RLP decoding errors name their kind and offset") {
    auto check = [](const char* hex, rlp::DecodingError code, size_t offset) {
        auto r = rlp::decode(*from_hex(hex));
        REQUIRE_FALSE(r);
        CHECK(r.error().code == code);
        CHECK(r.error().offset == offset);
    };
    check("0x8100", rlp::DecodingError::kNonCanonicalSingleByte, 0);
    check("0xb801ff", rlp::DecodingError::kNonCanonicalSize, 0);
    check("0xb800", rlp::DecodingError::kLeadingZero, 1);
    check("0xc5010203", rlp::DecodingError::kInputTooShort, 0);
    check("0x0102", rlp::DecodingError::kTrailingBytes, 1);
    check("0xc3c28100", rlp::DecodingError::kNonCanonicalSingleByte, 2);
    check("", rlp::DecodingError::kInputTooShort, 0);
}

TEST_CASE("RLP integers are canonical: no leading zeros, no wider than the type") {
    // Decoders view their input: keep the bytes alive beside them.
    const Bytes lead_bytes = *from_hex("0x820001"), wide_bytes = *from_hex("0x89010000000000000000"), ok_bytes = *from_hex("0x8203e8");
    rlp::Decoder lead(lead_bytes), wide(wide_bytes), ok(ok_bytes);
    CHECK(lead.uint64().error().code == rlp::DecodingError::kLeadingZero);
    CHECK(wide.uint64().error().code == rlp::DecodingError::kIntegerOverflow);
    CHECK(ok.uint64() == uint64_t{1000});
}

TEST_CASE("RLP list decoding refuses a string and string decoding refuses a list") {
    const Bytes string_bytes = *from_hex("0x83646f67"), list_bytes = *from_hex("0xc0");
    rlp::Decoder s(string_bytes), l(list_bytes);
    CHECK(s.list().error().code == rlp::DecodingError::kUnexpectedString);
    CHECK(l.string().error().code == rlp::DecodingError::kUnexpectedList);
}

TEST_CASE("RLP nesting is bounded: kMaxDepth lists decode, one more is refused naming the depth, a hostile megabyte does not recurse") {
    auto nested = [](size_t depth) {
        rlp::Item it;  // the empty string at the bottom
        for (size_t i = 0; i < depth; ++i) {
            rlp::Item outer;
            outer.is_list = true;
            outer.items.push_back(std::move(it));
            it = std::move(outer);
        }
        return rlp::encode(it);
    };
    CHECK(rlp::decode(nested(rlp::kMaxDepth)));
    auto deep = rlp::decode(nested(rlp::kMaxDepth + 1));
    REQUIRE_FALSE(deep);
    CHECK(deep.error().code == rlp::DecodingError::kTooDeep);
    CHECK(deep.error().message() == "RLP: lists nested deeper than 256 levels at offset " + std::to_string(deep.error().offset));
    // About a megabyte of canonical list headers, each claiming exactly the rest of the input:
    // built inside out (header sizes depend on the payload), then laid out outermost first.
    std::vector<Bytes> headers;
    size_t size = 1;  // the innermost empty list
    while (size < (1u << 20)) {
        Bytes h;
        if (size < 56) {
            h = {static_cast<uint8_t>(0xc0 + size)};
        } else {
            Bytes len;
            for (size_t v = size; v; v >>= 8) len.insert(len.begin(), static_cast<uint8_t>(v));
            h = {static_cast<uint8_t>(0xf7 + len.size())};
            h.insert(h.end(), len.begin(), len.end());
        }
        size += h.size();
        headers.push_back(std::move(h));
    }
    Bytes hostile;
    hostile.reserve(size);
    for (auto it = headers.rbegin(); it != headers.rend(); ++it) hostile.insert(hostile.end(), it->begin(), it->end());
    hostile.push_back(0xc0);
    REQUIRE(hostile.size() == size);
    auto refused = rlp::decode(hostile);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == rlp::DecodingError::kTooDeep);
}
