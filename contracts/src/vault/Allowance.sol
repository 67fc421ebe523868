// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @notice A spending allowance that refills over time, in the style of Zodiac Roles v2
/// allowances (gnosisguild/zodiac-modifier-roles `Allowance`: balance, refill, maxRefill, period,
/// timestamp): every whole `period` since `timestamp` adds `refill`, up to `maxBalance`; the
/// timestamp advances by whole periods only, so partial periods are never lost.
library Allowance {
    /// @return balance the balance after refilling up to `nowTs`
    /// @return timestamp the start of the current (partial) period
    function accrue(
        uint128 balance,
        uint64 timestamp,
        uint128 refill,
        uint128 maxBalance,
        uint64 period,
        uint64 nowTs
    ) internal pure returns (uint128, uint64) {
        if (period == 0 || nowTs <= timestamp) return (balance, timestamp);
        uint256 periods = (nowTs - timestamp) / period;
        if (periods == 0) return (balance, timestamp);
        // periods * period ≤ nowTs - timestamp, so this fits in uint64.
        uint64 newTimestamp = timestamp + uint64(periods * period);
        if (balance >= maxBalance) return (balance, newTimestamp);
        // periods < 2^64 and refill < 2^128: the product fits in uint256.
        uint256 filled = uint256(balance) + periods * uint256(refill);
        return (filled > maxBalance ? maxBalance : uint128(filled), newTimestamp);
    }
}
