// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title VRFCoordinatorSettings
/// @notice The coordinator's owner and what it sets: the fee quote (a gas price and a flat
/// premium) and the cancel delay.
abstract contract VRFCoordinatorSettings {
    /// @notice Gas the quote assumes for a fulfilment besides the callback (tx base, calldata,
    /// verification, bookkeeping: ≈ 67k per transaction in test/vrf/VRFGas.t.sol, less in a batch) and
    /// per word.
    uint256 public constant FULFILMENT_GAS_OVERHEAD = 90_000;
    uint256 public constant GAS_PER_WORD = 400;
    /// @notice The cancel delay a new coordinator starts with: 7,200 blocks, a day of 12-second
    /// blocks — what mainnet should keep, so an oracle that is slow for hours is not raced by
    /// cancels. A devnet sets a few blocks (`setCancelDelay`).
    uint256 public constant DEFAULT_CANCEL_DELAY_BLOCKS = 7_200;
    /// @notice Bounds of the cancel delay. A requester who may cancel could, once a fulfilment
    /// is in the mempool, read its words and cancel a roll it dislikes; the delay (counted from
    /// the block the request became ready) must leave the oracle time to fulfil first.
    uint256 public constant MIN_CANCEL_DELAY_BLOCKS = 5;
    uint256 public constant MAX_CANCEL_DELAY_BLOCKS = 1_000_000;

    event FeeConfigSet(uint256 gasPriceWei, uint256 flatFeeWei);
    event CancelDelaySet(uint256 blocks);
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    error NotOwner(address caller);
    error ZeroAddress();
    error InvalidCancelDelay(uint256 have, uint256 min, uint256 max);

    address public owner;
    uint256 public gasPriceWei; // the quote's gas price
    uint256 public flatFeeWei; // the quote's premium per request
    uint256 public cancelDelayBlocks; // from readyAt until the requester may cancel

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        _;
    }

    constructor(address owner_, uint256 gasPriceWei_, uint256 flatFeeWei_) {
        if (owner_ == address(0)) revert ZeroAddress();
        owner = owner_;
        emit OwnershipTransferred(address(0), owner_);
        _setFeeConfig(gasPriceWei_, flatFeeWei_);
        cancelDelayBlocks = DEFAULT_CANCEL_DELAY_BLOCKS;
        emit CancelDelaySet(DEFAULT_CANCEL_DELAY_BLOCKS);
    }

    function setFeeConfig(uint256 gasPriceWei_, uint256 flatFeeWei_) external onlyOwner {
        _setFeeConfig(gasPriceWei_, flatFeeWei_);
    }

    /// @notice Sets the cancel delay (blocks after a request is ready). Pending requests follow
    /// the new value.
    function setCancelDelay(uint256 blocks) external onlyOwner {
        if (blocks < MIN_CANCEL_DELAY_BLOCKS || blocks > MAX_CANCEL_DELAY_BLOCKS) {
            revert InvalidCancelDelay(blocks, MIN_CANCEL_DELAY_BLOCKS, MAX_CANCEL_DELAY_BLOCKS);
        }
        cancelDelayBlocks = blocks;
        emit CancelDelaySet(blocks);
    }

    function transferOwnership(address newOwner) external onlyOwner {
        if (newOwner == address(0)) revert ZeroAddress();
        emit OwnershipTransferred(owner, newOwner);
        owner = newOwner;
    }

    function _setFeeConfig(uint256 gasPriceWei_, uint256 flatFeeWei_) internal {
        gasPriceWei = gasPriceWei_;
        flatFeeWei = flatFeeWei_;
        emit FeeConfigSet(gasPriceWei_, flatFeeWei_);
    }
}
