// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Test} from "./utils/Test.sol";
import {AttestationRegistry} from "../src/attestation/AttestationRegistry.sol";
import {IAttestationRegistry} from "../src/attestation/IAttestationRegistry.sol";
import {KeyHandover} from "../src/attestation/KeyHandover.sol";

/// @notice Issue 14 §2 on chain: governance allows measurements per key set behind a timelock; a
/// newcomer attested with its transport key asks; an allowed measurement gets the key set from an
/// attested holder, an unknown one is refused on chain; every step leaves an event.
contract KeyHandoverTest is Test {
    event HandoverRequested(bytes32 indexed keySet, address indexed newcomer, bytes32 indexed measurementId, bytes transportKey);
    event HandoverRefused(bytes32 indexed keySet, address indexed newcomer, bytes32 indexed measurementId);
    event KeysDelivered(
        bytes32 indexed keySet, address indexed newcomer, address indexed holder, bytes32 measurementId, bytes ciphertext
    );
    event AllowanceSet(bytes32 indexed keySet, bytes32 indexed measurementId, bool allowed);

    address internal constant VALIDATOR = address(0x7A11D);
    address internal constant GOVERNANCE = address(0x60F);
    uint256 internal constant DELAY = 2 days;
    bytes internal constant OLD_IMAGE = hex"111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111";
    bytes internal constant NEW_IMAGE = hex"222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222";
    bytes internal constant UNKNOWN = hex"333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333";

    AttestationRegistry internal registry;
    KeyHandover internal handover;
    bytes32 internal keySet = keccak256("the VRF key hash");
    address internal holder = address(0xA0);
    address internal newcomer = address(0xB0);
    bytes internal transportKey;
    uint256 internal nonce;

    function setUp() public {
        vm.warp(1_700_000_000);
        address[] memory vs = new address[](1);
        vs[0] = VALIDATOR;
        registry = new AttestationRegistry(address(this), vs, 1, 30 days);
        registry.allowMeasurement(OLD_IMAGE);
        registry.allowMeasurement(NEW_IMAGE);
        registry.allowMeasurement(UNKNOWN);
        handover = new KeyHandover(IAttestationRegistry(address(registry)), GOVERNANCE, DELAY);
        transportKey = abi.encodePacked(keccak256("tx"), keccak256("ty"));
        _attest(holder, OLD_IMAGE, keySet);
        _allow(keccak256(NEW_IMAGE));
    }

    function _attest(address enclave, bytes memory measurement, bytes32 bound) internal {
        uint256 bond = registry.registrationBond();
        vm.deal(enclave, enclave.balance + bond);
        vm.prank(enclave);
        uint256 id = registry.register{value: bond}(keccak256("report"), measurement, bytes32(++nonce), bound);
        IAttestationRegistry.Registration memory r = registry.registrationOf(id);
        vm.prank(VALIDATOR);
        registry.approve(enclave, id, keccak256("report"), r.reportData, r.measurementId);
    }

    function _allow(bytes32 measurementId) internal {
        vm.prank(GOVERNANCE);
        handover.queueAllowance(keySet, measurementId, true);
        vm.warp(block.timestamp + DELAY);
        vm.prank(GOVERNANCE);
        handover.executeAllowance(keySet, measurementId, true);
    }

    function test_AnAllowanceTakesEffectOnlyAfterTheTimelock() public {
        bytes32 m = keccak256(UNKNOWN);
        vm.prank(address(0xBAD));
        vm.expectRevert(abi.encodeWithSelector(KeyHandover.NotOwner.selector, address(0xBAD)));
        handover.queueAllowance(keySet, m, true);
        vm.prank(GOVERNANCE);
        (bytes32 id, uint256 eta) = handover.queueAllowance(keySet, m, true);
        vm.prank(GOVERNANCE);
        vm.expectRevert(abi.encodeWithSelector(KeyHandover.AllowanceTooEarly.selector, id, eta));
        handover.executeAllowance(keySet, m, true);
        assertFalse(handover.isAllowed(keySet, m));
        vm.warp(eta);
        vm.expectEmit(true, true, true, true);
        emit AllowanceSet(keySet, m, true);
        vm.prank(GOVERNANCE);
        handover.executeAllowance(keySet, m, true);
        assertTrue(handover.isAllowed(keySet, m));
    }

    function test_AnUpgradeWithAnAllowedMeasurementReceivesTheKeysFromAHolder() public {
        _attest(newcomer, NEW_IMAGE, keccak256(transportKey));
        vm.expectEmit(true, true, true, true);
        emit HandoverRequested(keySet, newcomer, keccak256(NEW_IMAGE), transportKey);
        vm.prank(newcomer);
        assertTrue(handover.requestKeys(keySet, transportKey));

        bytes memory ciphertext = hex"04deadbeef";
        vm.expectEmit(true, true, true, true);
        emit KeysDelivered(keySet, newcomer, holder, keccak256(NEW_IMAGE), ciphertext);
        vm.prank(holder);
        handover.deliverKeys(keySet, newcomer, ciphertext);
        KeyHandover.Request memory r = handover.requestOf(keySet, newcomer);
        assertEq(r.deliveredBy, holder);
        assertEq(uint256(r.deliveredAt), block.timestamp);
        assertEq(r.transportKeyHash, keccak256(transportKey));

        vm.prank(holder); // once only
        vm.expectRevert(abi.encodeWithSelector(KeyHandover.NoPendingRequest.selector, keySet, newcomer));
        handover.deliverKeys(keySet, newcomer, ciphertext);
    }

    function test_AMeasurementNotAllowedIsRefusedOnChainAndGetsNothing() public {
        _attest(newcomer, UNKNOWN, keccak256(transportKey));
        vm.expectEmit(true, true, true, true);
        emit HandoverRefused(keySet, newcomer, keccak256(UNKNOWN));
        vm.prank(newcomer);
        assertFalse(handover.requestKeys(keySet, transportKey));
        vm.prank(holder);
        vm.expectRevert(abi.encodeWithSelector(KeyHandover.NoPendingRequest.selector, keySet, newcomer));
        handover.deliverKeys(keySet, newcomer, hex"01");
    }

    function test_TheTransportKeyMustBeTheOneTheNewcomerIsAttestedWith() public {
        _attest(newcomer, NEW_IMAGE, keccak256("another transport key"));
        vm.prank(newcomer);
        vm.expectRevert(
            abi.encodeWithSelector(KeyHandover.NotAttestedWithTransportKey.selector, newcomer, keccak256(transportKey))
        );
        handover.requestKeys(keySet, transportKey);
        vm.prank(newcomer);
        vm.expectRevert(abi.encodeWithSelector(KeyHandover.InvalidTransportKey.selector, 33));
        handover.requestKeys(keySet, new bytes(33));
    }

    function test_OnlyAnAttestedHolderOfTheKeySetDelivers() public {
        _attest(newcomer, NEW_IMAGE, keccak256(transportKey));
        vm.prank(newcomer);
        handover.requestKeys(keySet, transportKey);
        vm.prank(address(0xBAD));
        vm.expectRevert(abi.encodeWithSelector(KeyHandover.NotAHolder.selector, address(0xBAD), keySet));
        handover.deliverKeys(keySet, newcomer, hex"01");
    }

    function test_DeliveryChecksTheNewcomerAgain() public {
        _attest(newcomer, NEW_IMAGE, keccak256(transportKey));
        vm.prank(newcomer);
        handover.requestKeys(keySet, transportKey);
        // Governance withdraws the measurement before the holder answers.
        vm.prank(GOVERNANCE);
        handover.queueAllowance(keySet, keccak256(NEW_IMAGE), false);
        vm.warp(block.timestamp + DELAY);
        vm.prank(GOVERNANCE);
        handover.executeAllowance(keySet, keccak256(NEW_IMAGE), false);
        vm.prank(holder);
        vm.expectRevert(abi.encodeWithSelector(KeyHandover.NewcomerNoLongerEligible.selector, keySet, newcomer));
        handover.deliverKeys(keySet, newcomer, hex"01");
    }
}
