// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IGuardedVault} from "./IGuardedVault.sol";
import {GuardedVaultGovernance} from "./GuardedVaultGovernance.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {IAttestationRegistry} from "../attestation/IAttestationRegistry.sol";
import {Allowance} from "./Allowance.sol";
import {TwapMath} from "./TwapMath.sol";
import {SafeTokenCalls} from "./SafeTokenCalls.sol";
import {DexSwaps} from "./DexSwaps.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {IUniswapV2PairOracle, IUniswapV3PoolSwap} from "./external/UniswapInterfaces.sol";

/// @title GuardedVault
/// @notice See IGuardedVault. Losses are capped on-chain whatever the enclave does: a key that
/// leaks from a broken TEE can only make allow-listed swaps, each within a per-trade cap and a
/// refilling allowance, at no worse than the TWAP reference minus the allowed slippage, and the
/// guardian can stop it at once.
///
/// Signatures and the EIP-712 domain are OpenZeppelin's (ECDSA: 65 bytes, low s per EIP-2, no
/// zero signer; EIP712: the domain separator cached and rebuilt after a chain split, ERC-5267's
/// `eip712Domain`). The reentrancy lock stays a transient slot of its own: OpenZeppelin 4.9's
/// ReentrancyGuard (the version pinned, the one Chainlink's package pins) spends two storage writes
/// on every trade, its transient guard needs 5.1.
contract GuardedVault is GuardedVaultGovernance {
    using SafeTokenCalls for address;

    IAttestationRegistry private immutable registry_;

    // ----------------------------------------------------------- construction

    /// @param owner__ the team: deposits, withdraws, governs through the timelock
    /// @param guardian_ may pause at once and cancel queued changes (zero = none)
    /// @param registry__ the AttestationRegistry consulted on every trade
    /// @param delay_ the timelock delay in seconds (≤ MAX_DELAY; 0 only makes sense on a devnet)
    constructor(address owner__, address guardian_, address registry__, uint256 delay_) EIP712("cvex GuardedVault", "1") {
        if (owner__ == address(0) || registry__ == address(0)) revert ZeroAddress();
        if (delay_ > MAX_DELAY) revert DelayTooLong(delay_, MAX_DELAY);
        registry_ = IAttestationRegistry(registry__);
        owner_ = owner__;
        guard_ = Guard({paused: false, maxSlippageBps: 50, minTwapWindow: 10 minutes, maxTwapWindow: 2 days, measurementHint: bytes20(0)});
        guardian = guardian_;
        delay = delay_;
        emit OwnerChanged(address(0), owner__);
        emit GuardianChanged(address(0), guardian_);
        emit DelayChanged(0, delay_);
        emit PriceGuardSet(50, 10 minutes, 2 days);
    }

    // ------------------------------------------------------------------ funds

    /// @inheritdoc IGuardedVault
    function deposit(address token, uint256 amount) external onlyOwner nonReentrant {
        token.safeTransferFrom(msg.sender, address(this), amount);
        emit Deposited(token, msg.sender, amount);
    }

    /// @inheritdoc IGuardedVault
    function withdraw(address token, uint256 amount) external onlyOwner nonReentrant {
        token.safeTransfer(msg.sender, amount);
        emit Withdrawn(token, msg.sender, amount);
    }

    // ---------------------------------------------------------------- trading

    /// @inheritdoc IGuardedVault
    function trade(TradeIntent calldata intent, bytes32 measurementId)
        external
        nonReentrant
        returns (uint256 amountOut)
    {
        Guard memory g = guard_;
        if (g.paused) revert Paused();
        if (block.timestamp > intent.deadline) revert IntentExpired(intent.deadline, block.timestamp);
        return _trade(g, msg.sender, intent, measurementId, bytes32(0));
    }

    /// @inheritdoc IGuardedVault
    function tradeWithIntent(TradeIntent calldata intent, bytes32 measurementId, bytes calldata signature)
        external
        nonReentrant
        returns (uint256 amountOut)
    {
        Guard memory g = guard_;
        if (g.paused) revert Paused();
        if (block.timestamp > intent.deadline) revert IntentExpired(intent.deadline, block.timestamp);
        bytes32 digest = _hashIntent(intent);
        address signer = _recover(digest, signature);
        _useNonce(signer, intent.nonce);
        return _trade(g, signer, intent, measurementId, digest);
    }

    /// @inheritdoc IGuardedVault
    function pokeOracle(address pair) external returns (bool recorded) {
        address t0 = IUniswapV2PairOracle(pair).token0();
        address t1 = IUniswapV2PairOracle(pair).token1();
        Oracle storage o = oracles_[t0][t1];
        if (o.pair != pair || pair == address(0)) revert OracleNotConfigured(t0, t1);
        uint32 now32 = uint32(block.timestamp);
        uint32 latestTs = o.latest == 0 ? o.ts0 : o.ts1;
        unchecked {
            if (now32 - latestTs < guard_.minTwapWindow) return false;
        }
        uint8 next = o.latest ^ 1;
        _observe(o, pair, next, now32);
        return true;
    }

    /// @inheritdoc IGuardedVault
    function uniswapV3SwapCallback(int256 amount0Delta, int256 amount1Delta, bytes calldata) external {
        if (msg.sender != v3Pool_) revert UnexpectedCallback(msg.sender); // zero outside a V3 pool trade: no caller matches
        v3Pool_ = address(0);
        // Exact input: the one positive delta is what the pool is owed, in the input token.
        uint256 owed = amount0Delta > 0 ? uint256(amount0Delta) : amount1Delta > 0 ? uint256(amount1Delta) : 0;
        if (owed > v3MaxIn_) revert SpentTooMuch(owed, v3MaxIn_);
        v3TokenIn_.safeTransfer(msg.sender, owed);
    }

    // ------------------------------------------------------------------ views

    function registry() external view returns (address) {
        return address(registry_);
    }

    /// @inheritdoc IGuardedVault
    function DOMAIN_SEPARATOR() public view returns (bytes32) {
        // Recomputed after a chain split so signatures never replay across chains (EIP-712 §"Rationale for domainSeparator").
        return _domainSeparatorV4();
    }

    /// @inheritdoc IGuardedVault
    function hashIntent(TradeIntent calldata intent) external view returns (bytes32) {
        return _hashIntent(intent);
    }

    /// @inheritdoc IGuardedVault
    function isNonceUsed(address signer, uint256 nonce) external view returns (bool) {
        return nonces_[signer][nonce >> 8] & (1 << (nonce & 0xff)) != 0;
    }

    /// @inheritdoc IGuardedVault
    function availableAllowance(address token) external view returns (uint256) {
        TokenState storage s = tokens_[token];
        (uint256 bal,) = _accrued(s, _slotA(s));
        return bal;
    }

    /// @inheritdoc IGuardedVault
    function minAmountOutFor(address tokenIn, address tokenOut, uint256 amountIn)
        external
        view
        returns (uint256 floor, uint256 referenceOut)
    {
        Guard memory g = guard_;
        (referenceOut,) = _referenceOut(g, tokenIn, tokenOut, amountIn);
        floor = TwapMath.minOutFloor(referenceOut, g.maxSlippageBps);
    }

    // -------------------------------------------------------------- internals

    function _trade(Guard memory g, address signer, TradeIntent calldata t, bytes32 measurementId, bytes32 intentHash)
        private
        returns (uint256 received)
    {
        // Who: an attested key for a measurement this vault trusts.
        bytes20 hint = g.measurementHint;
        if ((hint == bytes20(0) || hint != bytes20(measurementId)) && !measurements_[measurementId]) {
            revert MeasurementNotAllowed(measurementId);
        }
        if (!registry_.isAttestedFor(signer, measurementId)) revert NotAttested(signer, measurementId);

        // Where and what: allow-listed router of the declared kind, allow-listed tokens.
        if (t.kind == 0 || uint8(targets_[t.target]) != t.kind) revert TargetNotAllowed(t.target, t.kind);
        TokenState storage tin = tokens_[t.tokenIn];
        uint256 a = _slotA(tin);
        if (a & 0xff == 0) revert TokenNotAllowed(t.tokenIn);
        if (!tokens_[t.tokenOut].allowed) revert TokenNotAllowed(t.tokenOut);
        if (t.tokenIn == t.tokenOut) revert BadPath();

        // How much: per-trade cap, then the refilling allowance.
        uint256 amountIn = t.amountIn;
        if (amountIn == 0) revert ZeroAmount();
        if (amountIn > a >> 160) revert OverTradeCap(t.tokenIn, amountIn, a >> 160);
        _spendAllowance(tin, a, t.tokenIn, amountIn);

        // At what price: minAmountOut no worse than the TWAP reference less the allowed slippage.
        Market memory m;
        {
            uint256 referenceOut;
            (referenceOut, m) = _referenceOut(g, t.tokenIn, t.tokenOut, amountIn);
            uint256 floor = TwapMath.minOutFloor(referenceOut, g.maxSlippageBps);
            if (t.minAmountOut < floor) revert SlippageTooHigh(t.minAmountOut, floor, referenceOut);
        }

        received = _swapAndCheck(t, amountIn, m);
        emit Traded(signer, t.target, t.tokenIn, t.tokenOut, amountIn, received, intentHash);
    }

    /// @dev Swaps, then checks what actually moved (the venue is trusted for nothing). The pool
    /// kinds pay the input themselves (exactly amountIn to a V2 pair, at most amountIn in the V3
    /// callback), so only a router's spending needs the tokenIn balance check.
    function _swapAndCheck(TradeIntent calldata t, uint256 amountIn, Market memory m) private returns (uint256 received) {
        uint256 outBefore = t.tokenOut.balanceOf(address(this));
        uint8 kind = t.kind;
        if (kind == uint8(TradeKind.UniswapV2Pair)) {
            // Only the pair the vault prices this token pair by: its oracle is then its venue.
            if (t.target != m.pair) revert TargetNotAllowed(t.target, kind);
            DexSwaps.swapOnPair(t, amountIn, m.reserveIn, m.reserveOut);
        } else if (kind == uint8(TradeKind.UniswapV3Pool)) {
            _swapOnV3Pool(t, amountIn);
        } else {
            uint256 inBefore = t.tokenIn.balanceOf(address(this));
            bool v2 = kind == uint8(TradeKind.UniswapV2Router);
            DexSwaps.swapOnRouter(t, amountIn, v2 ? _v2Path(t) : new address[](0), v2);
            uint256 inAfter = t.tokenIn.balanceOf(address(this));
            uint256 spent = inBefore > inAfter ? inBefore - inAfter : 0;
            if (spent > amountIn) revert SpentTooMuch(spent, amountIn);
        }
        uint256 outAfter = t.tokenOut.balanceOf(address(this));
        received = outAfter > outBefore ? outAfter - outBefore : 0;
        if (received < t.minAmountOut) revert ReceivedTooLittle(received, t.minAmountOut);
    }

    /// @dev Swaps on a V3 pool directly, as SwapRouter.exactInputSingle does: the pool sends the
    /// output, then calls back uniswapV3SwapCallback, which pays only this pool, only once, at
    /// most amountIn of tokenIn.
    function _swapOnV3Pool(TradeIntent calldata t, uint256 amountIn) private {
        bool zeroForOne = t.tokenIn < t.tokenOut;
        uint160 limit;
        if (t.data.length != 0) {
            if (t.data.length != 32) revert BadPath();
            limit = abi.decode(t.data, (uint160));
        }
        if (limit == 0) limit = zeroForOne ? kMinSqrtRatioPlusOne : kMaxSqrtRatioMinusOne;
        (v3Pool_, v3TokenIn_, v3MaxIn_) = (t.target, t.tokenIn, uint96(amountIn)); // amountIn ≤ maxPerTrade
        IUniswapV3PoolSwap(t.target).swap(address(this), zeroForOne, int256(amountIn), limit, "");
        v3Pool_ = address(0); // already cleared by the callback, unless the pool never called back
    }

    /// @dev The V2 path: [tokenIn, tokenOut] when `data` is empty, else abi.decode(data, (address[]))
    /// with tokenIn first, tokenOut last and every hop an allow-listed token.
    function _v2Path(TradeIntent calldata t) private view returns (address[] memory path) {
        if (t.data.length == 0) {
            path = new address[](2);
            (path[0], path[1]) = (t.tokenIn, t.tokenOut);
            return path;
        }
        path = abi.decode(t.data, (address[]));
        uint256 n = path.length;
        if (n < 2 || path[0] != t.tokenIn || path[n - 1] != t.tokenOut) revert BadPath();
        for (uint256 i = 1; i + 1 < n; ++i) {
            if (!tokens_[path[i]].allowed) revert TokenNotAllowed(path[i]);
        }
    }

    /// @dev Slot A of a token, whole (layout as TokenState: allowed ‖ refillPeriod ‖ lastRefill ‖
    /// balance ‖ maxPerTrade from the low bits up).
    function _slotA(TokenState storage s) private view returns (uint256 a) {
        assembly {
            a := sload(s.slot)
        }
    }

    /// @dev The allowance after refilling up to now, and the start of its current period; reads
    /// slot B only if a whole period has passed.
    function _accrued(TokenState storage s, uint256 a) private view returns (uint256 bal, uint256 lastRefill) {
        uint256 period = (a >> 8) & 0xffffff;
        lastRefill = (a >> 32) & 0xffffffff;
        bal = (a >> 64) & type(uint96).max;
        if (period != 0 && block.timestamp >= lastRefill + period) {
            (uint128 b, uint64 ts) = Allowance.accrue(
                uint128(bal), uint64(lastRefill), s.refillAmount, s.maxBalance, uint64(period), uint64(block.timestamp)
            );
            (bal, lastRefill) = (b, ts);
        }
    }

    function _spendAllowance(TokenState storage s, uint256 a, address token, uint256 amount) private {
        (uint256 bal, uint256 lastRefill) = _accrued(s, a);
        if (amount > bal) revert OverEpochAllowance(token, amount, bal);
        // amount ≤ bal ≤ maxBalance < 2^96, lastRefill ≤ now < 2^32. One write of the whole slot:
        // the compiler would write it per field.
        uint256 keep = a & ~(uint256(type(uint128).max) << 32); // clears lastRefill and balance
        uint256 word = keep | (lastRefill << 32) | ((bal - amount) << 64);
        assembly {
            sstore(s.slot, word)
        }
    }

    /// @dev The oracle pair of a trade and its reserves (in the trade's direction) at this block.
    struct Market {
        address pair;
        uint256 reserveIn;
        uint256 reserveOut;
    }

    /// @dev amountIn × TWAP(tokenIn → tokenOut) over the window from the newest observation at
    /// least minTwapWindow old until now.
    function _referenceOut(Guard memory g, address tokenIn, address tokenOut, uint256 amountIn)
        private
        view
        returns (uint256, Market memory m)
    {
        bool zeroForOne = tokenIn < tokenOut;
        Oracle memory o = zeroForOne ? oracles_[tokenIn][tokenOut] : oracles_[tokenOut][tokenIn];
        if (o.pair == address(0)) revert OracleNotConfigured(tokenIn, tokenOut);
        uint32 now32 = uint32(block.timestamp);
        uint8 idx = o.latest;
        uint32 window;
        unchecked {
            window = now32 - (idx == 0 ? o.ts0 : o.ts1);
            if (window < g.minTwapWindow) {
                idx ^= 1;
                uint32 ts = idx == 0 ? o.ts0 : o.ts1;
                if (ts == 0) revert TwapWindowTooShort(o.pair, window, g.minTwapWindow);
                window = now32 - ts;
                if (window < g.minTwapWindow) revert TwapWindowTooShort(o.pair, window, g.minTwapWindow);
            }
        }
        if (window > g.maxTwapWindow) revert TwapStale(o.pair, window, g.maxTwapWindow);
        m.pair = o.pair;
        uint256 cumulative;
        (cumulative, m.reserveIn, m.reserveOut) = TwapMath.currentCumulative(o.pair, zeroForOne);
        uint256 price = TwapMath.averagePrice(observations_[o.pair][idx][zeroForOne ? 0 : 1], cumulative, window);
        return (TwapMath.quote(amountIn, price), m);
    }

    function _useNonce(address signer, uint256 nonce) private {
        mapping(uint256 => uint256) storage words = nonces_[signer];
        uint256 bit = 1 << (nonce & 0xff);
        uint256 word = words[nonce >> 8];
        if (word & bit != 0) revert IntentReplayed(signer, nonce);
        words[nonce >> 8] = word | bit;
    }

    function _hashIntent(TradeIntent calldata t) private view returns (bytes32) {
        bytes32 structHash = keccak256(
            abi.encode(
                TRADE_INTENT_TYPEHASH,
                t.kind,
                t.target,
                t.tokenIn,
                t.tokenOut,
                keccak256(t.data),
                t.amountIn,
                t.minAmountOut,
                t.deadline,
                t.nonce
            )
        );
        return _hashTypedDataV4(structHash);
    }

    /// @dev 65-byte r‖s‖v; OpenZeppelin's ECDSA rejects high s (EIP-2), a v that recovers nothing
    /// and the zero address: each is one BadSignature here.
    function _recover(bytes32 digest, bytes calldata sig) private pure returns (address signer) {
        ECDSA.RecoverError err;
        (signer, err) = ECDSA.tryRecover(digest, sig);
        if (err != ECDSA.RecoverError.NoError) revert BadSignature();
    }
}
