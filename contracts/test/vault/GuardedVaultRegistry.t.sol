// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {VaultFixture} from "./VaultFixture.sol";
import {GuardedVault} from "../../src/vault/GuardedVault.sol";
import {IGuardedVault} from "../../src/vault/IGuardedVault.sol";
import {AttestationRegistry} from "../../src/attestation/AttestationRegistry.sol";
import {IAttestationRegistry} from "../../src/attestation/IAttestationRegistry.sol";

/// @dev The vault against the real AttestationRegistry: attested, expired, revoked, disallowed.
contract GuardedVaultRegistryTest is VaultFixture {
    AttestationRegistry internal reg;
    address internal constant V1 = address(0xB001);
    address internal constant V2 = address(0xB002);
    uint256 internal constant VALIDITY = 7 days;
    bytes internal measurement = abi.encodePacked(keccak256("bot image"), bytes16(keccak256("tail")));
    bytes32 internal realMid;

    function setUp() public override {
        super.setUp();
        address[] memory vs = new address[](2);
        (vs[0], vs[1]) = (V1, V2);
        reg = new AttestationRegistry(OWNER, vs, 2, VALIDITY);
        realMid = keccak256(measurement);
        vm.prank(OWNER);
        reg.allowMeasurement(measurement);
        uint256 bond = reg.registrationBond();
        vm.deal(enclave, bond);
        vm.prank(enclave);
        uint256 id = reg.register{value: bond}(keccak256("report"), measurement, bytes32(uint256(1)), bytes32(0));
        IAttestationRegistry.Registration memory r = reg.registrationOf(id);
        vm.prank(V1);
        reg.approve(enclave, id, keccak256("report"), r.reportData, r.measurementId);
        vm.prank(V2);
        reg.approve(enclave, id, keccak256("report"), r.reportData, r.measurementId);

        vault = new GuardedVault(OWNER, GUARDIAN, address(reg), DELAY);
        bytes[] memory calls = new bytes[](6);
        calls[0] = abi.encodeCall(IGuardedVault.setMeasurement, (realMid, true));
        calls[1] = abi.encodeCall(IGuardedVault.setTarget, (address(router), IGuardedVault.TradeKind.UniswapV2Router));
        calls[2] = abi.encodeCall(IGuardedVault.setTokenLimits, (address(tokenA), _limits()));
        calls[3] = abi.encodeCall(IGuardedVault.setTokenLimits, (address(tokenB), _limits()));
        calls[4] = abi.encodeCall(IGuardedVault.setPriceGuard, (SLIPPAGE_BPS, MIN_WINDOW, MAX_WINDOW));
        calls[5] = abi.encodeCall(IGuardedVault.setOracle, (address(pair)));
        _govern(vault, calls);
        _fund(100e18, 100e18);
        vm.warp(block.timestamp + MIN_WINDOW);
    }

    function test_KeyAttestedInRealRegistryTrades() public {
        assertTrue(reg.isAttestedFor(enclave, realMid), "attested");
        IGuardedVault.TradeIntent memory t = _intentAB(1e18);
        vm.prank(STRANGER);
        vault.tradeWithIntent(t, realMid, _signIntent(t));
        assertEq(tokenA.balanceOf(address(vault)), 99e18, "traded");
    }

    function test_ExpiredAttestationRejected() public {
        vm.warp(reg.attestationOf(enclave).expiresAt);
        vault.pokeOracle(address(pair));
        vm.warp(block.timestamp + MIN_WINDOW);
        IGuardedVault.TradeIntent memory t = _intentAB(1e18);
        vm.prank(enclave);
        vm.expectRevert(abi.encodeWithSelector(IGuardedVault.NotAttested.selector, enclave, realMid));
        vault.trade(t, realMid);
    }

    function test_RevokedKeyRejected() public {
        vm.prank(V1);
        reg.revokeKey(enclave, "side channel");
        IGuardedVault.TradeIntent memory t = _intentAB(1e18);
        vm.prank(enclave);
        vm.expectRevert(abi.encodeWithSelector(IGuardedVault.NotAttested.selector, enclave, realMid));
        vault.trade(t, realMid);
    }

    function test_MeasurementDisallowedInRegistryRejected() public {
        vm.prank(OWNER);
        reg.disallowMeasurement(realMid);
        IGuardedVault.TradeIntent memory t = _intentAB(1e18);
        vm.prank(enclave);
        vm.expectRevert(abi.encodeWithSelector(IGuardedVault.NotAttested.selector, enclave, realMid));
        vault.trade(t, realMid);
    }
}
