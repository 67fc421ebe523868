// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {VaultFixture} from "./VaultFixture.sol";
import {IGuardedVault} from "../../src/vault/IGuardedVault.sol";
import {Vm} from "../utils/Vm.sol";

/// @dev The vault's overhead over the bare swap on the real Uniswap V2 Router02 (issue 7 §5:
/// ≤ 40k gas per trade). Each figure is measured in its own test so every account and slot starts
/// cold, as in a fresh transaction; the intent and its signature are prepared in setUp for the
/// same reason. Run with -vv to see the figures. The pair kind meets the 40k target (28,800 here
/// with the mock registry; integration.vault measures real transactions with the real one); the
/// router kind and intents are held to regression ceilings. An intent's first nonce in a bitmap
/// word pays a 0 → non-zero write (20k); the next 255 nonces of that word do not.
///
/// Gas is the callee-side execution gas (vm.lastCallGas), without the 21k intrinsic cost or
/// calldata, which a real transaction adds to both sides alike (calldata is larger for the vault).
/// "net" subtracts the SSTORE refunds the transaction would get (EIP-3529; the cap of gasUsed/5
/// is far above them here): the vault's approve(amountIn) is a 0 → x → 0 write that is mostly
/// refunded, while the bare swap uses a standing approval.
contract GuardedVaultGasTest is VaultFixture {
    uint256 internal constant AMOUNT = 1e18;
    uint256 internal constant MAX_OVERHEAD = 40_000; // issue 7 §5
    /// The bare swap, measured by test_Gas_BareV2Swap (which fails if it drifts by > 500).
    uint256 internal constant BARE_GAS = 67_293;
    uint256 internal constant BARE_REFUND = 2_800;
    /// Regression ceilings for the paths that do not meet the target (see the report).
    uint256 internal constant ROUTER_DIRECT_CEILING = 52_000;
    uint256 internal constant ROUTER_INTENT_CEILING = 80_500;
    uint256 internal constant PAIR_INTENT_CEILING = 59_000;

    IGuardedVault.TradeIntent internal intent;
    bytes internal signature;
    address[] internal path;

    function setUp() public override {
        super.setUp();
        // The pair's price cumulatives become non-zero on its first update after time passed;
        // do that here so neither side pays the one-off 0 → non-zero writes.
        pair.sync();
        intent = _intentAB(AMOUNT);
        intent.nonce = 1;
        signature = _signIntent(intent);
        path.push(address(tokenA));
        path.push(address(tokenB));
        // The "bare" trader: holds A, router approved once for good (the cheapest case for it).
        tokenA.mint(address(this), 10e18);
        tokenA.approve(address(router), type(uint256).max);
        tokenB.mint(address(this), 1); // its tokenOut balance slot is non-zero, like the vault's
    }

    function test_Gas_BareV2Swap() public {
        Vm.Gas memory g = _bareSwap();
        _log("bare V2 swapExactTokensForTokens: gas", g.gasTotalUsed);
        _log("bare V2 swapExactTokensForTokens: refund", uint256(int256(g.gasRefunded)));
        assertLe(g.gasTotalUsed > BARE_GAS ? g.gasTotalUsed - BARE_GAS : BARE_GAS - g.gasTotalUsed, 500, "bare drift");
        assertEq(uint256(int256(g.gasRefunded)), BARE_REFUND, "bare refund");
    }

    function test_Gas_VaultDirectTradeOverhead() public {
        vm.prank(enclave);
        vault.trade(intent, MID);
        Vm.Gas memory v = vm.lastCallGas();
        _report("vault.trade (direct, V2 router kind)", v, ROUTER_DIRECT_CEILING);
    }

    function test_Gas_VaultPairKindTradeOverhead() public {
        intent.kind = uint8(IGuardedVault.TradeKind.UniswapV2Pair);
        intent.target = address(pair);
        vm.prank(enclave);
        vault.trade(intent, MID);
        Vm.Gas memory v = vm.lastCallGas();
        _report("vault.trade (direct, V2 pair kind)", v, MAX_OVERHEAD);
    }

    function test_Gas_VaultPairKindIntentTradeOverhead() public {
        intent.kind = uint8(IGuardedVault.TradeKind.UniswapV2Pair);
        intent.target = address(pair);
        signature = _signIntent(intent);
        vm.prank(STRANGER);
        vault.tradeWithIntent(intent, MID, signature);
        Vm.Gas memory v = vm.lastCallGas();
        _report("vault.tradeWithIntent (relayed, V2 pair kind, first nonce in its word)", v, PAIR_INTENT_CEILING);
    }

    function test_Gas_VaultIntentTradeOverhead() public {
        vm.prank(STRANGER);
        vault.tradeWithIntent(intent, MID, signature);
        Vm.Gas memory v = vm.lastCallGas();
        _report("vault.tradeWithIntent (relayed, V2 router kind, first nonce in its word)", v, ROUTER_INTENT_CEILING);
    }

    function _bareSwap() internal returns (Vm.Gas memory) {
        router.swapExactTokensForTokens(AMOUNT, 0, path, address(this), block.timestamp + 60);
        return vm.lastCallGas();
    }

    /// Logs the vault's figures against the bare swap measured in its own fresh transaction
    /// (test_Gas_BareV2Swap pins it: vm.cool inside one test proved not to restore full coldness),
    /// and fails if the net overhead exceeds `limit`.
    function _report(string memory what, Vm.Gas memory v, uint256 limit) internal view {
        uint256 vaultNet = v.gasTotalUsed - uint256(int256(v.gasRefunded));
        _log(string.concat(what, ": gas"), v.gasTotalUsed);
        _log(string.concat(what, ": refund"), uint256(int256(v.gasRefunded)));
        _log(string.concat(what, ": overhead before refunds"), v.gasTotalUsed - BARE_GAS);
        _log(string.concat(what, ": overhead net of refunds"), vaultNet - (BARE_GAS - BARE_REFUND));
        assertLe(vaultNet - (BARE_GAS - BARE_REFUND), limit, "vault overhead (net)");
    }

    function _log(string memory what, uint256 value) internal view {
        address console = address(0x000000000000000000636F6e736F6c652e6c6f67);
        (bool ok,) = console.staticcall(abi.encodeWithSignature("log(string,uint256)", what, value));
        ok;
    }
}
