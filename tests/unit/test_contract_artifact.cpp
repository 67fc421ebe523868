// ContractArtifact: the npm artifacts the DEX deployer reads (Truffle, Waffle and Hardhat
// formats), and library linking through `linkReferences` (solc's `__$<34 hex>$__` placeholders).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "chain/rpc/contract.hpp"
#include "chain/rpc/contract_artifact.hpp"
#include "chain/crypto/keccak.hpp"

using namespace cvex;
using namespace cvex::chain;
using nlohmann::json;

namespace {

const std::string kNodeModules = std::string(CVEX_SOURCE_DIR) + "/node_modules/";
const std::string kDescriptor =
    kNodeModules + "@uniswap/v3-periphery/artifacts/contracts/NonfungibleTokenPositionDescriptor.sol/NonfungibleTokenPositionDescriptor.json";

// solc's placeholder for "source:Library": "__$" + 34 hex digits of keccak256 + "$__".
std::string placeholder(const std::string& fqn) {
    const auto h = keccak256(ByteView(reinterpret_cast<const uint8_t*>(fqn.data()), fqn.size()));
    return "__$" + to_hex(h.bytes, false).substr(0, 34) + "$__";
}

// 2 bytes of code, a placeholder for lib/L.sol:L at byte 2, then one byte.
json hardhat_artifact(const std::string& placeholder_text, size_t start = 2, size_t length = 20) {
    return json{{"abi", json::array()},
                {"bytecode", "0x6001" + placeholder_text + "ff"},
                {"linkReferences", {{"lib/L.sol", {{"L", {{{"start", start}, {"length", length}}}}}}}}};
}

Address address_of(const std::string& hex) { return *Address::parse(hex); }

}  // namespace

TEST_CASE("the DEX's npm artifacts load: Waffle's bare-hex bytecode, Truffle's and Hardhat's 0x bytecode") {
    const std::pair<std::string, std::string> cases[] = {
        {"@uniswap/v2-core/build/UniswapV2Factory.json", "createPair"},
        {"@uniswap/v2-periphery/build/UniswapV2Router02.json", "swapExactTokensForTokens"},
        {"canonical-weth/build/contracts/WETH9.json", "deposit"},
        {"@uniswap/v3-core/artifacts/contracts/UniswapV3Factory.sol/UniswapV3Factory.json", "createPool"},
        {"@uniswap/v3-periphery/artifacts/contracts/SwapRouter.sol/SwapRouter.json", "exactInputSingle"},
        {"@uniswap/v3-periphery/artifacts/contracts/lens/QuoterV2.sol/QuoterV2.json", "quoteExactInputSingle"},
    };
    for (const auto& [path, function] : cases) {
        INFO(path);
        auto a = ContractArtifact::load(kNodeModules + path);
        REQUIRE(a);
        CHECK_FALSE(a->bytecode.empty());
        CHECK(a->unlinked.empty());
        CHECK(a->function(function) != nullptr);
    }
}

TEST_CASE("a Hardhat artifact with a library placeholder loads with the reference listed and zeros in its place") {
    auto a = ContractArtifact::load(kDescriptor);
    REQUIRE(a);
    REQUIRE(a->unlinked.size() == 1);
    CHECK(a->unlinked[0].source == "contracts/libraries/NFTDescriptor.sol");
    CHECK(a->unlinked[0].library == "NFTDescriptor");
    CHECK(a->unlinked[0].offset == 1681);
    CHECK(std::all_of(a->bytecode.begin() + 1681, a->bytecode.begin() + 1701, [](uint8_t b) { return b == 0; }));
}

TEST_CASE("link writes the library address at every placeholder and clears the reference") {
    auto a = ContractArtifact::load(kDescriptor);
    REQUIRE(a);
    const Address lib = address_of("0x5FbDB2315678afecb367f032d93F642f64180aa3");
    auto filled = a->link("NFTDescriptor", lib);
    REQUIRE(filled);
    CHECK(*filled == 1);
    CHECK(a->unlinked.empty());
    CHECK(std::equal(lib.bytes.begin(), lib.bytes.end(), a->bytecode.begin() + 1681));
}

TEST_CASE("link accepts the fully qualified name and refuses a library the artifact does not reference") {
    auto a = ContractArtifact::from_json(hardhat_artifact(placeholder("lib/L.sol:L")), "T");
    REQUIRE(a);
    auto other = a->link("M", Address{});
    REQUIRE_FALSE(other);
    CHECK_THAT(other.error().message(), Catch::Contains("library M"));
    CHECK(a->unlinked.size() == 1);
    REQUIRE(a->link("lib/L.sol:L", address_of("0x00000000000000000000000000000000000000aa")));
    CHECK(a->bytecode == *from_hex("0x6001" + std::string(38, '0') + "aaff"));
}

TEST_CASE("Foundry's bytecode.linkReferences is read as Hardhat's top-level one") {
    const json j{{"abi", json::array()},
                 {"bytecode",
                  {{"object", "0x6001" + placeholder("lib/L.sol:L") + "ff"},
                   {"linkReferences", {{"lib/L.sol", {{"L", {{{"start", 2}, {"length", 20}}}}}}}}}}};
    auto a = ContractArtifact::from_json(j, "F");
    REQUIRE(a);
    REQUIRE(a->unlinked.size() == 1);
    CHECK(a->unlinked[0].offset == 2);
}

TEST_CASE("a placeholder that linkReferences does not list is an error naming its byte offset") {
    const json j{{"abi", json::array()}, {"bytecode", "0x6001" + placeholder("lib/L.sol:L") + "ff"}};
    auto a = ContractArtifact::from_json(j, "T");
    REQUIRE_FALSE(a);
    CHECK_THAT(a.error().message(), Catch::Contains("byte 2"));
}

TEST_CASE("linkReferences that do not match the bytecode are errors naming the library") {
    SECTION("the placeholder hashes another library") {
        auto a = ContractArtifact::from_json(hardhat_artifact(placeholder("lib/Other.sol:Other")), "T");
        REQUIRE_FALSE(a);
        CHECK_THAT(a.error().message(), Catch::Contains("lib/L.sol:L") && Catch::Contains("byte 2"));
    }
    SECTION("a length other than 20") {
        auto a = ContractArtifact::from_json(hardhat_artifact(placeholder("lib/L.sol:L"), 2, 32), "T");
        REQUIRE_FALSE(a);
        CHECK_THAT(a.error().message(), Catch::Contains("not 20"));
    }
    SECTION("an offset past the end") {
        auto a = ContractArtifact::from_json(hardhat_artifact(placeholder("lib/L.sol:L"), 10), "T");
        REQUIRE_FALSE(a);
        CHECK_THAT(a.error().message(), Catch::Contains("past the end"));
    }
    SECTION("a negative start") {
        json j = hardhat_artifact(placeholder("lib/L.sol:L"));
        j["linkReferences"]["lib/L.sol"]["L"][0]["start"] = -2;
        auto a = ContractArtifact::from_json(j, "T");
        REQUIRE_FALSE(a);
        CHECK_THAT(a.error().message(), Catch::Contains("non-negative integer start"));
    }
    SECTION("not an object") {
        json j = hardhat_artifact(placeholder("lib/L.sol:L"));
        j["linkReferences"] = json::array();
        auto a = ContractArtifact::from_json(j, "T");
        REQUIRE_FALSE(a);
        CHECK_THAT(a.error().message(), Catch::Contains("linkReferences"));
    }
}

TEST_CASE("deploying an artifact with an unlinked library is refused before anything is sent") {
    auto a = ContractArtifact::load(kDescriptor);
    REQUIRE(a);
    auto deployed = Contract::deploy(*a, {}, nullptr, nullptr);  // no client or sender is touched
    REQUIRE_FALSE(deployed);
    CHECK_THAT(deployed.error().message(), Catch::Contains("NFTDescriptor is not linked"));
}
