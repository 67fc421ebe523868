// Issue 16 §3's peer: Chainlink's own VRFCoordinatorV2_5, compiled unmodified from the pinned
// @chainlink/contracts package, on a real Anvil, accepts proofs from the test support's
// Chainlink-format prover (support/chainlink_vrf.hpp) — so cvex's coordinator can be measured
// beside it in the same run (bench_oracle prints both). The fulfilment's outputSeed must be
// exactly the randomness the proof carries, and a second request gets a fresh one.
#include <catch2/catch.hpp>

#include "support/anvil.hpp"
#include "support/chainlink_peer.hpp"
#include "chain/crypto/local_key.hpp"

using namespace cvex;
using cvex::test::Anvil;

namespace {

std::shared_ptr<chain::Sender> sender_for(std::shared_ptr<chain::EthClient> eth, size_t dev) {
    auto key = std::make_shared<chain::LocalKey>(std::move(*chain::LocalKey::from_hex(Anvil::dev_key(dev))));
    auto sender = chain::Sender::create(eth, key);
    REQUIRE(sender);
    return std::shared_ptr<chain::Sender>(std::move(*sender));
}

}  // namespace

TEST_CASE("Chainlink's VRFCoordinatorV2_5 on Anvil accepts the test support's proofs, native payment") {
    Anvil anvil;
    auto eth_or = chain::EthClient::connect(anvil.url());
    REQUIRE(eth_or);
    auto eth = std::shared_ptr<chain::EthClient>(std::move(*eth_or));
    test::ChainlinkPeer peer(eth, sender_for(eth, 0));
    CHECK(peer.key_hash() == *chain::Hash32::from_hex("0x9f2353bde94264dbc3d554a94cceba2d7d2b4fdce4304d3e09a1fea9fbeb1528"));

    const auto oracle = sender_for(eth, 2);
    const auto first = peer.request_and_fulfil(oracle);
    CHECK(first.callback_success);
    CHECK(first.output_seed == first.proof_randomness);
    const auto second = peer.request_and_fulfil(oracle);
    CHECK(second.request_id != first.request_id);
    CHECK(second.output_seed == second.proof_randomness);
    CHECK(second.output_seed != first.output_seed);
    // Chainlink's VRFV2Plus.t.sol: "The cost of fulfillRandomWords is approximately 70_000 gas."
    CHECK(first.gas_used > 50'000);
    CHECK(first.gas_used < 150'000);
    WARN("VRFCoordinatorV2_5.fulfillRandomWords, one word, no-op consumer: " << first.gas_used << " and " << second.gas_used
                                                                               << " gas");
}
