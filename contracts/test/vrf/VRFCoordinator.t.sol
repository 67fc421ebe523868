// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IAttestationRegistry} from "../../src/attestation/IAttestationRegistry.sol";
import {VRFCoordinator} from "../../src/vrf/VRFCoordinator.sol";
import {VRFProvingKeys} from "../../src/vrf/VRFProvingKeys.sol";
import {IVRFCoordinator} from "../../src/vrf/IVRFCoordinator.sol";
import {ExactGasCall} from "../../src/vrf/ExactGasCall.sol";
import {VRFCoordinatorSettings} from "../../src/vrf/VRFCoordinatorSettings.sol";
import {VRFBlockhashStore} from "../../src/vrf/VRFBlockhashStore.sol";
import {VRFVerifier} from "../../src/vrf/VRFVerifier.sol";
import {VRFConsumerBase} from "../../src/vrf/VRFConsumerBase.sol";
import {RecordingConsumer} from "./VRFTestConsumers.sol";
import {VRFCoordinatorBase} from "./VRFCoordinatorBase.sol";

contract VRFCoordinatorTest is VRFCoordinatorBase {
    event RandomWordsRequested(
        bytes32 indexed keyHash,
        uint256 indexed requestId,
        address indexed requester,
        uint64 nonce,
        uint256 preSeed,
        uint64 blockNumber,
        uint16 minConfirmations,
        uint32 callbackGasLimit,
        uint32 numWords,
        uint96 fee
    );
    event RandomWordsFulfilled(uint256 indexed requestId, bytes32 indexed keyHash, bytes32 beta, uint96 payment, bool success);

    function _expectInvalidProof(VRFVerifier.Proof memory p, VRFCoordinator.RequestCommitment memory rc) internal {
        (bool ok, bytes memory ret) = address(coordinator).call(abi.encodeCall(VRFCoordinator.fulfillRandomWords, (p, rc)));
        assertFalse(ok, "fulfilled with a proof for another alpha");
        assertEq(bytes4(ret), VRFVerifier.InvalidProof.selector);
        assertTrue(coordinator.isPending(rc.requestId));
    }

    // ------------------------------------------------------------- happy path

    function test_AlphaIsKeccakOfPreSeedAndRequestBlockHash() public view {
        for (uint256 i; i < 54; i += 7) {
            uint256 id = vm.parseJsonUint(json, _at(i, "requestId"));
            address requester = address(uint160(vm.parseJsonUint(json, _at(i, "requester"))));
            uint64 nonce = uint64(vm.parseJsonUint(json, _at(i, "nonce")));
            uint256 preSeed = coordinator.computePreSeed(id, requester, nonce);
            assertEq(preSeed, vm.parseJsonUint(json, _at(i, "preSeed")), "preSeed");
            assertEq(coordinator.computeAlpha(preSeed, blockHash), vm.parseJsonBytes32(json, _at(i, "alpha")), "alpha");
        }
    }

    function test_RequestEmitsEveryCommittedFieldAndPreSeed() public {
        uint256 fee = coordinator.requestPrice(keyHash, 100_000, 2);
        vm.deal(CONSUMER, fee);
        vm.expectEmit(true, true, true, true, address(coordinator));
        emit RandomWordsRequested(
            keyHash, 1, CONSUMER, 1, coordinator.computePreSeed(1, CONSUMER, 1), uint64(block.number), 3, 100_000, 2, uint96(fee)
        );
        vm.prank(CONSUMER);
        uint256 id = coordinator.requestRandomWords{value: fee}(keyHash, 3, 100_000, 2);
        assertEq(id, 1);
        assertTrue(coordinator.isPending(1));
    }

    function test_FulfilmentDeliversWordsDerivedFromTheVerifiedBeta() public {
        VRFCoordinator.RequestCommitment memory rc = _request(CONSUMER, 3, 200_000, 4);
        _advance(rc, 3);
        (bytes32 beta, uint256 payment, bool ok) = _fulfilRecorded(rc);
        assertTrue(ok, "callback success");
        assertEq(beta, _beta(rc));
        assertEq(payment + coordinator.creditOf(CONSUMER), rc.fee, "charged, the rest back to the requester");
        RecordingConsumer c = RecordingConsumer(CONSUMER);
        assertEq(c.lastRequestId(), rc.requestId);
        uint256[] memory got = c.words();
        uint256[] memory want = _words(_beta(rc), 4);
        assertEq(got.length, 4);
        for (uint256 i; i < 4; ++i) {
            assertEq(got[i], want[i], "word");
        }
        assertFalse(coordinator.isPending(rc.requestId));
    }

    // ------------------------------------------------------------- rejections

    function test_RejectsCommitmentMismatch() public {
        VRFCoordinator.RequestCommitment memory rc = _request(CONSUMER, 3, 200_000, 1);
        _advance(rc, 3);
        VRFVerifier.Proof memory p = _proof(rc);
        rc.numWords = 2; // the oracle may not change what the requester asked for
        vm.expectRevert(abi.encodeWithSelector(VRFCoordinator.CommitmentMismatch.selector, rc.requestId));
        coordinator.fulfillRandomWords(p, rc);
    }

    function test_RejectsUnknownRequest() public {
        VRFCoordinator.RequestCommitment memory rc = _request(CONSUMER, 3, 200_000, 1);
        rc.requestId = 2;
        vm.expectRevert(abi.encodeWithSelector(IVRFCoordinator.RequestNotPending.selector, 2));
        coordinator.fulfillRandomWords(_proofAt(0), rc);
    }

    function test_RejectsBeforeMinConfirmations() public {
        VRFCoordinator.RequestCommitment memory rc = _request(CONSUMER, 5, 200_000, 1);
        _advance(rc, 4);
        vm.expectRevert(
            abi.encodeWithSelector(
                VRFCoordinator.NotEnoughConfirmations.selector, rc.requestId, rc.blockNumber + 5, rc.blockNumber + 4
            )
        );
        coordinator.fulfillRandomWords(_proof(rc), rc);
        vm.roll(block.number + 1);
        coordinator.fulfillRandomWords(_proof(rc), rc);
    }

    function test_RejectsAProofOfAnotherRequest() public {
        VRFCoordinator.RequestCommitment memory rc = _request(CONSUMER, 3, 200_000, 1);
        _advance(rc, 3);
        _expectInvalidProof(_proofAt(_index(CONSUMER, 2, 1)), rc);
    }

    function test_RejectsWhenTheRequestBlockHashDiffers() public {
        // A reorg that changes the request's block changes alpha: the old proof is refused.
        VRFCoordinator.RequestCommitment memory rc = _request(CONSUMER, 3, 200_000, 1);
        vm.roll(block.number + 3);
        vm.setBlockhash(rc.blockNumber, keccak256("another block"));
        _expectInvalidProof(_proof(rc), rc);
    }

    function test_RejectsRequestsWhileTheKeysOracleIsUnattested() public {
        VRFCoordinator c2 = new VRFCoordinator(IAttestationRegistry(address(registry)), address(this));
        address stranger = address(0x5757);
        c2.registerProvingKey(pk, stranger); // the owner may bind it, but requests need an attested oracle
        uint256 fee = c2.requestPrice(keyHash, 200_000, 1);
        vm.deal(CONSUMER, fee);
        vm.prank(CONSUMER);
        vm.expectRevert(abi.encodeWithSelector(VRFCoordinator.NoAttestedOracle.selector, keyHash));
        c2.requestRandomWords{value: fee}(keyHash, 3, 200_000, 1);
    }

    function test_RejectsRequestsWhenTheOracleIsAttestedWithAnotherKey() public {
        address other = vm.addr(0xB0B);
        _attest(other, keccak256("some other VRF key"), bytes32(uint256(2)));
        VRFCoordinator c2 = new VRFCoordinator(IAttestationRegistry(address(registry)), address(this));
        c2.registerProvingKey(pk, other);
        uint256 fee = c2.requestPrice(keyHash, 200_000, 1);
        vm.deal(CONSUMER, fee);
        vm.prank(CONSUMER);
        vm.expectRevert(abi.encodeWithSelector(VRFCoordinator.NoAttestedOracle.selector, keyHash));
        c2.requestRandomWords{value: fee}(keyHash, 3, 200_000, 1);
    }

    function test_RejectsExpiredAttestation() public {
        VRFCoordinator.RequestCommitment memory rc = _request(CONSUMER, 3, 200_000, 1);
        _advance(rc, 3);
        vm.warp(block.timestamp + PERIOD);
        vm.expectRevert(abi.encodeWithSelector(VRFCoordinator.KeyNotAttested.selector, keyHash, oracle));
        coordinator.fulfillRandomWords(_proof(rc), rc);
    }

    function test_RejectsRevokedOracle() public {
        VRFCoordinator.RequestCommitment memory rc = _request(CONSUMER, 3, 200_000, 1);
        _advance(rc, 3);
        vm.prank(VALIDATOR);
        registry.revokeKey(oracle, "compromised");
        vm.expectRevert(abi.encodeWithSelector(VRFCoordinator.KeyNotAttested.selector, keyHash, oracle));
        coordinator.fulfillRandomWords(_proof(rc), rc);
    }

    function test_RejectsDeregisteredKey() public {
        VRFCoordinator.RequestCommitment memory rc = _request(CONSUMER, 3, 200_000, 1);
        _advance(rc, 3);
        vm.prank(oracle);
        coordinator.deregisterProvingKey(keyHash);
        vm.expectRevert(abi.encodeWithSelector(IVRFCoordinator.UnknownProvingKey.selector, keyHash));
        coordinator.fulfillRandomWords(_proof(rc), rc);
        vm.expectRevert(abi.encodeWithSelector(IVRFCoordinator.UnknownProvingKey.selector, keyHash));
        coordinator.requestRandomWords(keyHash, 3, 1, 1);
    }

    function test_RejectsProofUnderAnotherKeyThanCommitted() public {
        uint256[2] memory pk2 = [uint256(1), 0x4218f20ae6c646b363db68605822fb14264ca8d2587fdd6fbc750d587e76a7ee];
        address oracle2 = vm.addr(0xC0C); // requests need the key's oracle attested with it
        _attest(oracle2, keccak256(abi.encode(pk2)), bytes32(uint256(3)));
        bytes32 keyHash2 = coordinator.registerProvingKey(pk2, oracle2);
        uint256 fee = coordinator.requestPrice(keyHash2, 200_000, 1);
        vm.deal(CONSUMER, fee);
        vm.prank(CONSUMER);
        coordinator.requestRandomWords{value: fee}(keyHash2, 3, 200_000, 1);
        VRFCoordinator.RequestCommitment memory rc = VRFCoordinator.RequestCommitment(
            1, keyHash2, CONSUMER, 1, uint64(block.number), 3, 200_000, 1, uint96(fee)
        );
        _advance(rc, 3);
        vm.expectRevert(abi.encodeWithSelector(VRFCoordinator.WrongProvingKey.selector, keyHash2, keyHash));
        coordinator.fulfillRandomWords(_proof(rc), rc);
    }

    function test_FulfilsAtMostOnce() public {
        VRFCoordinator.RequestCommitment memory rc = _request(CONSUMER, 3, 200_000, 1);
        _advance(rc, 3);
        coordinator.fulfillRandomWords(_proof(rc), rc);
        vm.expectRevert(abi.encodeWithSelector(IVRFCoordinator.RequestNotPending.selector, rc.requestId));
        coordinator.fulfillRandomWords(_proof(rc), rc);
        assertEq(RecordingConsumer(CONSUMER).calls(), 1);
    }

    // ---------------------------------------------------------- consumers

    function test_RevertingConsumerDoesNotRevertTheFulfilment() public {
        VRFCoordinator.RequestCommitment memory rc = _request(REVERTER, 3, 200_000, 1);
        _advance(rc, 3);
        (bytes32 beta, uint256 payment, bool ok) = _fulfilRecorded(rc);
        assertFalse(ok);
        assertEq(beta, _beta(rc));
        assertFalse(coordinator.isPending(rc.requestId));
        (,, uint256 earnings) = coordinator.provingKey(keyHash);
        assertEq(earnings, payment, "oracle paid even though the callback failed");
        assertGt(payment, FLAT_FEE, "for its gas too");
    }

    function test_GasHungryConsumerGetsOnlyItsLimit() public {
        _placeGasHungry();
        VRFCoordinator.RequestCommitment memory rc = _request(NO_CODE, 3, 100_000, 1);
        _advance(rc, 3);
        VRFVerifier.Proof memory p = _proof(rc);
        uint256 before = gasleft();
        bool ok = coordinator.fulfillRandomWords(p, rc);
        uint256 used = before - gasleft();
        assertFalse(ok, "callback ran out of its gas");
        assertFalse(coordinator.isPending(rc.requestId));
        assertLe(used, 100_000 + 120_000, "fulfilment gas bounded by the callback limit plus overhead");
    }

    function test_RevertsWhenTheSubmitterLeavesTooLittleGasForTheCallback() public {
        VRFCoordinator.RequestCommitment memory rc = _request(CONSUMER, 3, 1_000_000, 1);
        _advance(rc, 3);
        VRFVerifier.Proof memory p = _proof(rc);
        // Enough for verification, not for the promised 1M of callback gas: the whole call
        // reverts (the request stays pending), the consumer is never starved on purpose.
        (bool ok, bytes memory ret) = address(coordinator).call{gas: 400_000}(
            abi.encodeCall(VRFCoordinator.fulfillRandomWords, (p, rc))
        );
        assertFalse(ok, "fulfilment with too little gas");
        assertEq(bytes4(ret), ExactGasCall.InsufficientGasForConsumer.selector);
        assertTrue(coordinator.isPending(rc.requestId));
    }

    function test_RequesterWithoutCodeIsFulfilledWithFailedCallback() public {
        VRFCoordinator.RequestCommitment memory rc = _request(NO_CODE, 3, 100_000, 1);
        _advance(rc, 3);
        assertFalse(coordinator.fulfillRandomWords(_proof(rc), rc));
        assertFalse(coordinator.isPending(rc.requestId));
    }

    function test_OnlyTheCoordinatorCanDeliverWords() public {
        vm.expectRevert(
            abi.encodeWithSelector(VRFConsumerBase.OnlyCoordinatorCanFulfill.selector, address(this), address(coordinator))
        );
        RecordingConsumer(CONSUMER).rawFulfillRandomWords(1, new uint256[](1));
    }

    // ---------------------------------------------------------------- payment

    function test_RequestPriceCoversGasAtTheConfiguredPrice() public view {
        assertEq(
            coordinator.requestPrice(keyHash, 100_000, 3),
            (coordinator.FULFILMENT_GAS_OVERHEAD() + 3 * coordinator.GAS_PER_WORD() + 100_000) * GAS_PRICE + FLAT_FEE
        );
    }

    function test_UnderpaymentReverts() public {
        uint256 fee = coordinator.requestPrice(keyHash, 100_000, 1);
        vm.deal(CONSUMER, fee);
        vm.prank(CONSUMER);
        vm.expectRevert(abi.encodeWithSelector(IVRFCoordinator.InsufficientPayment.selector, fee - 1, fee));
        coordinator.requestRandomWords{value: fee - 1}(keyHash, 3, 100_000, 1);
    }

    function test_OverpaymentBecomesCreditSpentOnTheNextRequestAndWithdrawable() public {
        uint256 fee = coordinator.requestPrice(keyHash, 100_000, 1);
        vm.deal(CONSUMER, 3 * fee);
        vm.prank(CONSUMER);
        coordinator.requestRandomWords{value: 3 * fee}(keyHash, 3, 100_000, 1);
        assertEq(coordinator.creditOf(CONSUMER), 2 * fee);
        vm.prank(CONSUMER);
        coordinator.requestRandomWords(keyHash, 3, 100_000, 1); // paid from credit
        assertEq(coordinator.creditOf(CONSUMER), fee);
        vm.prank(CONSUMER);
        coordinator.withdrawCredit(payable(address(0xCAFE)), fee);
        assertEq(address(0xCAFE).balance, fee);
        assertEq(coordinator.creditOf(CONSUMER), 0);
    }

    function test_OracleIsPaidTheFeeAndOnlyItCanWithdraw() public {
        VRFCoordinator.RequestCommitment memory rc = _request(CONSUMER, 3, 200_000, 1);
        _advance(rc, 3);
        vm.prank(address(0xD00D)); // anyone may submit; the key's oracle is paid
        coordinator.fulfillRandomWords(_proof(rc), rc);
        (,, uint256 earnings) = coordinator.provingKey(keyHash);
        assertEq(earnings + coordinator.creditOf(CONSUMER), rc.fee);
        vm.expectRevert(abi.encodeWithSelector(VRFCoordinator.NotOracle.selector, address(this), oracle));
        coordinator.withdrawEarnings(keyHash, payable(address(this)));
        vm.prank(oracle);
        coordinator.withdrawEarnings(keyHash, payable(address(0xFEE)));
        assertEq(address(0xFEE).balance, earnings);
        (,, earnings) = coordinator.provingKey(keyHash);
        assertEq(earnings, 0);
    }

    function test_CancelByIdAfterTheDelayRefundsToCredit() public {
        VRFCoordinator.RequestCommitment memory rc = _request(CONSUMER, 3, 200_000, 1);
        uint256 cancellableAt = rc.blockNumber + 3 + coordinator.cancelDelayBlocks();
        assertEq(coordinator.cancelDelayBlocks(), coordinator.DEFAULT_CANCEL_DELAY_BLOCKS());
        assertEq(coordinator.requestStatus(rc.requestId).cancellableAt, cancellableAt);
        vm.roll(cancellableAt - 1);
        vm.prank(CONSUMER);
        vm.expectRevert(abi.encodeWithSelector(IVRFCoordinator.TooEarlyToCancel.selector, rc.requestId, cancellableAt));
        coordinator.cancelRequest(rc.requestId);
        vm.roll(cancellableAt);
        vm.expectRevert(abi.encodeWithSelector(IVRFCoordinator.NotRequester.selector, address(this), CONSUMER));
        coordinator.cancelRequest(rc.requestId);
        vm.prank(CONSUMER);
        assertEq(coordinator.cancelRequest(rc.requestId), rc.fee);
        assertEq(coordinator.creditOf(CONSUMER), rc.fee);
        assertFalse(coordinator.isPending(rc.requestId));
        assertEq(uint8(coordinator.requestStatus(rc.requestId).state), uint8(IVRFCoordinator.RequestState.Cancelled));
        vm.prank(CONSUMER);
        vm.expectRevert(abi.encodeWithSelector(IVRFCoordinator.RequestNotPending.selector, rc.requestId));
        coordinator.cancelRequest(rc.requestId);
        // A cancelled request can no longer be fulfilled.
        vm.setBlockhash(rc.blockNumber, blockHash);
        vm.expectRevert(abi.encodeWithSelector(IVRFCoordinator.RequestNotPending.selector, rc.requestId));
        coordinator.fulfillRandomWords(_proof(rc), rc);
    }

    function test_CancelDelayIsAnOwnerParameterWithinBounds() public {
        coordinator.setCancelDelay(10);
        assertEq(coordinator.cancelDelayBlocks(), 10);
        vm.expectRevert(abi.encodeWithSelector(VRFCoordinatorSettings.InvalidCancelDelay.selector, 4, 5, 1_000_000));
        coordinator.setCancelDelay(4);
        vm.prank(CONSUMER);
        vm.expectRevert(abi.encodeWithSelector(VRFCoordinatorSettings.NotOwner.selector, CONSUMER));
        coordinator.setCancelDelay(20);
        VRFCoordinator.RequestCommitment memory rc = _request(CONSUMER, 3, 200_000, 1);
        vm.roll(rc.blockNumber + 3 + 10);
        vm.prank(CONSUMER);
        coordinator.cancelRequest(rc.requestId);
    }

    function test_RequestPriceIsRoundedUpToWholeGwei() public {
        coordinator.setGasLane(keyHash, 1 gwei + 1, 7);
        uint256 exact = (coordinator.FULFILMENT_GAS_OVERHEAD() + coordinator.GAS_PER_WORD() + 100_000) * (1 gwei + 1) + 7;
        uint256 price = coordinator.requestPrice(keyHash, 100_000, 1);
        assertEq(price % 1 gwei, 0);
        assertGe(price, exact, "covers the exact fee");
        assertLe(price - exact, 1 gwei - 1, "by less than a gwei");
    }

    // ------------------------------------------------------------------ batch

    function test_BatchFulfilsEachAndSkipsOneAlreadyFulfilled() public {
        VRFCoordinator.RequestCommitment[] memory rcs = new VRFCoordinator.RequestCommitment[](3);
        rcs[0] = _request(CONSUMER, 3, 200_000, 1);
        rcs[1] = _request(REVERTER, 3, 200_000, 1);
        rcs[2] = _request(CONSUMER, 3, 200_000, 2);
        vm.roll(block.number + 3);
        vm.setBlockhash(rcs[0].blockNumber, blockHash);
        VRFVerifier.Proof[] memory ps = new VRFVerifier.Proof[](3);
        for (uint256 i; i < 3; ++i) {
            ps[i] = _proof(rcs[i]);
        }
        coordinator.fulfillRandomWords(ps[0], rcs[0]); // front-run by another transaction
        bool[] memory done = coordinator.fulfillRandomWordsBatch(ps, rcs);
        assertFalse(done[0], "already fulfilled: skipped");
        assertTrue(done[1], "reverting consumer: fulfilled, callback failed");
        assertTrue(done[2], "fulfilled");
        assertEq(coordinator.pendingRequests(1, 3).length, 0);
        assertEq(RecordingConsumer(CONSUMER).lastRequestId(), 3);
    }

    function test_BatchLengthMismatchReverts() public {
        vm.expectRevert(abi.encodeWithSelector(VRFCoordinator.LengthMismatch.selector, 1, 0));
        coordinator.fulfillRandomWordsBatch(new VRFVerifier.Proof[](1), new VRFCoordinator.RequestCommitment[](0));
    }

    // ---------------------------------------------------------- blockhash store

    function test_RequestStaysFulfillableAfter256BlocksWithStoredBlockhash() public {
        VRFCoordinator.RequestCommitment memory rc = _request(CONSUMER, 3, 200_000, 1);
        _advance(rc, 10);
        coordinator.storeBlockhash(rc.blockNumber); // within the window: the oracle saves it
        vm.roll(block.number + 1000);
        assertEq(blockhash(rc.blockNumber), bytes32(0), "out of the BLOCKHASH window");
        assertEq(coordinator.blockhashOf(rc.blockNumber), blockHash);
        assertTrue(coordinator.fulfillRandomWords(_proof(rc), rc));
    }

    function test_WithoutStoredBlockhashAnOldRequestWaits() public {
        VRFCoordinator.RequestCommitment memory rc = _request(CONSUMER, 3, 200_000, 1);
        vm.roll(block.number + 1000);
        vm.expectRevert(abi.encodeWithSelector(VRFBlockhashStore.BlockhashUnavailable.selector, rc.blockNumber));
        coordinator.fulfillRandomWords(_proof(rc), rc);
        assertTrue(coordinator.isPending(rc.requestId));
    }

    function test_StoreBlockhashRejectsBlocksOutsideTheWindow() public {
        vm.expectRevert(abi.encodeWithSelector(VRFBlockhashStore.BlockhashUnavailable.selector, block.number));
        coordinator.storeBlockhash(block.number);
    }

    // ------------------------------------------------------------ oracle views

    function test_PendingRequestsListsUnfulfilledIds() public {
        VRFCoordinator.RequestCommitment memory a = _request(CONSUMER, 3, 200_000, 1);
        _request(CONSUMER, 3, 200_000, 1);
        _request(REVERTER, 3, 200_000, 1);
        _advance(a, 3);
        coordinator.fulfillRandomWords(_proof(a), a);
        uint256[] memory ids = coordinator.pendingRequests(0, 100);
        assertEq(ids.length, 2);
        assertEq(ids[0], 2);
        assertEq(ids[1], 3);
        assertEq(coordinator.requestCount(), 3);
    }

    // --------------------------------------------------------------- keys

    function test_SelfRegistrationNeedsAnAttestationBindingTheKey() public {
        VRFCoordinator c2 = new VRFCoordinator(IAttestationRegistry(address(registry)), address(this));
        address squatter = vm.addr(0x5A7);
        vm.prank(squatter);
        vm.expectRevert(abi.encodeWithSelector(VRFProvingKeys.OracleNotAttestedWithKey.selector, squatter, keyHash));
        c2.registerProvingKey(pk, squatter);
        vm.prank(oracle); // attested with boundData == keyHash
        assertEq(c2.registerProvingKey(pk, oracle), keyHash);
    }

    function test_RegisterRejectsOffCurveKeyAndDuplicates() public {
        vm.expectRevert(VRFProvingKeys.InvalidPublicKey.selector);
        coordinator.registerProvingKey([uint256(1), 2], oracle);
        vm.expectRevert(abi.encodeWithSelector(VRFProvingKeys.KeyAlreadyRegistered.selector, keyHash));
        coordinator.registerProvingKey(pk, oracle);
    }

    function test_RequestParameterBounds() public {
        vm.expectRevert(abi.encodeWithSelector(IVRFCoordinator.InvalidConfirmations.selector, 0, 1, 200));
        coordinator.requestRandomWords(keyHash, 0, 100_000, 1);
        vm.expectRevert(abi.encodeWithSelector(IVRFCoordinator.InvalidNumWords.selector, 0, 500));
        coordinator.requestRandomWords(keyHash, 3, 100_000, 0);
        vm.expectRevert(abi.encodeWithSelector(IVRFCoordinator.InvalidCallbackGasLimit.selector, 2_500_001, 2_500_000));
        coordinator.requestRandomWords(keyHash, 3, 2_500_001, 1);
    }
}
