// The custom errors of every cvex contract, compiled into the binaries at build time
// (chain/contract_errors/), decode any revert once registered: each error of each contract from
// data shaped as the contract would revert, an unknown selector as cast prints it, and the errors
// of a file given with --abi.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>

#include "chain/contract_errors/contract_errors.hpp"
#include "chain/encoding/abi_codec.hpp"
#include "chain/encoding/abi_events.hpp"
#include "chain/encoding/known_errors.hpp"
#include "support/abi_samples.hpp"

using namespace cvex;
using namespace cvex::chain;

namespace {

std::string selector_hex(const std::string& signature) {
    const auto sel = parse_abi_signature(signature)->selector();
    return to_hex(ByteView(sel.data(), sel.size()));
}

const ContractErrors* find(const std::string& contract) {
    for (const auto& c : compiled_contract_errors())
        if (c.contract == contract) return &c;
    return nullptr;
}

}  // namespace

TEST_CASE("the compiled-in table holds the errors of the cvex contracts, not of the tests") {
    for (const char* name : {"VRFCoordinator", "AttestationRegistry", "GuardedVault", "DiceGame", "NFTTraitRoller",
                             "VRFCoordinatorV2PlusFront", "VRFCoordinatorMock", "VRFVerifier"}) {
        INFO(name);
        const auto* c = find(name);
        REQUIRE(c != nullptr);
        CHECK_FALSE(c->errors.empty());
    }
    const auto* coordinator = find("VRFCoordinator");
    std::set<std::string> names;
    for (const auto& e : coordinator->errors) names.insert(e.canonical());
    CHECK(names.count("InsufficientPayment(uint256,uint256)") == 1);
    CHECK(names.count("UnknownProvingKey(bytes32)") == 1);
    CHECK(names.count("InvalidNumWords(uint32,uint32)") == 1);
    CHECK(find("FlakyConsumer") == nullptr);  // a test fixture of contracts/test
}

TEST_CASE("once registered, every error of every cvex contract decodes to its name and arguments") {
    register_contract_errors();
    size_t checked = 0;
    for (const auto& c : compiled_contract_errors()) {
        for (const auto& e : c.errors) {
            INFO(c.contract << "." << e.canonical());
            const auto r = decode_revert(test::sample_revert_data(e));
            CHECK(r.kind == RevertReason::kCustom);
            CHECK(r.text.rfind(e.name + "(", 0) == 0);
            ++checked;
        }
    }
    CHECK(checked > 100);
    const auto r = decode_revert(*from_hex(selector_hex("InsufficientPayment(uint256,uint256)") + std::string(63, '0') + "1" +
                                           std::string(63, '0') + "2"));
    CHECK(r.text == "InsufficientPayment(1, 2)");
}

TEST_CASE("an unknown selector is printed with its raw data, as cast does") {
    const auto data = *from_hex("0x12345678000000000000000000000000000000000000000000000000000000000000002a");
    const auto r = decode_revert(data);
    CHECK(r.kind == RevertReason::kUnknown);
    CHECK(r.text == "custom error 0x12345678: 0x000000000000000000000000000000000000000000000000000000000000002a");
    CHECK(decode_revert(*from_hex("0x12345678")).text == "custom error 0x12345678");
}

TEST_CASE("a caller's own errors decode beside the registered ones") {
    register_contract_errors();
    auto mine = parse_abi_signature("Nope(uint8 code)");
    REQUIRE(mine);
    const auto sel = mine->selector();
    Bytes data(sel.begin(), sel.end());
    data.resize(36, 0);
    data[35] = 7;
    CHECK(decode_revert(data).kind == RevertReason::kUnknown);
    CHECK(decode_revert(data, {*mine}).text == "Nope(7)");
}

TEST_CASE("--abi reads the errors of a Foundry artifact or of a bare ABI, and refuses anything else") {
    const auto dir = std::filesystem::temp_directory_path() / "cvex-abi-test";
    std::filesystem::create_directories(dir);
    const std::string abi = R"([{"type":"error","name":"Nope","inputs":[{"name":"code","type":"uint8"}]}])";
    std::ofstream((dir / "bare.json").string()) << abi;
    std::ofstream((dir / "artifact.json").string()) << R"({"abi":)" << abi << R"(,"bytecode":{"object":"0x"}})";
    std::ofstream((dir / "bad.json").string()) << "{not json";
    for (const char* f : {"bare.json", "artifact.json"}) {
        auto errors = errors_from_abi_file((dir / f).string());
        REQUIRE(errors);
        REQUIRE(errors->size() == 1);
        CHECK((*errors)[0].canonical() == "Nope(uint8)");
    }
    CHECK_FALSE(errors_from_abi_file((dir / "bad.json").string()));
    CHECK_FALSE(errors_from_abi_file((dir / "missing.json").string()));
}
