// The transaction manager against a real Anvil.
#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <set>
#include <mutex>
#include <thread>

#include "chain/encoding/abi_codec.hpp"
#include "chain/rpc/contract.hpp"
#include "chain/rpc/contract_artifact.hpp"
#include "chain/crypto/local_key.hpp"
#include "chain/rpc/sender.hpp"
#include "support/anvil.hpp"

using namespace cvex;
using namespace cvex::chain;
using namespace std::chrono_literals;
using cvex::test::Anvil;

namespace {

std::shared_ptr<EthClient> connect(const Anvil& anvil) {
    JsonRpcClient::Options o;
    o.timeouts.read = 5000ms;
    return std::shared_ptr<EthClient>(std::move(*EthClient::connect(anvil.url(), o)));
}

std::shared_ptr<const Signer> dev_signer(size_t i) {
    return std::make_shared<LocalKey>(std::move(*LocalKey::from_hex(Anvil::dev_key(i))));
}

std::unique_ptr<Sender> make_sender(std::shared_ptr<EthClient> eth, std::shared_ptr<const Signer> signer, SenderOptions o = {}) {
    auto s = Sender::create(std::move(eth), std::move(signer), std::move(o));
    REQUIRE(s);
    return std::move(*s);
}

// The Probe fixture contract (threshold 100), deployed through `sender`.
Contract deploy_probe(const std::shared_ptr<EthClient>& eth, const std::shared_ptr<Sender>& sender) {
    auto art = *ContractArtifact::load(std::string(CVEX_SOURCE_DIR) + "/contracts/out/Probe.sol/Probe.json");
    auto probe = Contract::deploy(art, {AbiValue(U256(100)), AbiValue(std::string("x"))}, eth, sender);
    REQUIRE(probe);
    return std::move(*probe);
}

TxRequest transfer(const Address& to, uint64_t wei) { return TxRequest{to, U256(wei), {}, 21000}; }

std::string temp_path(const std::string& name) {
    return (std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid()))).string();
}

}  // namespace

TEST_CASE("500 transfers from 8 concurrent callers are all mined with contiguous, unique nonces") {
    Anvil anvil;
    auto eth = connect(anvil);
    auto sender = make_sender(eth, dev_signer(4));
    const Address to = *Address::parse(Anvil::dev_address(5));
    const U256 before = *eth->balance(to);
    std::mutex m;
    std::vector<Receipt> receipts;
    std::vector<uint64_t> nonces;
    std::atomic<int> failures{0};
    std::vector<std::thread> callers;
    for (int c = 0; c < 8; ++c) {
        callers.emplace_back([&, c] {
            for (int i = c; i < 500; i += 8) {
                auto p = sender->send(transfer(to, 1));
                if (!p) {
                    ++failures;
                    continue;
                }
                auto r = sender->wait(*p, 60s);
                if (!r) {
                    ++failures;
                    continue;
                }
                std::lock_guard lock(m);
                receipts.push_back(*r);
                nonces.push_back(p->nonce);
            }
        });
    }
    for (auto& t : callers) t.join();
    CHECK(failures == 0);
    REQUIRE(receipts.size() == 500);
    std::set<uint64_t> unique(nonces.begin(), nonces.end());
    CHECK(unique.size() == 500);
    CHECK(*unique.begin() == 0);
    CHECK(*unique.rbegin() == 499);
    CHECK(eth->transaction_count(sender->address()) == uint64_t{500});
    CHECK(*eth->balance(to) == before.wrapping_add(U256(500)));
}

TEST_CASE("a transaction stuck under a too-low fee is replaced with a higher fee, and the waiter follows it") {
    Anvil anvil;
    auto eth = connect(anvil);
    REQUIRE(eth->evm_set_automine(false));
    SenderOptions o;
    o.stuck_after = 400ms;
    o.fees.base_fee_multiplier = 1;  // no headroom: a base-fee jump strands the transaction
    std::mutex log_mutex;
    std::vector<std::string> replaced;
    o.log = [&](const std::string& line) {
        std::lock_guard lock(log_mutex);
        replaced.push_back(line);
    };
    auto sender = make_sender(eth, dev_signer(6), o);
    auto p = sender->send(transfer(*Address::parse(Anvil::dev_address(7)), 5));
    REQUIRE(p);
    // The next blocks' base fee jumps far above what the transaction offers.
    const U256 base = (*eth->block_by_number(BlockTag::latest()))->base_fee_per_gas.value();
    REQUIRE(eth->anvil_set_next_block_base_fee(base.wrapping_mul(U256(20))));
    REQUIRE(eth->evm_mine());
    CHECK_FALSE((*eth->transaction_receipt(p->hash)).has_value());
    std::atomic<bool> done{false};
    std::thread miner([&] {
        while (!done) {
            std::this_thread::sleep_for(200ms);
            (void)eth->evm_mine();
        }
    });
    auto receipt = sender->wait(*p, 30s);
    done = true;
    miner.join();
    REQUIRE(receipt);
    CHECK(receipt->status);
    CHECK(receipt->transaction_hash != p->hash);  // the replacement was mined, not the original
    // Each replacement was told with the old and the new hash; the last names the one mined.
    std::lock_guard lock(log_mutex);
    REQUIRE(!replaced.empty());
    CHECK(replaced.front().find("transaction " + p->hash.hex() + " replaced by ") != std::string::npos);
    CHECK(replaced.back().find("replaced by " + receipt->transaction_hash.hex()) != std::string::npos);
    auto mined = eth->transaction_by_hash(receipt->transaction_hash);
    CHECK((*mined)->nonce == p->nonce);
    CHECK(eth->transaction_count(sender->address()) == uint64_t{1});
}

TEST_CASE("a transaction pending only behind an earlier nonce is not re-priced; the earlier one is") {
    Anvil anvil;
    auto eth = connect(anvil);
    REQUIRE(eth->evm_set_automine(false));
    SenderOptions o;
    o.stuck_after = 300ms;
    auto sender = make_sender(eth, dev_signer(6), o);
    auto first = sender->send(transfer(*Address::parse(Anvil::dev_address(7)), 5));
    auto second = sender->send(transfer(*Address::parse(Anvil::dev_address(7)), 6));
    REQUIRE(first);
    REQUIRE(second);
    REQUIRE(second->nonce == first->nonce + 1);
    // No block for a while: both look stuck, at an unchanged fee. Both are waited on at once.
    Expected<Receipt, SendError> r1 = Unexpected{SendError{}}, r2 = Unexpected{SendError{}};
    std::thread w1([&] { r1 = sender->wait(*first, 30s); });
    std::thread w2([&] { r2 = sender->wait(*second, 30s); });
    std::this_thread::sleep_for(1500ms);
    std::atomic<bool> done{false};
    std::thread miner([&] {
        while (!done) {
            (void)eth->evm_mine();
            std::this_thread::sleep_for(200ms);
        }
    });
    w1.join();
    w2.join();
    done = true;
    miner.join();
    REQUIRE(r1);
    REQUIRE(r2);
    CHECK(r1->transaction_hash != first->hash);   // the lowest nonce was re-priced
    CHECK(r2->transaction_hash == second->hash);  // the later one kept its fee: it was only queued
    CHECK(eth->transaction_count(sender->address()) == uint64_t{2});
}

TEST_CASE("Anvil killed mid-run and restarted from its state: a new Sender recovers; nothing lost or sent twice") {
    const std::string state = temp_path("cvex-anvil-state.json");
    const std::string journal = temp_path("cvex-sender-journal.jsonl");
    std::filesystem::remove(state);
    std::filesystem::remove(journal);
    Anvil::Options opts;
    opts.block_time = 1.0;  // interval mining: transactions wait in the pool
    opts.dump_state = state;
    Anvil anvil(opts);
    const Address to = *Address::parse(Anvil::dev_address(9));
    auto eth = connect(anvil);
    const U256 before = *eth->balance(to);
    SenderOptions so;
    so.journal_path = journal;
    {
        auto sender = make_sender(eth, dev_signer(8), so);
        std::vector<PendingTx> first;
        for (int i = 0; i < 10; ++i) first.push_back(*sender->send(transfer(to, 1)));
        for (const auto& p : first) REQUIRE(sender->wait(p, 30s));
        for (int i = 0; i < 10; ++i) REQUIRE(sender->send(transfer(to, 1)));  // in the pool, not yet mined
        anvil.stop();  // dumps mined state; the pool is lost
    }
    opts.dump_state.clear();
    opts.load_state = state;
    opts.port = anvil.port();
    Anvil restarted(opts);
    auto eth2 = connect(restarted);
    auto sender = make_sender(eth2, dev_signer(8), so);
    // The journal accounts for all twenty: the first ten as mined, the rest re-broadcast (or
    // still pending, or mined, if the last block before the stop took some).
    REQUIRE(sender->recovered().size() == 20);
    size_t rebroadcast = 0;
    for (const auto& r : sender->recovered()) {
        INFO("nonce " << r.nonce);
        CHECK(r.state != RecoveredTx::kReplacedExternally);
        if (r.nonce < 10) CHECK(r.state == RecoveredTx::kMined);
        if (r.state == RecoveredTx::kRebroadcast) ++rebroadcast;
        if (r.state != RecoveredTx::kMined) REQUIRE(sender->wait(PendingTx{r.nonce, r.hash}, 30s));
    }
    CHECK(rebroadcast > 0);
    // Ten confirmed before, ten recovered after: exactly twenty transfers, none twice.
    CHECK(eth2->transaction_count(sender->address()) == uint64_t{20});
    CHECK(*eth2->balance(to) == before.wrapping_add(U256(20)));
    std::filesystem::remove(state);
    std::filesystem::remove(journal);
}

TEST_CASE("gas estimation failure surfaces the decoded revert reason") {
    Anvil anvil;
    auto eth = connect(anvil);
    auto art = *ContractArtifact::load(std::string(CVEX_SOURCE_DIR) + "/contracts/out/Probe.sol/Probe.json");
    SenderOptions o;
    o.known_errors = art.errors;
    auto sender = make_sender(eth, dev_signer(0), o);
    Bytes code = art.bytecode;
    const Bytes args = *abi_encode(art.constructor->input_types(), {AbiValue(U256(100)), AbiValue(std::string("x"))});
    code.insert(code.end(), args.begin(), args.end());
    auto deployed = sender->send_and_wait(TxRequest{std::nullopt, U256(0), code, std::nullopt});
    REQUIRE(deployed);
    REQUIRE(deployed->contract_address);
    auto r = sender->send(TxRequest{*deployed->contract_address, U256(0),
                                    *abi_encode_call(*art.function("store"), {AbiValue(U256(101)), AbiValue(std::string("")), AbiValue(AbiValue::List{})}),
                                    std::nullopt});
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == SendError::kReverted);
    CHECK_THAT(r.error().message(), Catch::Contains("TooLarge(101, 100)"));
}

TEST_CASE("a transaction the node rejects gives back its nonce: the next send uses it, no gap") {
    Anvil anvil;
    auto eth = connect(anvil);
    auto sender = make_sender(eth, dev_signer(2));
    const Address to = *Address::parse(Anvil::dev_address(3));
    auto rich = sender->send(TxRequest{to, *U256::parse("100000000000000000000000"), {}, 21000});  // more than the balance
    REQUIRE_FALSE(rich);
    CHECK(rich.error().kind == SendError::kRejected);
    auto ok = sender->send_and_wait(transfer(to, 1));
    REQUIRE(ok);
    CHECK((*eth->transaction_by_hash(ok->transaction_hash))->nonce == 0);
}

TEST_CASE("a mined transaction that reverts is reported with its reason") {
    Anvil anvil;
    auto eth = connect(anvil);
    auto art = *ContractArtifact::load(std::string(CVEX_SOURCE_DIR) + "/contracts/out/Probe.sol/Probe.json");
    auto sender = make_sender(eth, dev_signer(1));
    Bytes code = art.bytecode;
    const Bytes args = *abi_encode(art.constructor->input_types(), {AbiValue(U256(100)), AbiValue(std::string("x"))});
    code.insert(code.end(), args.begin(), args.end());
    const Address probe = *sender->send_and_wait(TxRequest{std::nullopt, U256(0), code, std::nullopt})->contract_address;
    // A fixed gas limit skips estimation, so the revert happens on chain.
    auto r = sender->send_and_wait(TxRequest{probe, U256(0), *abi_encode_call(*art.function("failWithReason"), {}), 100000});
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == SendError::kReverted);
    CHECK_THAT(r.error().message(), Catch::Contains("probe: reason"));
}

TEST_CASE("a mined transaction that ran out of gas says so: the gas it used, its limit, and a replay without the limit that does not revert") {
    Anvil anvil;
    auto eth = connect(anvil);
    auto probe = deploy_probe(eth, std::shared_ptr<Sender>(make_sender(eth, dev_signer(1))));
    // Past the intrinsic cost, short of the first store's 20,000 (EIP-2200 SSTORE_SET).
    auto r = probe.transact("store", {AbiValue(U256(7)), AbiValue(std::string("y")), AbiValue(AbiValue::List{})}, U256(0), 30000);
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error().message(), Catch::Contains("after using 30000 of its 30000 gas") && Catch::Contains("likely ran out of gas"));
    CHECK(probe.transact("store", {AbiValue(U256(7)), AbiValue(std::string("y")), AbiValue(AbiValue::List{})}));
}

TEST_CASE("Contract::transact reports a mined transaction that reverts as an error, never as a receipt") {
    Anvil anvil;
    auto eth = connect(anvil);
    auto probe = deploy_probe(eth, std::shared_ptr<Sender>(make_sender(eth, dev_signer(1))));
    // The fixed gas limit skips estimation (as a validator's approval does), so it reverts on chain.
    auto r = probe.transact("failWithReason", {}, U256(0), 100000);
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error().message(), Catch::Contains("probe: reason"));
    CHECK(probe.transact("store", {AbiValue(U256(7)), AbiValue(std::string("y")), AbiValue(AbiValue::List{})}));
}

TEST_CASE("a journal from another chain with the same chain id is not replayed") {
    const std::string journal = temp_path("cvex-sender-journal-other.jsonl");
    std::filesystem::remove(journal);
    SenderOptions so;
    so.journal_path = journal;
    const Address to = *Address::parse(Anvil::dev_address(9));
    {
        Anvil::Options opts;
        opts.no_mining = true;  // the transfer stays in the pool: open in the journal
        Anvil first(opts);
        auto sender = make_sender(connect(first), dev_signer(8), so);
        REQUIRE(sender->send(transfer(to, 1)));
    }
    std::this_thread::sleep_for(1100ms);  // a later genesis timestamp, so another genesis hash
    Anvil second;
    auto eth = connect(second);
    auto sender = make_sender(eth, dev_signer(8), so);
    CHECK(sender->recovered().empty());
    CHECK(*eth->transaction_count(sender->address(), BlockTag::pending()) == 0u);
    std::filesystem::remove(journal);
}
