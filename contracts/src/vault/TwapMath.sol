// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IUniswapV2PairOracle} from "./external/UniswapInterfaces.sol";

/// @notice Reference-price arithmetic for the vault: Uniswap V2 time-weighted average prices from
/// price cumulatives (Uniswap V2 whitepaper §2.2; v2-periphery UniswapV2OracleLibrary), and the
/// minimum output a trade must demand.
library TwapMath {
    uint256 internal constant kBps = 10_000;

    /// @notice The pair's cumulative prices as of this block's timestamp (mod 2^32), adding the
    /// time since the pair's last update at its current reserves (UniswapV2OracleLibrary
    /// `currentCumulativePrices`). A swap earlier in this same block has zero weight here, which
    /// is why a sandwich cannot move the reference price.
    function currentCumulatives(address pair)
        internal
        view
        returns (uint256 price0Cumulative, uint256 price1Cumulative, uint32 blockTimestamp)
    {
        blockTimestamp = uint32(block.timestamp);
        IUniswapV2PairOracle p = IUniswapV2PairOracle(pair);
        price0Cumulative = p.price0CumulativeLast();
        price1Cumulative = p.price1CumulativeLast();
        (uint112 r0, uint112 r1, uint32 last) = p.getReserves();
        if (last != blockTimestamp && r0 != 0 && r1 != 0) {
            unchecked {
                // Cumulatives wrap by design (UniswapV2Pair._update); so do the additions here.
                uint32 elapsed = blockTimestamp - last;
                price0Cumulative += ((uint256(r1) << 112) / r0) * elapsed;
                price1Cumulative += ((uint256(r0) << 112) / r1) * elapsed;
            }
        }
    }

    /// @notice One direction of `currentCumulatives` (price0 when `zeroForOne`): a trade needs
    /// only one, and each cumulative is a cold storage read in the pair. Also returns the
    /// reserves in that direction, which a swap on the pair then needs.
    function currentCumulative(address pair, bool zeroForOne)
        internal
        view
        returns (uint256 cumulative, uint256 reserveIn, uint256 reserveOut)
    {
        IUniswapV2PairOracle p = IUniswapV2PairOracle(pair);
        cumulative = zeroForOne ? p.price0CumulativeLast() : p.price1CumulativeLast();
        (uint112 r0, uint112 r1, uint32 last) = p.getReserves();
        (reserveIn, reserveOut) = zeroForOne ? (uint256(r0), uint256(r1)) : (uint256(r1), uint256(r0));
        uint32 blockTimestamp = uint32(block.timestamp);
        if (last != blockTimestamp && r0 != 0 && r1 != 0) {
            unchecked {
                uint32 elapsed = blockTimestamp - last;
                cumulative += zeroForOne ? ((uint256(r1) << 112) / r0) * elapsed : ((uint256(r0) << 112) / r1) * elapsed;
            }
        }
    }

    /// @notice The average UQ112x112 price over `elapsed` seconds between two cumulative readings.
    /// Subtraction wraps, as cumulatives do.
    function averagePrice(uint256 cumulativeStart, uint256 cumulativeEnd, uint32 elapsed)
        internal
        pure
        returns (uint256)
    {
        unchecked {
            return (cumulativeEnd - cumulativeStart) / elapsed;
        }
    }

    /// @notice floor(amountIn × priceX112 / 2^112), saturating at 2^256 − 1 (a reference so large
    /// that no minimum out can meet it simply fails the slippage check).
    function quote(uint256 amountIn, uint256 priceX112) internal pure returns (uint256) {
        uint256 lo;
        uint256 hi;
        assembly {
            let mm := mulmod(amountIn, priceX112, not(0))
            lo := mul(amountIn, priceX112)
            hi := sub(sub(mm, lo), lt(mm, lo))
        }
        if (hi >> 112 != 0) return type(uint256).max;
        return (hi << 144) | (lo >> 112);
    }

    /// @notice The least minimum-out the vault accepts: reference × (1 − maxSlippageBps / 10000),
    /// rounded up so the guard is never looser than configured.
    function minOutFloor(uint256 referenceOut, uint256 maxSlippageBps) internal pure returns (uint256) {
        if (maxSlippageBps >= kBps) return 0;
        uint256 keep = kBps - maxSlippageBps;
        if (referenceOut > type(uint256).max / keep) {
            // referenceOut × keep would overflow: divide first (the floor stays within 1 unit of
            // the reference, far below any meaningful precision at this size).
            return referenceOut / kBps * keep;
        }
        uint256 prod = referenceOut * keep;
        return prod / kBps + (prod % kBps == 0 ? 0 : 1);
    }
}
