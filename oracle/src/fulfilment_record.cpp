#include "oracle/fulfilment_record.hpp"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "chain/encoding/abi_codec.hpp"
#include "oracle/coordinator_client.hpp"

namespace cvex::oracle {

using chain::U256;
using cvex::Unexpected;

namespace {

vrf::PointBytes compress(const chain::AbiValue& xy) {
    vrf::PointBytes p{};
    const auto& l = xy.list();
    p[0] = l[1].word().bit(0) ? 0x03 : 0x02;
    const auto x = l[0].word().to_be();
    std::copy(x.begin(), x.end(), p.begin() + 1);
    return p;
}

// pi = point_to_string(Gamma) || c (16 bytes) || s (32 bytes), RFC 9381 §5.5.
vrf::ProofBytes proof_bytes(const chain::AbiValue& proof) {
    const auto& f = proof.list();
    vrf::ProofBytes pi{};
    const auto gamma = compress(f[1]);
    std::copy(gamma.begin(), gamma.end(), pi.begin());
    const auto c = f[2].word().to_be();
    std::copy(c.begin() + 16, c.end(), pi.begin() + 33);
    const auto s = f[3].word().to_be();
    std::copy(s.begin(), s.end(), pi.begin() + 49);
    return pi;
}

// The (proof, commitment) pairs of a fulfilment transaction's calldata.
cvex::Expected<std::vector<std::pair<chain::AbiValue, chain::AbiValue>>, OracleError> entries_of(const cvex::Bytes& input) {
    const auto& abi = CoordinatorClient::abi();
    const auto* single = abi.function("fulfillRandomWords");
    const auto* batch = abi.function("fulfillRandomWordsBatch");
    if (input.size() < 4) return oracle_failure("calldata shorter than a selector");
    const cvex::ByteView args(input.data() + 4, input.size() - 4);
    std::vector<std::pair<chain::AbiValue, chain::AbiValue>> out;
    if (std::equal(input.begin(), input.begin() + 4, single->selector().begin())) {
        auto v = chain::abi_decode(single->input_types(), args);
        if (!v) return oracle_failure("fulfillRandomWords calldata: " + v.error().detail);
        out.emplace_back((*v)[0], (*v)[1]);
    } else if (std::equal(input.begin(), input.begin() + 4, batch->selector().begin())) {
        auto v = chain::abi_decode(batch->input_types(), args);
        if (!v) return oracle_failure("fulfillRandomWordsBatch calldata: " + v.error().detail);
        const auto& ps = (*v)[0].list();
        const auto& rcs = (*v)[1].list();
        for (size_t i = 0; i < ps.size() && i < rcs.size(); ++i) out.emplace_back(ps[i], rcs[i]);
    } else {
        return oracle_failure("not a call to fulfillRandomWords(Batch)");
    }
    return out;
}

std::string hex(cvex::ByteView b) { return cvex::to_hex(b); }

// The CallbackFailed log of request `id` in transaction `tx` (block `block`), decoded.
cvex::Expected<std::optional<CallbackFailure>, OracleError> callback_failure(chain::EthClient& client, const chain::Address& coordinator,
                                                                             const U256& id, const chain::Hash32& tx, uint64_t block) {
    chain::LogFilter f;
    f.addresses = {coordinator};
    f.topics = {std::vector<chain::Hash32>{callback_failed_topic()}, std::vector<chain::Hash32>{chain::Hash32{id.to_be()}}};
    f.from_block = block;
    f.to_block = block;
    auto logs = client.logs(f);
    if (!logs) return oracle_failure("CallbackFailed logs: " + logs.error().message());
    const auto* event = CoordinatorClient::abi().event("CallbackFailed");
    for (const auto& l : *logs) {
        if (l.transaction_hash != tx) continue;
        auto ev = chain::decode_log(*event, l.topics, l.data);
        if (!ev) return oracle_failure("CallbackFailed in " + tx.hex() + ": " + ev.error().detail);
        CallbackFailure c;
        c.out_of_gas = (*ev)[1].value.boolean();
        c.revert_data = (*ev)[2].value.bytes();
        if (!c.revert_data.empty()) c.reason = chain::decode_revert(c.revert_data).text;
        return std::optional<CallbackFailure>(std::move(c));
    }
    return std::optional<CallbackFailure>{};
}

}  // namespace

std::string CallbackFailure::summary() const {
    if (out_of_gas) return "ran out of its gas limit";
    if (revert_data.empty()) return "reverted without a reason";
    return "reverted: " + reason;
}

cvex::Expected<std::vector<FulfilmentRecord>, OracleError> read_fulfilments(chain::EthClient& client, const chain::Address& coordinator,
                                                                             uint64_t from, uint64_t to, const std::vector<U256>& ids) {
    chain::LogFilter filter;
    filter.addresses = {coordinator};
    filter.topics = {std::vector<chain::Hash32>{fulfilled_topic()}};
    if (!ids.empty()) {
        std::vector<chain::Hash32> t;
        for (const auto& id : ids) t.push_back(chain::Hash32{id.to_be()});
        filter.topics.emplace_back(std::move(t));
    }
    filter.from_block = from;
    filter.to_block = to;
    auto logs = client.logs(filter);
    if (!logs) return oracle_failure("RandomWordsFulfilled logs: " + logs.error().message());

    struct Call {
        chain::Address from;  // the oracle that sent it, as the node reports the transaction
        std::vector<std::pair<chain::AbiValue, chain::AbiValue>> entries;
    };
    std::map<chain::Hash32, Call> calls;  // per transaction
    std::vector<FulfilmentRecord> out;
    const auto* fulfilled = CoordinatorClient::abi().event("RandomWordsFulfilled");
    for (const auto& l : *logs) {
        auto ev = chain::decode_log(*fulfilled, l.topics, l.data);
        if (!ev) return oracle_failure("RandomWordsFulfilled in " + l.transaction_hash.hex() + ": " + ev.error().detail);
        const U256 id = (*ev)[0].value.word();
        FulfilmentRecord rec;
        std::copy_n((*ev)[2].value.bytes().begin(), 32, rec.beta.bytes.begin());
        rec.callback_success = (*ev)[4].value.boolean();
        rec.transaction_hash = l.transaction_hash;
        rec.block_number = l.block_number;
        const std::string what = "request " + id.dec();

        auto it = calls.find(l.transaction_hash);
        if (it == calls.end()) {
            auto tx = client.transaction_by_hash(l.transaction_hash);
            if (!tx || !*tx) return oracle_failure(what + ": transaction " + l.transaction_hash.hex() + " not found");
            auto entries = entries_of((*tx)->input);
            if (!entries) return oracle_failure(what + ": " + entries.error().message());
            it = calls.emplace(l.transaction_hash, Call{(*tx)->from, std::move(*entries)}).first;
        }
        const auto& entries = it->second.entries;
        const auto entry = std::find_if(entries.begin(), entries.end(), [&](const auto& e) { return e.second.list()[0].word() == id; });
        if (entry == entries.end()) return oracle_failure(what + ": no entry for it in " + l.transaction_hash.hex());
        rec.oracle = it->second.from;

        // The request as it was logged (its block and seed).
        const std::vector<std::optional<std::vector<chain::Hash32>>> topics{
            std::vector<chain::Hash32>{requested_topic()}, std::nullopt, std::vector<chain::Hash32>{chain::Hash32{id.to_be()}}};
        chain::LogFilter rf;
        rf.addresses = {coordinator};
        rf.topics = topics;
        rf.from_block = 0;
        rf.to_block = l.block_number;
        auto req_logs = client.logs(rf);
        if (!req_logs || req_logs->empty()) return oracle_failure(what + ": its RandomWordsRequested log was not found");
        auto req = parse_request_log(req_logs->back());
        if (!req) return oracle_failure(what + ": " + req.error().message());
        rec.request = *req;
        rec.request_block_hash = req->block_hash;
        rec.pk = compress(entry->first.list()[0]);
        rec.pi = proof_bytes(entry->first);
        rec.alpha = compute_alpha(req->pre_seed, req->block_hash);
        auto beta = vrf::verify<vrf::Secp256k1Group>(rec.pk, rec.alpha.bytes, rec.pi);
        if (!beta) return oracle_failure(what + ": the proof does not verify: " + vrf::to_string(beta.error()));
        if (*beta != rec.beta) return oracle_failure(what + ": the proof's beta " + beta->hex() + " is not the emitted " + rec.beta.hex());
        rec.words = derive_words(rec.beta, req->num_words);
        if (!rec.callback_success) {
            auto failure = callback_failure(client, coordinator, id, l.transaction_hash, l.block_number);
            if (!failure) return oracle_failure(what + ": " + failure.error().message());
            rec.callback_failure = *failure;
        }
        out.push_back(std::move(rec));
    }
    return out;
}

std::string to_json_line(const FulfilmentRecord& r) {
    nlohmann::json words = nlohmann::json::array();
    for (const auto& w : r.words) words.push_back(w.dec());
    nlohmann::json j{{"request_id", r.request.request_id.dec()},
                          {"pk", hex(r.pk)},
                          {"alpha", hex(r.alpha.bytes)},
                          {"proof", hex(r.pi)},
                          {"beta", hex(r.beta.bytes)},
                          {"words", words},
                          {"callback_success", r.callback_success},
                          {"tx", hex(r.transaction_hash.bytes)},
                          {"block", r.block_number},
                          {"oracle", r.oracle.checksum_hex()},
                          {"key_hash", hex(r.request.key_hash.bytes)}};
    if (r.callback_failure) {
        j["callback"] = {{"out_of_gas", r.callback_failure->out_of_gas},
                         {"revert_data", hex(r.callback_failure->revert_data)},
                         {"reason", r.callback_failure->reason}};
    }
    return j.dump();
}

}  // namespace cvex::oracle
