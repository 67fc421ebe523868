// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IGuardedVault} from "./IGuardedVault.sol";
import {TwapMath} from "./TwapMath.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";

/// @title GuardedVaultStorage
/// @notice GuardedVault's constants, records, state and access modifiers, shared by its
/// governance (GuardedVaultGovernance) and its trading (GuardedVault): one layout, in which a
/// trade reads its guard and both tokens' limits from as few slots as possible.
abstract contract GuardedVaultStorage is IGuardedVault, EIP712 {
    // -------------------------------------------------------------- constants

    /// @notice How long a queued change stays executable after its eta (as Compound's Timelock).
    uint256 public constant GRACE_PERIOD = 14 days;
    uint256 public constant MAX_DELAY = 30 days;
    /// @notice Slippage can be set up to 10% (in basis points).
    uint256 public constant MAX_SLIPPAGE_BPS = 1_000;

    /// @dev EIP-712 §"Definition of typed structured data": member order as in TradeIntent.
    bytes32 public constant TRADE_INTENT_TYPEHASH = keccak256(
        "TradeIntent(uint8 kind,address target,address tokenIn,address tokenOut,bytes data,uint256 amountIn,uint256 minAmountOut,uint256 deadline,uint256 nonce)"
    );
    /// @dev v3-core TickMath.MIN_SQRT_RATIO + 1 and MAX_SQRT_RATIO - 1: "no price limit".
    uint160 internal constant kMinSqrtRatioPlusOne = 4295128740;
    uint160 internal constant kMaxSqrtRatioMinusOne = 1461446703485210103287273052203988822378723970341;

    // ------------------------------------------------------------------ state

    /// @dev Everything a trade reads from the vault's own config in one slot. `measurementHint`
    /// is the first 20 bytes of the measurement allowed last (zero if it was disallowed since):
    /// a trade under that measurement skips the cold read of `measurements_`. Another id passing
    /// for it would need a 160-bit keccak second preimage, and be attested in the registry too.
    struct Guard {
        bool paused;
        uint16 maxSlippageBps;
        uint32 minTwapWindow;
        uint32 maxTwapWindow;
        bytes20 measurementHint;
    }

    /// @dev Slot A holds all a trade needs of both its tokens, and is the only slot it writes;
    /// slot B (the refill rule) is read only once a whole refill period has passed. Hence the
    /// narrower period (uint24: up to 194 days) and timestamp (uint32: until 2106).
    struct TokenState {
        bool allowed; // A
        uint24 refillPeriod; // A
        uint32 lastRefill; // A: start of the current refill period
        uint96 balance; // A: the allowance left
        uint96 maxPerTrade; // A
        uint96 refillAmount; // B
        uint96 maxBalance; // B
    }

    /// @dev Two observations, alternately overwritten, so one at least `minTwapWindow` old
    /// always exists once the oracle has run that long (pokes cannot starve trades).
    struct Oracle {
        address pair;
        uint32 ts0;
        uint32 ts1;
        uint8 latest;
    }


    Guard internal guard_;
    address internal owner_;
    address public guardian;
    uint256 public delay;

    mapping(bytes32 id => uint256 eta) internal queued_;
    mapping(bytes32 measurementId => bool) internal measurements_;
    mapping(address target => TradeKind) internal targets_;
    mapping(address token => TokenState) internal tokens_;
    mapping(address token0 => mapping(address token1 => Oracle)) internal oracles_;
    /// @dev pair → observation index → [price0Cumulative, price1Cumulative].
    mapping(address pair => uint256[2][2]) internal observations_;
    /// @dev signer → word → bitmap of used nonces (as Permit2's unordered nonces).
    mapping(address signer => mapping(uint256 word => uint256 bits)) internal nonces_;

    bool internal transient locked_;
    /// @dev The UniswapV3Pool trade in progress: the only pool whose callback is paid (cleared by
    /// the single payment), and the token and the most it may take (≤ maxPerTrade < 2^96).
    address internal transient v3Pool_;
    address internal transient v3TokenIn_;
    uint96 internal transient v3MaxIn_;

    // -------------------------------------------------------------- modifiers

    modifier onlyOwner() {
        if (msg.sender != owner_) revert NotOwner(msg.sender);
        _;
    }

    /// @dev Governance setters run only as `execute`'s self-call, i.e. after the timelock.
    modifier onlySelf() {
        if (msg.sender != address(this)) revert NotSelf(msg.sender);
        _;
    }

    modifier nonReentrant() {
        if (locked_) revert Reentrancy();
        locked_ = true;
        _;
        locked_ = false;
    }

    /// @dev Records the pair's cumulative prices as observation `idx` (TWAP: Uniswap V2 oracle).
    function _observe(Oracle storage o, address pair, uint8 idx, uint32 now32) internal {
        (uint256 c0, uint256 c1,) = TwapMath.currentCumulatives(pair);
        observations_[pair][idx] = [c0, c1];
        if (idx == 0) o.ts0 = now32;
        else o.ts1 = now32;
        o.latest = idx;
        emit OracleObserved(pair, c0, c1, now32);
    }
}
