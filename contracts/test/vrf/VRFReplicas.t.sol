// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {VRFCoordinator} from "../../src/vrf/VRFCoordinator.sol";
import {VRFProvingKeys} from "../../src/vrf/VRFProvingKeys.sol";
import {VRFVerifier} from "../../src/vrf/VRFVerifier.sol";
import {RecordingConsumer} from "./VRFTestConsumers.sol";
import {VRFCoordinatorBase} from "./VRFCoordinatorBase.sol";

/// @notice Issue 14 §3: one VRF key served by several oracles. A replica (its own Ethereum key,
/// attested with the shared key hash as bound data) fulfils without registering; nobody else
/// can once the oracle of record lapses; requests to a key with no attested oracle are refused;
/// a replica takes the record over from a lapsed oracle.
contract VRFReplicasTest is VRFCoordinatorBase {
    event ProvingKeyClaimed(bytes32 indexed keyHash, address indexed previousOracle, address indexed oracle);

    address internal replica;

    function setUp() public override {
        super.setUp();
        replica = vm.addr(0x5EC0);
        _attest(replica, keyHash, bytes32(uint256(7)));
    }

    function _revokeRecord() internal {
        vm.prank(VALIDATOR);
        registry.revokeKey(oracle, "guest lost");
    }

    function test_AReplicaAttestedWithTheKeyFulfilsAndTheKeyEarns() public {
        VRFCoordinator.RequestCommitment memory rc = _request(CONSUMER, 3, 200_000, 1);
        _advance(rc, 3);
        vm.prank(replica);
        coordinator.fulfillRandomWords(_proof(rc), rc);
        assertEq(RecordingConsumer(CONSUMER).calls(), 1);
        (address record,, uint256 earnings) = coordinator.provingKey(keyHash);
        assertEq(record, oracle, "the record stays with the registrant");
        assertEq(earnings + coordinator.creditOf(CONSUMER), rc.fee, "the charge to the key, the rest back to the requester");
    }

    function test_AReplicaFulfilsAfterTheOracleOfRecordLapsed() public {
        VRFCoordinator.RequestCommitment memory rc = _request(CONSUMER, 3, 200_000, 1);
        _advance(rc, 3);
        _revokeRecord();
        vm.prank(replica);
        coordinator.fulfillRandomWords(_proof(rc), rc);
        assertFalse(coordinator.isPending(rc.requestId));
    }

    function test_AnUnattestedSubmitterIsRefusedOnceTheRecordLapsed() public {
        VRFCoordinator.RequestCommitment memory rc = _request(CONSUMER, 3, 200_000, 1);
        _advance(rc, 3);
        _revokeRecord();
        vm.prank(address(0xBAD));
        vm.expectRevert(abi.encodeWithSelector(VRFCoordinator.KeyNotAttested.selector, keyHash, oracle));
        coordinator.fulfillRandomWords(_proof(rc), rc);
    }

    /// Also the check a batch caches once it passed for a key: one that fails is made again for
    /// every entry, so no entry of this batch gets through.
    function test_ABatchIsJudgedByItsSubmitterNotByTheCoordinatorsSelfCall() public {
        VRFCoordinator.RequestCommitment[] memory rcs = new VRFCoordinator.RequestCommitment[](2);
        rcs[0] = _request(CONSUMER, 3, 200_000, 1);
        rcs[1] = _request(CONSUMER, 3, 200_000, 2);
        _advance(rcs[0], 3);
        VRFVerifier.Proof[] memory ps = new VRFVerifier.Proof[](2);
        ps[0] = _proof(rcs[0]);
        ps[1] = _proof(rcs[1]);
        _revokeRecord();
        vm.prank(address(0xBAD));
        bool[] memory done = coordinator.fulfillRandomWordsBatch(ps, rcs);
        assertFalse(done[0] || done[1], "an unattested submitter's batch fulfils nothing");
        vm.prank(replica);
        done = coordinator.fulfillRandomWordsBatch(ps, rcs);
        assertTrue(done[0] && done[1], "the replica's batch fulfils both");
    }

    function test_RequestsToAKeyWithNoAttestedOracleAreRefused() public {
        _revokeRecord();
        uint256 fee = coordinator.requestPrice(keyHash, 200_000, 1);
        vm.deal(CONSUMER, fee);
        vm.prank(CONSUMER);
        vm.expectRevert(abi.encodeWithSelector(VRFCoordinator.NoAttestedOracle.selector, keyHash));
        coordinator.requestRandomWords{value: fee}(keyHash, 3, 200_000, 1);
    }

    function test_AReplicaTakesTheRecordOverFromALapsedOracleAndRequestsResume() public {
        vm.prank(replica);
        vm.expectRevert(abi.encodeWithSelector(VRFProvingKeys.OracleStillAttested.selector, keyHash, oracle));
        coordinator.claimProvingKey(keyHash);

        _revokeRecord();
        vm.prank(address(0xBAD));
        vm.expectRevert(abi.encodeWithSelector(VRFProvingKeys.OracleNotAttestedWithKey.selector, address(0xBAD), keyHash));
        coordinator.claimProvingKey(keyHash);

        vm.expectEmit(true, true, true, true);
        emit ProvingKeyClaimed(keyHash, oracle, replica);
        vm.prank(replica);
        coordinator.claimProvingKey(keyHash);
        (address record, bool active,) = coordinator.provingKey(keyHash);
        assertEq(record, replica);
        assertTrue(active);
        VRFCoordinator.RequestCommitment memory rc = _request(CONSUMER, 3, 200_000, 1);
        _advance(rc, 3);
        coordinator.fulfillRandomWords(_proof(rc), rc); // anyone, now that the record is attested
        vm.prank(replica);
        coordinator.withdrawEarnings(keyHash, payable(replica));
        assertEq(replica.balance + coordinator.creditOf(CONSUMER), rc.fee);
    }
}
