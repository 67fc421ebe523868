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
