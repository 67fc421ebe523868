// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {TestToken} from "../../src/fixtures/TestToken.sol";

/// @dev Unit-level stand-in for the AttestationRegistry: only `isAttestedFor` matters to the vault.
contract MockRegistry {
    mapping(address => bytes32) public measurementOf;

    function set(address enclave, bytes32 measurementId) external {
        measurementOf[enclave] = measurementId;
    }

    function isAttestedFor(address enclave, bytes32 measurementId) external view returns (bool) {
        return measurementId != bytes32(0) && measurementOf[enclave] == measurementId;
    }
}

/// @dev A V3 SwapRouter stand-in: records the params it was given and pays `rate` out per unit in
/// (×1e18), with `out` tokens it was pre-funded with.
contract MockV3Router {
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

    uint256 public rate = 2e18;
    ExactInputSingleParams public last;

    function exactInputSingle(ExactInputSingleParams calldata p) external payable returns (uint256 amountOut) {
        last = p;
        TestToken(p.tokenIn).transferFrom(msg.sender, address(this), p.amountIn);
        amountOut = p.amountIn * rate / 1e18;
        require(amountOut >= p.amountOutMinimum, "Too little received");
        TestToken(p.tokenOut).transfer(p.recipient, amountOut);
    }
}

/// @dev A "V2 router" that misbehaves: takes `spendBps` of the approved input and pays `payBps`
/// of what it promised (amountOutMin), without reverting.
contract BadRouter {
    uint256 public spendBps = 10_000;
    uint256 public payBps = 0;

    function configure(uint256 spendBps_, uint256 payBps_) external {
        (spendBps, payBps) = (spendBps_, payBps_);
    }

    function swapExactTokensForTokens(uint256 amountIn, uint256 amountOutMin, address[] calldata path, address to, uint256)
        external
        returns (uint256[] memory amounts)
    {
        TestToken(path[0]).transferFrom(msg.sender, address(this), amountIn * spendBps / 10_000);
        uint256 out = amountOutMin * payBps / 10_000;
        if (out != 0) TestToken(path[path.length - 1]).transfer(to, out);
        amounts = new uint256[](path.length);
    }
}

interface IV3SwapCallback {
    function uniswapV3SwapCallback(int256 amount0Delta, int256 amount1Delta, bytes calldata data) external;
}

/// @dev A V3 pool stand-in with v3-core's swap protocol: sends `rate` out per unit in (×1e18)
/// first, then asks the caller for `askBps` of amountIn in the callback (optionally twice), and
/// checks it was paid ("IIA", as UniswapV3Pool does).
contract MockV3Pool {
    address public immutable token0;
    address public immutable token1;
    uint256 public rate = 2e18;
    uint256 public askBps = 10_000;
    bool public callTwice;

    constructor(address a, address b) {
        (token0, token1) = a < b ? (a, b) : (b, a);
    }

    function configure(uint256 askBps_, bool callTwice_) external {
        (askBps, callTwice) = (askBps_, callTwice_);
    }

    function swap(address recipient, bool zeroForOne, int256 amountSpecified, uint160, bytes calldata data)
        external
        returns (int256 amount0, int256 amount1)
    {
        uint256 amountIn = uint256(amountSpecified);
        uint256 owed = amountIn * askBps / 10_000;
        uint256 out = amountIn * rate / 1e18;
        (address tin, address tout) = zeroForOne ? (token0, token1) : (token1, token0);
        TestToken(tout).transfer(recipient, out);
        (amount0, amount1) = zeroForOne ? (int256(owed), -int256(out)) : (-int256(out), int256(owed));
        uint256 before = TestToken(tin).balanceOf(address(this));
        IV3SwapCallback(msg.sender).uniswapV3SwapCallback(amount0, amount1, data);
        if (callTwice) IV3SwapCallback(msg.sender).uniswapV3SwapCallback(amount0, amount1, data);
        require(TestToken(tin).balanceOf(address(this)) >= before + owed, "IIA");
    }
}
