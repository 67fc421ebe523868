// EIP-712 against its own "Mail" example (eip712_mail.json and the intermediate hashes in
// signing_abi_eip712_vectors.json).
#include <catch2/catch.hpp>

#include "chain/encoding/eip712.hpp"
#include "chain/crypto/local_key.hpp"
#include "support/vectors.hpp"

using namespace cvex;
using namespace cvex::chain;

namespace {
const nlohmann::json& expected() {
    static const auto j = cvex::test::load_vectors("vectors/eth/signing_abi_eip712_vectors.json").at("eip712_mail");
    return j;
}
TypedData mail() { return *parse_typed_data(cvex::test::load_vectors("vectors/eth/eip712_mail.json")); }
}  // namespace

TEST_CASE("encodeType lists the primary type then its references, sorted") {
    CHECK(*eip712_encode_type(mail().types, "Mail") == expected().at("encodeType_Mail").get<std::string>());
    CHECK(eip712_type_hash(mail().types, "Mail")->hex() == expected().at("typeHash_Mail").get<std::string>());
}

TEST_CASE("encodeData and hashStruct of the Mail message") {
    const TypedData td = mail();
    CHECK(to_hex(*eip712_encode_data(td.types, "Mail", td.message)) == expected().at("encodeData_Mail").get<std::string>());
    CHECK(eip712_hash_struct(td.types, "Mail", td.message)->hex() == expected().at("hashStruct_Mail").get<std::string>());
}

TEST_CASE("the domain separator and the signing hash of the Mail example") {
    const TypedData td = mail();
    CHECK(eip712_domain_separator(td)->hex() == expected().at("domainSeparator").get<std::string>());
    CHECK(eip712_signing_hash(td)->hex() == expected().at("signHash").get<std::string>());
    CHECK(eip712_domain_separator("Ether Mail", "1", 1, *Address::parse("0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC")).hex() ==
          expected().at("domainSeparator").get<std::string>());
}

TEST_CASE("signing the Mail example with keccak256(\"cow\") reproduces its signature") {
    auto key = LocalKey::from_hex(expected().at("private_key").get<std::string>());
    REQUIRE(key);
    CHECK(key->address().hex() == expected().at("address").get<std::string>());
    auto sig = key->sign_digest(*eip712_signing_hash(mail()));
    REQUIRE(sig);
    CHECK(to_hex(sig->to_rsv()) == expected().at("signature_rsv").get<std::string>());
}

TEST_CASE("missing fields and unknown types are named") {
    TypedData td = mail();
    td.message.at("from").erase("wallet");
    auto r = eip712_hash_struct(td.types, "Mail", td.message);
    REQUIRE_FALSE(r);
    CHECK(r.error().path == "message.from.wallet");
    CHECK_FALSE(eip712_type_hash(td.types, "Nope"));
    auto bad = nlohmann::json::parse(R"({"types":{"EIP712Domain":[]},"primaryType":"X","domain":{},"message":{}})");
    CHECK(parse_typed_data(bad).error().path == "primaryType");
}
