// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title IGuardedVault
/// @notice A team's funds, traded only by keys born in an attested SEV-SNP guest and only within
/// limits the chain enforces whatever the guest does (a TEE can fail; losses must be capped).
///
/// Roles: the owner deposits and withdraws (to itself only) and changes every limit through a
/// timelock (queue → execute after `delay` → or cancel); the guardian pauses at once; an enclave
/// key attested in the AttestationRegistry for an allowed measurement trades, directly or by
/// signing an EIP-712 `TradeIntent` anyone may relay.
///
/// Every trade is checked: not paused; not expired; signer attested for an allowed measurement;
/// target (router) and tokens allow-listed; amountIn ≤ tokenIn's per-trade cap and ≤ its refilling
/// allowance; minAmountOut ≥ TWAP reference × (1 − maxSlippage); and after the swap, tokenOut rose
/// by ≥ minAmountOut and tokenIn fell by ≤ amountIn (by balance for routers; the pool kinds never
/// pay more, since the vault itself transfers the input).
interface IGuardedVault {
    // ------------------------------------------------------------------ types

    /// @notice How the vault calls a target.
    enum TradeKind {
        None, // not allowed
        UniswapV2Router, // swapExactTokensForTokens; data = abi.encode(address[] path) or empty for [tokenIn, tokenOut]
        UniswapV3Router, // SwapRouter.exactInputSingle; data = abi.encode(uint24 fee, uint160 sqrtPriceLimitX96)
        UniswapV2Pair, // the oracle pair of (tokenIn, tokenOut) itself: transfer + swap, no router, no approval; data unused
        UniswapV3Pool // a V3 pool itself: swap + pay in the callback, no router, no approval; data = empty or abi.encode(uint160 sqrtPriceLimitX96)
    }

    /// @notice A trade, signed by an enclave key as EIP-712 typed data (or sent by it directly, in
    /// which case `nonce` is ignored: the transaction's own nonce prevents replay).
    struct TradeIntent {
        uint8 kind; // a TradeKind, which must equal the target's allow-listed kind
        address target; // the router
        address tokenIn;
        address tokenOut;
        bytes data; // kind-specific, see TradeKind
        uint256 amountIn;
        uint256 minAmountOut;
        uint256 deadline; // valid while block.timestamp ≤ deadline
        uint256 nonce; // any unused value per signer (bitmap, so intents may run in parallel)
    }

    /// @notice A token's allow-listing and selling limits (all amounts in the token's units;
    /// 96 bits = up to 7.9e28, i.e. 79 billion whole 18-decimal tokens, so they pack in 2 slots).
    struct TokenLimits {
        bool allowed; // may be bought or sold
        uint96 maxPerTrade; // largest amountIn of one trade selling this token
        uint96 refillAmount; // allowance added per refillPeriod
        uint32 refillPeriod; // seconds, at most 2^24 - 1 (194 days); 0 = never refills
        uint96 maxBalance; // the allowance never exceeds this
    }

    // ----------------------------------------------------------------- events

    event Deposited(address indexed token, address indexed from, uint256 amount);
    event Withdrawn(address indexed token, address indexed to, uint256 amount);
    event VaultPaused(address indexed by);
    event VaultUnpaused(address indexed by);
    event ChangeQueued(bytes32 indexed id, bytes4 indexed selector, bytes call, uint256 eta);
    event ChangeCancelled(bytes32 indexed id, address indexed by);
    event ChangeExecuted(bytes32 indexed id, bytes4 indexed selector, bytes call);
    event OwnerChanged(address indexed previousOwner, address indexed newOwner);
    event GuardianChanged(address indexed previousGuardian, address indexed newGuardian);
    event DelayChanged(uint256 previousDelay, uint256 newDelay);
    event MeasurementSet(bytes32 indexed measurementId, bool allowed);
    event TargetSet(address indexed target, TradeKind kind);
    event TokenLimitsSet(
        address indexed token, bool allowed, uint96 maxPerTrade, uint96 refillAmount, uint32 refillPeriod, uint96 maxBalance
    );
    event OracleSet(address indexed token0, address indexed token1, address indexed pair);
    event PriceGuardSet(uint16 maxSlippageBps, uint32 minTwapWindow, uint32 maxTwapWindow);
    event OracleObserved(address indexed pair, uint256 price0Cumulative, uint256 price1Cumulative, uint32 timestamp);
    /// @notice A trade went through. `intentHash` is the EIP-712 digest, zero for direct trades.
    event Traded(
        address indexed enclave,
        address indexed target,
        address indexed tokenIn,
        address tokenOut,
        uint256 amountIn,
        uint256 amountOut,
        bytes32 intentHash
    );

    // ----------------------------------------------------------------- errors

    error NotOwner(address caller);
    error NotGuardian(address caller);
    error NotSelf(address caller);
    error ZeroAddress();
    error Paused();
    error Reentrancy();
    error DelayTooLong(uint256 delay, uint256 max);
    error UnknownChange(bytes4 selector);
    error ChangeAlreadyQueued(bytes32 id);
    error ChangeNotQueued(bytes32 id);
    error ChangeNotReady(bytes32 id, uint256 eta);
    error ChangeExpired(bytes32 id, uint256 expiredAt);
    error InvalidSlippage(uint256 bps);
    error RefillPeriodTooLong(uint32 period, uint32 max);
    error InvalidTwapWindow(uint32 minWindow, uint32 maxWindow);
    error PairMismatch(address pair, address token0, address token1);

    error IntentExpired(uint256 deadline, uint256 nowTs);
    error IntentReplayed(address signer, uint256 nonce);
    error BadSignature();
    error MeasurementNotAllowed(bytes32 measurementId);
    error NotAttested(address enclave, bytes32 measurementId);
    error TargetNotAllowed(address target, uint8 kind);
    error TokenNotAllowed(address token);
    error BadPath();
    error ZeroAmount();
    error OverTradeCap(address token, uint256 amountIn, uint256 cap);
    error OverEpochAllowance(address token, uint256 amountIn, uint256 available);
    error OracleNotConfigured(address tokenIn, address tokenOut);
    error TwapWindowTooShort(address pair, uint256 window, uint256 minWindow);
    error TwapStale(address pair, uint256 window, uint256 maxWindow);
    error SlippageTooHigh(uint256 minAmountOut, uint256 floor, uint256 referenceOut);
    error SpentTooMuch(uint256 spent, uint256 amountIn);
    error ReceivedTooLittle(uint256 received, uint256 minAmountOut);
    /// @notice uniswapV3SwapCallback from anything but the pool of the trade in progress.
    error UnexpectedCallback(address caller);

    // --------------------------------------------------------------- funds

    /// @notice Pulls `amount` of `token` from the owner (who approved the vault).
    function deposit(address token, uint256 amount) external;

    /// @notice Sends `amount` of `token` to the owner; allowed while paused.
    function withdraw(address token, uint256 amount) external;

    // -------------------------------------------------------------- trading

    /// @notice Trades as msg.sender, which must be an attested enclave key. `measurementId` names
    /// the measurement the key is attested for (it is checked, not trusted).
    function trade(TradeIntent calldata intent, bytes32 measurementId) external returns (uint256 amountOut);

    /// @notice Executes an intent signed (EIP-712, 65-byte r‖s‖v, low s) by an attested enclave
    /// key; anyone may relay it. Consumes `intent.nonce` for the signer.
    function tradeWithIntent(TradeIntent calldata intent, bytes32 measurementId, bytes calldata signature)
        external
        returns (uint256 amountOut);

    /// @notice Records a price observation of an oracle pair if the latest is at least the minimum
    /// TWAP window old (so no one can starve trades by poking); returns whether it recorded one.
    function pokeOracle(address pair) external returns (bool recorded);

    /// @notice Uniswap V3's swap callback (v3-core IUniswapV3SwapCallback): pays the pool of the
    /// UniswapV3Pool trade in progress, at most that trade's amountIn of its tokenIn. Any other
    /// caller, or a second call, reverts with UnexpectedCallback.
    function uniswapV3SwapCallback(int256 amount0Delta, int256 amount1Delta, bytes calldata data) external;

    // ---------------------------------------------------------------- guard

    /// @notice Stops trading at once (guardian or owner).
    function pause() external;

    /// @notice Resumes trading (owner).
    function unpause() external;

    // ------------------------------------------------------------- timelock

    /// @notice Queues a governance call (one of the `set*` functions, ABI-encoded) to run after
    /// `delay`; returns its id = keccak256(call).
    function queue(bytes calldata call) external returns (bytes32 id, uint256 eta);

    /// @notice Runs a queued call once its eta passed and before eta + GRACE_PERIOD (anyone).
    function execute(bytes calldata call) external;

    /// @notice Drops a queued call (owner or guardian).
    function cancel(bytes32 id) external;

    // ------------------------------------- governance (only via the timelock)

    function setOwner(address newOwner) external;
    function setGuardian(address newGuardian) external;
    function setDelay(uint256 newDelay) external;
    function setMeasurement(bytes32 measurementId, bool allowed) external;
    function setTarget(address target, TradeKind kind) external;
    /// @notice Sets a token's limits and refills its allowance to `maxBalance`.
    function setTokenLimits(address token, TokenLimits calldata limits) external;
    /// @notice Names the Uniswap V2 pair whose TWAP prices trades between its two tokens, and
    /// records its first observation.
    function setOracle(address pair) external;
    function setPriceGuard(uint16 maxSlippageBps, uint32 minTwapWindow, uint32 maxTwapWindow) external;

    // ---------------------------------------------------------------- views

    function owner() external view returns (address);
    function guardian() external view returns (address);
    function paused() external view returns (bool);
    function delay() external view returns (uint256);
    function registry() external view returns (address);
    function DOMAIN_SEPARATOR() external view returns (bytes32);
    function hashIntent(TradeIntent calldata intent) external view returns (bytes32 digest);
    function isNonceUsed(address signer, uint256 nonce) external view returns (bool);
    function queuedEta(bytes32 id) external view returns (uint256);
    /// @notice The allowance `token` could sell now (after refilling).
    function availableAllowance(address token) external view returns (uint256);
    /// @notice The least minAmountOut the vault would accept now for selling `amountIn` of
    /// `tokenIn` for `tokenOut`, and the TWAP reference amount it derives from.
    function minAmountOutFor(address tokenIn, address tokenOut, uint256 amountIn)
        external
        view
        returns (uint256 floor, uint256 referenceOut);
}
