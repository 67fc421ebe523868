// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "../utils/Test.sol";
import {GuardedVault} from "../../src/vault/GuardedVault.sol";
import {IGuardedVault} from "../../src/vault/IGuardedVault.sol";
import {TestToken} from "../../src/fixtures/TestToken.sol";
import {MockRegistry, MockV3Router} from "./Mocks.sol";
import {UniswapV2Deployer, IUniswapV2Factory, IUniswapV2Pair, IUniswapV2Router02} from "./UniswapV2Deployer.sol";

/// @dev A configured vault over a real Uniswap V2 deployment: tokens A and B (1 A ≈ 2 B in a
/// 100k A / 200k B pair), the V2 router and a mock V3 router allow-listed, one allowed
/// measurement, one enclave key, 100 A + 100 B deposited, and the TWAP window already elapsed.
abstract contract VaultFixture is Test {
    address internal constant OWNER = address(0xA11CE);
    address internal constant GUARDIAN = address(0x6A4D);
    address internal constant STRANGER = address(0x5757);
    uint256 internal constant T0 = 1_750_000_000;
    uint256 internal constant DELAY = 1 days;
    uint256 internal constant CONFIGURED_AT = T0 + DELAY; // limits set, oracle's first observation
    bytes32 internal constant MID = keccak256("bot measurement");

    uint256 internal constant CAP = 10e18; // per trade, token A or B
    uint256 internal constant REFILL = 20e18; // per hour
    uint256 internal constant MAX_ALLOWANCE = 30e18;
    uint32 internal constant PERIOD = 1 hours;
    uint16 internal constant SLIPPAGE_BPS = 100;
    uint32 internal constant MIN_WINDOW = 10 minutes;
    uint32 internal constant MAX_WINDOW = 1 days;

    uint256 internal enclavePk = 0xE7C1A7E;
    address internal enclave;

    GuardedVault internal vault;
    MockRegistry internal registry;
    TestToken internal tokenA;
    TestToken internal tokenB;
    TestToken internal tokenC; // never allow-listed
    IUniswapV2Factory internal factory;
    IUniswapV2Router02 internal router;
    IUniswapV2Pair internal pair;
    MockV3Router internal v3router;

    function setUp() public virtual {
        vm.warp(T0);
        enclave = vm.addr(enclavePk);
        tokenA = new TestToken("Token A", "TKA", 18, address(this));
        tokenB = new TestToken("Token B", "TKB", 18, address(this));
        tokenC = new TestToken("Token C", "TKC", 18, address(this));
        (factory, router,) = UniswapV2Deployer.deploy(address(this));
        pair = IUniswapV2Pair(factory.createPair(address(tokenA), address(tokenB)));
        tokenA.mint(address(pair), 100_000e18);
        tokenB.mint(address(pair), 200_000e18);
        pair.mint(address(this));
        v3router = new MockV3Router();
        tokenA.mint(address(v3router), 1000e18);
        tokenB.mint(address(v3router), 1000e18);

        registry = new MockRegistry();
        registry.set(enclave, MID);
        vault = _deployVault(address(registry));
        _fund(100e18, 100e18);
        vm.warp(block.timestamp + MIN_WINDOW);
    }

    function _deployVault(address reg) internal returns (GuardedVault v) {
        v = new GuardedVault(OWNER, GUARDIAN, reg, DELAY);
        bytes[] memory calls = new bytes[](8);
        calls[0] = abi.encodeCall(IGuardedVault.setMeasurement, (MID, true));
        calls[1] = abi.encodeCall(IGuardedVault.setTarget, (address(router), IGuardedVault.TradeKind.UniswapV2Router));
        calls[2] = abi.encodeCall(IGuardedVault.setTarget, (address(v3router), IGuardedVault.TradeKind.UniswapV3Router));
        calls[3] = abi.encodeCall(IGuardedVault.setTokenLimits, (address(tokenA), _limits()));
        calls[4] = abi.encodeCall(IGuardedVault.setTokenLimits, (address(tokenB), _limits()));
        calls[5] = abi.encodeCall(IGuardedVault.setPriceGuard, (SLIPPAGE_BPS, MIN_WINDOW, MAX_WINDOW));
        calls[6] = abi.encodeCall(IGuardedVault.setOracle, (address(pair)));
        calls[7] = abi.encodeCall(IGuardedVault.setTarget, (address(pair), IGuardedVault.TradeKind.UniswapV2Pair));
        _govern(v, calls);
    }

    function _limits() internal pure returns (IGuardedVault.TokenLimits memory) {
        return IGuardedVault.TokenLimits({
            allowed: true,
            maxPerTrade: uint96(CAP),
            refillAmount: uint96(REFILL),
            refillPeriod: PERIOD,
            maxBalance: uint96(MAX_ALLOWANCE)
        });
    }

    /// Queues every call, waits out the delay, executes them in order.
    function _govern(GuardedVault v, bytes[] memory calls) internal {
        vm.startPrank(OWNER);
        for (uint256 i = 0; i < calls.length; ++i) v.queue(calls[i]);
        vm.stopPrank();
        vm.warp(block.timestamp + v.delay());
        for (uint256 i = 0; i < calls.length; ++i) v.execute(calls[i]);
    }

    function _govern(bytes memory call) internal {
        bytes[] memory calls = new bytes[](1);
        calls[0] = call;
        _govern(vault, calls);
    }

    function _fund(uint256 a, uint256 b) internal {
        tokenA.mint(OWNER, a);
        tokenB.mint(OWNER, b);
        vm.startPrank(OWNER);
        tokenA.approve(address(vault), a);
        tokenB.approve(address(vault), b);
        vault.deposit(address(tokenA), a);
        vault.deposit(address(tokenB), b);
        vm.stopPrank();
    }

    /// A V2 intent selling `amountIn` A for B at the vault's floor (the least it accepts).
    function _intentAB(uint256 amountIn) internal view returns (IGuardedVault.TradeIntent memory t) {
        t = _rawIntentAB(amountIn);
        (t.minAmountOut,) = vault.minAmountOutFor(address(tokenA), address(tokenB), amountIn);
    }

    /// The same with minAmountOut = 0 (for when the oracle cannot price it).
    function _rawIntentAB(uint256 amountIn) internal view returns (IGuardedVault.TradeIntent memory t) {
        t = IGuardedVault.TradeIntent({
            kind: uint8(IGuardedVault.TradeKind.UniswapV2Router),
            target: address(router),
            tokenIn: address(tokenA),
            tokenOut: address(tokenB),
            data: "",
            amountIn: amountIn,
            minAmountOut: 0,
            deadline: block.timestamp + 60,
            nonce: 0
        });
    }

    function _sign(uint256 pk, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(pk, digest);
        return abi.encodePacked(r, s, v);
    }

    function _signIntent(IGuardedVault.TradeIntent memory t) internal view returns (bytes memory) {
        return _sign(enclavePk, vault.hashIntent(t));
    }

    function _tradeDirect(IGuardedVault.TradeIntent memory t) internal returns (uint256) {
        vm.prank(enclave);
        return vault.trade(t, MID);
    }
}
