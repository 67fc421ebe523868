#include "chain/rpc/rpc_json.hpp"

#include "chain/crypto/keccak.hpp"

namespace cvex::chain {

std::string BlockTag::str() const {
    if (const auto* n = std::get_if<uint64_t>(&v)) return U256(*n).hex();
    return std::get<std::string>(v);
}

std::optional<U256> TransactionInfo::effective_tip(const U256& base_fee) const {
    const std::optional<U256>& cap = max_fee_per_gas ? max_fee_per_gas : gas_price;
    if (!cap || *cap < base_fee) return std::nullopt;
    const U256 room = cap->wrapping_sub(base_fee);  // cap ≥ base fee, checked above
    if (max_fee_per_gas && max_priority_fee_per_gas) return std::min(room, *max_priority_fee_per_gas);
    return room;
}

namespace rpc_json {

using nlohmann::json;

namespace {

Unexpected<Error> bad(const std::string& field, const std::string& what) { return Unexpected{field + ": expected " + what}; }

const json* member(const json& j, const char* key) {
    if (!j.is_object()) return nullptr;
    auto it = j.find(key);
    return it == j.end() || it->is_null() ? nullptr : &*it;
}


template <class T, class F>
Expected<T, Error> required(const json& j, const char* key, const std::string& prefix, F&& parse) {
    const json* m = member(j, key);
    if (!m) return Unexpected{prefix + "." + key + ": missing"};
    return parse(*m, prefix + "." + key);
}

}  // namespace

Expected<U256, Error> quantity(const json& j, const std::string& field) {
    if (!j.is_string()) return bad(field, "a hex quantity");
    const std::string s = j.get<std::string>();
    if (s.rfind("0x", 0) != 0) return bad(field, "a 0x-prefixed quantity, got '" + s + "'");
    auto v = U256::parse_hex(s);
    if (!v) return bad(field, "a hex quantity, got '" + s + "'");
    return *v;
}

Expected<uint64_t, Error> quantity_u64(const json& j, const std::string& field) {
    CVEX_TRY(v, quantity(j, field));
    if (!v->fits_u64()) return bad(field, "a quantity below 2^64");
    return v->low_u64();
}

Expected<Hash32, Error> hash(const json& j, const std::string& field) {
    if (!j.is_string()) return bad(field, "a 32-byte hex string");
    auto h = Hash32::from_hex(j.get<std::string>());
    if (!h) return bad(field, "a 32-byte hex string");
    return *h;
}

Expected<Address, Error> address(const json& j, const std::string& field) {
    if (!j.is_string()) return bad(field, "an address");
    auto a = Address::parse(j.get<std::string>());
    if (!a) return bad(field, std::string("an address (") + to_string(a.error()) + ")");
    return *a;
}

Expected<Bytes, Error> data(const json& j, const std::string& field) {
    if (!j.is_string()) return bad(field, "0x-hex data");
    auto b = from_hex(j.get<std::string>());
    if (!b) return bad(field, "0x-hex data");
    return *b;
}

Expected<Block, Error> block(const json& j) {
    if (!j.is_object()) return bad("block", "an object");
    Block b;
    CVEX_TRY(number, required<uint64_t>(j, "number", "block", quantity_u64));
    CVEX_TRY(h, required<Hash32>(j, "hash", "block", hash));
    CVEX_TRY(parent, required<Hash32>(j, "parentHash", "block", hash));
    CVEX_TRY(ts, required<uint64_t>(j, "timestamp", "block", quantity_u64));
    CVEX_TRY(gl, required<uint64_t>(j, "gasLimit", "block", quantity_u64));
    CVEX_TRY(gu, required<uint64_t>(j, "gasUsed", "block", quantity_u64));
    b.number = *number, b.hash = *h, b.parent_hash = *parent, b.timestamp = *ts, b.gas_limit = *gl, b.gas_used = *gu;
    if (const json* bf = member(j, "baseFeePerGas")) {
        CVEX_TRY(fee, quantity(*bf, "block.baseFeePerGas"));
        b.base_fee_per_gas = *fee;
    }
    if (const json* txs = member(j, "transactions")) {
        if (!txs->is_array()) return bad("block.transactions", "an array");
        for (size_t i = 0; i < txs->size(); ++i) {
            const json& t = (*txs)[i];
            CVEX_TRY(th, hash(t.is_object() && t.contains("hash") ? t.at("hash") : t, "block.transactions[" + std::to_string(i) + "]"));
            b.transactions.push_back(*th);
        }
    }
    return b;
}

Expected<Log, Error> log(const json& j) {
    if (!j.is_object()) return bad("log", "an object");
    Log l;
    CVEX_TRY(a, required<Address>(j, "address", "log", address));
    CVEX_TRY(d, required<Bytes>(j, "data", "log", data));
    l.address = *a, l.data = std::move(*d);
    const json* topics = member(j, "topics");
    if (!topics || !topics->is_array()) return bad("log.topics", "an array");
    for (size_t i = 0; i < topics->size(); ++i) {
        CVEX_TRY(t, hash((*topics)[i], "log.topics[" + std::to_string(i) + "]"));
        l.topics.push_back(*t);
    }
    // Pending logs have no block yet; mined ones have all of these.
    if (const json* n = member(j, "blockNumber")) {
        CVEX_TRY(bn, quantity_u64(*n, "log.blockNumber"));
        l.block_number = *bn;
    }
    if (const json* h = member(j, "blockHash")) {
        CVEX_TRY(bh, hash(*h, "log.blockHash"));
        l.block_hash = *bh;
    }
    if (const json* h = member(j, "transactionHash")) {
        CVEX_TRY(th, hash(*h, "log.transactionHash"));
        l.transaction_hash = *th;
    }
    if (const json* n = member(j, "transactionIndex")) {
        CVEX_TRY(ti, quantity_u64(*n, "log.transactionIndex"));
        l.transaction_index = *ti;
    }
    if (const json* n = member(j, "logIndex")) {
        CVEX_TRY(li, quantity_u64(*n, "log.logIndex"));
        l.log_index = *li;
    }
    if (const json* r = member(j, "removed")) l.removed = r->is_boolean() && r->get<bool>();
    return l;
}

Expected<Receipt, Error> receipt(const json& j) {
    if (!j.is_object()) return bad("receipt", "an object");
    Receipt r;
    CVEX_TRY(th, required<Hash32>(j, "transactionHash", "receipt", hash));
    CVEX_TRY(bn, required<uint64_t>(j, "blockNumber", "receipt", quantity_u64));
    CVEX_TRY(bh, required<Hash32>(j, "blockHash", "receipt", hash));
    CVEX_TRY(ti, required<uint64_t>(j, "transactionIndex", "receipt", quantity_u64));
    CVEX_TRY(from, required<Address>(j, "from", "receipt", address));
    CVEX_TRY(status, required<uint64_t>(j, "status", "receipt", quantity_u64));
    CVEX_TRY(gu, required<uint64_t>(j, "gasUsed", "receipt", quantity_u64));
    CVEX_TRY(cgu, required<uint64_t>(j, "cumulativeGasUsed", "receipt", quantity_u64));
    r.transaction_hash = *th, r.block_number = *bn, r.block_hash = *bh, r.transaction_index = *ti, r.from = *from;
    r.status = *status == 1, r.gas_used = *gu, r.cumulative_gas_used = *cgu;
    if (const json* p = member(j, "effectiveGasPrice")) {
        CVEX_TRY(egp, quantity(*p, "receipt.effectiveGasPrice"));
        r.effective_gas_price = *egp;
    }
    if (const json* to = member(j, "to")) {
        CVEX_TRY(a, address(*to, "receipt.to"));
        r.to = *a;
    }
    if (const json* ca = member(j, "contractAddress")) {
        CVEX_TRY(a, address(*ca, "receipt.contractAddress"));
        r.contract_address = *a;
    }
    if (const json* logs = member(j, "logs")) {
        for (const auto& lj : *logs) {
            CVEX_TRY(l, log(lj));
            r.logs.push_back(std::move(*l));
        }
    }
    return r;
}

Expected<TransactionInfo, Error> transaction(const json& j) {
    if (!j.is_object()) return bad("transaction", "an object");
    TransactionInfo t;
    CVEX_TRY(h, required<Hash32>(j, "hash", "transaction", hash));
    CVEX_TRY(from, required<Address>(j, "from", "transaction", address));
    CVEX_TRY(nonce, required<uint64_t>(j, "nonce", "transaction", quantity_u64));
    CVEX_TRY(value, required<U256>(j, "value", "transaction", quantity));
    CVEX_TRY(gas, required<uint64_t>(j, "gas", "transaction", quantity_u64));
    CVEX_TRY(input, required<Bytes>(j, "input", "transaction", data));
    t.hash = *h, t.from = *from, t.nonce = *nonce, t.value = *value, t.gas = *gas, t.input = std::move(*input);
    if (const json* to = member(j, "to")) {
        CVEX_TRY(a, address(*to, "transaction.to"));
        t.to = *a;
    }
    if (const json* n = member(j, "blockNumber")) {
        CVEX_TRY(bn, quantity_u64(*n, "transaction.blockNumber"));
        t.block_number = *bn;
    }
    if (const json* bh = member(j, "blockHash")) {
        CVEX_TRY(h2, hash(*bh, "transaction.blockHash"));
        t.block_hash = *h2;
    }
    // Optional: a node may leave out the fields of another transaction type.
    for (auto [name, field] : {std::pair{"gasPrice", &t.gas_price}, std::pair{"maxFeePerGas", &t.max_fee_per_gas},
                               std::pair{"maxPriorityFeePerGas", &t.max_priority_fee_per_gas}}) {
        if (const json* f = member(j, name)) {
            CVEX_TRY(v, quantity(*f, std::string("transaction.") + name));
            *field = *v;
        }
    }
    return t;
}

Expected<std::vector<SimulatedCall>, Error> simulated_calls(const json& j) {
    // eth_simulateV1 answers one block per blockStateCalls entry; cvex sends one.
    if (!j.is_array() || j.size() != 1) return bad("eth_simulateV1", "an array of one block");
    const json* calls = member(j[0], "calls");
    if (!calls || !calls->is_array()) return bad("eth_simulateV1[0].calls", "an array");
    std::vector<SimulatedCall> out;
    for (const auto& c : *calls) {
        if (!c.is_object()) return bad("eth_simulateV1[0].calls[]", "an object");
        SimulatedCall r;
        CVEX_TRY(status, required<uint64_t>(c, "status", "eth_simulateV1 call", quantity_u64));
        CVEX_TRY(ret, required<Bytes>(c, "returnData", "eth_simulateV1 call", data));
        CVEX_TRY(gas, required<uint64_t>(c, "gasUsed", "eth_simulateV1 call", quantity_u64));
        r.success = *status == 1, r.return_data = std::move(*ret), r.gas_used = *gas;
        if (const json* e = member(c, "error"); e && e->is_object() && e->contains("message") && (*e)["message"].is_string())
            r.error = (*e)["message"].get<std::string>();
        out.push_back(std::move(r));
    }
    return out;
}

Expected<FeeHistory, Error> fee_history(const json& j) {
    if (!j.is_object()) return bad("feeHistory", "an object");
    FeeHistory f;
    CVEX_TRY(oldest, required<uint64_t>(j, "oldestBlock", "feeHistory", quantity_u64));
    f.oldest_block = *oldest;
    const json* fees = member(j, "baseFeePerGas");
    if (!fees || !fees->is_array()) return bad("feeHistory.baseFeePerGas", "an array");
    for (const auto& x : *fees) {
        CVEX_TRY(v, quantity(x, "feeHistory.baseFeePerGas"));
        f.base_fee_per_gas.push_back(*v);
    }
    if (const json* ratios = member(j, "gasUsedRatio"))
        for (const auto& x : *ratios) f.gas_used_ratio.push_back(x.is_number() ? x.get<double>() : 0.0);
    if (const json* rewards = member(j, "reward")) {
        for (const auto& row : *rewards) {
            std::vector<U256> r;
            for (const auto& x : row) {
                CVEX_TRY(v, quantity(x, "feeHistory.reward"));
                r.push_back(*v);
            }
            f.reward.push_back(std::move(r));
        }
    }
    return f;
}

std::string quantity_text(const U256& v) { return v.hex(); }
std::string quantity_text(uint64_t v) { return U256(v).hex(); }

json to_json(const CallRequest& c) {
    json j = json::object();
    if (c.from) j["from"] = c.from->hex();
    if (c.to) j["to"] = c.to->hex();
    j["data"] = to_hex(c.data);  // "input" in newer specs; every node still reads "data"
    if (c.value) j["value"] = c.value->hex();
    if (c.gas) j["gas"] = quantity_text(*c.gas);
    return j;
}

json to_json(const LogFilter& f) {
    json j = {{"fromBlock", quantity_text(f.from_block)}, {"toBlock", quantity_text(f.to_block)}};
    if (f.addresses.size() == 1) j["address"] = f.addresses[0].hex();
    else if (!f.addresses.empty()) {
        j["address"] = json::array();
        for (const auto& a : f.addresses) j["address"].push_back(a.hex());
    }
    if (!f.topics.empty()) {
        json topics = json::array();
        for (const auto& t : f.topics) {
            if (!t) {
                topics.push_back(nullptr);
                continue;
            }
            json any = json::array();
            for (const auto& h : *t) any.push_back(h.hex());
            topics.push_back(any.size() == 1 ? any[0] : any);
        }
        j["topics"] = topics;
    }
    return j;
}

#undef CVEX_TRY

Expected<Hash32, Error> raw_transaction_hash(const nlohmann::json& params) {
    if (!params.is_array() || params.empty() || !params[0].is_string()) return Unexpected{Error("expected [raw]")};
    auto raw = from_hex(params[0].get<std::string>());
    if (!raw) return Unexpected{Error("raw transaction is not hex")};
    return keccak256(*raw);
}

}  // namespace rpc_json
}  // namespace cvex::chain
