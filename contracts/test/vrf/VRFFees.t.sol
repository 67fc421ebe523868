// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {VRFCoordinator} from "../../src/vrf/VRFCoordinator.sol";
import {VRFCoordinatorSettings} from "../../src/vrf/VRFCoordinatorSettings.sol";
import {IAttestationRegistry} from "../../src/attestation/IAttestationRegistry.sol";
import {VRFCoordinatorBase} from "./VRFCoordinatorBase.sol";
import {Vm} from "../utils/Vm.sol";

/// @notice Issue 16 §3, fees that follow gas: a request reserves its worst case at its key's gas
/// lane cap; its fulfilment charges the gas it used (the callback's included) at
/// min(tx.gasprice, cap) plus the lane's premium, never more than the reservation, and the rest
/// returns to the requester's credit in the same transaction.
contract VRFFeesTest is VRFCoordinatorBase {
    function _units(uint32 callbackGasLimit, uint32 numWords) internal view returns (uint256) {
        return coordinator.FULFILMENT_GAS_OVERHEAD() + coordinator.GAS_PER_WORD() * numWords + callbackGasLimit;
    }

    /// Fulfils `rc` at `gasPrice` and returns what it charged and the callee-side gas it used.
    function _fulfilAt(VRFCoordinator.RequestCommitment memory rc, uint256 gasPrice) internal returns (uint256 payment, uint256 gasUsed) {
        vm.txGasPrice(gasPrice);
        // Each fulfilment starts cold, as its own transaction would (a reverted snapshot keeps
        // what an earlier one warmed).
        vm.cool(address(coordinator));
        vm.cool(address(registry));
        vm.cool(rc.requester);
        (, payment,) = _fulfilRecorded(rc);
        gasUsed = _lastFulfilmentGas;
    }

    function test_ARequestReservesItsWorstCaseAtItsKeysLaneCap() public {
        assertEq(coordinator.requestPrice(keyHash, 100_000, 2), _units(100_000, 2) * GAS_PRICE + FLAT_FEE);
        coordinator.setGasLane(keyHash, 3 * GAS_PRICE, FLAT_FEE);
        assertEq(coordinator.requestPrice(keyHash, 100_000, 2), _units(100_000, 2) * 3 * GAS_PRICE + FLAT_FEE, "the lane sets it");
        VRFCoordinator.RequestCommitment memory rc = _request(CONSUMER, 3, 100_000, 2);
        assertEq(coordinator.reservedOf(CONSUMER), rc.fee);
        assertEq(coordinator.creditOf(CONSUMER), 0);
    }

    function test_AFulfilmentChargesItsGasAtTheTxGasPricePlusThePremiumAndReturnsTheRest() public {
        VRFCoordinator.RequestCommitment memory rc = _request(CONSUMER, 3, 200_000, 1);
        _advance(rc, 3);
        uint256 price = GAS_PRICE / 2; // below the cap: the price paid is the price charged
        uint256 calldataGas = 16 * abi.encodeCall(VRFCoordinator.fulfillRandomWords, (_proof(rc), rc)).length;
        (uint256 payment, uint256 gasUsed) = _fulfilAt(rc, price);
        assertGe(payment, gasUsed * price + FLAT_FEE, "at least the gas it ran");
        assertLe(payment, (gasUsed + 21_000 + calldataGas) * price + FLAT_FEE + 1 gwei, "at most that and the transaction's base and calldata");
        assertLt(payment, rc.fee, "less than the reservation");
        assertEq(payment % 1 gwei, 0, "whole gwei");
        assertEq(coordinator.reservedOf(CONSUMER), 0);
        assertEq(coordinator.creditOf(CONSUMER), rc.fee - payment, "the rest is the requester's credit");
        (,, uint256 earnings) = coordinator.provingKey(keyHash);
        assertEq(earnings, payment, "the charge is the oracle's");
    }

    function test_TheGasPriceChargedIsCappedByTheLane() public {
        VRFCoordinator.RequestCommitment memory rc = _request(CONSUMER, 3, 200_000, 1);
        _advance(rc, 3);
        uint256 before = vm.snapshotState();
        (uint256 atCap,) = _fulfilAt(rc, GAS_PRICE);
        vm.revertToState(before);
        (uint256 above,) = _fulfilAt(rc, 10 * GAS_PRICE);
        vm.revertToState(before);
        (uint256 half,) = _fulfilAt(rc, GAS_PRICE / 2);
        assertEq(above, atCap, "a price above the cap is charged at the cap");
        assertLt(half, atCap, "a price below it is charged as paid");
        // In proportion, up to rounding and the few gas a run's warm slots differ by.
        assertApproxEq(2 * (half - FLAT_FEE), atCap - FLAT_FEE, 100 * GAS_PRICE, "gas cost in proportion to the price");
    }

    function test_TheChargeNeverExceedsTheReservation() public {
        VRFCoordinator.RequestCommitment memory rc = _request(CONSUMER, 3, 200_000, 1);
        _advance(rc, 3);
        coordinator.setGasLane(keyHash, GAS_PRICE, 1 ether); // a premium raised after the request
        (uint256 payment,) = _fulfilAt(rc, GAS_PRICE);
        assertEq(payment, rc.fee);
        assertEq(coordinator.creditOf(CONSUMER), 0);
        assertEq(coordinator.reservedOf(CONSUMER), 0);
    }

    function test_ACallbackIsChargedTheGasItUsedNotItsLimit() public {
        _placeGasHungry(); // at NO_CODE: burns all of its limit
        VRFCoordinator.RequestCommitment memory light = _request(CONSUMER, 3, 500_000, 1);
        VRFCoordinator.RequestCommitment memory hungry = _request(NO_CODE, 3, 500_000, 1);
        _advance(light, 3);
        (uint256 lightPaid,) = _fulfilAt(light, GAS_PRICE);
        (uint256 hungryPaid,) = _fulfilAt(hungry, GAS_PRICE);
        assertGe(hungryPaid - lightPaid, 400_000 * GAS_PRICE, "the hungry callback paid for its gas");
        assertLe(hungryPaid, hungry.fee, "within its reservation");
        assertGe(coordinator.creditOf(CONSUMER), 400_000 * GAS_PRICE, "the light one got most of its callback reservation back");
    }

    function test_CancellingReturnsTheWholeReservationToCredit() public {
        coordinator.setCancelDelay(5);
        VRFCoordinator.RequestCommitment memory rc = _request(CONSUMER, 3, 200_000, 1);
        vm.roll(rc.blockNumber + 3 + 5);
        vm.prank(CONSUMER);
        assertEq(coordinator.cancelRequest(rc.requestId), rc.fee);
        assertEq(coordinator.reservedOf(CONSUMER), 0);
        assertEq(coordinator.creditOf(CONSUMER), rc.fee);
    }

    function test_LanesAreSetByTheOwnerWithinBoundsAndAKeyStartsOnTheDefault() public {
        vm.prank(CONSUMER);
        vm.expectRevert(abi.encodeWithSelector(VRFCoordinatorSettings.NotOwner.selector, CONSUMER));
        coordinator.setGasLane(keyHash, 2 gwei, 0);
        vm.expectRevert(abi.encodeWithSelector(VRFCoordinatorSettings.InvalidGasLane.selector, 0, 0));
        coordinator.setGasLane(keyHash, 0, 0);
        VRFCoordinator c2 = new VRFCoordinator(IAttestationRegistry(address(registry)), address(this));
        c2.registerProvingKey(pk, oracle);
        (uint256 cap, uint256 premium) = c2.gasLane(keyHash);
        assertEq(cap, c2.DEFAULT_MAX_GAS_PRICE());
        assertEq(premium, 0);
    }
}
