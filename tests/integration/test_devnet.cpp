// scripts/devnet.sh --smoke N --json, the README's first command in its unattended form: it must
// exit 0 having fulfilled and verified N dice rolls and made at least one profitable arbitrage, one
// of its trades a back-run of the whale's pending swap that landed in its block, right after it,
// print one JSON object per fulfilment with the keys request_id, pk, alpha, proof, beta, words —
// each proof must verify independently here — and one per trade with bot, trigger, block, tx, target, amount_in,
// amount_out (and after_tx for a back-run). Before any request it prints one {"ready": true, …} line (issue 16 §4) with what
// build/devnet/addresses.json holds (issue 20), and its RPC listens on the --port it was given.
// It runs with two guests serving one VRF key (issue 14): the second receives the key by attested
// handover, the first is SIGKILLed halfway and comes back by unsealing; every request is
// fulfilled exactly once under the one key hash, by one of the two.
#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "chain/types/address.hpp"
#include "oracle/request.hpp"
#include "support/anvil.hpp"
#include "support/process.hpp"
#include "vrf/ecvrf.hpp"

using namespace cvex;

TEST_CASE("devnet --smoke 4 --json --replicas 2 --kill-primary fulfils and verifies every roll once, arbitrages a gap, and prints re-checkable JSON lines") {
    const uint16_t port = test::free_loopback_port();
    const auto r = test::run_process({"/bin/bash", std::string(CVEX_SOURCE_DIR) + "/scripts/devnet.sh", "--smoke", "4", "--json", "--port",
                                      std::to_string(port), "--replicas", "2", "--kill-primary"});
    // Its own progress lines (and errors), not the build's output, explain a failure.
    std::string progress;
    {
        std::istringstream err(r.err);
        for (std::string l; std::getline(err, l);)
            if (l.find("[devnet]") != std::string::npos || l.find("error") != std::string::npos) progress += l + "\n";
    }
    INFO(progress);
    REQUIRE(r.exit_code == 0);
    std::istringstream lines(r.out);
    std::string line;
    int n = 0, trades = 0, ready = 0, backruns = 0;
    std::string key_hash;
    std::set<std::string> oracles;
    while (std::getline(lines, line)) {
        const auto j = nlohmann::json::parse(line);
        if (j.contains("ready")) {
            CHECK(n == 0);  // before any fulfilment
            CHECK(j["ready"] == true);
            CHECK(j["rpc_url"] == "http://127.0.0.1:" + std::to_string(port));
            CHECK(j["chain_id"] == 31337);
            for (const char* key : {"coordinator", "chainlink_coordinator", "key_hash", "registry", "funded_key", "vault", "dice_game", "dex"})
                CHECK(j.contains(key));
            key_hash = j.value("key_hash", "");
            REQUIRE(j["oracles"].size() == 2);
            for (const auto& o : j["oracles"]) oracles.insert(chain::Address::parse(o.get<std::string>())->checksum_hex());
            ++ready;
            continue;
        }
        if (j.contains("bot")) {
            for (const char* key : {"bot", "trigger", "block", "tx", "target", "amount_in", "amount_out"}) CHECK(j.contains(key));
            // What set the trade off: the pools' logs, or a pending swap it was sent to follow (a
            // back-run names that transaction; the devnet's --smoke checked it landed right after it).
            const std::string trigger = j.value("trigger", "");
            CHECK((trigger == "log" || trigger == "pending"));
            CHECK(j.contains("after_tx") == (trigger == "pending"));
            if (trigger == "pending") {
                CHECK(j["after_tx"].get<std::string>().size() == 66);
                ++backruns;
            }
            CHECK(j.value("block", 0ULL) > 0);
            ++trades;
            continue;
        }
        for (const char* key : {"request_id", "pk", "alpha", "proof", "beta", "words", "oracle", "key_hash"}) CHECK(j.contains(key));
        // Which oracle fulfilled it, under the one key hash the devnet announced.
        CHECK(j.value("key_hash", "") == key_hash);
        const auto by = chain::Address::parse(j.value("oracle", ""));
        REQUIRE(by);
        CHECK(oracles.count(by->checksum_hex()) == 1);
        const auto pk = cvex::from_hex(j["pk"].get<std::string>());
        const auto alpha = cvex::from_hex(j["alpha"].get<std::string>());
        const auto proof = cvex::from_hex(j["proof"].get<std::string>());
        REQUIRE((pk && alpha && proof));
        auto verified = vrf::verify<vrf::Secp256k1Group>(*pk, *alpha, *proof);
        REQUIRE(verified);
        CHECK(verified->hex() == j["beta"].get<std::string>());
        const auto words = oracle::derive_words(*verified, static_cast<uint32_t>(j["words"].size()));
        for (size_t i = 0; i < words.size(); ++i) CHECK(words[i].dec() == j["words"][i].get<std::string>());
        ++n;
    }
    CHECK(n == 4);
    CHECK(ready == 1);
    std::ifstream file(std::string(CVEX_SOURCE_DIR) + "/build/devnet/addresses.json");
    REQUIRE(file);
    const auto addresses = nlohmann::json::parse(file);
    CHECK(addresses["rpc_url"] == "http://127.0.0.1:" + std::to_string(port));
    CHECK(addresses["key_hash"].get<std::string>().size() == 66);
    CHECK(addresses["funded_keys"].size() == 4);
    CHECK(addresses["dex"].contains("v2_pair"));
    // One status line per request, from `cvex vrf status`.
    CHECK(r.err.find("status: fulfilled") != std::string::npos);
    CHECK(trades >= 2);  // an arbitrage is two legs
    CHECK(backruns >= 1);  // the whale's swap was back-run (issue 18)
    CHECK(r.err.find("back-run trades in the whale's block, right after it: ") != std::string::npos);
    CHECK(r.err.find("SIMULATED") != std::string::npos);
    CHECK(r.err.find("by attested handover") != std::string::npos);
    CHECK(r.err.find("the first guest came back by unsealing") != std::string::npos);
}
