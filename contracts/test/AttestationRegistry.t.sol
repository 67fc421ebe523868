// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Test} from "./utils/Test.sol";
import {Vm} from "./utils/Vm.sol";
import {AttestationRegistry} from "../src/attestation/AttestationRegistry.sol";
import {IAttestationRegistry} from "../src/attestation/IAttestationRegistry.sol";

/// @dev Shared fixture: three validators with quorum 2, one allowed measurement, one enclave key.
abstract contract RegistryFixture is Test {
    AttestationRegistry internal reg;

    address internal constant OWNER = address(0xA11CE);
    address internal constant V1 = address(0xB001);
    address internal constant V2 = address(0xB002);
    address internal constant V3 = address(0xB003);
    address internal constant ENCLAVE = address(0xE001);
    address internal constant ENCLAVE2 = address(0xE002);
    address internal constant STRANGER = address(0x5757);

    uint256 internal constant PERIOD = 1 days;
    uint256 internal constant T0 = 1_750_000_000;

    bytes internal measurement = abi.encodePacked(keccak256("measurement A"), bytes16(keccak256("A tail")));
    bytes internal measurementB = abi.encodePacked(keccak256("measurement B"), bytes16(keccak256("B tail")));
    bytes32 internal mid;
    bytes32 internal midB;

    bytes32 internal constant REPORT = keccak256("report 1");
    bytes32 internal constant REPORT2 = keccak256("report 2");
    bytes32 internal constant BOUND = keccak256("vrf key hash");
    bytes32 internal constant NONCE = bytes32(uint256(1));
    bytes32 internal constant NONCE2 = bytes32(uint256(2));
    uint256 internal constant BOND = 0.01 ether; // AttestationRegistry.DEFAULT_REGISTRATION_BOND

    /// @dev What each registration committed to, as an honest validator's verified report shows it
    /// (kept here so that `_approve` makes no external call that an expectRevert would catch).
    mapping(uint256 id => bytes32 nonce) internal nonceOf;
    mapping(uint256 id => bytes32 measurementId) internal measurementOf;
    mapping(uint256 id => bytes32 boundData) internal boundOf;

    function setUp() public virtual {
        vm.warp(T0);
        address[] memory vs = new address[](3);
        (vs[0], vs[1], vs[2]) = (V1, V2, V3);
        reg = new AttestationRegistry(OWNER, vs, 2, PERIOD);
        mid = keccak256(measurement);
        midB = keccak256(measurementB);
        vm.prank(OWNER);
        reg.allowMeasurement(measurement);
    }

    function _register(address enclave, bytes32 nonce) internal returns (uint256 id) {
        return _register(enclave, nonce, REPORT, measurement);
    }

    function _register(address enclave, bytes32 nonce, bytes32 reportHash, bytes memory m)
        internal
        returns (uint256 id)
    {
        vm.deal(enclave, enclave.balance + BOND);
        vm.prank(enclave);
        id = reg.register{value: BOND}(reportHash, m, nonce, BOUND);
        nonceOf[id] = nonce;
        measurementOf[id] = keccak256(m);
        boundOf[id] = BOUND;
    }

    function _approve(address validator, address enclave, uint256 id) internal {
        _approve(validator, enclave, id, REPORT);
    }

    function _approve(address validator, address enclave, uint256 id, bytes32 reportHash) internal {
        _approve(validator, enclave, id, reportHash, _reportData(enclave, nonceOf[id], boundOf[id]), measurementOf[id]);
    }

    function _approve(
        address validator,
        address enclave,
        uint256 id,
        bytes32 reportHash,
        bytes32[2] memory reportData,
        bytes32 measurementId
    ) internal {
        vm.prank(validator);
        reg.approve(enclave, id, reportHash, reportData, measurementId);
    }

    /// REPORT_DATA as the registry's layout defines it, computed without calling the registry.
    function _reportData(address enclave, bytes32 nonce, bytes32 bound) internal view returns (bytes32[2] memory) {
        return [keccak256(abi.encode(keccak256("cvex.attestation.v1"), block.chainid, address(reg), enclave, nonce)), bound];
    }

    /// Registers and reaches quorum (V1 + V2).
    function _attest(address enclave, bytes32 nonce) internal returns (uint256 id) {
        id = _register(enclave, nonce);
        _approve(V1, enclave, id);
        _approve(V2, enclave, id);
    }

    function _asOwner() internal {
        vm.prank(OWNER);
    }

    function _status(uint256 id) internal view returns (IAttestationRegistry.RegistrationStatus) {
        return reg.registrationOf(id).status;
    }

    function _countTopic(Vm.Log[] memory logs, bytes32 topic0) internal pure returns (uint256 n) {
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].topics.length > 0 && logs[i].topics[0] == topic0) ++n;
        }
    }
}

contract AttestationRegistryConstructorTest is RegistryFixture {
    function test_Constructor_SetsOwnerValidatorsQuorumAndValidityPeriod() public view {
        assertEq(reg.owner(), OWNER);
        assertEq(reg.pendingOwner(), address(0));
        address[] memory vs = reg.validators();
        assertEq(vs.length, 3);
        assertTrue(reg.isValidator(V1) && reg.isValidator(V2) && reg.isValidator(V3), "validators");
        assertFalse(reg.isValidator(STRANGER), "stranger");
        assertEq(reg.quorum(), 2);
        assertEq(reg.validityPeriod(), PERIOD);
        assertEq(reg.DOMAIN_TAG(), keccak256("cvex.attestation.v1"));
    }

    function test_Constructor_RevertsForZeroOwner() public {
        vm.expectRevert(IAttestationRegistry.ZeroAddress.selector);
        new AttestationRegistry(address(0), _one(V1), 1, PERIOD);
    }

    function test_Constructor_RevertsForZeroQuorum() public {
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.InvalidQuorum.selector, 0, 1));
        new AttestationRegistry(OWNER, _one(V1), 0, PERIOD);
    }

    function test_Constructor_RevertsForQuorumAboveValidatorCount() public {
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.InvalidQuorum.selector, 2, 1));
        new AttestationRegistry(OWNER, _one(V1), 2, PERIOD);
    }

    function test_Constructor_RevertsForDuplicateValidator() public {
        address[] memory vs = new address[](2);
        (vs[0], vs[1]) = (V1, V1);
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.ValidatorAlreadyAdded.selector, V1));
        new AttestationRegistry(OWNER, vs, 1, PERIOD);
    }

    function test_Constructor_RevertsForZeroValidityPeriod() public {
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.InvalidValidityPeriod.selector, 0, 365 days));
        new AttestationRegistry(OWNER, _one(V1), 1, 0);
    }

    function test_Constructor_RevertsForValidityPeriodAboveMax() public {
        vm.expectRevert(
            abi.encodeWithSelector(IAttestationRegistry.InvalidValidityPeriod.selector, 365 days + 1, 365 days)
        );
        new AttestationRegistry(OWNER, _one(V1), 1, 365 days + 1);
    }

    function _one(address v) private pure returns (address[] memory vs) {
        vs = new address[](1);
        vs[0] = v;
    }
}

contract AttestationRegistryRegisterTest is RegistryFixture {
    function test_Register_StoresPendingRegistrationWithItsReportData() public {
        uint256 id = _register(ENCLAVE, NONCE);
        IAttestationRegistry.Registration memory r = reg.registrationOf(id);
        assertEq(r.enclave, ENCLAVE);
        assertEq(r.measurementId, mid);
        assertEq(r.reportHash, REPORT);
        assertEq(r.reportData[0], reg.expectedReportData(ENCLAVE, NONCE), "reportData[0]");
        assertEq(r.reportData[1], BOUND, "reportData[1]");
        assertEq(r.boundData, BOUND, "boundData");
        assertEq(r.registeredAt, T0);
        assertEq(r.approvals, 0);
        assertTrue(r.status == IAttestationRegistry.RegistrationStatus.Pending, "status");
        assertEq(reg.latestRegistrationOf(ENCLAVE), id);
        assertTrue(reg.isNonceUsed(ENCLAVE, NONCE), "nonce used");
        assertFalse(reg.isAttested(ENCLAVE), "not attested before approvals");
    }

    function test_Register_EmitsRegistered() public {
        vm.expectEmit(true, true, true, true, address(reg));
        emit IAttestationRegistry.Registered(
            ENCLAVE, 1, mid, REPORT, NONCE, reg.expectedReportData(ENCLAVE, NONCE), BOUND
        );
        _register(ENCLAVE, NONCE);
    }

    function test_Register_RevertsForMeasurementNotAllowed() public {
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.MeasurementNotAllowed.selector, midB));
        _register(ENCLAVE, NONCE, REPORT, measurementB);
    }

    function test_Register_RevertsForMeasurementOf47Bytes() public {
        bytes memory m = new bytes(47);
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.InvalidMeasurementLength.selector, 47));
        _register(ENCLAVE, NONCE, REPORT, m);
    }

    function testFuzz_Register_RevertsForAnyMeasurementLengthOtherThan48(uint8 len) public {
        vm.assume(len != 48);
        bytes memory m = new bytes(len);
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.InvalidMeasurementLength.selector, uint256(len)));
        _register(ENCLAVE, NONCE, REPORT, m);
    }

    function test_Register_RevertsForZeroReportHash() public {
        vm.expectRevert(IAttestationRegistry.ZeroReportHash.selector);
        _register(ENCLAVE, NONCE, bytes32(0), measurement);
    }

    function test_Register_RevertsForReplayedNonce() public {
        _register(ENCLAVE, NONCE);
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.NonceAlreadyUsed.selector, ENCLAVE, NONCE));
        _register(ENCLAVE, NONCE, REPORT2, measurement);
    }

    function test_Register_RevertsForNonceReplayedAfterAttestation() public {
        _attest(ENCLAVE, NONCE);
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.NonceAlreadyUsed.selector, ENCLAVE, NONCE));
        _register(ENCLAVE, NONCE);
    }

    function test_Register_AcceptsTheSameNonceFromAnotherEnclave() public {
        _register(ENCLAVE, NONCE);
        uint256 id = _register(ENCLAVE2, NONCE);
        assertEq(reg.registrationOf(id).enclave, ENCLAVE2);
    }

    function test_Register_RevertsForRevokedKey() public {
        _asOwner();
        reg.revokeKey(ENCLAVE, "extracted");
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.RevokedKey.selector, ENCLAVE));
        _register(ENCLAVE, NONCE);
    }

    function test_Register_AssignsIncreasingIds() public {
        assertEq(_register(ENCLAVE, NONCE), 1);
        assertEq(_register(ENCLAVE2, NONCE), 2);
        assertEq(_register(ENCLAVE, NONCE2), 3);
    }
}

contract AttestationRegistryReportDataTest is RegistryFixture {
    function testFuzz_ExpectedReportData_IsKeccakOfAbiEncodedBinding(address enclave, bytes32 nonce) public view {
        bytes32 expected =
            keccak256(abi.encode(keccak256("cvex.attestation.v1"), block.chainid, address(reg), enclave, nonce));
        assertEq(reg.expectedReportData(enclave, nonce), expected);
    }

    /// The same vector as tests/unit/test_report_data.cpp (attest/report/report_data.hpp), computed
    /// there independently with cast: the C++ guest and the contract agree on REPORT_DATA.
    function test_ExpectedReportData_MatchesTheCppRegistrationDigestVector() public {
        address registryAt = 0x5FbDB2315678afecb367f032d93F642f64180aa3;
        vm.etch(registryAt, address(reg).code);
        vm.chainId(31337);
        bytes32 digest = IAttestationRegistry(registryAt).expectedReportData(
            0x70997970C51812dc3A010C7d01b50e0d17dc79C8, bytes32(uint256(7))
        );
        assertEq(digest, 0x968750cd987f7752d341279f8fd47a25fda503f82bcabc0dedb834c6a74612b2);
    }

    function test_ExpectedReportData_ChangesWithChainId() public {
        bytes32 before = reg.expectedReportData(ENCLAVE, NONCE);
        vm.chainId(block.chainid + 1);
        assertTrue(reg.expectedReportData(ENCLAVE, NONCE) != before, "chain id must be bound");
    }

    function test_ExpectedReportData_ChangesWithRegistryAddress() public {
        address[] memory vs = reg.validators();
        AttestationRegistry other = new AttestationRegistry(OWNER, vs, 2, PERIOD);
        assertTrue(
            other.expectedReportData(ENCLAVE, NONCE) != reg.expectedReportData(ENCLAVE, NONCE),
            "registry address must be bound"
        );
    }
}

contract AttestationRegistryApproveTest is RegistryFixture {
    function test_Approve_BelowQuorumDoesNotAttest() public {
        uint256 id = _register(ENCLAVE, NONCE);
        vm.recordLogs();
        _approve(V1, ENCLAVE, id);
        assertEq(_countTopic(vm.getRecordedLogs(), IAttestationRegistry.Attested.selector), 0);
        assertFalse(reg.isAttested(ENCLAVE), "one approval of two");
        assertEq(reg.registrationOf(id).approvals, 1);
        assertTrue(reg.hasApproved(id, V1), "V1 approved");
        assertFalse(reg.hasApproved(id, V2), "V2 did not");
    }

    function test_Approve_AtQuorumAttestsForTheValidityPeriod() public {
        uint256 id = _attest(ENCLAVE, NONCE);
        assertTrue(reg.isAttested(ENCLAVE), "attested");
        IAttestationRegistry.Attestation memory a = reg.attestationOf(ENCLAVE);
        assertEq(a.attestedAt, T0);
        assertEq(a.expiresAt, T0 + PERIOD);
        assertEq(a.registrationId, id);
        assertTrue(_status(id) == IAttestationRegistry.RegistrationStatus.Attested, "status");
    }

    function test_Approve_AtQuorumEmitsAttested() public {
        uint256 id = _register(ENCLAVE, NONCE);
        _approve(V1, ENCLAVE, id);
        vm.expectEmit(true, true, true, true, address(reg));
        emit IAttestationRegistry.Attested(ENCLAVE, mid, REPORT, T0 + PERIOD);
        _approve(V2, ENCLAVE, id);
    }

    function test_Approve_EmitsApprovedWithTheCurrentCount() public {
        uint256 id = _register(ENCLAVE, NONCE);
        _approve(V1, ENCLAVE, id);
        vm.expectEmit(true, true, true, true, address(reg));
        emit IAttestationRegistry.Approved(ENCLAVE, id, V3, 2);
        _approve(V3, ENCLAVE, id);
    }

    function test_Approve_RevertsForNonValidator() public {
        uint256 id = _register(ENCLAVE, NONCE);
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.NotValidator.selector, STRANGER));
        _approve(STRANGER, ENCLAVE, id);
    }

    function test_Approve_RevertsForTheOwnerWhoIsNotAValidator() public {
        uint256 id = _register(ENCLAVE, NONCE);
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.NotValidator.selector, OWNER));
        _approve(OWNER, ENCLAVE, id);
    }

    function test_Approve_RevertsForDuplicateApproval() public {
        uint256 id = _register(ENCLAVE, NONCE);
        _approve(V1, ENCLAVE, id);
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.DuplicateApproval.selector, V1, id));
        _approve(V1, ENCLAVE, id);
    }

    function test_Approve_RevertsForReportHashMismatch() public {
        uint256 id = _register(ENCLAVE, NONCE);
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.ReportHashMismatch.selector, REPORT, REPORT2));
        _approve(V1, ENCLAVE, id, REPORT2);
    }

    function test_Approve_RevertsForUnknownRegistration() public {
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.UnknownRegistration.selector, ENCLAVE, 1));
        _approve(V1, ENCLAVE, 1);
    }

    function test_Approve_RevertsForRegistrationOfAnotherEnclave() public {
        uint256 id = _register(ENCLAVE, NONCE);
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.UnknownRegistration.selector, ENCLAVE2, id));
        _approve(V1, ENCLAVE2, id);
    }

    function test_Approve_RevertsForSupersededRegistration() public {
        uint256 first = _register(ENCLAVE, NONCE);
        uint256 second = _register(ENCLAVE, NONCE2);
        vm.expectRevert(
            abi.encodeWithSelector(IAttestationRegistry.RegistrationSuperseded.selector, first, second)
        );
        _approve(V1, ENCLAVE, first);
    }

    function test_Approve_RevertsOnceTheRegistrationIsAttested() public {
        uint256 id = _attest(ENCLAVE, NONCE);
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.AlreadyAttested.selector, id));
        _approve(V3, ENCLAVE, id);
    }

    function test_Approve_RevertsForRevokedKey() public {
        uint256 id = _register(ENCLAVE, NONCE);
        vm.prank(V3);
        reg.revokeKey(ENCLAVE, "suspected");
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.RevokedKey.selector, ENCLAVE));
        _approve(V1, ENCLAVE, id);
    }

    function test_Approve_RevertsWhenTheMeasurementWasDisallowedSinceRegistration() public {
        uint256 id = _register(ENCLAVE, NONCE);
        _asOwner();
        reg.disallowMeasurement(mid);
        vm.expectRevert(
            abi.encodeWithSelector(IAttestationRegistry.MeasurementRevokedSinceRegistration.selector, mid, id)
        );
        _approve(V1, ENCLAVE, id);
    }

    function test_Approve_RevertsWhenTheMeasurementWasDisallowedAndReallowedSinceRegistration() public {
        uint256 id = _register(ENCLAVE, NONCE);
        vm.startPrank(OWNER);
        reg.disallowMeasurement(mid);
        reg.allowMeasurement(measurement);
        vm.stopPrank();
        vm.expectRevert(
            abi.encodeWithSelector(IAttestationRegistry.MeasurementRevokedSinceRegistration.selector, mid, id)
        );
        _approve(V1, ENCLAVE, id);
    }

    function test_Approve_WithQuorumOfOneAttestsOnTheFirstApproval() public {
        _asOwner();
        reg.setQuorum(1);
        uint256 id = _register(ENCLAVE, NONCE);
        _approve(V3, ENCLAVE, id);
        assertTrue(reg.isAttested(ENCLAVE), "attested");
    }

    function test_Reject_EmitsRejectedAndChangesNothing() public {
        uint256 id = _register(ENCLAVE, NONCE);
        vm.expectEmit(true, true, true, true, address(reg));
        emit IAttestationRegistry.Rejected(ENCLAVE, id, V1, "debug policy");
        vm.prank(V1);
        reg.reject(ENCLAVE, id, "debug policy");
        assertTrue(_status(id) == IAttestationRegistry.RegistrationStatus.Pending, "still pending");
    }

    function test_Reject_RevertsForNonValidator() public {
        uint256 id = _register(ENCLAVE, NONCE);
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.NotValidator.selector, STRANGER));
        vm.prank(STRANGER);
        reg.reject(ENCLAVE, id, "x");
    }

    function test_Reject_RevertsForUnknownRegistration() public {
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.UnknownRegistration.selector, ENCLAVE, 9));
        vm.prank(V1);
        reg.reject(ENCLAVE, 9, "x");
    }
}

contract AttestationRegistryValidatorSetTest is RegistryFixture {
    address internal constant V4 = address(0xB004);

    function test_RemovedValidatorsApproval_DoesNotCountTowardQuorum() public {
        uint256 id = _register(ENCLAVE, NONCE);
        _approve(V1, ENCLAVE, id);
        _asOwner();
        reg.removeValidator(V1);
        _approve(V2, ENCLAVE, id);
        assertFalse(reg.isAttested(ENCLAVE), "V1's approval must not count");
        assertEq(reg.registrationOf(id).approvals, 1);
        _approve(V3, ENCLAVE, id);
        assertTrue(reg.isAttested(ENCLAVE), "V2 + V3 reach quorum");
    }

    function test_ReaddedValidator_MustApproveAgain() public {
        uint256 id = _register(ENCLAVE, NONCE);
        _approve(V1, ENCLAVE, id);
        vm.startPrank(OWNER);
        reg.removeValidator(V1);
        reg.addValidator(V1);
        vm.stopPrank();
        assertFalse(reg.hasApproved(id, V1), "old approval does not come back");
        _approve(V2, ENCLAVE, id);
        assertFalse(reg.isAttested(ENCLAVE), "only V2 counts");
        _approve(V1, ENCLAVE, id); // a fresh approval under the new membership
        assertTrue(reg.isAttested(ENCLAVE), "attested");
    }

    function test_AddValidator_AddsAndEmitsValidatorAdded() public {
        vm.expectEmit(true, true, true, true, address(reg));
        emit IAttestationRegistry.ValidatorAdded(V4);
        _asOwner();
        reg.addValidator(V4);
        assertTrue(reg.isValidator(V4), "added");
        assertEq(reg.validators().length, 4);
        assertEq(reg.quorum(), 2);
    }

    function test_AddValidator_RevertsForZeroAddress() public {
        vm.expectRevert(IAttestationRegistry.ZeroAddress.selector);
        _asOwner();
        reg.addValidator(address(0));
    }

    function test_AddValidator_RevertsForExistingValidator() public {
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.ValidatorAlreadyAdded.selector, V2));
        _asOwner();
        reg.addValidator(V2);
    }

    function test_AddValidator_RevertsBeyondMaxValidators() public {
        vm.startPrank(OWNER);
        for (uint256 i = 4; i <= 32; ++i) {
            reg.addValidator(address(uint160(0xC000 + i)));
        }
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.TooManyValidators.selector, 33, 32));
        reg.addValidator(address(0xD000));
        vm.stopPrank();
    }

    function test_RemoveValidator_EmitsValidatorRemovedAndKeepsTheOthers() public {
        vm.expectEmit(true, true, true, true, address(reg));
        emit IAttestationRegistry.ValidatorRemoved(V1);
        _asOwner();
        reg.removeValidator(V1); // first slot: the last one moves into it
        address[] memory vs = reg.validators();
        assertEq(vs.length, 2);
        assertFalse(reg.isValidator(V1), "removed");
        assertTrue(reg.isValidator(V2) && reg.isValidator(V3), "others stay");
        _asOwner();
        reg.addValidator(V4);
        _asOwner();
        reg.removeValidator(V3); // the moved validator can still be removed
        vs = reg.validators();
        assertEq(vs.length, 2);
        assertTrue(reg.isValidator(V2) && reg.isValidator(V4) && !reg.isValidator(V3), "set after moves");
    }

    function test_RemoveValidator_RevertsForUnknownValidator() public {
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.UnknownValidator.selector, STRANGER));
        _asOwner();
        reg.removeValidator(STRANGER);
    }

    function test_RemoveValidator_RevertsWhenTheQuorumWouldExceedTheRemainingValidators() public {
        vm.startPrank(OWNER);
        reg.removeValidator(V1);
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.InvalidQuorum.selector, 2, 1));
        reg.removeValidator(V2);
        vm.stopPrank();
    }

    function test_UpdateValidators_ReplacesTheSetAndQuorumAtomically() public {
        address[] memory added = new address[](1);
        added[0] = V4;
        address[] memory removed = new address[](2);
        (removed[0], removed[1]) = (V1, V2);
        _asOwner();
        reg.updateValidators(added, removed, 1);
        assertEq(reg.validators().length, 2);
        assertTrue(reg.isValidator(V3) && reg.isValidator(V4), "new set");
        assertFalse(reg.isValidator(V1) || reg.isValidator(V2), "old members gone");
        assertEq(reg.quorum(), 1);
    }

    function test_UpdateValidators_RevertsAndChangesNothingForAnInvalidQuorum() public {
        address[] memory none = new address[](0);
        address[] memory removed = new address[](1);
        removed[0] = V1;
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.InvalidQuorum.selector, 3, 2));
        _asOwner();
        reg.updateValidators(none, removed, 3);
        assertTrue(reg.isValidator(V1), "V1 kept");
        assertEq(reg.quorum(), 2);
    }
}

contract AttestationRegistryQuorumTest is RegistryFixture {
    function test_SetQuorum_EmitsQuorumChanged() public {
        vm.expectEmit(true, true, true, true, address(reg));
        emit IAttestationRegistry.QuorumChanged(2, 3);
        _asOwner();
        reg.setQuorum(3);
        assertEq(reg.quorum(), 3);
    }

    function test_SetQuorum_RevertsForZero() public {
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.InvalidQuorum.selector, 0, 3));
        _asOwner();
        reg.setQuorum(0);
    }

    function test_SetQuorum_RevertsAboveTheValidatorCount() public {
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.InvalidQuorum.selector, 4, 3));
        _asOwner();
        reg.setQuorum(4);
    }

    function test_RaisedQuorum_PendingRegistrationNeedsMoreApprovals() public {
        uint256 id = _register(ENCLAVE, NONCE);
        _approve(V1, ENCLAVE, id);
        _asOwner();
        reg.setQuorum(3);
        _approve(V2, ENCLAVE, id);
        assertFalse(reg.isAttested(ENCLAVE), "2 of 3");
        _approve(V3, ENCLAVE, id);
        assertTrue(reg.isAttested(ENCLAVE), "3 of 3");
    }

    function test_LoweredQuorum_FinalizeAttestsAPendingRegistration() public {
        _asOwner();
        reg.setQuorum(3);
        uint256 id = _register(ENCLAVE, NONCE);
        _approve(V1, ENCLAVE, id);
        _approve(V2, ENCLAVE, id);
        _asOwner();
        reg.setQuorum(2);
        assertFalse(reg.isAttested(ENCLAVE), "lowering alone attests nothing");
        vm.expectEmit(true, true, true, true, address(reg));
        emit IAttestationRegistry.Attested(ENCLAVE, mid, REPORT, T0 + PERIOD);
        vm.prank(STRANGER); // anyone may finalize
        reg.finalize(ENCLAVE, id);
        assertTrue(reg.isAttested(ENCLAVE), "attested");
    }

    function test_Finalize_RevertsBelowQuorum() public {
        uint256 id = _register(ENCLAVE, NONCE);
        _approve(V1, ENCLAVE, id);
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.QuorumNotReached.selector, 1, 2));
        reg.finalize(ENCLAVE, id);
    }

    function test_Finalize_RevertsForAnAlreadyAttestedRegistration() public {
        uint256 id = _attest(ENCLAVE, NONCE);
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.AlreadyAttested.selector, id));
        reg.finalize(ENCLAVE, id);
    }

    function test_RaisedQuorum_LeavesExistingAttestationsStanding() public {
        _attest(ENCLAVE, NONCE);
        _asOwner();
        reg.setQuorum(3);
        assertTrue(reg.isAttested(ENCLAVE), "not retroactive");
    }
}

contract AttestationRegistryExpiryTest is RegistryFixture {
    function test_Expiry_AttestedUntilTheSecondBeforeExpiresAt() public {
        _attest(ENCLAVE, NONCE);
        vm.warp(T0 + PERIOD - 1);
        assertTrue(reg.isAttested(ENCLAVE), "last valid second");
        vm.warp(T0 + PERIOD);
        assertFalse(reg.isAttested(ENCLAVE), "expired at expiresAt");
        assertFalse(reg.isAttestedFor(ENCLAVE, mid), "isAttestedFor expires too");
        assertFalse(reg.attestationOf(ENCLAVE).valid, "valid flag");
    }

    function test_SetValidityPeriod_AppliesToNewAttestationsOnly() public {
        _attest(ENCLAVE, NONCE);
        vm.expectEmit(true, true, true, true, address(reg));
        emit IAttestationRegistry.ValidityPeriodChanged(PERIOD, 1 hours);
        _asOwner();
        reg.setValidityPeriod(1 hours);
        assertEq(reg.attestationOf(ENCLAVE).expiresAt, T0 + PERIOD);
        _attest(ENCLAVE2, NONCE);
        assertEq(reg.attestationOf(ENCLAVE2).expiresAt, T0 + 1 hours);
    }

    function test_SetValidityPeriod_RevertsForZero() public {
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.InvalidValidityPeriod.selector, 0, 365 days));
        _asOwner();
        reg.setValidityPeriod(0);
    }

    function testFuzz_Expiry_AttestedExactlyWhileElapsedIsBelowThePeriod(uint256 period, uint256 elapsed) public {
        period = bound(period, 1, 365 days);
        elapsed = bound(elapsed, 0, 2 * 365 days);
        _asOwner();
        reg.setValidityPeriod(period);
        _attest(ENCLAVE, NONCE);
        vm.warp(T0 + elapsed);
        assertEq(reg.isAttested(ENCLAVE), elapsed < period, "isAttested");
    }
}

contract AttestationRegistryReattestationTest is RegistryFixture {
    function test_ReAttestation_KeyStaysAttestedWhileTheNewRegistrationIsPending() public {
        uint256 first = _attest(ENCLAVE, NONCE);
        vm.warp(T0 + PERIOD / 2);
        uint256 second = _register(ENCLAVE, NONCE2, REPORT2, measurement);
        _approve(V1, ENCLAVE, second, REPORT2);
        assertTrue(reg.isAttested(ENCLAVE), "old attestation still valid");
        assertEq(reg.attestationOf(ENCLAVE).registrationId, first);
    }

    function test_ReAttestation_BeforeExpiryReplacesEvidenceAndExtendsExpiry() public {
        _attest(ENCLAVE, NONCE);
        uint256 later = T0 + PERIOD / 2;
        vm.warp(later);
        uint256 second = _register(ENCLAVE, NONCE2, REPORT2, measurement);
        _approve(V1, ENCLAVE, second, REPORT2);
        _approve(V3, ENCLAVE, second, REPORT2);
        IAttestationRegistry.Attestation memory a = reg.attestationOf(ENCLAVE);
        assertEq(a.registrationId, second);
        assertEq(a.reportHash, REPORT2);
        assertEq(a.reportData[0], reg.expectedReportData(ENCLAVE, NONCE2), "new digest");
        assertEq(a.expiresAt, later + PERIOD);
        vm.warp(T0 + PERIOD); // the first attestation's expiry
        assertTrue(reg.isAttested(ENCLAVE), "extended");
    }

    function test_ReAttestation_AfterExpiryRestoresTheAttestation() public {
        _attest(ENCLAVE, NONCE);
        vm.warp(T0 + 2 * PERIOD);
        assertFalse(reg.isAttested(ENCLAVE), "expired");
        uint256 id = _register(ENCLAVE, NONCE2);
        _approve(V2, ENCLAVE, id);
        _approve(V3, ENCLAVE, id);
        assertTrue(reg.isAttested(ENCLAVE), "re-attested");
    }

    function test_ReAttestation_MarksTheEarlierRegistrationSuperseded() public {
        uint256 first = _attest(ENCLAVE, NONCE);
        uint256 second = _attest(ENCLAVE, NONCE2);
        assertTrue(_status(first) == IAttestationRegistry.RegistrationStatus.Superseded, "first");
        assertTrue(_status(second) == IAttestationRegistry.RegistrationStatus.Attested, "second");
    }
}

contract AttestationRegistryKeyRevocationTest is RegistryFixture {
    function test_RevokeKey_ByOwnerEndsTheAttestationAtOnce() public {
        _attest(ENCLAVE, NONCE);
        _asOwner();
        reg.revokeKey(ENCLAVE, "owner decision");
        assertFalse(reg.isAttested(ENCLAVE), "revoked");
        assertFalse(reg.isAttestedFor(ENCLAVE, mid), "revoked for its measurement too");
        assertFalse(reg.attestationOf(ENCLAVE).valid, "valid flag");
    }

    function test_RevokeKey_ByAnySingleValidatorEndsTheAttestationAtOnce() public {
        _attest(ENCLAVE, NONCE);
        vm.prank(V3); // V3 did not even approve it: one validator is enough for an emergency
        reg.revokeKey(ENCLAVE, "key suspected extracted");
        assertFalse(reg.isAttested(ENCLAVE), "revoked");
    }

    function test_RevokeKey_EmitsKeyRevoked() public {
        vm.expectEmit(true, true, true, true, address(reg));
        emit IAttestationRegistry.KeyRevoked(ENCLAVE, V2, "why");
        vm.prank(V2);
        reg.revokeKey(ENCLAVE, "why");
    }

    function test_RevokeKey_RevertsForStranger() public {
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.NotOwnerOrValidator.selector, STRANGER));
        vm.prank(STRANGER);
        reg.revokeKey(ENCLAVE, "x");
    }

    function test_RevokeKey_RevertsForTheEnclaveItself() public {
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.NotOwnerOrValidator.selector, ENCLAVE));
        vm.prank(ENCLAVE);
        reg.revokeKey(ENCLAVE, "x");
    }

    function test_RevokeKey_RevertsWhenAlreadyRevoked() public {
        vm.prank(V1);
        reg.revokeKey(ENCLAVE, "x");
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.RevokedKey.selector, ENCLAVE));
        vm.prank(V2);
        reg.revokeKey(ENCLAVE, "y");
    }

    function test_RevokeKey_RevertsForZeroAddress() public {
        vm.expectRevert(IAttestationRegistry.ZeroAddress.selector);
        _asOwner();
        reg.revokeKey(address(0), "x");
    }

    function test_RevokeKey_VoidsAPendingRegistration() public {
        uint256 id = _register(ENCLAVE, NONCE);
        _asOwner();
        reg.revokeKey(ENCLAVE, "x");
        assertTrue(_status(id) == IAttestationRegistry.RegistrationStatus.Void, "void");
    }

    function test_RevokeKey_LeavesOtherKeysAttested() public {
        _attest(ENCLAVE, NONCE);
        _attest(ENCLAVE2, NONCE);
        _asOwner();
        reg.revokeKey(ENCLAVE, "x");
        assertTrue(reg.isAttested(ENCLAVE2), "other key unaffected");
    }
}

contract AttestationRegistryMeasurementTest is RegistryFixture {
    function test_AllowMeasurement_EmitsMeasurementAllowedWithTheRawMeasurement() public {
        vm.expectEmit(true, true, true, true, address(reg));
        emit IAttestationRegistry.MeasurementAllowed(midB, measurementB);
        _asOwner();
        reg.allowMeasurement(measurementB);
        assertTrue(reg.isMeasurementAllowed(midB), "allowed");
    }

    function test_AllowMeasurement_RevertsWhenAlreadyAllowed() public {
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.MeasurementAlreadyAllowed.selector, mid));
        _asOwner();
        reg.allowMeasurement(measurement);
    }

    function test_AllowMeasurement_RevertsForWrongLength() public {
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.InvalidMeasurementLength.selector, 32));
        _asOwner();
        reg.allowMeasurement(abi.encodePacked(mid));
    }

    function test_DisallowMeasurement_EmitsMeasurementDisallowed() public {
        vm.expectEmit(true, true, true, true, address(reg));
        emit IAttestationRegistry.MeasurementDisallowed(mid);
        _asOwner();
        reg.disallowMeasurement(mid);
        assertFalse(reg.isMeasurementAllowed(mid), "disallowed");
    }

    function test_DisallowMeasurement_RevertsWhenNotAllowed() public {
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.MeasurementNotAllowed.selector, midB));
        _asOwner();
        reg.disallowMeasurement(midB);
    }

    function test_DisallowMeasurement_EndsEveryAttestationForItAtOnce() public {
        _attest(ENCLAVE, NONCE);
        _attest(ENCLAVE2, NONCE);
        _asOwner();
        reg.disallowMeasurement(mid);
        assertFalse(reg.isAttested(ENCLAVE), "first key");
        assertFalse(reg.isAttested(ENCLAVE2), "second key");
        assertFalse(reg.attestationOf(ENCLAVE).valid, "valid flag");
    }

    function test_DisallowMeasurement_LeavesOtherMeasurementsAttested() public {
        _asOwner();
        reg.allowMeasurement(measurementB);
        _attest(ENCLAVE, NONCE);
        uint256 id = _register(ENCLAVE2, NONCE, REPORT, measurementB);
        _approve(V1, ENCLAVE2, id);
        _approve(V2, ENCLAVE2, id);
        _asOwner();
        reg.disallowMeasurement(mid);
        assertFalse(reg.isAttested(ENCLAVE), "measurement A revoked");
        assertTrue(reg.isAttested(ENCLAVE2), "measurement B unaffected");
    }

    function test_ReallowMeasurement_DoesNotResurrectOldAttestations() public {
        _attest(ENCLAVE, NONCE);
        vm.startPrank(OWNER);
        reg.disallowMeasurement(mid);
        reg.allowMeasurement(measurement);
        vm.stopPrank();
        assertTrue(reg.isMeasurementAllowed(mid), "allowed again");
        assertFalse(reg.isAttested(ENCLAVE), "no resurrection");
        assertFalse(reg.isAttestedFor(ENCLAVE, mid), "no resurrection for isAttestedFor");
    }

    function test_ReallowMeasurement_AllowsAFreshAttestation() public {
        _attest(ENCLAVE, NONCE);
        vm.startPrank(OWNER);
        reg.disallowMeasurement(mid);
        reg.allowMeasurement(measurement);
        vm.stopPrank();
        _attest(ENCLAVE, NONCE2);
        assertTrue(reg.isAttested(ENCLAVE), "fresh attestation");
        assertTrue(reg.isAttestedFor(ENCLAVE, mid), "for the measurement");
    }

    function test_IsAttestedWith_TrueOnlyForTheAttestedBoundData() public {
        _attest(ENCLAVE, NONCE);
        assertTrue(reg.isAttestedWith(ENCLAVE, BOUND), "its bound data");
        assertFalse(reg.isAttestedWith(ENCLAVE, keccak256("another vrf key")), "other bound data");
        assertFalse(reg.isAttestedWith(ENCLAVE2, BOUND), "another key");
    }

    function test_IsAttestedWith_FollowsTheLatestAttestationsBoundData() public {
        _attest(ENCLAVE, NONCE);
        bytes32 newBound = keccak256("rotated vrf key");
        vm.deal(ENCLAVE, BOND);
        vm.prank(ENCLAVE);
        uint256 id = reg.register{value: BOND}(REPORT2, measurement, NONCE2, newBound);
        (nonceOf[id], measurementOf[id], boundOf[id]) = (NONCE2, mid, newBound);
        assertTrue(reg.isAttestedWith(ENCLAVE, BOUND), "old binding holds while the new one is pending");
        _approve(V1, ENCLAVE, id, REPORT2);
        _approve(V2, ENCLAVE, id, REPORT2);
        assertTrue(reg.isAttestedWith(ENCLAVE, newBound), "new binding");
        assertFalse(reg.isAttestedWith(ENCLAVE, BOUND), "old binding replaced");
    }

    function test_IsAttestedWith_FalseOnceMeasurementDisallowed() public {
        _attest(ENCLAVE, NONCE);
        _asOwner();
        reg.disallowMeasurement(mid);
        assertFalse(reg.isAttestedWith(ENCLAVE, BOUND), "revoked");
    }

    function test_IsAttestedFor_TrueOnlyForTheAttestedMeasurement() public {
        _asOwner();
        reg.allowMeasurement(measurementB);
        _attest(ENCLAVE, NONCE);
        assertTrue(reg.isAttestedFor(ENCLAVE, mid), "its measurement");
        assertFalse(reg.isAttestedFor(ENCLAVE, midB), "another allowed measurement");
        assertFalse(reg.isAttestedFor(ENCLAVE2, mid), "another key");
    }
}

contract AttestationRegistryViewsTest is RegistryFixture {
    function test_AttestationOf_ReturnsEveryField() public {
        uint256 id = _attest(ENCLAVE, NONCE);
        IAttestationRegistry.Attestation memory a = reg.attestationOf(ENCLAVE);
        assertEq(a.measurementId, mid);
        assertEq(a.reportHash, REPORT);
        assertEq(a.reportData[0], keccak256(abi.encode(reg.DOMAIN_TAG(), block.chainid, address(reg), ENCLAVE, NONCE)));
        assertEq(a.reportData[1], BOUND);
        assertEq(a.boundData, BOUND);
        assertEq(a.attestedAt, T0);
        assertEq(a.expiresAt, T0 + PERIOD);
        assertEq(a.registrationId, id);
        assertTrue(a.valid, "valid");
    }

    function test_AttestationOf_NeverAttestedKeyIsZeroAndInvalid() public {
        _register(ENCLAVE, NONCE);
        IAttestationRegistry.Attestation memory a = reg.attestationOf(ENCLAVE);
        assertEq(a.registrationId, 0);
        assertEq(a.expiresAt, 0);
        assertEq(a.measurementId, bytes32(0));
        assertFalse(a.valid, "invalid");
    }

    function test_AttestationOf_ExpiredKeepsItsFieldsButIsInvalid() public {
        uint256 id = _attest(ENCLAVE, NONCE);
        vm.warp(T0 + PERIOD);
        IAttestationRegistry.Attestation memory a = reg.attestationOf(ENCLAVE);
        assertEq(a.registrationId, id);
        assertEq(a.reportHash, REPORT);
        assertFalse(a.valid, "invalid");
    }

    function test_RegistrationOf_UnknownIdHasStatusUnknown() public view {
        IAttestationRegistry.Registration memory r = reg.registrationOf(42);
        assertTrue(r.status == IAttestationRegistry.RegistrationStatus.Unknown, "unknown");
        assertEq(r.enclave, address(0));
    }

    function test_RegistrationOf_DisallowedMeasurementMakesPendingVoid() public {
        uint256 id = _register(ENCLAVE, NONCE);
        _asOwner();
        reg.disallowMeasurement(mid);
        assertTrue(_status(id) == IAttestationRegistry.RegistrationStatus.Void, "void");
    }
}

contract AttestationRegistryOwnershipTest is RegistryFixture {
    address internal constant NEW_OWNER = address(0x0B0B);

    function test_TransferOwnership_SetsPendingOwnerAndEmitsStarted() public {
        vm.expectEmit(true, true, true, true, address(reg));
        emit IAttestationRegistry.OwnershipTransferStarted(OWNER, NEW_OWNER);
        _asOwner();
        reg.transferOwnership(NEW_OWNER);
        assertEq(reg.pendingOwner(), NEW_OWNER);
        assertEq(reg.owner(), OWNER);
    }

    function test_AcceptOwnership_MovesOwnershipAndEmitsTransferred() public {
        _asOwner();
        reg.transferOwnership(NEW_OWNER);
        vm.expectEmit(true, true, true, true, address(reg));
        emit IAttestationRegistry.OwnershipTransferred(OWNER, NEW_OWNER);
        vm.prank(NEW_OWNER);
        reg.acceptOwnership();
        assertEq(reg.owner(), NEW_OWNER);
        assertEq(reg.pendingOwner(), address(0));
    }

    function test_AcceptOwnership_RevertsForAnyoneButThePendingOwner() public {
        _asOwner();
        reg.transferOwnership(NEW_OWNER);
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.NotPendingOwner.selector, STRANGER));
        vm.prank(STRANGER);
        reg.acceptOwnership();
    }

    function test_PendingOwner_HasNoPowersBeforeAccepting() public {
        _asOwner();
        reg.transferOwnership(NEW_OWNER);
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.NotOwner.selector, NEW_OWNER));
        vm.prank(NEW_OWNER);
        reg.setQuorum(1);
    }

    function test_PreviousOwner_LosesPowersAfterTransfer() public {
        _asOwner();
        reg.transferOwnership(NEW_OWNER);
        vm.prank(NEW_OWNER);
        reg.acceptOwnership();
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.NotOwner.selector, OWNER));
        _asOwner();
        reg.setQuorum(1);
    }

    function test_TransferOwnership_ToZeroCancelsThePendingTransfer() public {
        vm.startPrank(OWNER);
        reg.transferOwnership(NEW_OWNER);
        reg.transferOwnership(address(0));
        vm.stopPrank();
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.NotPendingOwner.selector, NEW_OWNER));
        vm.prank(NEW_OWNER);
        reg.acceptOwnership();
    }

    function test_GovernanceFunctions_RevertForEveryoneButTheOwner() public {
        bytes memory notOwner = abi.encodeWithSelector(IAttestationRegistry.NotOwner.selector, V1);
        address[] memory none = new address[](0);
        vm.startPrank(V1); // a validator is not governance either
        vm.expectRevert(notOwner);
        reg.allowMeasurement(measurementB);
        vm.expectRevert(notOwner);
        reg.disallowMeasurement(mid);
        vm.expectRevert(notOwner);
        reg.addValidator(STRANGER);
        vm.expectRevert(notOwner);
        reg.removeValidator(V2);
        vm.expectRevert(notOwner);
        reg.setQuorum(1);
        vm.expectRevert(notOwner);
        reg.updateValidators(none, none, 1);
        vm.expectRevert(notOwner);
        reg.setValidityPeriod(1 hours);
        vm.expectRevert(notOwner);
        reg.transferOwnership(V1);
        vm.stopPrank();
    }
}

/// Random validator sets and quorums.
contract AttestationRegistryFuzzTest is Test {
    AttestationRegistry internal reg;
    bytes internal measurement = abi.encodePacked(keccak256("m"), bytes16(0));
    address internal constant OWNER = address(0xA11CE);
    address internal constant ENCLAVE = address(0xE001);
    bytes32 internal constant REPORT = keccak256("r");
    uint256 internal constant BOND = 0.01 ether; // AttestationRegistry.DEFAULT_REGISTRATION_BOND

    function _deploy(uint256 n, uint256 q) internal returns (address[] memory vs) {
        vs = new address[](n);
        for (uint256 i; i < n; ++i) {
            vs[i] = address(uint160(0xF000 + i));
        }
        reg = new AttestationRegistry(OWNER, vs, q, 1 days);
        vm.prank(OWNER);
        reg.allowMeasurement(measurement);
    }

    function _register() internal returns (uint256) {
        vm.deal(ENCLAVE, BOND);
        vm.prank(ENCLAVE);
        return reg.register{value: BOND}(REPORT, measurement, bytes32(0), bytes32(0));
    }

    function _approveAs(address validator, uint256 id) internal {
        bytes32[2] memory data =
            [keccak256(abi.encode(keccak256("cvex.attestation.v1"), block.chainid, address(reg), ENCLAVE, bytes32(0))), bytes32(0)];
        vm.prank(validator);
        reg.approve(ENCLAVE, id, REPORT, data, keccak256(measurement));
    }

    /// Validators approve in a random order of a random subset: the key is attested exactly from
    /// the approval that reaches the quorum.
    function testFuzz_Quorum_AttestedExactlyWhenApprovalsReachIt(uint256 n, uint256 q, uint256 mask) public {
        n = bound(n, 1, 32);
        q = bound(q, 1, n);
        address[] memory vs = _deploy(n, q);
        uint256 id = _register();
        uint256 count;
        for (uint256 i; i < n && count < q; ++i) {
            if ((mask >> i) & 1 == 0) continue;
            _approveAs(vs[i], id);
            ++count;
            assertEq(reg.isAttested(ENCLAVE), count >= q, "attested iff quorum");
        }
        if (count < q) assertFalse(reg.isAttested(ENCLAVE), "below quorum");
    }

    /// Approvals below quorum, then a random subset of validators is removed: only the remaining
    /// approvers count, and `finalize` succeeds exactly when they reach the new quorum.
    function testFuzz_RemovedValidators_NeverCountTowardQuorum(
        uint256 n,
        uint256 q,
        uint256 approveMask,
        uint256 removeMask,
        uint256 newQuorum
    ) public {
        n = bound(n, 2, 32);
        q = bound(q, 2, n);
        address[] memory vs = _deploy(n, q);
        uint256 id = _register();
        uint256 approvedMask = _approveBelowQuorum(vs, id, q, approveMask);
        removeMask &= (uint256(1) << n) - 1;
        vm.assume(removeMask != (uint256(1) << n) - 1); // keep at least one validator
        (address[] memory removed, uint256 survivors) = _split(vs, removeMask, approvedMask);
        newQuorum = bound(newQuorum, 1, n - removed.length);
        vm.prank(OWNER);
        reg.updateValidators(new address[](0), removed, newQuorum);

        assertEq(reg.registrationOf(id).approvals, survivors, "only remaining approvers count");
        if (survivors >= newQuorum) {
            reg.finalize(ENCLAVE, id);
            assertTrue(reg.isAttested(ENCLAVE), "finalized");
        } else {
            vm.expectRevert(
                abi.encodeWithSelector(IAttestationRegistry.QuorumNotReached.selector, survivors, newQuorum)
            );
            reg.finalize(ENCLAVE, id);
        }
    }

    /// Validators in `mask` approve, stopping one short of the quorum; returns who approved.
    function _approveBelowQuorum(address[] memory vs, uint256 id, uint256 q, uint256 mask)
        internal
        returns (uint256 approvedMask)
    {
        uint256 given;
        for (uint256 i; i < vs.length && given + 1 < q; ++i) {
            if ((mask >> i) & 1 == 0) continue;
            _approveAs(vs[i], id);
            approvedMask |= uint256(1) << i;
            ++given;
        }
    }

    /// The validators in `removeMask`, and how many approvers are not among them.
    function _split(address[] memory vs, uint256 removeMask, uint256 approvedMask)
        internal
        pure
        returns (address[] memory removed, uint256 survivors)
    {
        uint256 count;
        for (uint256 i; i < vs.length; ++i) {
            if ((removeMask >> i) & 1 == 1) ++count;
        }
        removed = new address[](count);
        uint256 k;
        for (uint256 i; i < vs.length; ++i) {
            if ((removeMask >> i) & 1 == 1) removed[k++] = vs[i];
            else if ((approvedMask >> i) & 1 == 1) ++survivors;
        }
    }
}

/// Gas of the views consumers call on every VRF fulfilment and vault trade, measured as a
/// consumer contract pays it: the CALL to the (cold) registry plus the body. Forge runs each test
/// as a fresh transaction after setUp, so the registry's storage is cold here, as in production.
contract AttestationRegistryGasTest is RegistryFixture {
    /// Cold CALL (2,600) + two cold SLOADs (2 × 2,100) + ~1,400 for ABI, dispatch and unpacking
    /// (the dispatcher's selector search grows with the ABI: the bond's functions added ~20 gas).
    uint256 internal constant COLD_BUDGET = 8_150;

    function setUp() public override {
        super.setUp();
        _attest(ENCLAVE, NONCE);
    }

    function test_Gas_IsAttestedColdCallStaysWithinBudget() public view {
        AttestationRegistry r = reg; // read our own storage before measuring
        uint256 before = gasleft();
        bool ok = r.isAttested(ENCLAVE);
        uint256 used = before - gasleft();
        assertTrue(ok, "attested");
        assertLe(used, COLD_BUDGET, "isAttested gas (cold)");
    }

    function test_Gas_IsAttestedForColdCallStaysWithinBudget() public view {
        (AttestationRegistry r, bytes32 m) = (reg, mid);
        uint256 before = gasleft();
        bool ok = r.isAttestedFor(ENCLAVE, m);
        uint256 used = before - gasleft();
        assertTrue(ok, "attested");
        assertLe(used, COLD_BUDGET, "isAttestedFor gas (cold)");
    }

    function test_Gas_IsAttestedWithColdCallStaysWithinBudget() public view {
        AttestationRegistry r = reg;
        uint256 before = gasleft();
        bool ok = r.isAttestedWith(ENCLAVE, BOUND);
        uint256 used = before - gasleft();
        assertTrue(ok, "attested");
        assertLe(used, COLD_BUDGET + 2_300, "isAttestedWith gas (cold, one more SLOAD)");
    }

    function test_Gas_IsAttestedOfUnknownKeyReadsOneSlot() public view {
        AttestationRegistry r = reg;
        uint256 before = gasleft();
        bool ok = r.isAttested(STRANGER);
        uint256 used = before - gasleft();
        assertFalse(ok, "not attested");
        assertLe(used, COLD_BUDGET - 2_100, "isAttested gas (cold, unknown key)");
    }
}
