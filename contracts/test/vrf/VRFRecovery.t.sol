// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {VRFCoordinator} from "../../src/vrf/VRFCoordinator.sol";
import {IVRFCoordinator} from "../../src/vrf/IVRFCoordinator.sol";
import {FlakyConsumer} from "./VRFTestConsumers.sol";
import {ExactGasCall} from "../../src/vrf/ExactGasCall.sol";
import {VRFCoordinatorBase} from "./VRFCoordinatorBase.sol";
import {Vm} from "../utils/Vm.sol";

/// @notice Issue 20 (callback failures you can act on, oracle liveness) and issue 16 §2 (status
/// and re-delivery): a failed callback is reported with its revert data and an out-of-gas flag,
/// its words stay deliverable, and every request's state can be asked for on-chain.
contract VRFRecoveryTest is VRFCoordinatorBase {
    event CallbackFailed(uint256 indexed requestId, bool outOfGas, bytes revertData);
    event RandomWordsRedelivered(uint256 indexed requestId, address indexed by);

    FlakyConsumer internal flaky;

    function setUp() public override {
        super.setUp();
        _place(REVERTER, address(new FlakyConsumer(address(coordinator))));
        flaky = FlakyConsumer(REVERTER);
    }

    function _state(uint256 id) internal view returns (uint8) {
        return uint8(coordinator.requestStatus(id).state);
    }

    function _fulfil(VRFCoordinator.RequestCommitment memory rc) internal returns (bool) {
        _advance(rc, rc.minConfirmations);
        return coordinator.fulfillRandomWords(_proof(rc), rc);
    }

    function test_ACustomErrorInTheCallbackIsReportedWithItsRevertData() public {
        VRFCoordinator.RequestCommitment memory rc = _request(REVERTER, 3, 200_000, 2);
        _advance(rc, 3);
        vm.expectEmit(true, true, true, true, address(coordinator));
        emit CallbackFailed(rc.requestId, false, abi.encodeWithSelector(FlakyConsumer.NotReadyYet.selector, rc.requestId, 42));
        assertFalse(coordinator.fulfillRandomWords(_proof(rc), rc));
        assertEq(_state(rc.requestId), uint8(IVRFCoordinator.RequestState.CallbackFailed));
    }

    function test_ALongRevertReasonIsCutToMaxRevertData() public {
        flaky.setMode(FlakyConsumer.Mode.LongReason);
        VRFCoordinator.RequestCommitment memory rc = _request(REVERTER, 3, 200_000, 1);
        vm.recordLogs();
        assertFalse(_fulfil(rc));
        bytes memory data = _callbackFailedData(rc.requestId);
        (bool outOfGas, bytes memory revertData) = abi.decode(data, (bool, bytes));
        assertFalse(outOfGas);
        assertEq(revertData.length, coordinator.MAX_REVERT_DATA());
        assertEq(bytes4(revertData), bytes4(keccak256("Error(string)")));
    }

    function test_AnOutOfGasCallbackIsFlaggedWithoutRevertData() public {
        flaky.setMode(FlakyConsumer.Mode.BurnAllGas);
        VRFCoordinator.RequestCommitment memory rc = _request(REVERTER, 3, 100_000, 1);
        _advance(rc, 3);
        vm.expectEmit(true, true, true, true, address(coordinator));
        emit CallbackFailed(rc.requestId, true, "");
        assertFalse(coordinator.fulfillRandomWords(_proof(rc), rc));
    }

    function test_FailedWordsAreRedeliveredOnceAfterTheConsumerIsFixed() public {
        VRFCoordinator.RequestCommitment memory rc = _request(REVERTER, 3, 200_000, 3);
        assertFalse(_fulfil(rc));
        uint256[] memory words = _words(_beta(rc), 3);

        uint256[] memory forged = _words(_beta(rc), 3);
        forged[1] ^= 1;
        vm.expectRevert(abi.encodeWithSelector(IVRFCoordinator.WordsMismatch.selector, rc.requestId));
        coordinator.redeliver(rc.requestId, forged);

        // Still failing: reported again, and it may be retried.
        vm.expectEmit(true, true, true, true, address(coordinator));
        emit CallbackFailed(rc.requestId, false, abi.encodeWithSelector(FlakyConsumer.NotReadyYet.selector, rc.requestId, 42));
        assertFalse(coordinator.redeliver(rc.requestId, words));
        assertEq(_state(rc.requestId), uint8(IVRFCoordinator.RequestState.CallbackFailed));

        flaky.setMode(FlakyConsumer.Mode.Healthy);
        vm.expectEmit(true, true, true, true, address(coordinator));
        emit RandomWordsRedelivered(rc.requestId, address(0xBEEF));
        vm.prank(address(0xBEEF)); // anyone may re-deliver
        assertTrue(coordinator.redeliver(rc.requestId, words));
        assertEq(keccak256(abi.encode(flaky.words())), keccak256(abi.encode(words)));
        assertEq(flaky.calls(), 1);
        assertEq(_state(rc.requestId), uint8(IVRFCoordinator.RequestState.Redelivered));

        vm.expectRevert(abi.encodeWithSelector(IVRFCoordinator.NotRedeliverable.selector, rc.requestId));
        coordinator.redeliver(rc.requestId, words);
    }

    function test_ARedeliveryStarvedOfGasFailsAndCanBeRetried() public {
        flaky.setMode(FlakyConsumer.Mode.BurnAllGas);
        VRFCoordinator.RequestCommitment memory rc = _request(REVERTER, 3, 100_000, 1);
        assertFalse(_fulfil(rc));
        uint256[] memory words = _words(_beta(rc), 1);
        // Less than the callback's limit is refused outright (a gas estimate then gives it that).
        (bool ok, bytes memory ret) = address(coordinator).call{gas: 120_000}(abi.encodeCall(coordinator.redeliver, (rc.requestId, words)));
        assertFalse(ok);
        assertEq(bytes4(ret), ExactGasCall.InsufficientGasForConsumer.selector);
        assertFalse(coordinator.redeliver{gas: 200_000}(rc.requestId, words));
        flaky.setMode(FlakyConsumer.Mode.Healthy);
        assertTrue(coordinator.redeliver(rc.requestId, words));
    }

    function test_ASuccessfulFulfilmentCannotBeRedelivered() public {
        VRFCoordinator.RequestCommitment memory rc = _request(CONSUMER, 3, 200_000, 1);
        assertTrue(_fulfil(rc));
        vm.expectRevert(abi.encodeWithSelector(IVRFCoordinator.NotRedeliverable.selector, rc.requestId));
        coordinator.redeliver(rc.requestId, _words(_beta(rc), 1));
    }

    function test_StatusFollowsARequestFromNothingToFulfilled() public {
        assertEq(_state(1), uint8(IVRFCoordinator.RequestState.None));
        VRFCoordinator.RequestCommitment memory rc = _request(CONSUMER, 3, 200_000, 1);
        IVRFCoordinator.RequestStatus memory s = coordinator.requestStatus(rc.requestId);
        assertEq(uint8(s.state), uint8(IVRFCoordinator.RequestState.Pending));
        assertEq(s.requester, CONSUMER);
        assertEq(s.requestBlock, rc.blockNumber);
        assertEq(s.readyAt, rc.blockNumber + 3);
        assertEq(s.cancellableAt, rc.blockNumber + 3 + coordinator.cancelDelayBlocks());
        assertEq(s.fee, rc.fee);
        assertTrue(_fulfil(rc));
        assertEq(_state(rc.requestId), uint8(IVRFCoordinator.RequestState.Fulfilled));
    }

    function test_KeyStatusTellsWhenItsOracleLastFulfilled() public {
        IVRFCoordinator.KeyStatus memory k = coordinator.keyStatus(keyHash);
        assertEq(k.oracle, oracle);
        assertTrue(k.active && k.attested);
        assertEq(k.lastFulfilledBlock, 0, "never fulfilled");
        VRFCoordinator.RequestCommitment memory rc = _request(CONSUMER, 3, 200_000, 1);
        assertTrue(_fulfil(rc));
        assertEq(coordinator.keyStatus(keyHash).lastFulfilledBlock, block.number);
        (,, uint256 earnings) = coordinator.provingKey(keyHash);
        assertEq(earnings + coordinator.creditOf(CONSUMER), rc.fee, "earnings kept beside the block in one slot");
        vm.warp(block.timestamp + 2 days); // the oracle's attestation expires
        assertFalse(coordinator.keyStatus(keyHash).attested);
    }

    function _callbackFailedData(uint256 requestId) internal returns (bytes memory) {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        bytes32 topic = keccak256("CallbackFailed(uint256,bool,bytes)");
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].topics[0] == topic && uint256(logs[i].topics[1]) == requestId) return logs[i].data;
        }
        revert("no CallbackFailed");
    }
}
