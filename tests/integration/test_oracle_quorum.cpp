// The oracle behind an RPC quorum (issue 15 §1): three endpoints in front of one real Anvil,
// each a real HTTP server in this test; one of them lies. It (a) invents a request log, (b)
// changes a request's block hash, (c) hides a reorg, or (d) quotes 1,000× the fees. With k = 2 of
// 3 no proof is ever broadcast for a lie, no transaction offers a fee above the cap, and the
// real requests are all fulfilled. With two liars (telling different lies) the oracle holds and
// says why.
#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "chain/crypto/keccak.hpp"
#include "chain/encoding/abi_codec.hpp"
#include "chain/rpc/rpc_json.hpp"
#include "chain/tx/transaction.hpp"
#include "oracle/coordinator_client.hpp"
#include "oracle/fulfilment_record.hpp"
#include "support/child_process.hpp"
#include "support/fake_http_server.hpp"
#include "support/oracle_net.hpp"

using namespace cvex;
using chain::U256;
using cvex::test::ChildProcess;
using cvex::test::OracleNet;
using nlohmann::json;

namespace {

const std::string kOracleBin = std::string(CVEX_BIN_DIR) + "/cvex-oracle";
constexpr uint64_t kCapGwei = 50;  // Anvil's base fee is ~1 gwei: 1,000× of it is far above

enum class Lie { kNone, kInventLog, kInventOtherLog, kChangeBlockHash, kHideReorg, kFees1000x };

std::string hash_of(const std::string& s) {
    return chain::keccak256(cvex::ByteView(reinterpret_cast<const uint8_t*>(s.data()), s.size())).hex();
}

// A JSON-RPC endpoint in front of Anvil: forwards every call and, in its mode, lies about the
// answer. It records every transaction broadcast through it.
class Endpoint {
public:
    Endpoint(std::string upstream, Lie lie)
        : upstream_(std::move(upstream)), lie_(lie), server_([this](const std::string& body) { return handle(body); }) {}

    std::string url() const { return server_.url(); }
    /// (c): from now on, answer what was answered before (the chain as it was before the reorg).
    void freeze() { frozen_ = true; }
    std::vector<std::string> broadcasts() {
        std::lock_guard lock(mutex_);
        return broadcasts_;
    }

private:
    cvex::test::FakeReply handle(const std::string& body) {
        json req = json::parse(body, nullptr, false);
        if (!req.is_object()) return {200, cvex::test::forward_json_rpc(upstream_, body)};
        const std::string method = req.value("method", "");
        const std::string memo_key = method + req["params"].dump();
        if (method == "eth_sendRawTransaction") {
            std::lock_guard lock(mutex_);
            broadcasts_.push_back(req["params"][0].get<std::string>());
        }
        if (frozen_) {
            std::lock_guard lock(mutex_);
            if (auto it = memory_.find(memo_key); it != memory_.end()) return {200, json{{"jsonrpc", "2.0"}, {"id", req["id"]}, {"result", it->second}}.dump()};
        }
        json resp = json::parse(cvex::test::forward_json_rpc(upstream_, body), nullptr, false);
        if (!resp.is_object() || !resp.contains("result")) return {200, resp.dump()};
        json& result = resp["result"];
        if (lie_ == Lie::kHideReorg && !frozen_ && (method == "eth_getLogs" || method == "eth_getBlockByNumber" || method == "eth_blockNumber")) {
            std::lock_guard lock(mutex_);
            memory_[memo_key] = result;
        }
        lie_about(method, result);
        return {200, resp.dump()};
    }

    void lie_about(const std::string& method, json& result) {
        if ((lie_ == Lie::kInventLog || lie_ == Lie::kInventOtherLog) && method == "eth_getLogs" && result.is_array()) {
            // A copy of each request log with another request id (and so another seed to prove).
            const uint64_t shift = lie_ == Lie::kInventLog ? 1'000'000 : 2'000'000;
            json invented = json::array();
            for (const auto& log : result) {
                if (log["topics"].size() < 3) continue;
                json fake = log;
                const U256 id = *U256::parse_hex(log["topics"][2].get<std::string>());
                fake["topics"][2] = chain::Hash32{id.wrapping_add(U256(shift)).to_be()}.hex();
                fake["logIndex"] = chain::rpc_json::quantity_text(uint64_t{500} + invented.size());
                invented.push_back(fake);
            }
            for (auto& f : invented) result.push_back(f);
        }
        if (lie_ == Lie::kChangeBlockHash) {
            // The same lie everywhere it could be checked: in logs and in the block itself.
            if (method == "eth_getLogs" && result.is_array())
                for (auto& log : result) log["blockHash"] = hash_of(log["blockHash"].get<std::string>());
            if (method == "eth_getBlockByNumber" && result.is_object()) result["hash"] = hash_of(result["hash"].get<std::string>());
        }
        if (lie_ == Lie::kFees1000x) {
            auto times1000 = [](json& q) { q = chain::rpc_json::quantity_text(chain::rpc_json::quantity(q, "q")->wrapping_mul(U256(1000))); };
            if (method == "eth_gasPrice" || method == "eth_maxPriorityFeePerGas") times1000(result);
            if (method == "eth_feeHistory" && result.is_object()) {
                for (auto& b : result["baseFeePerGas"]) times1000(b);
                if (result.contains("reward"))
                    for (auto& row : result["reward"])
                        for (auto& r : row) times1000(r);
            }
            if (method == "eth_getBlockByNumber" && result.is_object() && result.contains("baseFeePerGas")) times1000(result["baseFeePerGas"]);
        }
    }

    std::string upstream_;
    Lie lie_;
    std::atomic<bool> frozen_{false};
    std::mutex mutex_;
    std::map<std::string, json> memory_;
    std::vector<std::string> broadcasts_;
    cvex::test::FakeHttpServer server_;  // last: it calls handle() until destroyed
};

struct Quorum {
    OracleNet net;
    std::vector<std::unique_ptr<Endpoint>> endpoints;
    std::unique_ptr<ChildProcess> oracle;

    Quorum(std::vector<Lie> lies, std::optional<double> block_time) : net(options(block_time)) {
        for (Lie l : lies) endpoints.push_back(std::make_unique<Endpoint>(net.anvil().url(), l));
    }
    static OracleNet::Options options(std::optional<double> block_time) {
        OracleNet::Options o;
        o.anvil.block_time = block_time;
        o.consumers = 1;
        return o;
    }
    void start(size_t k, const std::string& name) {
        std::vector<std::string> argv = {kOracleBin, "--coordinator", net.coordinator().address().checksum_hex(), "--start-block",
                                         std::to_string(net.deploy_block()), "--poll-ms", "50", "--quorum", std::to_string(k),
                                         "--max-fee-gwei", std::to_string(kCapGwei)};
        for (const auto& e : endpoints) argv.insert(argv.end(), {"--rpc-url", e->url()});
        const auto dir = std::filesystem::temp_directory_path() / ("cvex-quorum-test-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir);
        oracle = std::make_unique<ChildProcess>(argv, net.oracle_env(), (dir / (name + ".log")).string());
    }

    // Every fulfilment any endpoint saw broadcast: (request id, Gamma's x), and each offered fee.
    std::vector<std::pair<U256, U256>> broadcast_proofs(std::vector<U256>& max_fees) {
        const auto& abi = oracle::CoordinatorClient::abi();
        std::set<std::string> raws;
        for (const auto& e : endpoints)
            for (const auto& r : e->broadcasts()) raws.insert(r);
        std::vector<std::pair<U256, U256>> out;
        for (const auto& hex : raws) {
            auto tx = chain::decode_transaction(*cvex::from_hex(hex));
            REQUIRE(tx);
            max_fees.push_back(tx->type == chain::TxType::kDynamicFee ? tx->max_fee_per_gas : tx->gas_price);
            if (tx->data.size() < 4) continue;
            const cvex::ByteView args(tx->data.data() + 4, tx->data.size() - 4);
            for (const char* fn : {"fulfillRandomWords", "fulfillRandomWordsBatch"}) {
                const auto* f = abi.function(fn);
                if (!std::equal(tx->data.begin(), tx->data.begin() + 4, f->selector().begin())) continue;
                auto v = chain::abi_decode(f->input_types(), args);
                REQUIRE(v);
                const bool batch = std::string(fn) == "fulfillRandomWordsBatch";
                const size_t n = batch ? (*v)[0].list().size() : 1;
                for (size_t i = 0; i < n; ++i) {
                    const auto& proof = batch ? (*v)[0].list()[i] : (*v)[0];
                    const auto& commitment = batch ? (*v)[1].list()[i] : (*v)[1];
                    out.emplace_back(commitment.list()[0].word(), proof.list()[1].list()[0].word());
                }
            }
        }
        return out;
    }
};

// Every proof broadcast is one the chain accepted for a real request (same id, same Gamma): a
// proof for an invented request or a false block hash would have another Gamma.
void check_no_proof_for_a_lie(Quorum& q, size_t expected_fulfilments) {
    auto records = oracle::read_fulfilments(*q.net.eth(), q.net.coordinator().address(), q.net.deploy_block(), *q.net.eth()->block_number());
    REQUIRE(records);
    CHECK(records->size() == expected_fulfilments);
    std::map<U256, U256> real;
    for (const auto& r : *records) real[r.request.request_id] = *U256::from_be(cvex::ByteView(r.pi.data() + 1, 32));
    std::vector<U256> fees;
    const auto proofs = q.broadcast_proofs(fees);
    CHECK(proofs.size() >= expected_fulfilments);
    for (const auto& [id, gamma_x] : proofs) {
        INFO("broadcast proof for request " << id.dec());
        REQUIRE(real.contains(id));
        CHECK(real.at(id) == gamma_x);
    }
    const U256 cap = U256(kCapGwei).wrapping_mul(U256(1'000'000'000));
    for (const auto& f : fees) CHECK_FALSE(cap < f);
}

}  // namespace

TEST_CASE("one lying endpoint of three, k = 2: no proof for any lie, no fee above the cap, real requests fulfilled") {
    const auto lie = GENERATE(Lie::kInventLog, Lie::kChangeBlockHash, Lie::kFees1000x);
    Quorum q({Lie::kNone, lie, Lie::kNone}, 0.5);
    q.start(2, "one-liar-" + std::to_string(static_cast<int>(lie)));
    for (int i = 0; i < 3; ++i) q.net.request(0, static_cast<uint16_t>(1 + i), 2);
    INFO(q.oracle->log());
    REQUIRE(q.net.wait_all_fulfilled(std::chrono::seconds(60)));
    check_no_proof_for_a_lie(q, 6);
    CHECK(q.oracle->log().find("was outvoted") != std::string::npos);  // the liar is named
    CHECK(q.oracle->log().find(q.endpoints[1]->url()) != std::string::npos);
}

TEST_CASE("a lying endpoint that hides a reorg is outvoted: the re-included requests are proven with their new block hash") {
    Quorum q({Lie::kNone, Lie::kNone, Lie::kHideReorg}, 1);
    q.start(2, "hide-reorg");
    auto& net = q.net;
    const U256 first = net.request(0, 4, 3);
    auto first_log = net.coordinator().request_logs(net.deploy_block(), *net.eth()->block_number(), {first});
    REQUIRE(first_log);
    REQUIRE(first_log->size() == 1);
    const auto old_block = first_log->front().block_number;
    const auto old_hash = first_log->front().block_hash;
    auto raw = net.eth()->rpc().call("eth_getRawTransactionByHash", {first_log->front().transaction_hash.hex()});
    REQUIRE(raw);
    // One block on (the oracle, and the liar, have seen the request), then the liar freezes its view.
    while (*net.eth()->block_number() < old_block + 1) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    q.endpoints[2]->freeze();
    const uint64_t head = *net.eth()->block_number();
    REQUIRE(head < old_block + 4);
    auto reorg = net.eth()->rpc().call("anvil_reorg", {head - old_block + 1, json::array({json::array({*raw, 1})})}, chain::Idempotency::kUnsafe);
    INFO((reorg ? "" : reorg.error().message()));
    REQUIRE(reorg);
    INFO(q.oracle->log());
    REQUIRE(net.wait_all_fulfilled(std::chrono::seconds(40)));
    check_no_proof_for_a_lie(q, 3);
    auto records = oracle::read_fulfilments(*net.eth(), net.coordinator().address(), net.deploy_block(), *net.eth()->block_number());
    for (const auto& r : *records) CHECK(r.request_block_hash != old_hash);
}

TEST_CASE("two liars of three telling different lies, k = 2: the oracle holds, proves nothing and says why") {
    Quorum q({Lie::kNone, Lie::kInventLog, Lie::kInventOtherLog}, 0.5);
    q.start(2, "two-liars");
    const U256 id = q.net.request(0, 1, 1);
    std::this_thread::sleep_for(std::chrono::seconds(4));
    INFO(q.oracle->log());
    CHECK(q.net.pending() == std::vector<U256>{id});
    std::vector<U256> fees;
    CHECK(q.broadcast_proofs(fees).empty());
    CHECK(q.oracle->log().find("HOLD: eth_getLogs: no 2 endpoints agree") != std::string::npos);
    CHECK(q.oracle->running());
}

TEST_CASE("a single endpoint quoting 1,000x the fees: the cap refuses them, nothing is paid above it") {
    Quorum q({Lie::kFees1000x}, 0.5);
    q.start(1, "one-of-one-fees");
    q.net.request(0, 1, 1);
    std::this_thread::sleep_for(std::chrono::seconds(3));
    INFO(q.oracle->log());
    std::vector<U256> fees;
    q.broadcast_proofs(fees);
    CHECK(fees.empty());
    CHECK(q.oracle->log().find("fee above the cap") != std::string::npos);
}
