// Issue 16 §5: the contracts install as Solidity developers install libraries — as the npm
// package @cvex/contracts built from contracts/ (`npm pack`, unpacked into a fresh Foundry
// project's node_modules) and with `forge install` (a clone in lib/, remapped by the repository's
// root foundry.toml) — and a game importing @cvex/contracts/… compiles against either.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "support/process.hpp"

namespace fs = std::filesystem;
using cvex::test::run_process;

namespace {

const std::string kRoot = CVEX_SOURCE_DIR;

// The README's dice game, importing only through @cvex/contracts/.
constexpr const char* kDice = R"(// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
import {VRFConsumerBase} from "@cvex/contracts/src/vrf/VRFConsumerBase.sol";
import {VRFConsumerPayments} from "@cvex/contracts/src/vrf/VRFConsumerPayments.sol";
import {VRFCoordinatorMock} from "@cvex/contracts/src/vrf/VRFCoordinatorMock.sol";
contract Dice is VRFConsumerPayments {
    bytes32 public immutable keyHash;
    mapping(uint256 => address) public player;
    mapping(address => uint8) public lastRoll;
    constructor(address coordinator, bytes32 keyHash_) VRFConsumerBase(coordinator) { keyHash = keyHash_; }
    function roll() external payable returns (uint256 id) {
        id = _requestPaidBySender(keyHash, 3, 60_000, 1);
        player[id] = msg.sender;
    }
    function cancel(uint256 id) external { _onlyPayer(id); _cancelAndRefund(id); }
    function fulfillRandomWords(uint256 id, uint256[] calldata words) internal override {
        lastRoll[player[id]] = uint8(words[0] % 6) + 1;
    }
}
)";

fs::path fresh_project(const std::string& name, const std::string& toml) {
    const auto dir = fs::temp_directory_path() / ("cvex-packaging-" + std::to_string(::getpid())) / name;
    fs::remove_all(dir);
    fs::create_directories(dir / "src");
    std::ofstream(dir / "foundry.toml") << toml;
    std::ofstream(dir / "src" / "Dice.sol") << kDice;
    return dir;
}

// A shell command line (run_process takes a path, not a name on PATH).
cvex::test::ProcessResult sh(const std::string& command) { return run_process({"/bin/bash", "-c", command}); }

cvex::test::ProcessResult forge_build(const fs::path& project) {
    return run_process({"/bin/bash", "-c", "cd '" + project.string() + "' && '" + kRoot + "/node_modules/.bin/forge' build --use '" + kRoot +
                                               "/scripts/solc' --offline"});
}

}  // namespace

TEST_CASE("npm pack of contracts/ gives @cvex/contracts, and a fresh Foundry project compiles a game against it") {
    const auto project = fresh_project("npm", R"([profile.default]
src = "src"
out = "out"
libs = ["node_modules"]
offline = true
auto_detect_solc = false
remappings = ["@cvex/contracts/=node_modules/@cvex/contracts/"]
)");
    const auto pkg = project / "node_modules" / "@cvex" / "contracts";
    fs::create_directories(pkg);
    auto packed = run_process({"/bin/bash", "-c", "cd '" + kRoot + "/contracts' && npm pack --silent --pack-destination '" +
                                                      project.string() + "'"});
    INFO(packed.err);
    REQUIRE(packed.exit_code == 0);
    const std::string tarball = project.string() + "/cvex-contracts-0.1.0.tgz";
    REQUIRE(fs::exists(tarball));
    auto listing = sh("tar -tzf '" + tarball + "'");
    CHECK_THAT(listing.out, Catch::Contains("package/src/vrf/VRFConsumerBase.sol"));
    CHECK_THAT(listing.out, !Catch::Contains("package/test/"));  // the package ships sources, not tests
    REQUIRE(sh("tar -xzf '" + tarball + "' -C '" + pkg.string() + "' --strip-components=1").exit_code == 0);
    auto built = forge_build(project);
    INFO(built.out << built.err);
    CHECK(built.exit_code == 0);
    CHECK(fs::exists(project / "out" / "Dice.sol" / "Dice.json"));
}

TEST_CASE("forge install (a clone in lib/) remaps @cvex/contracts/ from the repository's root foundry.toml") {
    const auto project = fresh_project("forge-install", R"([profile.default]
src = "src"
out = "out"
libs = ["lib"]
offline = true
auto_detect_solc = false
)");
    fs::create_directories(project / "lib");
    auto cloned = sh("git clone --quiet --depth 1 'file://" + kRoot + "' '" + (project / "lib" / "cvex").string() + "'");
    INFO(cloned.err);
    REQUIRE(cloned.exit_code == 0);
    auto remappings = run_process({"/bin/bash", "-c", "cd '" + project.string() + "' && '" + kRoot + "/node_modules/.bin/forge' remappings"});
    CHECK_THAT(remappings.out, Catch::Contains("@cvex/contracts/=lib/cvex/contracts/"));
    auto built = forge_build(project);
    INFO(built.out << built.err);
    CHECK(built.exit_code == 0);
}
