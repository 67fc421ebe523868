// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Vm} from "../utils/Vm.sol";

interface IUniswapV2Factory {
    function createPair(address tokenA, address tokenB) external returns (address pair);
    function getPair(address tokenA, address tokenB) external view returns (address pair);
}

interface IUniswapV2Pair {
    function mint(address to) external returns (uint256 liquidity);
    function sync() external;
    function token0() external view returns (address);
    function getReserves() external view returns (uint112, uint112, uint32);
    function price0CumulativeLast() external view returns (uint256);
}

interface IUniswapV2Router02 {
    function swapExactTokensForTokens(uint256 amountIn, uint256 amountOutMin, address[] calldata path, address to, uint256 deadline)
        external
        returns (uint256[] memory amounts);
    function getAmountsOut(uint256 amountIn, address[] calldata path) external view returns (uint256[] memory amounts);
}

/// @dev Deploys the real Uniswap V2 factory, Router02 and WETH9 from the bytecode in the pinned
/// npm packages build/ artifacts (uniswap v2-core 1.0.1, v2-periphery 1.1.0-beta.0): no
/// recompiling, so the pair's init code hash matches the one hard-coded in UniswapV2Library.
library UniswapV2Deployer {
    Vm private constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));
    string private constant kCore = "../node_modules/@uniswap/v2-core/build/";
    string private constant kPeriphery = "../node_modules/@uniswap/v2-periphery/build/";

    function artifact(string memory path) internal view returns (bytes memory) {
        // vm.getCode rejects these truffle-style files (both `bytecode` and `evm.bytecode`).
        return vm.parseJsonBytes(vm.readFile(path), ".bytecode");
    }

    function create(bytes memory initCode) internal returns (address a) {
        assembly {
            a := create(0, add(initCode, 32), mload(initCode))
        }
        require(a != address(0), "UniswapV2Deployer: create failed");
    }

    function deploy(address feeToSetter) internal returns (IUniswapV2Factory factory, IUniswapV2Router02 router, address weth) {
        weth = create(artifact(string.concat(kPeriphery, "WETH9.json")));
        factory = IUniswapV2Factory(
            create(abi.encodePacked(artifact(string.concat(kCore, "UniswapV2Factory.json")), abi.encode(feeToSetter)))
        );
        router = IUniswapV2Router02(
            create(abi.encodePacked(artifact(string.concat(kPeriphery, "UniswapV2Router02.json")), abi.encode(factory, weth)))
        );
    }
}
