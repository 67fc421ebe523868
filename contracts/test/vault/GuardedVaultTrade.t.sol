// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {VaultFixture} from "./VaultFixture.sol";
import {GuardedVault} from "../../src/vault/GuardedVault.sol";
import {IGuardedVault} from "../../src/vault/IGuardedVault.sol";
import {BadRouter} from "./Mocks.sol";

/// @dev Each check a trade must pass, one behaviour per test, against a real Uniswap V2.
contract GuardedVaultTradeTest is VaultFixture {
    // ------------------------------------------------------------ happy paths

    function test_DirectTradeFromAttestedKeySwapsAndDebitsAllowance() public {
        IGuardedVault.TradeIntent memory t = _intentAB(5e18);
        uint256 bBefore = tokenB.balanceOf(address(vault));
        uint256 out = _tradeDirect(t);
        assertGe(out, t.minAmountOut, "out >= minOut");
        assertEq(tokenA.balanceOf(address(vault)), 95e18, "A spent");
        assertEq(tokenB.balanceOf(address(vault)), bBefore + out, "B received");
        assertEq(vault.availableAllowance(address(tokenA)), MAX_ALLOWANCE - 5e18, "allowance debited");
        assertEq(tokenA.allowance(address(vault), address(router)), 0, "approval consumed");
    }

    function test_TradeEmitsTraded() public {
        IGuardedVault.TradeIntent memory t = _intentAB(1e18);
        address[] memory path = new address[](2);
        (path[0], path[1]) = (address(tokenA), address(tokenB));
        uint256 expectedOut = router.getAmountsOut(1e18, path)[1];
        vm.expectEmit(true, true, true, true, address(vault));
        emit IGuardedVault.Traded(enclave, address(router), address(tokenA), address(tokenB), 1e18, expectedOut, bytes32(0));
        _tradeDirect(t);
    }

    function test_IntentSignedByAttestedKeyIsRelayableByAnyone() public {
        IGuardedVault.TradeIntent memory t = _intentAB(2e18);
        t.nonce = 7;
        bytes memory sig = _signIntent(t);
        bytes32 digest = vault.hashIntent(t);
        vm.prank(STRANGER);
        vm.expectEmit(true, true, true, false, address(vault));
        emit IGuardedVault.Traded(enclave, address(router), address(tokenA), address(tokenB), 2e18, 0, digest);
        vault.tradeWithIntent(t, MID, sig);
        assertTrue(vault.isNonceUsed(enclave, 7), "nonce consumed");
        assertFalse(vault.isNonceUsed(enclave, 6), "other nonces untouched");
    }

    function test_ExplicitV2PathThroughAllowedTokens() public {
        IGuardedVault.TradeIntent memory t = _intentAB(1e18);
        address[] memory path = new address[](2);
        (path[0], path[1]) = (address(tokenA), address(tokenB));
        t.data = abi.encode(path);
        _tradeDirect(t);
        assertEq(tokenA.balanceOf(address(vault)), 99e18, "A spent");
    }

    function test_V3KindCallsExactInputSingleWithVaultAsRecipient() public {
        IGuardedVault.TradeIntent memory t = _intentAB(3e18);
        t.kind = uint8(IGuardedVault.TradeKind.UniswapV3Router);
        t.target = address(v3router);
        t.data = abi.encode(uint24(3000), uint160(0));
        uint256 out = _tradeDirect(t);
        assertEq(out, 6e18, "mock pays 2 B per A");
        (address tin, address tout, uint24 fee, address recipient,, uint256 amountIn, uint256 minOut,) = v3router.last();
        assertEq(tin, address(tokenA), "tokenIn");
        assertEq(tout, address(tokenB), "tokenOut");
        assertEq(uint256(fee), 3000, "fee");
        assertEq(recipient, address(vault), "recipient");
        assertEq(amountIn, 3e18, "amountIn");
        assertEq(minOut, t.minAmountOut, "amountOutMinimum");
        assertEq(tokenA.allowance(address(vault), address(v3router)), 0, "approval consumed");
    }

    function test_PairKindSwapsOnTheOraclePairWithoutApproval() public {
        IGuardedVault.TradeIntent memory t = _intentAB(4e18);
        t.kind = uint8(IGuardedVault.TradeKind.UniswapV2Pair);
        t.target = address(pair);
        address[] memory path = new address[](2);
        (path[0], path[1]) = (address(tokenA), address(tokenB));
        uint256 routerQuote = router.getAmountsOut(4e18, path)[1];
        uint256 out = _tradeDirect(t);
        assertEq(out, routerQuote, "same output as the router");
        assertEq(tokenA.balanceOf(address(vault)), 96e18, "A spent");
        assertEq(tokenA.allowance(address(vault), address(pair)), 0, "no approval given");
    }

    function test_PairKindOnAnotherPairRejected() public {
        address other = factory.createPair(address(tokenA), address(tokenC));
        _govern(abi.encodeCall(IGuardedVault.setTarget, (other, IGuardedVault.TradeKind.UniswapV2Pair)));
        vault.pokeOracle(address(pair));
        vm.warp(block.timestamp + MIN_WINDOW);
        IGuardedVault.TradeIntent memory t = _intentAB(1e18);
        t.kind = uint8(IGuardedVault.TradeKind.UniswapV2Pair);
        t.target = other;
        vm.prank(enclave);
        vm.expectRevert(abi.encodeWithSelector(IGuardedVault.TargetNotAllowed.selector, other, t.kind));
        vault.trade(t, MID);
    }

    function test_PairKindBelowMinOutRejectedBeforePaying() public {
        IGuardedVault.TradeIntent memory t = _intentAB(1e18);
        t.kind = uint8(IGuardedVault.TradeKind.UniswapV2Pair);
        t.target = address(pair);
        t.minAmountOut = 2e18; // above what the pool gives (fee + impact)
        vm.prank(enclave);
        vm.expectRevert();
        vault.trade(t, MID);
        assertEq(tokenA.balanceOf(address(vault)), 100e18, "nothing spent");
    }

    // ------------------------------------------------------------------ pause

    function test_PausedRejectsDirectTrade() public {
        vm.prank(GUARDIAN);
        vault.pause();
        IGuardedVault.TradeIntent memory t = _intentAB(1e18);
        vm.prank(enclave);
        vm.expectRevert(IGuardedVault.Paused.selector);
        vault.trade(t, MID);
    }

    function test_PausedRejectsIntent() public {
        IGuardedVault.TradeIntent memory t = _intentAB(1e18);
        bytes memory sig = _signIntent(t);
        vm.prank(GUARDIAN);
        vault.pause();
        vm.expectRevert(IGuardedVault.Paused.selector);
        vault.tradeWithIntent(t, MID, sig);
    }

    function test_OwnerUnpausesAndTradingResumes() public {
        vm.prank(GUARDIAN);
        vault.pause();
        vm.prank(OWNER);
        vault.unpause();
        _tradeDirect(_intentAB(1e18));
        assertFalse(vault.paused(), "unpaused");
    }

    function test_StrangerCannotPause() public {
        vm.prank(STRANGER);
        vm.expectRevert(abi.encodeWithSelector(IGuardedVault.NotGuardian.selector, STRANGER));
        vault.pause();
    }

    function test_GuardianCannotUnpause() public {
        vm.prank(GUARDIAN);
        vault.pause();
        vm.prank(GUARDIAN);
        vm.expectRevert(abi.encodeWithSelector(IGuardedVault.NotOwner.selector, GUARDIAN));
        vault.unpause();
    }

    // --------------------------------------------------------------- intents

    function test_ExpiredIntentRejected() public {
        IGuardedVault.TradeIntent memory t = _intentAB(1e18);
        bytes memory sig = _signIntent(t);
        vm.warp(t.deadline + 1);
        vm.expectRevert(abi.encodeWithSelector(IGuardedVault.IntentExpired.selector, t.deadline, t.deadline + 1));
        vault.tradeWithIntent(t, MID, sig);
    }

    function test_ExpiredDirectTradeRejected() public {
        IGuardedVault.TradeIntent memory t = _intentAB(1e18);
        t.deadline = block.timestamp - 1;
        vm.prank(enclave);
        vm.expectRevert(abi.encodeWithSelector(IGuardedVault.IntentExpired.selector, t.deadline, block.timestamp));
        vault.trade(t, MID);
    }

    function test_ReplayedIntentRejected() public {
        IGuardedVault.TradeIntent memory t = _intentAB(1e18);
        bytes memory sig = _signIntent(t);
        vault.tradeWithIntent(t, MID, sig);
        vm.expectRevert(abi.encodeWithSelector(IGuardedVault.IntentReplayed.selector, enclave, t.nonce));
        vault.tradeWithIntent(t, MID, sig);
    }

    function test_SameNonceInDifferentIntentRejected() public {
        IGuardedVault.TradeIntent memory t = _intentAB(1e18);
        vault.tradeWithIntent(t, MID, _signIntent(t));
        t.amountIn = 2e18;
        (t.minAmountOut,) = vault.minAmountOutFor(address(tokenA), address(tokenB), 2e18);
        bytes memory sig = _signIntent(t);
        vm.expectRevert(abi.encodeWithSelector(IGuardedVault.IntentReplayed.selector, enclave, t.nonce));
        vault.tradeWithIntent(t, MID, sig);
    }

    function test_WrongChainSignatureRejected() public {
        IGuardedVault.TradeIntent memory t = _intentAB(1e18);
        bytes memory sig = _signIntent(t); // for this chain
        bytes32 separatorHere = vault.DOMAIN_SEPARATOR();
        vm.chainId(block.chainid + 1); // e.g. the other side of a fork
        assertTrue(vault.DOMAIN_SEPARATOR() != separatorHere, "separator recomputed for the new chain id");
        // The signature now recovers to some other address, which is not attested.
        vm.expectRevert();
        vault.tradeWithIntent(t, MID, sig);
    }

    function test_DomainSeparatorMatchesEip712() public view {
        bytes32 expected = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("cvex GuardedVault"),
                keccak256("1"),
                block.chainid,
                address(vault)
            )
        );
        assertEq(vault.DOMAIN_SEPARATOR(), expected, "domain separator");
    }

    function test_TamperedIntentRecoversOtherSignerAndIsRejected() public {
        IGuardedVault.TradeIntent memory t = _intentAB(1e18);
        bytes memory sig = _signIntent(t);
        t.minAmountOut -= 1; // relayer tries to loosen it
        address other = _recover(vault.hashIntent(t), sig);
        vm.expectRevert(abi.encodeWithSelector(IGuardedVault.NotAttested.selector, other, MID));
        vault.tradeWithIntent(t, MID, sig);
    }

    function test_SignatureOfWrongLengthRejected() public {
        IGuardedVault.TradeIntent memory t = _intentAB(1e18);
        bytes memory sig = _signIntent(t);
        vm.expectRevert(IGuardedVault.BadSignature.selector);
        vault.tradeWithIntent(t, MID, abi.encodePacked(sig, uint8(0)));
    }

    function test_HighSSignatureRejected() public {
        IGuardedVault.TradeIntent memory t = _intentAB(1e18);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(enclavePk, vault.hashIntent(t));
        uint256 n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141;
        bytes memory malleable = abi.encodePacked(r, bytes32(n - uint256(s)), v == 27 ? uint8(28) : uint8(27));
        vm.expectRevert(IGuardedVault.BadSignature.selector);
        vault.tradeWithIntent(t, MID, malleable);
    }

    function test_BadVRejected() public {
        IGuardedVault.TradeIntent memory t = _intentAB(1e18);
        (, bytes32 r, bytes32 s) = vm.sign(enclavePk, vault.hashIntent(t));
        vm.expectRevert(IGuardedVault.BadSignature.selector);
        vault.tradeWithIntent(t, MID, abi.encodePacked(r, s, uint8(29)));
    }

    // ------------------------------------------------------------ attestation

    function test_UnattestedSenderRejected() public {
        IGuardedVault.TradeIntent memory t = _intentAB(1e18);
        vm.prank(STRANGER);
        vm.expectRevert(abi.encodeWithSelector(IGuardedVault.NotAttested.selector, STRANGER, MID));
        vault.trade(t, MID);
    }

    function test_IntentFromUnattestedKeyRejected() public {
        IGuardedVault.TradeIntent memory t = _intentAB(1e18);
        uint256 otherPk = 0xBAD;
        bytes memory sig = _sign(otherPk, vault.hashIntent(t));
        vm.expectRevert(abi.encodeWithSelector(IGuardedVault.NotAttested.selector, vm.addr(otherPk), MID));
        vault.tradeWithIntent(t, MID, sig);
    }

    function test_MeasurementNotAllowedRejected() public {
        bytes32 other = keccak256("other measurement");
        registry.set(enclave, other); // attested, but for a measurement this vault does not trust
        IGuardedVault.TradeIntent memory t = _intentAB(1e18);
        vm.prank(enclave);
        vm.expectRevert(abi.encodeWithSelector(IGuardedVault.MeasurementNotAllowed.selector, other));
        vault.trade(t, other);
    }

    function test_AllowedMeasurementButKeyAttestedForAnotherRejected() public {
        registry.set(enclave, keccak256("other measurement"));
        IGuardedVault.TradeIntent memory t = _intentAB(1e18);
        vm.prank(enclave);
        vm.expectRevert(abi.encodeWithSelector(IGuardedVault.NotAttested.selector, enclave, MID));
        vault.trade(t, MID);
    }

    // ------------------------------------------------------ target and tokens

    function test_TargetNotAllowListedRejected() public {
        IGuardedVault.TradeIntent memory t = _intentAB(1e18);
        t.target = address(0xDEAD);
        vm.prank(enclave);
        vm.expectRevert(abi.encodeWithSelector(IGuardedVault.TargetNotAllowed.selector, address(0xDEAD), t.kind));
        vault.trade(t, MID);
    }

    function test_TargetOfOtherKindRejected() public {
        IGuardedVault.TradeIntent memory t = _intentAB(1e18);
        t.kind = uint8(IGuardedVault.TradeKind.UniswapV3Router); // the V2 router is not a V3 router
        vm.prank(enclave);
        vm.expectRevert(abi.encodeWithSelector(IGuardedVault.TargetNotAllowed.selector, address(router), t.kind));
        vault.trade(t, MID);
    }

    function test_TokenOutNotAllowListedRejected() public {
        IGuardedVault.TradeIntent memory t = _intentAB(1e18);
        t.tokenOut = address(tokenC);
        vm.prank(enclave);
        vm.expectRevert(abi.encodeWithSelector(IGuardedVault.TokenNotAllowed.selector, address(tokenC)));
        vault.trade(t, MID);
    }

    function test_TokenInNotAllowListedRejected() public {
        IGuardedVault.TradeIntent memory t = _intentAB(1e18);
        t.tokenIn = address(tokenC);
        vm.prank(enclave);
        vm.expectRevert(abi.encodeWithSelector(IGuardedVault.TokenNotAllowed.selector, address(tokenC)));
        vault.trade(t, MID);
    }

    function test_PathHopThroughUnlistedTokenRejected() public {
        IGuardedVault.TradeIntent memory t = _intentAB(1e18);
        address[] memory path = new address[](3);
        (path[0], path[1], path[2]) = (address(tokenA), address(tokenC), address(tokenB));
        t.data = abi.encode(path);
        vm.prank(enclave);
        vm.expectRevert(abi.encodeWithSelector(IGuardedVault.TokenNotAllowed.selector, address(tokenC)));
        vault.trade(t, MID);
    }

    function test_PathNotEndingInTokenOutRejected() public {
        IGuardedVault.TradeIntent memory t = _intentAB(1e18);
        address[] memory path = new address[](2);
        (path[0], path[1]) = (address(tokenA), address(tokenA));
        t.data = abi.encode(path);
        vm.prank(enclave);
        vm.expectRevert(IGuardedVault.BadPath.selector);
        vault.trade(t, MID);
    }

    // ----------------------------------------------------------------- limits

    function test_OverTradeCapRejected() public {
        IGuardedVault.TradeIntent memory t = _intentAB(CAP + 1);
        vm.prank(enclave);
        vm.expectRevert(abi.encodeWithSelector(IGuardedVault.OverTradeCap.selector, address(tokenA), CAP + 1, CAP));
        vault.trade(t, MID);
    }

    function test_TradeAtCapAccepted() public {
        _tradeDirect(_intentAB(CAP));
        assertEq(tokenA.balanceOf(address(vault)), 100e18 - CAP, "cap is inclusive");
    }

    function test_ZeroAmountRejected() public {
        IGuardedVault.TradeIntent memory t = _intentAB(1);
        t.amountIn = 0;
        vm.prank(enclave);
        vm.expectRevert(IGuardedVault.ZeroAmount.selector);
        vault.trade(t, MID);
    }

    function test_RunOfTradesOverEpochAllowanceRejected() public {
        _tradeDirect(_intentAB(CAP));
        _tradeDirect(_intentAB(CAP));
        _tradeDirect(_intentAB(CAP)); // 30 = MAX_ALLOWANCE spent
        IGuardedVault.TradeIntent memory t = _intentAB(1);
        vm.prank(enclave);
        vm.expectRevert(abi.encodeWithSelector(IGuardedVault.OverEpochAllowance.selector, address(tokenA), 1, 0));
        vault.trade(t, MID);
    }

    function test_AllowanceRefillsPerPeriodUpToMax() public {
        _tradeDirect(_intentAB(CAP));
        _tradeDirect(_intentAB(CAP));
        _tradeDirect(_intentAB(CAP));
        vm.warp(CONFIGURED_AT + PERIOD - 1); // periods count from when the limits were set
        assertEq(vault.availableAllowance(address(tokenA)), 0, "no refill before a whole period");
        vm.warp(block.timestamp + 1);
        assertEq(vault.availableAllowance(address(tokenA)), REFILL, "one refill");
        vm.warp(block.timestamp + 5 * PERIOD);
        assertEq(vault.availableAllowance(address(tokenA)), MAX_ALLOWANCE, "capped at max");
    }

    function test_AllowanceIsPerToken() public {
        _tradeDirect(_intentAB(CAP));
        assertEq(vault.availableAllowance(address(tokenB)), MAX_ALLOWANCE, "selling A leaves B's allowance");
    }

    // ----------------------------------------------------------------- price

    function test_MinOutBelowTwapFloorRejected() public {
        IGuardedVault.TradeIntent memory t = _intentAB(1e18);
        (uint256 floor, uint256 ref) = vault.minAmountOutFor(address(tokenA), address(tokenB), 1e18);
        t.minAmountOut = floor - 1;
        vm.prank(enclave);
        vm.expectRevert(abi.encodeWithSelector(IGuardedVault.SlippageTooHigh.selector, floor - 1, floor, ref));
        vault.trade(t, MID);
    }

    function test_ReferenceIsTheTwapPrice() public view {
        (uint256 floor, uint256 ref) = vault.minAmountOutFor(address(tokenA), address(tokenB), 1e18);
        // Reserves never moved: TWAP = spot = 2 B per A (UQ112x112 truncation loses < 1e-15).
        assertLe(2e18 - ref, 1e3, "reference ~ 2 B");
        assertEq(floor, (ref * 9900 + 9999) / 10_000, "floor = ceil(ref x 0.99)");
        (, uint256 refBA) = vault.minAmountOutFor(address(tokenB), address(tokenA), 2e18);
        assertLe(1e18 - refBA, 1e3, "inverse direction");
    }

    function test_SpotManipulationDoesNotMoveReference() public {
        (, uint256 refBefore) = vault.minAmountOutFor(address(tokenA), address(tokenB), 1e18);
        // A whale dumps A into the pool in this block: spot B-per-A falls by ~1/3.
        tokenA.mint(address(this), 50_000e18);
        tokenA.approve(address(router), type(uint256).max);
        address[] memory path = new address[](2);
        (path[0], path[1]) = (address(tokenA), address(tokenB));
        router.swapExactTokensForTokens(50_000e18, 0, path, address(this), block.timestamp);
        (, uint256 refAfter) = vault.minAmountOutFor(address(tokenA), address(tokenB), 1e18);
        assertEq(refAfter, refBefore, "same-block spot move has zero TWAP weight");
        // So the vault still demands the pre-manipulation floor and the router cannot meet it.
        IGuardedVault.TradeIntent memory t = _intentAB(1e18);
        vm.prank(enclave);
        vm.expectRevert(bytes("UniswapV2Router: INSUFFICIENT_OUTPUT_AMOUNT"));
        vault.trade(t, MID);
    }

    function test_TwapWindowTooShortAfterOracleSet() public {
        _govern(abi.encodeCall(IGuardedVault.setOracle, (address(pair))));
        IGuardedVault.TradeIntent memory t = _rawIntentAB(1);
        vm.prank(enclave);
        vm.expectRevert(abi.encodeWithSelector(IGuardedVault.TwapWindowTooShort.selector, address(pair), 0, MIN_WINDOW));
        vault.trade(t, MID);
    }

    function test_StaleObservationRejectedUntilPoked() public {
        vm.warp(CONFIGURED_AT + MAX_WINDOW + 1);
        IGuardedVault.TradeIntent memory t = _rawIntentAB(1);
        vm.prank(enclave);
        vm.expectRevert(abi.encodeWithSelector(IGuardedVault.TwapStale.selector, address(pair), MAX_WINDOW + 1, MAX_WINDOW));
        vault.trade(t, MID);
        assertTrue(vault.pokeOracle(address(pair)), "poke recorded");
        vm.warp(block.timestamp + MIN_WINDOW);
        _tradeDirect(_intentAB(1e18));
    }

    function test_PokeIsRateLimitedSoItCannotStarveTrades() public {
        assertTrue(vault.pokeOracle(address(pair)), "first poke after the window records");
        assertFalse(vault.pokeOracle(address(pair)), "a poke within the window is ignored");
        // The previous observation (≥ MIN_WINDOW old) still prices trades right after a poke.
        _tradeDirect(_intentAB(1e18));
    }

    function test_NoOracleForPairRejected() public {
        IGuardedVault.TradeIntent memory t = _intentAB(1);
        t.tokenOut = address(tokenC);
        _govern(abi.encodeCall(IGuardedVault.setTokenLimits, (address(tokenC), _limits())));
        t.deadline = block.timestamp + 60;
        vm.prank(enclave);
        vm.expectRevert(
            abi.encodeWithSelector(IGuardedVault.OracleNotConfigured.selector, address(tokenA), address(tokenC))
        );
        vault.trade(t, MID);
    }

    // ------------------------------------------------------ after execution

    function test_RouterPayingLessThanMinOutRejected() public {
        BadRouter bad = new BadRouter();
        _govern(abi.encodeCall(IGuardedVault.setTarget, (address(bad), IGuardedVault.TradeKind.UniswapV2Router)));
        vault.pokeOracle(address(pair));
        vm.warp(block.timestamp + MIN_WINDOW);
        tokenB.mint(address(bad), 100e18);
        bad.configure(10_000, 9_000); // takes everything, pays 90% of minOut
        IGuardedVault.TradeIntent memory t = _intentAB(1e18);
        t.target = address(bad);
        vm.prank(enclave);
        vm.expectRevert(
            abi.encodeWithSelector(IGuardedVault.ReceivedTooLittle.selector, t.minAmountOut * 9 / 10, t.minAmountOut)
        );
        vault.trade(t, MID);
    }

    function test_LeftoverApprovalIsReset() public {
        BadRouter bad = new BadRouter();
        _govern(abi.encodeCall(IGuardedVault.setTarget, (address(bad), IGuardedVault.TradeKind.UniswapV2Router)));
        vault.pokeOracle(address(pair));
        vm.warp(block.timestamp + MIN_WINDOW);
        tokenB.mint(address(bad), 100e18);
        bad.configure(5_000, 10_000); // takes half, pays minOut in full
        IGuardedVault.TradeIntent memory t = _intentAB(1e18);
        t.target = address(bad);
        _tradeDirect(t);
        assertEq(tokenA.allowance(address(vault), address(bad)), 0, "approval reset");
        assertEq(tokenA.balanceOf(address(vault)), 100e18 - 0.5e18, "spent half");
    }

    // ---------------------------------------------------------------- helpers

    function _recover(bytes32 digest, bytes memory sig) internal pure returns (address) {
        bytes32 r;
        bytes32 s;
        uint8 v;
        assembly {
            r := mload(add(sig, 32))
            s := mload(add(sig, 64))
            v := byte(0, mload(add(sig, 96)))
        }
        return ecrecover(digest, v, r, s);
    }
}
