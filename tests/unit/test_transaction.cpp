// Transactions against signing_abi_eip712_vectors.json, BasicTests_txtest.json and the
// ethereum/tests TransactionTests cases.
#include <catch2/catch.hpp>

#include <filesystem>

#include "chain/crypto/local_key.hpp"
#include "chain/tx/transaction.hpp"
#include "support/vectors.hpp"

using namespace cvex;
using namespace cvex::chain;
using nlohmann::json;

namespace {

Transaction from_json(const json& t) {
    Transaction tx;
    tx.type = static_cast<TxType>(t.at("type").get<int>());
    tx.chain_id = t.at("chainId").get<uint64_t>();
    tx.nonce = t.at("nonce").get<uint64_t>();
    tx.gas_limit = t.at("gasLimit").get<uint64_t>();
    if (tx.type == TxType::kDynamicFee) {
        tx.max_priority_fee_per_gas = *U256::parse(t.at("maxPriorityFeePerGas").get<std::string>());
        tx.max_fee_per_gas = *U256::parse(t.at("maxFeePerGas").get<std::string>());
    } else {
        tx.gas_price = *U256::parse(t.at("gasPrice").get<std::string>());
    }
    if (!t.at("to").is_null()) tx.to = *Address::parse(t.at("to").get<std::string>());
    tx.value = *U256::parse(t.at("value").get<std::string>());
    tx.data = *from_hex(t.at("data").get<std::string>());
    return tx;
}

// The newest fork a TransactionTests case has a result for.
const json& latest_result(const json& results) {
    for (const char* fork : {"Osaka", "Prague", "Cancun", "Shanghai", "Paris", "London", "Berlin", "Istanbul", "Byzantium"})
        if (results.contains(fork)) return results.at(fork);
    return results.begin().value();
}

}  // namespace

TEST_CASE("signing reproduces every transaction of signing_abi_eip712_vectors.json") {
    const auto vectors = cvex::test::load_vectors("vectors/eth/signing_abi_eip712_vectors.json").at("transactions");
    REQUIRE(vectors.size() >= 4);
    for (const auto& v : vectors) {
        INFO(v.at("name").get<std::string>());
        auto key = LocalKey::from_hex(v.at("private_key").get<std::string>());
        REQUIRE(key);
        Transaction tx = from_json(v.at("tx"));
        const std::string payload_key = v.contains("signing_payload") ? "signing_payload" : "signing_payload_rlp";
        CHECK(to_hex(tx.signing_payload()) == v.at(payload_key).get<std::string>());
        CHECK(tx.signing_hash().hex() == v.at("signing_hash").get<std::string>());
        auto signed_tx = sign_transaction(tx, *key);
        REQUIRE(signed_tx);
        CHECK(to_hex(signed_tx->signature->r) == v.at("r").get<std::string>());
        CHECK(to_hex(signed_tx->signature->s) == v.at("s").get<std::string>());
        CHECK(to_hex(signed_tx->encode()) == v.at("signed_raw").get<std::string>());
        CHECK(signed_tx->hash().hex() == v.at("tx_hash").get<std::string>());
        CHECK(signed_tx->sender()->checksum_hex() == v.at("sender").get<std::string>());
    }
}

TEST_CASE("decoding every signed vector gives back the transaction, its hash and its sender") {
    const auto vectors = cvex::test::load_vectors("vectors/eth/signing_abi_eip712_vectors.json").at("transactions");
    for (const auto& v : vectors) {
        INFO(v.at("name").get<std::string>());
        const Bytes raw = *from_hex(v.at("signed_raw").get<std::string>());
        auto tx = decode_transaction(raw);
        REQUIRE(tx);
        CHECK(tx->encode() == raw);
        CHECK(tx->hash().hex() == v.at("tx_hash").get<std::string>());
        CHECK(tx->sender()->checksum_hex() == v.at("sender").get<std::string>());
    }
}

TEST_CASE("pre-EIP-155 transactions of BasicTests_txtest sign and encode exactly") {
    const auto cases = cvex::test::load_vectors("vectors/eth/BasicTests_txtest.json");
    REQUIRE(cases.size() == 2);
    for (const auto& c : cases) {
        Transaction tx;
        tx.type = TxType::kLegacy;
        tx.nonce = c.at("nonce").get<uint64_t>();
        tx.gas_price = U256(c.at("gasprice").get<uint64_t>());
        tx.gas_limit = c.at("startgas").get<uint64_t>();
        if (!c.at("to").get<std::string>().empty()) tx.to = *Address::parse(c.at("to").get<std::string>());
        tx.value = U256(c.at("value").get<uint64_t>());
        tx.data = *from_hex(c.at("data").get<std::string>());
        auto key = LocalKey::from_hex(c.at("key").get<std::string>());
        auto signed_tx = sign_transaction(tx, *key);
        REQUIRE(signed_tx);
        // These vectors predate EIP-2: where theirs is high-s, ours is its low-s twin
        // (same r, s' = n - s, parity flipped), and theirs no longer decodes to a valid sender.
        auto theirs = decode_transaction(*from_hex(c.at("signed").get<std::string>()));
        REQUIRE(theirs);
        CHECK(theirs->signing_hash() == tx.signing_hash());
        CHECK(signed_tx->signature->r == theirs->signature->r);
        const U256 n = *U256::parse("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
        if (signed_tx->signature->s == theirs->signature->s) {
            CHECK(to_hex(signed_tx->encode(), false) == c.at("signed").get<std::string>());
        } else {
            CHECK(n.wrapping_sub(*U256::from_be(theirs->signature->s)).to_be() == signed_tx->signature->s);
            CHECK(theirs->sender().error() == SignatureError::kHighS);
        }
    }
}

TEST_CASE("every TransactionTests case decodes to its sender and hash, or fails as expected") {
    size_t valid = 0, invalid = 0;
    for (const auto& entry : std::filesystem::directory_iterator(cvex::test::shared_path("vectors/eth"))) {
        const std::string name = entry.path().filename();
        if (name.rfind("TransactionTests_", 0) != 0) continue;
        const auto file = cvex::test::load_vectors("vectors/eth/" + name);
        for (const auto& [case_name, c] : file.items()) {
            INFO(name << " / " << case_name);
            const json& expect = latest_result(c.at("result"));
            auto tx = decode_transaction(*from_hex(c.at("txbytes").get<std::string>()));
            if (expect.contains("exception")) {
                ++invalid;
                REQUIRE_FALSE(tx);
                const std::string ex = expect.at("exception").get<std::string>();
                if (ex.find("RLP_LEADING_ZEROS") != std::string::npos) {
                    // A zero byte in front of an integer: as a leading zero, or as 0x8100 (a
                    // zero that should have been the single byte 0x80).
                    REQUIRE(tx.error().rlp);
                    CHECK((tx.error().rlp->code == rlp::DecodingError::kLeadingZero ||
                           tx.error().rlp->code == rlp::DecodingError::kNonCanonicalSingleByte));
                }
                if (ex.find("TYPE_NOT_SUPPORTED") != std::string::npos) CHECK(tx.error().code == TxError::kUnsupportedType);
            } else {
                ++valid;
                REQUIRE(tx);
                CHECK(tx->hash().hex() == expect.at("hash").get<std::string>());
                CHECK(tx->sender()->hex() == expect.at("sender").get<std::string>());
                CHECK(U256(tx->intrinsic_gas()).hex() == U256::parse(expect.at("intrinsicGas").get<std::string>())->hex());
            }
        }
    }
    CHECK(valid == 4);
    CHECK(invalid == 2);
}

TEST_CASE("decoding names the malformed field") {
    // An EIP-1559 transaction whose `to` is 19 bytes.
    Transaction tx;
    tx.chain_id = 1;
    auto key = LocalKey::from_hex("0x4646464646464646464646464646464646464646464646464646464646464646");
    Bytes raw = sign_transaction(tx, *key)->encode();
    CHECK(decode_transaction(raw));
    CHECK(decode_transaction(Bytes{0x03, 0xc0}).error().code == TxError::kUnsupportedType);
    // The same fields with a 19-byte `to`.
    Bytes fields;
    for (int i = 0; i < 5; ++i) fields.push_back(0x80);  // chainId .. gasLimit
    rlp::encode_string(fields, Bytes(19, 0x88));
    for (uint8_t b : {0x80, 0x80, 0xc0, 0x80, 0x80, 0x80}) fields.push_back(b);
    Bytes bad_to{0x02};
    rlp::encode_list_payload(bad_to, fields);
    auto r = decode_transaction(bad_to);
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error().message(), Catch::Contains("to"));
}

TEST_CASE("legacy v encodes the chain id per EIP-155") {
    Transaction tx;
    tx.type = TxType::kLegacy;
    tx.chain_id = 1;
    tx.signature = Signature{};
    tx.signature->y_parity = 0;
    CHECK(tx.legacy_v() == U256(37));
    tx.chain_id.reset();
    CHECK(tx.legacy_v() == U256(27));
}
