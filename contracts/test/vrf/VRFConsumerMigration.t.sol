// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {VRFCoordinator} from "../../src/vrf/VRFCoordinator.sol";
import {VRFConsumerBase} from "../../src/vrf/VRFConsumerBase.sol";
import {RecordingConsumer} from "./VRFTestConsumers.sol";
import {VRFCoordinatorBase} from "./VRFCoordinatorBase.sol";

/// @notice VRFConsumerBase's settable coordinator (issue 16 §1, as Chainlink's
/// VRFConsumerBaseV2Plus.setCoordinator) and its two-step ownership.
contract VRFConsumerMigrationTest is VRFCoordinatorBase {
    event CoordinatorSet(address vrfCoordinator);
    event OwnershipTransferRequested(address indexed from, address indexed to);
    event OwnershipTransferred(address indexed from, address indexed to);

    address internal constant OLD_COORDINATOR = address(0xC0C0);
    address internal constant NEW_COORDINATOR = address(0xC1C1);
    address internal constant STRANGER = address(0x5757);
    address internal constant NEW_OWNER = address(0x0A0A);

    RecordingConsumer internal consumer;

    function setUp() public override {
        super.setUp();
        consumer = new RecordingConsumer(OLD_COORDINATOR);
    }

    function _oneWord() internal pure returns (uint256[] memory w) {
        w = new uint256[](1);
        w[0] = 42;
    }

    function test_TheDeployerOwnsTheConsumer() public view {
        assertEq(consumer.owner(), address(this));
        assertEq(consumer.pendingOwner(), address(0));
        assertEq(address(consumer.vrfCoordinator()), OLD_COORDINATOR);
    }

    function test_TheOwnerMovesTheConsumerAndOnlyTheNewCoordinatorDelivers() public {
        vm.expectEmit(false, false, false, true, address(consumer));
        emit CoordinatorSet(NEW_COORDINATOR);
        consumer.setCoordinator(NEW_COORDINATOR);
        assertEq(address(consumer.vrfCoordinator()), NEW_COORDINATOR);

        vm.prank(OLD_COORDINATOR);
        vm.expectRevert(abi.encodeWithSelector(VRFConsumerBase.OnlyCoordinatorCanFulfill.selector, OLD_COORDINATOR, NEW_COORDINATOR));
        consumer.rawFulfillRandomWords(1, _oneWord());

        vm.prank(NEW_COORDINATOR);
        consumer.rawFulfillRandomWords(1, _oneWord());
        assertEq(consumer.calls(), 1);
        assertEq(consumer.lastRequestId(), 1);
    }

    function test_TheCurrentCoordinatorCanMoveItsConsumers() public {
        vm.prank(OLD_COORDINATOR);
        consumer.setCoordinator(NEW_COORDINATOR);
        assertEq(address(consumer.vrfCoordinator()), NEW_COORDINATOR);
        // …and then it is no longer the coordinator, so it cannot move them again.
        vm.prank(OLD_COORDINATOR);
        vm.expectRevert(
            abi.encodeWithSelector(VRFConsumerBase.OnlyOwnerOrCoordinator.selector, OLD_COORDINATOR, address(this), NEW_COORDINATOR)
        );
        consumer.setCoordinator(OLD_COORDINATOR);
    }

    function test_AStrangerCannotMoveTheConsumer() public {
        vm.prank(STRANGER);
        vm.expectRevert(
            abi.encodeWithSelector(VRFConsumerBase.OnlyOwnerOrCoordinator.selector, STRANGER, address(this), OLD_COORDINATOR)
        );
        consumer.setCoordinator(STRANGER);
    }

    function test_TheZeroAddressIsRefusedAsCoordinator() public {
        vm.expectRevert(VRFConsumerBase.ZeroAddress.selector);
        consumer.setCoordinator(address(0));
        vm.expectRevert(VRFConsumerBase.ZeroAddress.selector);
        new RecordingConsumer(address(0));
    }

    function test_OwnershipMovesInTwoSteps() public {
        vm.expectEmit(true, true, false, false, address(consumer));
        emit OwnershipTransferRequested(address(this), NEW_OWNER);
        consumer.transferOwnership(NEW_OWNER);
        assertEq(consumer.owner(), address(this), "nothing moves before acceptance");
        assertEq(consumer.pendingOwner(), NEW_OWNER);

        vm.prank(STRANGER);
        vm.expectRevert(abi.encodeWithSelector(VRFConsumerBase.NotPendingOwner.selector, STRANGER, NEW_OWNER));
        consumer.acceptOwnership();

        vm.expectEmit(true, true, false, false, address(consumer));
        emit OwnershipTransferred(address(this), NEW_OWNER);
        vm.prank(NEW_OWNER);
        consumer.acceptOwnership();
        assertEq(consumer.owner(), NEW_OWNER);
        assertEq(consumer.pendingOwner(), address(0));

        vm.expectRevert(
            abi.encodeWithSelector(VRFConsumerBase.OnlyOwnerOrCoordinator.selector, address(this), NEW_OWNER, OLD_COORDINATOR)
        );
        consumer.setCoordinator(NEW_COORDINATOR);
        vm.prank(NEW_OWNER);
        consumer.setCoordinator(NEW_COORDINATOR);
        assertEq(address(consumer.vrfCoordinator()), NEW_COORDINATOR);
    }

    function test_OnlyTheOwnerStartsATransfer() public {
        vm.prank(STRANGER);
        vm.expectRevert(abi.encodeWithSelector(VRFConsumerBase.NotOwner.selector, STRANGER));
        consumer.transferOwnership(STRANGER);
        vm.expectRevert(VRFConsumerBase.ZeroAddress.selector);
        consumer.transferOwnership(address(0));
    }

    /// A consumer deployed against another coordinator migrates to cvex's and receives verified
    /// words through a real request and fulfilment.
    function test_AConsumerMigratedToThisCoordinatorGetsVerifiedWords() public {
        _place(CONSUMER, address(new RecordingConsumer(OLD_COORDINATOR)));
        RecordingConsumer migrated = RecordingConsumer(CONSUMER);
        migrated.setCoordinator(address(coordinator));
        VRFCoordinator.RequestCommitment memory rc = _request(CONSUMER, 3, 500_000, 2);
        _advance(rc, 3);
        assertTrue(coordinator.fulfillRandomWords(_proof(rc), rc), "callback");
        assertEq(migrated.calls(), 1);
        assertEq(migrated.lastRequestId(), rc.requestId);
        uint256[] memory want = _words(_beta(rc), 2);
        uint256[] memory got = migrated.words();
        assertEq(got.length, 2);
        assertEq(got[0], want[0]);
        assertEq(got[1], want[1]);
    }
}
