// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {VRFCoordinator} from "../../src/vrf/VRFCoordinator.sol";
import {DiceGame} from "../../src/examples/DiceGame.sol";
import {NFTTraitRoller} from "../../src/examples/NFTTraitRoller.sol";
import {VRFCoordinatorBase} from "./VRFCoordinatorBase.sol";

/// @notice The two example games, end to end through the coordinator with real proofs. Each game
/// is placed at the fixture's CONSUMER address (vm.etch keeps its immutables).
contract VRFExamplesTest is VRFCoordinatorBase {
    address internal constant PLAYER = address(0x91A7E5);

    function _commitment(uint32 gasLimit, uint32 numWords, uint256 fee)
        internal
        view
        returns (VRFCoordinator.RequestCommitment memory)
    {
        return VRFCoordinator.RequestCommitment(
            1, keyHash, CONSUMER, 1, uint64(block.number), 3, gasLimit, numWords, uint96(fee)
        );
    }

    function test_DiceGameRollLandsOnTheVerifiedWord() public {
        vm.etch(CONSUMER, address(new DiceGame(address(coordinator), keyHash)).code);
        DiceGame game = DiceGame(CONSUMER);
        uint256 fee = game.price();
        vm.deal(PLAYER, fee);
        vm.prank(PLAYER);
        uint256 id = game.roll{value: fee}();
        VRFCoordinator.RequestCommitment memory rc = _commitment(game.CALLBACK_GAS_LIMIT(), 1, fee);
        _advance(rc, 3);
        assertTrue(coordinator.fulfillRandomWords(_proof(rc), rc), "callback");
        uint8 want = uint8(_words(_beta(rc), 1)[0] % 6) + 1;
        (address player, uint8 result) = game.rolls(id);
        assertEq(player, PLAYER);
        assertEq(uint256(result), uint256(want), "die");
        assertEq(uint256(game.lastResult(PLAYER)), uint256(want));
    }

    function test_NFTTraitRollerRevealsTraitsFromThreeWords() public {
        vm.etch(CONSUMER, address(new NFTTraitRoller(address(coordinator), keyHash)).code);
        NFTTraitRoller nft = NFTTraitRoller(CONSUMER);
        uint256 fee = nft.price();
        vm.deal(PLAYER, fee);
        vm.prank(PLAYER);
        uint256 tokenId = nft.mint{value: fee}();
        assertEq(nft.ownerOf(tokenId), PLAYER);
        VRFCoordinator.RequestCommitment memory rc = _commitment(nft.CALLBACK_GAS_LIMIT(), 3, fee);
        _advance(rc, 3);
        assertTrue(coordinator.fulfillRandomWords(_proof(rc), rc), "callback");
        uint256[] memory w = _words(_beta(rc), 3);
        (NFTTraitRoller.Rarity rarity, uint8 body, uint8 background, uint16 power) = nft.traitsOf(tokenId);
        uint256 roll = w[0] % 100;
        uint256 wantRarity = roll < 70 ? 1 : roll < 95 ? 2 : 3;
        assertEq(uint256(rarity), wantRarity, "rarity");
        assertEq(uint256(body), w[1] % 12, "body");
        assertEq(uint256(background), (w[1] >> 128) % 8, "background");
        assertEq(uint256(power), w[2] % 100 + 1 + (wantRarity == 3 ? 50 : 0), "power");
    }
}
