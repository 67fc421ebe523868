// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {GuardedVaultStorage} from "./GuardedVaultStorage.sol";
import {IGuardedVault} from "./IGuardedVault.sol";
import {IUniswapV2PairOracle} from "./external/UniswapInterfaces.sol";

/// @title GuardedVaultGovernance
/// @notice What the team decides about its vault, and how: the guardian's and owner's pause, the
/// timelock (queue, execute after the delay, cancel), the setters it alone may call (owner,
/// guardian, delay, measurements, targets, token limits, TWAP oracles, price guard), and the views
/// of those settings. See GuardedVault for the trading rules they bound.
abstract contract GuardedVaultGovernance is GuardedVaultStorage {
    // ------------------------------------------------------------------ guard

    /// @inheritdoc IGuardedVault
    function pause() external {
        if (msg.sender != guardian && msg.sender != owner_) revert NotGuardian(msg.sender);
        guard_.paused = true;
        emit VaultPaused(msg.sender);
    }

    /// @inheritdoc IGuardedVault
    function unpause() external onlyOwner {
        guard_.paused = false;
        emit VaultUnpaused(msg.sender);
    }

    // --------------------------------------------------------------- timelock

    /// @inheritdoc IGuardedVault
    function queue(bytes calldata call) external onlyOwner returns (bytes32 id, uint256 eta) {
        bytes4 selector = call.length >= 4 ? bytes4(call[:4]) : bytes4(0);
        if (!_isGovernanceSelector(selector)) revert UnknownChange(selector);
        id = keccak256(call);
        if (queued_[id] != 0) revert ChangeAlreadyQueued(id);
        eta = block.timestamp + delay;
        queued_[id] = eta;
        emit ChangeQueued(id, selector, call, eta);
    }

    /// @inheritdoc IGuardedVault
    function execute(bytes calldata call) external {
        bytes32 id = keccak256(call);
        uint256 eta = queued_[id];
        if (eta == 0) revert ChangeNotQueued(id);
        if (block.timestamp < eta) revert ChangeNotReady(id, eta);
        if (block.timestamp > eta + GRACE_PERIOD) revert ChangeExpired(id, eta + GRACE_PERIOD);
        delete queued_[id];
        (bool ok, bytes memory ret) = address(this).call(call);
        if (!ok) {
            assembly {
                revert(add(ret, 32), mload(ret))
            }
        }
        emit ChangeExecuted(id, bytes4(call[:4]), call);
    }

    /// @inheritdoc IGuardedVault
    function cancel(bytes32 id) external {
        if (msg.sender != owner_ && msg.sender != guardian) revert NotOwner(msg.sender);
        if (queued_[id] == 0) revert ChangeNotQueued(id);
        delete queued_[id];
        emit ChangeCancelled(id, msg.sender);
    }

    // ------------------------------------------------------------- governance

    /// @inheritdoc IGuardedVault
    function setOwner(address newOwner) external onlySelf {
        if (newOwner == address(0)) revert ZeroAddress();
        emit OwnerChanged(owner_, newOwner);
        owner_ = newOwner;
    }

    /// @inheritdoc IGuardedVault
    function setGuardian(address newGuardian) external onlySelf {
        emit GuardianChanged(guardian, newGuardian);
        guardian = newGuardian;
    }

    /// @inheritdoc IGuardedVault
    function setDelay(uint256 newDelay) external onlySelf {
        if (newDelay > MAX_DELAY) revert DelayTooLong(newDelay, MAX_DELAY);
        emit DelayChanged(delay, newDelay);
        delay = newDelay;
    }

    /// @inheritdoc IGuardedVault
    function setMeasurement(bytes32 measurementId, bool allowed) external onlySelf {
        measurements_[measurementId] = allowed;
        bytes20 hint = guard_.measurementHint;
        if (allowed) guard_.measurementHint = bytes20(measurementId);
        else if (hint == bytes20(measurementId)) guard_.measurementHint = bytes20(0);
        emit MeasurementSet(measurementId, allowed);
    }

    /// @inheritdoc IGuardedVault
    function setTarget(address target, TradeKind kind) external onlySelf {
        if (target == address(0) || target == address(this)) revert TargetNotAllowed(target, uint8(kind));
        targets_[target] = kind;
        emit TargetSet(target, kind);
    }

    /// @inheritdoc IGuardedVault
    function setTokenLimits(address token, TokenLimits calldata l) external onlySelf {
        if (token == address(0) || token == address(this)) revert TokenNotAllowed(token);
        if (l.refillPeriod > type(uint24).max) revert RefillPeriodTooLong(l.refillPeriod, type(uint24).max);
        tokens_[token] = TokenState({
            allowed: l.allowed,
            refillPeriod: uint24(l.refillPeriod),
            lastRefill: uint32(block.timestamp),
            balance: l.maxBalance,
            maxPerTrade: l.maxPerTrade,
            refillAmount: l.refillAmount,
            maxBalance: l.maxBalance
        });
        emit TokenLimitsSet(token, l.allowed, l.maxPerTrade, l.refillAmount, l.refillPeriod, l.maxBalance);
    }

    /// @inheritdoc IGuardedVault
    function setOracle(address pair) external onlySelf {
        if (pair == address(0)) revert ZeroAddress();
        address t0 = IUniswapV2PairOracle(pair).token0();
        address t1 = IUniswapV2PairOracle(pair).token1();
        // Uniswap V2 pairs sort their tokens; anything else is not a V2 pair.
        if (t0 == address(0) || t0 >= t1) revert PairMismatch(pair, t0, t1);
        Oracle storage o = oracles_[t0][t1];
        o.pair = pair;
        o.ts1 = 0; // forget any observation made for a previous pair
        _observe(o, pair, 0, uint32(block.timestamp));
        emit OracleSet(t0, t1, pair);
    }

    /// @inheritdoc IGuardedVault
    function setPriceGuard(uint16 maxSlippageBps, uint32 minTwapWindow, uint32 maxTwapWindow) external onlySelf {
        if (maxSlippageBps > MAX_SLIPPAGE_BPS) revert InvalidSlippage(maxSlippageBps);
        if (minTwapWindow == 0 || maxTwapWindow < minTwapWindow) revert InvalidTwapWindow(minTwapWindow, maxTwapWindow);
        Guard storage g = guard_;
        (g.maxSlippageBps, g.minTwapWindow, g.maxTwapWindow) = (maxSlippageBps, minTwapWindow, maxTwapWindow);
        emit PriceGuardSet(maxSlippageBps, minTwapWindow, maxTwapWindow);
    }

    // ------------------------------------------------------------------ views

    function owner() external view returns (address) {
        return owner_;
    }

    function paused() external view returns (bool) {
        return guard_.paused;
    }

    function priceGuard() external view returns (uint16 maxSlippageBps, uint32 minTwapWindow, uint32 maxTwapWindow) {
        Guard memory g = guard_;
        return (g.maxSlippageBps, g.minTwapWindow, g.maxTwapWindow);
    }

    function isMeasurementAllowed(bytes32 measurementId) external view returns (bool) {
        return measurements_[measurementId];
    }

    function targetKind(address target) external view returns (TradeKind) {
        return targets_[target];
    }

    function tokenLimits(address token) external view returns (TokenLimits memory) {
        TokenState storage s = tokens_[token];
        return TokenLimits(s.allowed, s.maxPerTrade, s.refillAmount, s.refillPeriod, s.maxBalance);
    }

    function oracleOf(address tokenA, address tokenB) external view returns (address pair) {
        (address t0, address t1) = tokenA < tokenB ? (tokenA, tokenB) : (tokenB, tokenA);
        return oracles_[t0][t1].pair;
    }

    /// @inheritdoc IGuardedVault
    function queuedEta(bytes32 id) external view returns (uint256) {
        return queued_[id];
    }

    // -------------------------------------------------------------- internals

    function _isGovernanceSelector(bytes4 s) internal pure returns (bool) {
        return s == this.setOwner.selector || s == this.setGuardian.selector || s == this.setDelay.selector
            || s == this.setMeasurement.selector || s == this.setTarget.selector || s == this.setTokenLimits.selector
            || s == this.setOracle.selector || s == this.setPriceGuard.selector;
    }
}
