#include "oracle/request.hpp"

#include <cstring>

#include "chain/crypto/keccak.hpp"

namespace cvex::oracle {

using chain::AbiValue;
using chain::Hash32;
using chain::U256;
using cvex::Unexpected;

namespace {

// Event data after the three indexed topics: nonce, preSeed, blockNumber, minConfirmations,
// callbackGasLimit, numWords, fee — seven static words.
constexpr size_t kDataWords = 7;

Hash32 topic_of(std::string_view signature) {
    return chain::keccak256(cvex::ByteView(reinterpret_cast<const uint8_t*>(signature.data()), signature.size()));
}

U256 word_at(const cvex::Bytes& data, size_t i) { return *U256::from_be(cvex::ByteView(data.data() + 32 * i, 32)); }

// A word that must fit `bits` (the Solidity type's width): the ABI pads with zeros.
cvex::Expected<uint64_t, RequestError> narrow(const U256& w, unsigned bits, const char* field) {
    if (w.bit_length() > bits) return Unexpected{RequestError{field, "does not fit uint" + std::to_string(bits) + ": " + w.dec()}};
    return w.low_u64();
}

void put_word(cvex::Bytes& out, const U256& w) {
    const auto be = w.to_be();
    out.insert(out.end(), be.begin(), be.end());
}

}  // namespace

const Hash32& requested_topic() {
    static const Hash32 t = topic_of("RandomWordsRequested(bytes32,uint256,address,uint64,uint256,uint64,uint16,uint32,uint32,uint96)");
    return t;
}

const Hash32& fulfilled_topic() {
    static const Hash32 t = topic_of("RandomWordsFulfilled(uint256,bytes32,bytes32,uint96,bool)");
    return t;
}

const Hash32& callback_failed_topic() {
    static const Hash32 t = topic_of("CallbackFailed(uint256,bool,bytes)");
    return t;
}

cvex::Expected<VrfRequest, RequestError> parse_request_log(const chain::Log& log) {
    if (log.topics.size() != 4) return Unexpected{RequestError{"topics", "expected 4 topics, got " + std::to_string(log.topics.size())}};
    if (log.topics[0] != requested_topic()) return Unexpected{RequestError{"topics[0]", "not the RandomWordsRequested signature"}};
    if (log.data.size() != 32 * kDataWords)
        return Unexpected{RequestError{"data", "expected " + std::to_string(32 * kDataWords) + " bytes, got " + std::to_string(log.data.size())}};
    VrfRequest r;
    r.key_hash = log.topics[1];
    r.request_id = *U256::from_be(log.topics[2].bytes);
    if (r.request_id.is_zero()) return Unexpected{RequestError{"topics[2]", "request id 0 is never issued"}};
    const auto& req = log.topics[3].bytes;
    for (size_t i = 0; i < 12; ++i)
        if (req[i] != 0) return Unexpected{RequestError{"topics[3]", "requester is not a left-padded address"}};
    std::memcpy(r.requester.bytes.data(), req.data() + 12, 20);

    auto nonce = narrow(word_at(log.data, 0), 64, "data.nonce");
    auto block = narrow(word_at(log.data, 2), 64, "data.blockNumber");
    auto conf = narrow(word_at(log.data, 3), 16, "data.minConfirmations");
    auto gas = narrow(word_at(log.data, 4), 32, "data.callbackGasLimit");
    auto words = narrow(word_at(log.data, 5), 32, "data.numWords");
    for (const auto* e : {&nonce, &block, &conf, &gas, &words})
        if (!*e) return Unexpected{e->error()};
    const U256 fee = word_at(log.data, 6);
    if (fee.bit_length() > 96) return Unexpected{RequestError{"data.fee", "does not fit uint96: " + fee.dec()}};
    r.nonce = *nonce;
    r.pre_seed = word_at(log.data, 1);
    r.block_number = *block;
    r.min_confirmations = static_cast<uint16_t>(*conf);
    r.callback_gas_limit = static_cast<uint32_t>(*gas);
    r.num_words = static_cast<uint32_t>(*words);
    r.fee = fee;
    // The coordinator stamps block.number; a log claiming another block is not from it.
    if (r.block_number != log.block_number)
        return Unexpected{RequestError{"data.blockNumber", std::to_string(r.block_number) + " but the log is in block " +
                                                               std::to_string(log.block_number)}};
    if (r.pre_seed != compute_pre_seed(r.request_id, r.requester, r.nonce))
        return Unexpected{RequestError{"data.preSeed", "not keccak256(abi.encode(requestId, requester, nonce))"}};
    r.block_hash = log.block_hash;
    r.transaction_hash = log.transaction_hash;
    r.log_index = log.log_index;
    return r;
}

AbiValue commitment_value(const VrfRequest& r) {
    return AbiValue(AbiValue::List{AbiValue(r.request_id), AbiValue(r.key_hash),
                                   AbiValue(r.requester), AbiValue(U256(r.nonce)), AbiValue(U256(r.block_number)),
                                   AbiValue(U256(r.min_confirmations)), AbiValue(U256(r.callback_gas_limit)),
                                   AbiValue(U256(r.num_words)), AbiValue(r.fee)});
}

Hash32 commitment_hash(const VrfRequest& r) {
    // abi.encode of a static struct: its fields as consecutive words.
    cvex::Bytes enc;
    enc.reserve(9 * 32);
    put_word(enc, r.request_id);
    enc.insert(enc.end(), r.key_hash.bytes.begin(), r.key_hash.bytes.end());
    enc.insert(enc.end(), 12, 0);
    enc.insert(enc.end(), r.requester.bytes.begin(), r.requester.bytes.end());
    for (uint64_t v : {r.nonce, r.block_number, uint64_t{r.min_confirmations}, uint64_t{r.callback_gas_limit}, uint64_t{r.num_words}})
        put_word(enc, U256(v));
    put_word(enc, r.fee);
    return chain::keccak256(enc);
}

U256 compute_pre_seed(const U256& request_id, const chain::Address& requester, uint64_t nonce) {
    cvex::Bytes enc;
    enc.reserve(96);
    put_word(enc, request_id);
    enc.insert(enc.end(), 12, 0);
    enc.insert(enc.end(), requester.bytes.begin(), requester.bytes.end());
    put_word(enc, U256(nonce));
    return *U256::from_be(chain::keccak256(enc).bytes);
}

Hash32 compute_alpha(const U256& pre_seed, const Hash32& request_block_hash) {
    cvex::Bytes enc;
    enc.reserve(64);
    put_word(enc, pre_seed);
    enc.insert(enc.end(), request_block_hash.bytes.begin(), request_block_hash.bytes.end());
    return chain::keccak256(enc);
}

std::vector<U256> derive_words(const Hash32& beta, uint32_t num_words) {
    std::vector<U256> words;
    words.reserve(num_words);
    cvex::Bytes enc(beta.bytes.begin(), beta.bytes.end());
    enc.resize(64);
    for (uint32_t i = 0; i < num_words; ++i) {
        const auto be = U256(i).to_be();
        std::copy(be.begin(), be.end(), enc.begin() + 32);
        words.push_back(*U256::from_be(chain::keccak256(enc).bytes));
    }
    return words;
}

}  // namespace cvex::oracle
