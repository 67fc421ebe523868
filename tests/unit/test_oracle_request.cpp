// Decoding RandomWordsRequested logs and the values derived from a request
// (contracts/src/vrf/VRFCoordinator.sol: computePreSeed, computeAlpha, the commitment, words).
#include <catch2/catch.hpp>

#include "chain/encoding/abi_codec.hpp"
#include "chain/crypto/keccak.hpp"
#include "oracle/request.hpp"

using namespace cvex;
using namespace cvex::oracle;
using chain::AbiValue;
using chain::U256;

namespace {

chain::Hash32 word(const U256& v) { return chain::Hash32{v.to_be()}; }

void put(cvex::Bytes& b, const U256& v) {
    const auto w = v.to_be();
    b.insert(b.end(), w.begin(), w.end());
}

chain::Address requester() { return *chain::Address::parse("0x00000000000000000000000000000000000000aa"); }

// A log as the coordinator emits it for request 7, nonce 3, in block 100.
chain::Log request_log() {
    chain::Log l;
    l.topics = {requested_topic(), word(U256(0x1234)), word(U256(7)), chain::Hash32{}};
    const chain::Address who = requester();  // one object: begin() and end() of the same array
    std::copy(who.bytes.begin(), who.bytes.end(), l.topics[3].bytes.begin() + 12);
    put(l.data, U256(3));
    put(l.data, compute_pre_seed(U256(7), requester(), 3));
    put(l.data, U256(100));
    put(l.data, U256(5));
    put(l.data, U256(60'000));
    put(l.data, U256(2));
    put(l.data, U256(123'456));
    l.block_number = 100;
    l.block_hash.bytes[0] = 0xbb;
    l.log_index = 4;
    return l;
}

}  // namespace

TEST_CASE("the event topics are the keccak256 of the coordinator's event signatures") {
    const std::string req = "RandomWordsRequested(bytes32,uint256,address,uint64,uint256,uint64,uint16,uint32,uint32,uint96)";
    CHECK(requested_topic() == chain::keccak256(cvex::ByteView(reinterpret_cast<const uint8_t*>(req.data()), req.size())));
    CHECK(fulfilled_topic().hex() != requested_topic().hex());
}

TEST_CASE("a request log decodes into the commitment's fields") {
    auto r = parse_request_log(request_log());
    REQUIRE(r);
    CHECK(r->request_id == U256(7));
    CHECK(r->key_hash == word(U256(0x1234)));
    CHECK(r->requester == requester());
    CHECK(r->nonce == 3);
    CHECK(r->block_number == 100);
    CHECK(r->min_confirmations == 5);
    CHECK(r->callback_gas_limit == 60'000);
    CHECK(r->num_words == 2);
    CHECK(r->fee == U256(123'456));
    CHECK(r->ready_at() == 105);
    CHECK(r->block_hash.bytes[0] == 0xbb);
    CHECK(r->log_index == 4);
}

TEST_CASE("a malformed request log is refused naming the field") {
    auto field_of = [](chain::Log l) { return parse_request_log(l).error().field; };
    auto l = request_log();
    l.topics.pop_back();
    CHECK(field_of(l) == "topics");
    l = request_log();
    l.topics[0].bytes[0] ^= 1;
    CHECK(field_of(l) == "topics[0]");
    l = request_log();
    l.topics[3].bytes[0] = 1;
    CHECK(field_of(l) == "topics[3]");
    l = request_log();
    l.data.pop_back();
    CHECK(field_of(l) == "data");
    l = request_log();
    l.data[3 * 32 + 29] = 1;  // minConfirmations beyond uint16
    CHECK(field_of(l) == "data.minConfirmations");
    l = request_log();
    l.data[6 * 32 + 19] = 1;  // fee beyond uint96
    CHECK(field_of(l) == "data.fee");
    l = request_log();
    l.block_number = 101;
    CHECK(field_of(l) == "data.blockNumber");
    l = request_log();
    l.data[32 + 31] ^= 1;
    CHECK(field_of(l) == "data.preSeed");
    l = request_log();
    l.topics[2] = chain::Hash32{};
    CHECK(field_of(l) == "topics[2]");
}

TEST_CASE("preSeed, alpha and the commitment hash are keccak256 of their abi.encode") {
    const auto r = *parse_request_log(request_log());
    auto enc = chain::abi_encode({*chain::parse_abi_type("uint256"), *chain::parse_abi_type("address"), *chain::parse_abi_type("uint64")},
                                 {AbiValue(U256(7)), AbiValue(requester()), AbiValue(U256(3))});
    REQUIRE(enc);
    CHECK(compute_pre_seed(U256(7), requester(), 3) == *U256::from_be(chain::keccak256(*enc).bytes));

    chain::Hash32 bh;
    bh.bytes[5] = 9;
    enc = chain::abi_encode({*chain::parse_abi_type("uint256"), *chain::parse_abi_type("bytes32")},
                            {AbiValue(r.pre_seed), AbiValue(bh)});
    CHECK(compute_alpha(r.pre_seed, bh) == chain::keccak256(*enc));

    enc = chain::abi_encode({*chain::parse_abi_type("(uint256,bytes32,address,uint64,uint64,uint16,uint32,uint32,uint96)")},
                            {commitment_value(r)});
    REQUIRE(enc);
    CHECK(commitment_hash(r) == chain::keccak256(*enc));
}

TEST_CASE("words are keccak256(abi.encode(beta, i)) for i below numWords") {
    chain::Hash32 beta;
    beta.bytes[31] = 1;
    const auto words = derive_words(beta, 3);
    REQUIRE(words.size() == 3);
    for (uint32_t i = 0; i < 3; ++i) {
        auto enc = chain::abi_encode({*chain::parse_abi_type("bytes32"), *chain::parse_abi_type("uint256")},
                                     {AbiValue(beta), AbiValue(U256(i))});
        CHECK(words[i] == *U256::from_be(chain::keccak256(*enc).bytes));
    }
    CHECK(derive_words(beta, 0).empty());
}
