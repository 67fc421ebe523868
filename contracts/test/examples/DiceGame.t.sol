// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Test} from "../utils/Test.sol";
import {DiceGame} from "../../src/examples/DiceGame.sol";
import {IVRFCoordinator} from "../../src/vrf/IVRFCoordinator.sol";
import {VRFCoordinatorMock} from "../../src/vrf/VRFCoordinatorMock.sol";

/// @notice How a game developer unit-tests a consumer: the DiceGame against VRFCoordinatorMock,
/// with words the test chooses — no oracle, no proofs, no attestation.
contract DiceGameUnitTest is Test {
    bytes32 internal constant KEY_HASH = keccak256("any key hash: the mock accepts every one");
    address internal constant ALICE = address(0xA11CE);
    address internal constant BOB = address(0xB0B);

    VRFCoordinatorMock internal vrf;
    DiceGame internal game;

    function setUp() public {
        vrf = new VRFCoordinatorMock(0.001 ether);
        game = new DiceGame(address(vrf), KEY_HASH);
        vm.deal(ALICE, 1 ether);
        vm.deal(BOB, 1 ether);
    }

    function _roll(address player) internal returns (uint256 id) {
        uint256 price = game.price(); // before the prank: it applies to the next call only
        vm.prank(player);
        id = game.roll{value: price}();
    }

    function test_AChosenWordLandsAsTheExpectedFace() public {
        uint256 id = _roll(ALICE);
        vm.roll(block.number + game.CONFIRMATIONS());
        uint256[] memory words = new uint256[](1);
        words[0] = 6 * 1000 + 3; // ≡ 3 (mod 6): face 4
        assertTrue(vrf.fulfilWithWords(id, words));
        (, uint8 result,) = game.rolls(id);
        assertEq(uint256(result), 4);
        assertEq(uint256(game.lastResult(ALICE)), 4);
    }

    function test_DerivedWordsAlwaysGiveAFaceFromOneToSix() public {
        for (uint256 i; i < 20; ++i) {
            uint256 id = _roll(i % 2 == 0 ? ALICE : BOB);
            vm.roll(block.number + game.CONFIRMATIONS());
            assertTrue(vrf.fulfil(id));
            (, uint8 result,) = game.rolls(id);
            assertTrue(result >= 1 && result <= 6, "a die face");
        }
    }

    function test_TheResultNeverArrivesBeforeTheConfirmations() public {
        uint256 id = _roll(ALICE);
        vm.expectRevert(
            abi.encodeWithSelector(VRFCoordinatorMock.NotEnoughConfirmations.selector, id, block.number + 3, block.number)
        );
        vrf.fulfil(id);
    }

    function test_ARollAnsweredTwiceFailsTheSecondCallbackWithoutChangingTheFace() public {
        uint256 id = _roll(ALICE);
        vm.roll(block.number + 3);
        assertTrue(vrf.fulfil(id));
        (, uint8 first,) = game.rolls(id);
        vm.expectRevert(abi.encodeWithSelector(IVRFCoordinator.RequestNotPending.selector, id));
        vrf.fulfil(id);
        (, uint8 again,) = game.rolls(id);
        assertEq(again, first);
    }

    function test_AStrandedRollIsCancelledAndRefundedToItsPlayer() public {
        uint256 id = _roll(ALICE);
        uint256 before = ALICE.balance;
        vm.roll(vrf.requestStatus(id).cancellableAt);
        vm.prank(ALICE);
        game.cancelRoll(id);
        assertEq(ALICE.balance, before + 0.001 ether);
        vm.expectRevert(abi.encodeWithSelector(IVRFCoordinator.RequestNotPending.selector, id));
        vrf.fulfil(id);
    }
}
