// Issue 16 §1: contracts written for Chainlink VRF v2.5 — the @chainlink/contracts package's own
// example consumers, compiled unmodified — get cvex randomness through VRFCoordinatorV2PlusFront
// on a real Anvil, fulfilled by the real oracle (cvex-oracle): each gets exactly the words the
// re-verified fulfilment carries; a callback that reverts is reported; LINK-paid requests are
// refused with a clear error.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <thread>

#include "chain/contract_errors/contract_errors.hpp"
#include "oracle/fulfilment_record.hpp"
#include "support/child_process.hpp"
#include "support/oracle_net.hpp"

using namespace cvex;
using chain::AbiValue;
using chain::U256;
using cvex::test::OracleNet;

namespace {

const std::string kOracleBin = std::string(CVEX_BIN_DIR) + "/cvex-oracle";

chain::ContractArtifact artifact(const std::string& name) {
    auto a = chain::ContractArtifact::load(std::string(CVEX_SOURCE_DIR) + "/contracts/out/" + name + ".sol/" + name + ".json");
    REQUIRE(a);
    return *a;
}

template <class T>
T must(cvex::Expected<T, chain::ContractError> v, const std::string& what) {
    INFO(what << ": " << (v ? "" : v.error().message()));
    REQUIRE(v);
    return std::move(*v);
}

U256 word(chain::Contract& c, const std::string& fn, std::vector<AbiValue> args = {}) {
    return must(c.call(fn, args), fn)[0].word();
}

}  // namespace

TEST_CASE("Chainlink's example consumers, unmodified, get cvex words through the v2.5 front, fulfilled by the real oracle") {
    chain::register_contract_errors();  // the front's errors decode in a consumer's revert
    OracleNet::Options o;
    o.anvil.block_time = 1.0;
    o.consumers = 0;
    OracleNet net(o);
    auto eth = net.eth();
    auto user = net.user();
    const AbiValue none(chain::Address{});
    auto front = must(chain::Contract::deploy(artifact("VRFCoordinatorV2PlusFront"), {AbiValue(net.coordinator().address())}, eth, user),
                      "deploy front");
    const AbiValue at(front.address());
    const AbiValue key(net.key_hash());

    // Single consumer: its constructor creates and joins its own subscription.
    auto single = must(chain::Contract::deploy(artifact("VRFV2PlusSingleConsumerExample"),
                                               {at, none, AbiValue(U256(100'000)), AbiValue(U256(1)), AbiValue(U256(2)), key, AbiValue(true)},
                                               eth, user),
                       "deploy single");
    const U256 single_sub = must(single.call("s_requestConfig", {}), "s_requestConfig")[0].word();
    must(front.transact("fundSubscriptionWithNative", {AbiValue(single_sub)}, U256(1'000'000'000'000'000'000ull)), "fund");
    must(single.transact("requestRandomWords", {}), "single request");
    const U256 single_id = word(single, "s_requestId");

    // External subscription owner: the test owns the subscription and adds the consumer.
    auto created = must(front.transact("createSubscription", {}), "createSubscription");
    const U256 sub = chain::param(front.events_in(created, "SubscriptionCreated").at(0), "subId")->word();
    auto external = must(chain::Contract::deploy(artifact("VRFV2PlusExternalSubOwnerExample"), {at, none}, eth, user), "deploy external");
    must(front.transact("addConsumer", {AbiValue(sub), AbiValue(external.address())}), "addConsumer");
    must(front.transact("fundSubscriptionWithNative", {AbiValue(sub)}, U256(1'000'000'000'000'000'000ull)), "fund");
    must(external.transact("requestRandomWords", {AbiValue(sub), AbiValue(U256(100'000)), AbiValue(U256(1)), AbiValue(U256(1)), key, AbiValue(true)}),
         "external request");
    const U256 external_id = word(external, "s_requestId");

    // The consumer example accepts only its latest request: the first one's callback reverts.
    auto example = must(chain::Contract::deploy(artifact("VRFV2PlusConsumerExample"), {at, none}, eth, user), "deploy example");
    must(example.transact("createSubscriptionAndFundNative", {}, U256(1'000'000'000'000'000'000ull)), "example subscription");
    for (int i = 0; i < 2; ++i)
        must(example.transact("requestRandomWords", {AbiValue(U256(100'000)), AbiValue(U256(1)), AbiValue(U256(1)), key, AbiValue(true)}),
             "example request");
    const U256 latest = word(example, "s_recentRequestId");

    // LINK-paid requests (the reverting example hard-codes empty extraArgs) are refused clearly.
    auto reverting = must(chain::Contract::deploy(artifact("VRFV2PlusRevertingExample"), {at, none}, eth, user), "deploy reverting");
    must(front.transact("addConsumer", {AbiValue(sub), AbiValue(reverting.address())}), "addConsumer");
    auto link = reverting.transact("requestRandomness", {key, AbiValue(sub), AbiValue(U256(1)), AbiValue(U256(100'000)), AbiValue(U256(1))});
    REQUIRE_FALSE(link);
    CHECK_THAT(link.error().message(), Catch::Contains("LinkPaymentNotSupported()"));
    auto refused = external.transact("requestRandomWords",
                                     {AbiValue(sub), AbiValue(U256(100'000)), AbiValue(U256(1)), AbiValue(U256(1)), key, AbiValue(false)});
    REQUIRE_FALSE(refused);
    CHECK_THAT(refused.error().message(), Catch::Contains("LinkPaymentNotSupported()"));

    const auto dir = std::filesystem::temp_directory_path() / ("cvex-chainlink-front-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    test::ChildProcess oracle({kOracleBin, "--rpc-url", net.anvil().url(), "--coordinator", net.coordinator().address().checksum_hex(),
                               "--start-block", std::to_string(net.deploy_block()), "--poll-ms", "50"},
                              net.oracle_env(), (dir / "oracle.log").string());
    REQUIRE(net.wait_all_fulfilled(std::chrono::seconds(60)));

    auto records = oracle::read_fulfilments(*eth, net.coordinator().address(), net.deploy_block(), *eth->block_number());
    REQUIRE(records);
    auto words_of = [&](const U256& id) {
        for (const auto& r : *records)
            if (r.request.request_id == id) return r.words;
        FAIL("no fulfilment of request " << id.dec());
        return std::vector<U256>{};
    };
    CHECK(records->size() == 4);
    const auto w1 = words_of(single_id);
    CHECK(word(single, "s_randomWords", {AbiValue(U256(0))}) == w1.at(0));
    CHECK(word(single, "s_randomWords", {AbiValue(U256(1))}) == w1.at(1));
    CHECK(word(external, "s_randomWords", {AbiValue(U256(0))}) == words_of(external_id).at(0));
    CHECK(word(example, "getRandomness", {AbiValue(latest), AbiValue(U256(0))}) == words_of(latest).at(0));
    // The example's stale first request: its callback reverted, reported with the decoded reason.
    const auto failed = front.logs("ConsumerCallbackFailed", net.deploy_block(), *eth->block_number());
    REQUIRE(failed);
    REQUIRE(failed->size() == 1);
    auto d = front.decode("ConsumerCallbackFailed", failed->front());
    REQUIRE(d);
    CHECK((*d)[0].value.word() == latest.wrapping_sub(U256(1)));
    CHECK((*d)[1].value.boolean() == false);
    CHECK(chain::decode_revert((*d)[2].value.bytes()).text == "Error(\"request ID is incorrect\")");
    CHECK_FALSE(must(front.call("pendingRequestExists", {AbiValue(sub)}), "pending")[0].boolean());
}
