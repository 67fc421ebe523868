// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {VaultFixture} from "./VaultFixture.sol";
import {MockV3Pool} from "./Mocks.sol";
import {GuardedVault} from "../../src/vault/GuardedVault.sol";
import {IGuardedVault} from "../../src/vault/IGuardedVault.sol";

/// @dev The UniswapV3Pool kind (the vault swaps on the pool and pays it in its callback), and the
/// gas-saving layout behind every trade: the measurement hint and the one-slot token state.
contract GuardedVaultPoolKindsTest is VaultFixture {
    MockV3Pool internal pool;

    function setUp() public override {
        super.setUp();
        pool = new MockV3Pool(address(tokenA), address(tokenB));
        tokenA.mint(address(pool), 1000e18);
        tokenB.mint(address(pool), 1000e18);
        _govern(abi.encodeCall(IGuardedVault.setTarget, (address(pool), IGuardedVault.TradeKind.UniswapV3Pool)));
        vault.pokeOracle(address(pair));
        vm.warp(block.timestamp + MIN_WINDOW);
    }

    function _poolIntent(uint256 amountIn) internal view returns (IGuardedVault.TradeIntent memory t) {
        t = _intentAB(amountIn);
        t.kind = uint8(IGuardedVault.TradeKind.UniswapV3Pool);
        t.target = address(pool);
    }

    // ------------------------------------------------------------ V3 pool kind

    function test_V3PoolKindSwapsAndPaysThePoolInItsCallback() public {
        uint256 allowanceBefore = vault.availableAllowance(address(tokenA));
        uint256 out = _tradeDirect(_poolIntent(2e18));
        assertEq(out, 4e18, "the mock pays 2 B per A");
        assertEq(tokenA.balanceOf(address(vault)), 98e18, "paid amountIn to the pool");
        assertEq(tokenA.balanceOf(address(pool)), 1002e18, "the pool was paid");
        assertEq(tokenA.allowance(address(vault), address(pool)), 0, "no approval given");
        assertEq(vault.availableAllowance(address(tokenA)), allowanceBefore - 2e18, "allowance debited");
    }

    function test_V3PoolKindSellsToken1ForToken0Too() public {
        IGuardedVault.TradeIntent memory t = _poolIntent(2e18);
        (t.tokenIn, t.tokenOut) = (address(tokenB), address(tokenA));
        (t.minAmountOut,) = vault.minAmountOutFor(address(tokenB), address(tokenA), 2e18);
        _tradeDirect(t);
        assertEq(tokenB.balanceOf(address(vault)), 98e18, "paid in B");
        assertEq(tokenA.balanceOf(address(vault)), 104e18, "received A");
    }

    function test_V3PoolAskingMoreThanAmountInRejected() public {
        pool.configure(10_001, false);
        IGuardedVault.TradeIntent memory t = _poolIntent(1e18);
        vm.prank(enclave);
        vm.expectRevert(abi.encodeWithSelector(IGuardedVault.SpentTooMuch.selector, 1.0001e18, 1e18));
        vault.trade(t, MID);
    }

    function test_V3PoolCallingBackTwiceRejected() public {
        pool.configure(10_000, true);
        IGuardedVault.TradeIntent memory t = _poolIntent(1e18);
        vm.prank(enclave);
        vm.expectRevert(abi.encodeWithSelector(IGuardedVault.UnexpectedCallback.selector, address(pool)));
        vault.trade(t, MID);
    }

    function test_V3PoolAskingLessIsPaidOnlyThat() public {
        pool.configure(5_000, false);
        _tradeDirect(_poolIntent(2e18));
        assertEq(tokenA.balanceOf(address(vault)), 99e18, "paid half of amountIn");
    }

    function test_CallbackOutsideATradeRejected() public {
        vm.prank(STRANGER);
        vm.expectRevert(abi.encodeWithSelector(IGuardedVault.UnexpectedCallback.selector, STRANGER));
        vault.uniswapV3SwapCallback(1e18, 0, "");
        // The allow-listed pool itself gets nothing either when no trade is in progress.
        vm.prank(address(pool));
        vm.expectRevert(abi.encodeWithSelector(IGuardedVault.UnexpectedCallback.selector, address(pool)));
        vault.uniswapV3SwapCallback(1e18, 0, "");
    }

    function test_V3PoolNotAllowListedRejected() public {
        MockV3Pool other = new MockV3Pool(address(tokenA), address(tokenB));
        IGuardedVault.TradeIntent memory t = _poolIntent(1e18);
        t.target = address(other);
        vm.prank(enclave);
        vm.expectRevert(abi.encodeWithSelector(IGuardedVault.TargetNotAllowed.selector, address(other), t.kind));
        vault.trade(t, MID);
    }

    function test_V3PoolDataOtherThanOneWordRejected() public {
        IGuardedVault.TradeIntent memory t = _poolIntent(1e18);
        t.data = hex"00";
        vm.prank(enclave);
        vm.expectRevert(IGuardedVault.BadPath.selector);
        vault.trade(t, MID);
    }

    // ------------------------------------------------------- measurement hint

    /// Governs, then restores a usable TWAP (the timelock's delay outlasts the max window).
    function _governAndPoke(bytes memory call) internal {
        _govern(call);
        vault.pokeOracle(address(pair));
        vm.warp(block.timestamp + MIN_WINDOW);
    }

    function test_DisallowingTheLatestMeasurementStopsItsTrades() public {
        _governAndPoke(abi.encodeCall(IGuardedVault.setMeasurement, (MID, false)));
        IGuardedVault.TradeIntent memory t = _intentAB(1e18);
        vm.prank(enclave);
        vm.expectRevert(abi.encodeWithSelector(IGuardedVault.MeasurementNotAllowed.selector, MID));
        vault.trade(t, MID);
    }

    function test_AllowingASecondMeasurementKeepsTheFirst() public {
        bytes32 other = keccak256("next guest version");
        _governAndPoke(abi.encodeCall(IGuardedVault.setMeasurement, (other, true)));
        _tradeDirect(_intentAB(1e18)); // MID, no longer the hint
        _governAndPoke(abi.encodeCall(IGuardedVault.setMeasurement, (other, false)));
        _tradeDirect(_intentAB(1e18));
        assertTrue(vault.isMeasurementAllowed(MID), "MID still allowed");
    }

    function test_IdDifferingFromTheHintIsNotAllowed() public {
        // One bit off within the hint's 20 bytes: not MID, so the mapping decides, and says no.
        // (An id equal to MID on all 20 bytes would take a 160-bit keccak second preimage, and
        // the real registry only grants keccak256(measurement).)
        bytes32 lookalike = MID ^ bytes32(uint256(1) << 96);
        registry.set(enclave, lookalike);
        IGuardedVault.TradeIntent memory t = _intentAB(1e18);
        vm.prank(enclave);
        vm.expectRevert(abi.encodeWithSelector(IGuardedVault.MeasurementNotAllowed.selector, lookalike));
        vault.trade(t, lookalike);
    }

    // ------------------------------------------------------- token state slot

    function test_RefillPeriodAboveUint24Rejected() public {
        IGuardedVault.TokenLimits memory l = _limits();
        l.refillPeriod = 1 << 24;
        bytes memory call = abi.encodeCall(IGuardedVault.setTokenLimits, (address(tokenA), l));
        vm.prank(OWNER);
        vault.queue(call);
        vm.warp(block.timestamp + vault.delay());
        vm.expectRevert(abi.encodeWithSelector(IGuardedVault.RefillPeriodTooLong.selector, uint32(1 << 24), uint32(type(uint24).max)));
        vault.execute(call);
    }

    function test_TokenLimitsReadBackAfterTrades() public {
        _tradeDirect(_intentAB(1e18));
        IGuardedVault.TokenLimits memory l = vault.tokenLimits(address(tokenA));
        IGuardedVault.TokenLimits memory want = _limits();
        assertTrue(l.allowed, "allowed");
        assertEq(l.maxPerTrade, want.maxPerTrade, "maxPerTrade");
        assertEq(l.refillAmount, want.refillAmount, "refillAmount");
        assertEq(l.refillPeriod, want.refillPeriod, "refillPeriod");
        assertEq(l.maxBalance, want.maxBalance, "maxBalance");
    }
}
