// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {RegistryFixture} from "./AttestationRegistry.t.sol";
import {IAttestationRegistry} from "../src/attestation/IAttestationRegistry.sol";

/// An enclave that cannot receive ether (its refund must wait in `refundOf`).
contract RefusingEnclave {
    receive() external payable {
        revert("no thanks");
    }
}

/// `approve` binds exactly the evidence the validator verified (issue 15 §2).
contract AttestationRegistryApproveBindingTest is RegistryFixture {
    function test_Approve_RevertsWhenTheVerifiedDigestIsNotTheRegistrations() public {
        uint256 id = _register(ENCLAVE, NONCE);
        bytes32[2] memory registered = _reportData(ENCLAVE, NONCE, BOUND);
        // A report bound to another nonce (what a lying RPC node could have shown the validator).
        bytes32[2] memory verified = _reportData(ENCLAVE, NONCE2, BOUND);
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.ReportDataMismatch.selector, registered, verified));
        _approve(V1, ENCLAVE, id, REPORT, verified, mid);
    }

    function test_Approve_RevertsWhenTheVerifiedBoundDataIsNotTheRegistrations() public {
        uint256 id = _register(ENCLAVE, NONCE);
        bytes32[2] memory registered = _reportData(ENCLAVE, NONCE, BOUND);
        bytes32[2] memory verified = _reportData(ENCLAVE, NONCE, keccak256("another vrf key"));
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.ReportDataMismatch.selector, registered, verified));
        _approve(V1, ENCLAVE, id, REPORT, verified, mid);
    }

    function test_Approve_RevertsWhenTheVerifiedMeasurementIsNotTheRegistrations() public {
        uint256 id = _register(ENCLAVE, NONCE);
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.MeasurementMismatch.selector, mid, midB));
        _approve(V1, ENCLAVE, id, REPORT, _reportData(ENCLAVE, NONCE, BOUND), midB);
    }

    function test_Approve_AMismatchedApprovalNeitherCountsNorAttests() public {
        _asOwner();
        reg.setQuorum(1);
        uint256 id = _register(ENCLAVE, NONCE);
        vm.expectRevert(); // any mismatch
        _approve(V1, ENCLAVE, id, REPORT, _reportData(ENCLAVE, NONCE, bytes32(0)), mid);
        assertEq(reg.registrationOf(id).approvals, 0);
        assertFalse(reg.isAttested(ENCLAVE), "not attested");
        _approve(V1, ENCLAVE, id); // the real evidence still attests
        assertTrue(reg.isAttested(ENCLAVE), "attested");
    }
}

/// Registration costs a bond: back at attestation, kept on a quorum's rejection or expiry (§3).
contract AttestationRegistryBondTest is RegistryFixture {
    function test_RegistrationBond_DefaultsToTheConstant() public view {
        assertEq(reg.registrationBond(), BOND);
        assertEq(reg.DEFAULT_REGISTRATION_BOND(), BOND);
    }

    function test_Register_RevertsWithoutTheExactBond() public {
        vm.deal(ENCLAVE, 1 ether);
        vm.prank(ENCLAVE);
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.WrongBond.selector, 0, BOND));
        reg.register(REPORT, measurement, NONCE, BOUND);
        vm.prank(ENCLAVE);
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.WrongBond.selector, BOND + 1, BOND));
        reg.register{value: BOND + 1}(REPORT, measurement, NONCE, BOUND);
    }

    function test_Register_HoldsTheBond() public {
        uint256 id = _register(ENCLAVE, NONCE);
        assertEq(address(reg).balance, BOND);
        assertEq(reg.registrationOf(id).bond, BOND);
        assertEq(reg.registrationOf(id).expiresAt, T0 + reg.REGISTRATION_LIFETIME());
    }

    function test_Attestation_RefundsTheBondToTheEnclave() public {
        uint256 id = _register(ENCLAVE, NONCE);
        _approve(V1, ENCLAVE, id);
        assertEq(ENCLAVE.balance, 0, "held until quorum");
        vm.expectEmit(true, true, true, true, address(reg));
        emit IAttestationRegistry.BondRefunded(ENCLAVE, id, BOND, true);
        _approve(V2, ENCLAVE, id);
        assertEq(ENCLAVE.balance, BOND, "refunded");
        assertEq(address(reg).balance, 0);
        assertEq(reg.registrationOf(id).bond, 0);
    }

    function test_Attestation_OfAnEnclaveThatRefusesEtherKeepsTheRefundForWithdrawal() public {
        address refusing = address(new RefusingEnclave());
        uint256 id = _register(refusing, NONCE);
        _approve(V1, refusing, id);
        _approve(V2, refusing, id);
        assertTrue(reg.isAttested(refusing), "a failed refund never blocks the attestation");
        assertEq(reg.refundOf(refusing), BOND);
        vm.prank(refusing);
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.TransferFailed.selector, refusing, BOND));
        reg.withdrawRefund();
    }

    function test_WithdrawRefund_RevertsWithNothingToWithdraw() public {
        vm.prank(ENCLAVE);
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.NothingToWithdraw.selector, ENCLAVE));
        reg.withdrawRefund();
    }

    function test_Superseding_APendingRegistrationRefundsItsBond() public {
        uint256 first = _register(ENCLAVE, NONCE);
        _register(ENCLAVE, NONCE2);
        assertEq(reg.registrationOf(first).bond, 0);
        assertEq(ENCLAVE.balance, BOND, "the first bond came back");
        assertEq(address(reg).balance, BOND, "the second is held");
    }

    function test_Superseding_AnExpiredRegistrationKeepsItsBond() public {
        uint256 first = _register(ENCLAVE, NONCE);
        vm.warp(T0 + reg.REGISTRATION_LIFETIME());
        _register(ENCLAVE, NONCE2);
        assertEq(ENCLAVE.balance, 0);
        assertEq(reg.forfeitedBonds(), BOND);
        assertEq(reg.registrationOf(first).bond, 0);
    }

    function test_Reject_AtQuorumKeepsTheBondAndEndsTheRegistration() public {
        uint256 id = _register(ENCLAVE, NONCE);
        vm.prank(V1);
        reg.reject(ENCLAVE, id, "debug policy");
        assertEq(reg.registrationOf(id).rejections, 1);
        assertTrue(reg.hasRejected(id, V1), "V1 rejected");
        vm.expectEmit(true, true, true, true, address(reg));
        emit IAttestationRegistry.RegistrationRejected(ENCLAVE, id, 2);
        vm.prank(V2);
        reg.reject(ENCLAVE, id, "debug policy");
        assertTrue(_status(id) == IAttestationRegistry.RegistrationStatus.Rejected, "rejected");
        assertEq(reg.forfeitedBonds(), BOND);
        assertEq(reg.registrationOf(id).bond, 0);
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.RegistrationRejectedByQuorum.selector, id));
        _approve(V3, ENCLAVE, id);
    }

    function test_Reject_RevertsForDuplicateRejection() public {
        uint256 id = _register(ENCLAVE, NONCE);
        vm.prank(V1);
        reg.reject(ENCLAVE, id, "x");
        vm.prank(V1);
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.DuplicateRejection.selector, V1, id));
        reg.reject(ENCLAVE, id, "x");
    }

    function test_Approve_RevertsOnceTheRegistrationExpired() public {
        uint256 id = _register(ENCLAVE, NONCE);
        uint256 expiresAt = T0 + reg.REGISTRATION_LIFETIME();
        vm.warp(expiresAt - 1);
        _approve(V1, ENCLAVE, id); // still in time
        vm.warp(expiresAt);
        assertTrue(_status(id) == IAttestationRegistry.RegistrationStatus.Expired, "expired");
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.RegistrationExpired.selector, id, expiresAt));
        _approve(V2, ENCLAVE, id);
    }

    function test_ForfeitExpiredBond_KeepsTheBondOnlyAfterTheLifetime() public {
        uint256 id = _register(ENCLAVE, NONCE);
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.NothingToForfeit.selector, id));
        reg.forfeitExpiredBond(id);
        vm.warp(T0 + reg.REGISTRATION_LIFETIME());
        vm.expectEmit(true, true, true, true, address(reg));
        emit IAttestationRegistry.BondForfeited(ENCLAVE, id, BOND);
        vm.prank(STRANGER);
        reg.forfeitExpiredBond(id);
        assertEq(reg.forfeitedBonds(), BOND);
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.NothingToForfeit.selector, id));
        reg.forfeitExpiredBond(id);
    }

    function test_ForfeitExpiredBond_RevertsForAnAttestedRegistration() public {
        uint256 id = _attest(ENCLAVE, NONCE);
        vm.warp(T0 + reg.REGISTRATION_LIFETIME());
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.NothingToForfeit.selector, id));
        reg.forfeitExpiredBond(id);
    }

    function test_WithdrawForfeitedBonds_OnlyTheOwnerUpToWhatWasKept() public {
        uint256 id = _register(ENCLAVE, NONCE);
        vm.warp(T0 + reg.REGISTRATION_LIFETIME());
        reg.forfeitExpiredBond(id);
        vm.prank(STRANGER);
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.NotOwner.selector, STRANGER));
        reg.withdrawForfeitedBonds(payable(STRANGER), BOND);
        _asOwner();
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.InsufficientForfeitedBonds.selector, BOND + 1, BOND));
        reg.withdrawForfeitedBonds(payable(OWNER), BOND + 1);
        _asOwner();
        reg.withdrawForfeitedBonds(payable(OWNER), BOND);
        assertEq(OWNER.balance, BOND);
        assertEq(reg.forfeitedBonds(), 0);
    }

    function test_SetRegistrationBond_AppliesToNewRegistrationsWithinItsBound() public {
        uint256 maxBond = reg.MAX_REGISTRATION_BOND();
        _asOwner();
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.InvalidRegistrationBond.selector, maxBond + 1, maxBond));
        reg.setRegistrationBond(maxBond + 1);
        vm.expectEmit(true, true, true, true, address(reg));
        emit IAttestationRegistry.RegistrationBondChanged(BOND, 0);
        _asOwner();
        reg.setRegistrationBond(0);
        vm.prank(ENCLAVE);
        uint256 id = reg.register(REPORT, measurement, NONCE, BOUND);
        assertEq(reg.registrationOf(id).bond, 0);
        vm.prank(STRANGER);
        vm.expectRevert(abi.encodeWithSelector(IAttestationRegistry.NotOwner.selector, STRANGER));
        reg.setRegistrationBond(1);
    }
}
