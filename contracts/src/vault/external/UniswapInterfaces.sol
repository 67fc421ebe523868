// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @notice The parts of a Uniswap V2 pair the vault reads for its TWAP reference price
/// (Uniswap V2 whitepaper §2.2: price{0,1}CumulativeLast accumulate UQ112x112 spot prices × seconds).
interface IUniswapV2PairOracle {
    function token0() external view returns (address);
    function token1() external view returns (address);
    function price0CumulativeLast() external view returns (uint256);
    function price1CumulativeLast() external view returns (uint256);
    function getReserves() external view returns (uint112 reserve0, uint112 reserve1, uint32 blockTimestampLast);
}

/// @notice A Uniswap V2 pair's low-level swap (v2-core IUniswapV2Pair): the input must already
/// have been transferred to the pair.
interface IUniswapV2PairSwap {
    function swap(uint256 amount0Out, uint256 amount1Out, address to, bytes calldata data) external;
}

/// @notice Uniswap V2 Router02's exact-input swap (v2-periphery IUniswapV2Router01).
interface IUniswapV2RouterSwap {
    function swapExactTokensForTokens(
        uint256 amountIn,
        uint256 amountOutMin,
        address[] calldata path,
        address to,
        uint256 deadline
    ) external returns (uint256[] memory amounts);
}

/// @notice Uniswap V3 periphery SwapRouter's single-pool exact-input swap (v3-periphery ISwapRouter).
interface IUniswapV3SwapRouter {
    struct ExactInputSingleParams {
        address tokenIn;
        address tokenOut;
        uint24 fee;
        address recipient;
        uint256 deadline;
        uint256 amountIn;
        uint256 amountOutMinimum;
        uint160 sqrtPriceLimitX96;
    }

    function exactInputSingle(ExactInputSingleParams calldata params) external payable returns (uint256 amountOut);
}

/// @notice A Uniswap V3 pool's swap (v3-core IUniswapV3PoolActions): the pool sends the output
/// first, then calls `uniswapV3SwapCallback` on the caller, which must pay the input.
interface IUniswapV3PoolSwap {
    function swap(address recipient, bool zeroForOne, int256 amountSpecified, uint160 sqrtPriceLimitX96, bytes calldata data)
        external
        returns (int256 amount0, int256 amount1);
}
