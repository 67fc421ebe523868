// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IGuardedVault} from "./IGuardedVault.sol";
import {SafeTokenCalls} from "./SafeTokenCalls.sol";
import {IUniswapV2PairSwap, IUniswapV2RouterSwap, IUniswapV3SwapRouter} from "./external/UniswapInterfaces.sol";

/// @notice The vault's DEX adapters that need nothing of its state: a Uniswap V2 pair swapped
/// directly, and the V2 and V3 routers. Internal functions, so they run in the vault's context
/// (its balances and approvals) at the cost of a jump. The V3 pool adapter stays in the vault: its
/// callback protocol lives in the vault's storage. What the vault checks around a swap (allow-lists,
/// the TWAP reference, what actually moved) stays in GuardedVault._swapAndCheck.
library DexSwaps {
    using SafeTokenCalls for address;

    /// @dev Swaps on a Uniswap V2 pair directly, as UniswapV2Router02 does for one hop: send
    /// amountIn, then ask for getAmountOut (UniswapV2Library: 0.3% fee) at the reserves the caller
    /// read in this same call (nothing can have moved them since).
    function swapOnPair(IGuardedVault.TradeIntent calldata t, uint256 amountIn, uint256 rIn, uint256 rOut) internal {
        address pair = t.target;
        bool zeroForOne = t.tokenIn < t.tokenOut;
        uint256 inWithFee = amountIn * 997;
        uint256 out = inWithFee * rOut / (rIn * 1000 + inWithFee);
        if (out < t.minAmountOut) revert IGuardedVault.ReceivedTooLittle(out, t.minAmountOut);
        t.tokenIn.safeTransfer(pair, amountIn);
        IUniswapV2PairSwap(pair).swap(zeroForOne ? 0 : out, zeroForOne ? out : 0, address(this), "");
    }

    /// @dev Router kinds: approve exactly amountIn, swap to the vault, clear any leftover approval.
    /// `path` is the V2 route the vault checked (unused for the V3 router, whose fee tier and price
    /// limit come in `t.data`).
    function swapOnRouter(IGuardedVault.TradeIntent calldata t, uint256 amountIn, address[] memory path, bool v2) internal {
        t.tokenIn.safeApprove(t.target, amountIn);
        if (v2) {
            IUniswapV2RouterSwap(t.target).swapExactTokensForTokens(amountIn, t.minAmountOut, path, address(this), t.deadline);
        } else {
            (uint24 fee, uint160 sqrtPriceLimitX96) = abi.decode(t.data, (uint24, uint160));
            IUniswapV3SwapRouter(t.target).exactInputSingle(
                IUniswapV3SwapRouter.ExactInputSingleParams({
                    tokenIn: t.tokenIn,
                    tokenOut: t.tokenOut,
                    fee: fee,
                    recipient: address(this),
                    deadline: t.deadline,
                    amountIn: amountIn,
                    amountOutMinimum: t.minAmountOut,
                    sqrtPriceLimitX96: sqrtPriceLimitX96
                })
            );
        }
        // Exact-input routers spend the whole approval; reset only if one did not.
        if (t.tokenIn.allowance(address(this), t.target) != 0) t.tokenIn.safeApprove(t.target, 0);
    }
}
