// The ABI against the Solidity spec's examples, ethereum/tests ABITests, and hostile input.
#include <catch2/catch.hpp>

#include <random>

#include "chain/encoding/abi_codec.hpp"
#include "chain/encoding/abi_text.hpp"
#include "support/vectors.hpp"

using namespace cvex;
using namespace cvex::chain;
using nlohmann::json;

namespace {

AbiValue from_json(const AbiType& t, const json& j) {
    switch (t.kind) {
        case AbiType::kUint:
        case AbiType::kInt: return AbiValue(U256(j.get<uint64_t>()));
        case AbiType::kAddress: return AbiValue(*Address::parse(j.get<std::string>()));
        case AbiType::kFixedBytes:
        case AbiType::kBytes: {
            const std::string s = j.get<std::string>();
            return AbiValue(Bytes(s.begin(), s.end()));  // ABITests give these as ASCII
        }
        case AbiType::kString: return AbiValue(j.get<std::string>());
        default: {
            AbiValue::List items;
            for (const auto& x : j) items.push_back(from_json(t.components[0], x));
            return AbiValue(std::move(items));
        }
    }
}


}  // namespace

TEST_CASE("abi_encode reproduces every ethereum/tests ABITests case") {
    const auto cases = cvex::test::load_vectors("vectors/eth/ABITests_basic_abi_tests.json");
    REQUIRE(cases.size() == 3);
    for (const auto& [name, c] : cases.items()) {
        INFO(name);
        std::vector<AbiType> types;
        std::vector<AbiValue> values;
        for (size_t i = 0; i < c.at("types").size(); ++i) {
            types.push_back(*parse_abi_type(c.at("types")[i].get<std::string>()));
            values.push_back(from_json(types.back(), c.at("args")[i]));
        }
        auto encoded = abi_encode(types, values);
        REQUIRE(encoded);
        CHECK(to_hex(*encoded, false) == c.at("result").get<std::string>());
        auto decoded = abi_decode(types, *encoded);
        REQUIRE(decoded);
        CHECK(*decoded == values);
    }
}

TEST_CASE("calldata reproduces the Solidity ABI specification's examples") {
    const auto examples = cvex::test::load_vectors("vectors/eth/signing_abi_eip712_vectors.json").at("solidity_abi_spec_examples").at("examples");
    REQUIRE(examples.size() >= 4);
    for (const auto& e : examples) {
        const std::string text = e.at("signature").get<std::string>();
        INFO(text);
        auto sig = parse_abi_signature(text);
        REQUIRE(sig);
        CHECK(to_hex(sig->selector()) == e.at("selector").get<std::string>());
        std::vector<AbiValue> args;
        for (size_t i = 0; i < sig->inputs.size(); ++i) {
            auto v = parse_abi_value(sig->inputs[i].type, e.at("args_cast_syntax")[i].get<std::string>());
            REQUIRE(v);
            args.push_back(*v);
        }
        auto data = abi_encode_call(*sig, args);
        REQUIRE(data);
        CHECK(to_hex(*data) == e.at("calldata").get<std::string>());
        auto back = abi_decode(sig->input_types(), ByteView(*data).subspan(4));
        REQUIRE(back);
        CHECK(*back == args);
    }
}

TEST_CASE("event topic 0 is keccak256 of the canonical signature, names and indexed ignored") {
    const auto expected = cvex::test::load_vectors("vectors/eth/signing_abi_eip712_vectors.json").at("event_topic0_Transfer").get<std::string>();
    auto sig = parse_abi_signature("Transfer(address indexed from, address indexed to, uint256 value)");
    REQUIRE(sig);
    CHECK(sig->canonical() == "Transfer(address,address,uint256)");
    CHECK(sig->inputs[0].indexed);
    CHECK_FALSE(sig->inputs[2].indexed);
    CHECK(sig->topic().hex() == expected);
}

TEST_CASE("types parse to their canonical form, with aliases") {
    CHECK(parse_abi_type("uint")->canonical() == "uint256");
    CHECK(parse_abi_type("int")->canonical() == "int256");
    CHECK(parse_abi_type("(address,bytes)[]")->canonical() == "(address,bytes)[]");
    CHECK(parse_abi_type("uint8[2][]")->kind == AbiType::kArray);
    CHECK(parse_abi_type("uint8[2][]")->components[0].kind == AbiType::kFixedArray);
    CHECK(parse_abi_signature("f(uint256)(bool)")->outputs.size() == 1);
    CHECK(parse_abi_signature("f(uint256 a) returns (bool ok)")->outputs[0].name == "ok");
}

TEST_CASE("malformed types are refused with their position") {
    for (const char* bad : {"uint7", "uint264", "bytes0", "bytes33", "uint8[0]", "foo", "(uint256", "uint256[", "uint256]"}) {
        INFO(bad);
        auto t = parse_abi_type(bad);
        REQUIRE_FALSE(t);
        CHECK_THAT(t.error().message(), Catch::Contains("position"));
    }
}

TEST_CASE("values out of their type's range are refused, naming the argument") {
    CHECK_FALSE(parse_abi_value(*parse_abi_type("uint8"), "256"));
    CHECK(parse_abi_value(*parse_abi_type("uint8"), "255"));
    CHECK_FALSE(parse_abi_value(*parse_abi_type("int8"), "-129"));
    CHECK(parse_abi_value(*parse_abi_type("int8"), "-128"));
    CHECK_FALSE(parse_abi_value(*parse_abi_type("bytes2"), "0x01"));
    CHECK_FALSE(parse_abi_value(*parse_abi_type("bool"), "yes"));
    auto bad = parse_abi_value(*parse_abi_type("uint8[]"), "[1,300]", "arg 1");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().where == "arg 1[1]");
}

TEST_CASE("decoding refuses dirty padding and out-of-range words as Solidity's decoder does") {
    Bytes word(32, 0);
    word[0] = 1;  // a uint8 with high bits set
    CHECK_FALSE(abi_decode({AbiType::uint(8)}, word));
    CHECK_FALSE(abi_decode({AbiType::address()}, word));
    CHECK_FALSE(abi_decode({AbiType::boolean()}, word));
    Bytes fixed(32, 0);
    fixed[31] = 1;  // bytes1 with a non-zero padding byte
    CHECK_FALSE(abi_decode({AbiType::fixed_bytes(1)}, fixed));
    Bytes neg(32, 0xff);
    neg[0] = 0x7f;  // not a sign-extended int8
    CHECK_FALSE(abi_decode({AbiType::int_(8)}, neg));
}

TEST_CASE("decoding refuses offsets and lengths that point outside the data") {
    Bytes data(64, 0);
    data[31] = 0x40;  // offset 64 = the end
    CHECK_FALSE(abi_decode({AbiType::bytes()}, data));
    data[31] = 0x20;
    data[32] = 0xff;  // length 2^255-ish
    auto r = abi_decode({AbiType::bytes()}, data);
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error().message(), Catch::Contains("value 0"));
    Bytes arr(64, 0);
    arr[31] = 0x20;
    arr[63] = 0xff;  // an array claiming 255 elements in no data
    CHECK_FALSE(abi_decode({AbiType::array(AbiType::uint())}, arr));
}

TEST_CASE("decoding random bytes never crashes") {
    std::mt19937_64 rng(7);
    const std::vector<AbiType> types = {*parse_abi_type("(uint8,bytes,string[])[]"), *parse_abi_type("bytes32[3]"),
                                        *parse_abi_type("(address,(bool,bytes)[])")};
    size_t decoded = 0;
    for (int i = 0; i < 20000; ++i) {
        Bytes data(rng() % 400);
        for (auto& b : data) b = static_cast<uint8_t>(rng() % 4 == 0 ? rng() : 0);  // mostly zeros: small offsets
        if (!data.empty() && rng() % 2) data[31 % data.size()] = static_cast<uint8_t>(32 * (rng() % 8));
        decoded += abi_decode({types[i % 3]}, data).has_value();
    }
    CHECK(decoded > 0);
}

TEST_CASE("decoded values print as cast decode-abi prints them") {
    auto t = *parse_abi_type("(uint256,int256,string,address)");
    AbiValue v(AbiValue::List{U256(123456), AbiValue::from_int(-100000), std::string("a\"b"),
                              *Address::parse("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")});
    CHECK(format_abi_value(t, v) == "(123456 [1.234e5], -100000 [-1e5], \"a\\\"b\", 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed)");
}

#include "chain/encoding/abi_events.hpp"

TEST_CASE("logs decode indexed parameters from topics and the rest from data") {
    auto ev = *parse_abi_signature("Stored(address indexed by, uint256 indexed value, string note, bytes32[] tags)");
    const Address by = *Address::parse("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed");
    Hash32 t1, t2;
    std::copy(by.bytes.begin(), by.bytes.end(), t1.bytes.begin() + 12);
    t2.bytes[31] = 42;
    const Bytes data = *abi_encode({AbiType::string(), AbiType::array(AbiType::fixed_bytes(32))},
                                   {AbiValue(std::string("hi")), AbiValue(AbiValue::List{})});
    auto params = decode_log(ev, {ev.topic(), t1, t2}, data);
    REQUIRE(params);
    REQUIRE(params->size() == 4);
    CHECK((*params)[0].value.address() == by);
    CHECK((*params)[1].value.word() == U256(42));
    CHECK((*params)[2].value.string() == "hi");
    CHECK_FALSE(decode_log(ev, {ev.topic(), t1}, data));  // a topic missing
    CHECK_FALSE(decode_log(ev, {t1, t1, t2}, data));       // not this event
}

TEST_CASE("an indexed string is only its hash in the topic") {
    auto ev = *parse_abi_signature("Named(string indexed name)");
    Hash32 h;
    h.bytes[0] = 0xab;
    auto params = decode_log(ev, {ev.topic(), h}, {});
    REQUIRE(params);
    CHECK((*params)[0].hashed);
    CHECK((*params)[0].value.bytes()[0] == 0xab);
}

TEST_CASE("reverts decode to Error(string), Panic with its meaning, and known custom errors") {
    const Bytes err = *abi_encode_call(*parse_abi_signature("Error(string)"), {AbiValue(std::string("probe: reason"))});
    CHECK(decode_revert(err).text == "Error(\"probe: reason\")");
    const Bytes panic = *abi_encode_call(*parse_abi_signature("Panic(uint256)"), {AbiValue(U256(0x12))});
    CHECK(decode_revert(panic).text == "Panic(0x12: division or modulo by zero)");
    const auto too_large = *parse_abi_signature("TooLarge(uint256 value, uint256 limit)");
    const Bytes custom = *abi_encode_call(too_large, {AbiValue(U256(101)), AbiValue(U256(100))});
    CHECK(decode_revert(custom, {too_large}).text == "TooLarge(101, 100)");
    CHECK(decode_revert(custom).kind == RevertReason::kUnknown);
    CHECK(decode_revert({}).kind == RevertReason::kEmpty);
}

TEST_CASE("tuple nesting is bounded: 64 deep parses, deeper is an error, never a stack overflow") {
    auto nested = [](size_t depth) { return std::string(depth, '(') + "uint8" + std::string(depth, ')'); };
    auto ok = parse_abi_type(nested(64));
    REQUIRE(ok);
    CHECK(ok->canonical().size() == 64 * 2 + 5);
    auto deep = parse_abi_type(nested(65));
    REQUIRE_FALSE(deep);
    CHECK_THAT(deep.error().message(), Catch::Contains("tuples nested deeper than 64"));
    // Hostile text (the abi_text fuzz target's reproducer was 1,300 '(' under ASan).
    CHECK_FALSE(parse_abi_type(std::string(100'000, '(')));
    CHECK_FALSE(parse_abi_signature("f" + std::string(100'000, '(')));
}

TEST_CASE("array dimensions count toward the same nesting bound as tuples") {
    auto dims = [](size_t n) {
        std::string s = "uint8";
        for (size_t i = 0; i < n; ++i) s += "[]";
        return s;
    };
    REQUIRE(parse_abi_type(dims(64)));
    auto deep = parse_abi_type(dims(65));
    REQUIRE_FALSE(deep);
    CHECK_THAT(deep.error().message(), Catch::Contains("types nested deeper than 64"));
    CHECK_FALSE(parse_abi_type("(" + dims(64) + ")"));
    // The abi_text fuzz target's reproducer under ASan: 50,000 "[]" overflowed the stack.
    CHECK_FALSE(parse_abi_type(dims(50'000)));
}

TEST_CASE("a fixed array's length from the type text is checked against the data before anything is allocated") {
    // uint8[999999999] against 96 bytes once reserved 40 GB (abi_text fuzz target, out-of-memory).
    auto huge = parse_abi_type("uint8[999999999]");
    REQUIRE(huge);
    auto decoded = abi_decode({*huge}, Bytes(96, 0));
    REQUIRE_FALSE(decoded);
    CHECK_THAT(decoded.error().message(), Catch::Contains("data too short for uint8[999999999]"));
    // A static head too large for size_t saturates rather than wrapping to a small number.
    auto vast = parse_abi_type("uint8[999999999][999999999][999999999]");
    REQUIRE(vast);
    CHECK(vast->head_size() >= (size_t{1} << 48));
    CHECK_FALSE(abi_decode({*vast}, Bytes(64, 0)));
    // Short fixed arrays still decode exactly.
    auto pair = abi_decode({*parse_abi_type("uint8[2]")}, *abi_encode({*parse_abi_type("uint8[2]")}, {AbiValue(AbiValue::List{AbiValue(U256(1)), AbiValue(U256(2))})}));
    REQUIRE(pair);
}
