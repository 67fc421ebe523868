// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {VaultFixture} from "./VaultFixture.sol";
import {Test} from "../utils/Test.sol";
import {IGuardedVault} from "../../src/vault/IGuardedVault.sol";
import {Allowance} from "../../src/vault/Allowance.sol";
import {TwapMath} from "../../src/vault/TwapMath.sol";

/// @dev Fuzzing of the cap, allowance and slippage arithmetic, in isolation and through the vault.
contract GuardedVaultMathFuzzTest is Test {
    function testFuzz_AllowanceMatchesModel(
        uint128 balance,
        uint64 timestamp,
        uint128 refill,
        uint128 maxBalance,
        uint64 period,
        uint64 elapsed
    ) public pure {
        timestamp = uint64(bound(timestamp, 0, type(uint64).max / 2));
        elapsed = uint64(bound(elapsed, 0, type(uint64).max / 2));
        uint64 nowTs = timestamp + elapsed;
        (uint128 b, uint64 ts) = Allowance.accrue(balance, timestamp, refill, maxBalance, period, nowTs);
        if (period == 0) {
            assertEq(b, balance, "no refill without a period");
            assertEq(ts, timestamp, "timestamp kept");
            return;
        }
        uint256 periods = uint256(elapsed) / period;
        assertEq(ts, timestamp + periods * period, "timestamp advances by whole periods");
        assertLe(nowTs - ts, period - 1, "less than one period left over");
        if (balance >= maxBalance || periods == 0) {
            assertEq(b, balance, "unchanged");
        } else {
            uint256 model = uint256(balance) + periods * uint256(refill);
            assertEq(b, model > maxBalance ? maxBalance : model, "refilled up to max");
        }
    }

    function testFuzz_QuoteMatchesExactProductWhenItFits(uint256 amountIn, uint256 priceX112) public pure {
        amountIn = bound(amountIn, 0, type(uint128).max);
        priceX112 = bound(priceX112, 0, type(uint128).max);
        assertEq(TwapMath.quote(amountIn, priceX112), amountIn * priceX112 >> 112, "floor(a*p/2^112)");
    }

    function testFuzz_QuoteFullPrecision(uint256 amountIn, uint256 priceX112) public pure {
        uint256 q = TwapMath.quote(amountIn, priceX112);
        if (q == type(uint256).max) return; // saturated
        // q = floor(a·p / 2^112) ⇔ q·2^112 ≤ a·p < (q+1)·2^112, checked with mulmod-free bounds:
        // when a = 0 or p = 0 the quote is 0; otherwise dividing back loses at most one unit.
        if (amountIn == 0 || priceX112 == 0) {
            assertEq(q, 0, "zero");
            return;
        }
        if (q < type(uint256).max >> 112) {
            uint256 back = (q << 112) / priceX112;
            assertLe(back, amountIn, "q not above the exact quotient");
        }
    }

    function testFuzz_MinOutFloorBounds(uint256 ref, uint256 bps) public pure {
        bps = bound(bps, 0, 9_999);
        ref = bound(ref, 0, type(uint256).max / 10_000);
        uint256 floor = TwapMath.minOutFloor(ref, bps);
        uint256 keep = 10_000 - bps;
        assertLe(floor, ref, "floor <= reference");
        // Rounded up: floor = ceil(ref * keep / 10000).
        assertGe(floor * 10_000, ref * keep, "never looser than configured");
        if (floor > 0) assertTrue((floor - 1) * 10_000 < ref * keep, "the least such value");
    }

    function testFuzz_MinOutFloorNoOverflowAtExtremes(uint256 ref, uint256 bps) public pure {
        bps = bound(bps, 0, 20_000);
        uint256 floor = TwapMath.minOutFloor(ref, bps);
        assertLe(floor, ref, "floor <= reference");
    }
}

/// @dev The same properties end to end: a trade passes iff amountIn is within the cap and the
/// allowance, and minAmountOut is at least the floor.
contract GuardedVaultTradeFuzzTest is VaultFixture {
    function testFuzz_TradeCap(uint256 amountIn) public {
        // From 1e12: dust trades round to less than the TWAP floor in the pool itself.
        amountIn = bound(amountIn, 1e12, 3 * CAP);
        IGuardedVault.TradeIntent memory t = _intentAB(amountIn);
        vm.prank(enclave);
        if (amountIn > CAP) {
            vm.expectRevert(abi.encodeWithSelector(IGuardedVault.OverTradeCap.selector, address(tokenA), amountIn, CAP));
        }
        vault.trade(t, MID);
    }

    function testFuzz_EpochAllowanceRun(uint256 a1, uint256 a2, uint256 a3, uint256 a4) public {
        uint256[4] memory amounts = [bound(a1, 1e12, CAP), bound(a2, 1e12, CAP), bound(a3, 1e12, CAP), bound(a4, 1e12, CAP)];
        uint256 spent;
        for (uint256 i = 0; i < 4; ++i) {
            IGuardedVault.TradeIntent memory t = _intentAB(amounts[i]);
            vm.prank(enclave);
            if (spent + amounts[i] > MAX_ALLOWANCE) {
                vm.expectRevert(
                    abi.encodeWithSelector(
                        IGuardedVault.OverEpochAllowance.selector, address(tokenA), amounts[i], MAX_ALLOWANCE - spent
                    )
                );
                vault.trade(t, MID);
            } else {
                vault.trade(t, MID);
                spent += amounts[i];
            }
            assertEq(vault.availableAllowance(address(tokenA)), MAX_ALLOWANCE - spent, "allowance tracks spending");
        }
    }

    function testFuzz_SlippageFloor(uint256 amountIn, uint256 below) public {
        amountIn = bound(amountIn, 1e12, CAP);
        IGuardedVault.TradeIntent memory t = _intentAB(amountIn);
        (uint256 floor, uint256 ref) = vault.minAmountOutFor(address(tokenA), address(tokenB), amountIn);
        below = bound(below, 0, floor);
        t.minAmountOut = floor - below;
        vm.prank(enclave);
        if (below > 0) {
            vm.expectRevert(abi.encodeWithSelector(IGuardedVault.SlippageTooHigh.selector, floor - below, floor, ref));
        }
        uint256 out = vault.trade(t, MID);
        if (below == 0) assertGe(out, floor, "received at least the floor");
    }
}
