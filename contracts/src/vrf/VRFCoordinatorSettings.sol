// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IVRFCoordinator} from "./IVRFCoordinator.sol";

/// @title VRFCoordinatorSettings
/// @notice The coordinator's owner and what it sets: each proving key's gas lane (the highest
/// gas price a request on that key pays for, and a premium) and the cancel delay. Nobody sets the
/// gas price a fulfilment is paid at: it is the price the fulfilment transaction pays
/// (tx.gasprice), capped by the lane.
abstract contract VRFCoordinatorSettings is IVRFCoordinator {
    /// @notice Gas a request reserves for its fulfilment besides the callback (tx base, calldata,
    /// verification, bookkeeping: ≈ 70k per transaction in test/vrf/VRFGas.t.sol, less in a
    /// batch) and per word. Only the reservation uses it; the fulfilment charges gas used.
    uint256 public constant FULFILMENT_GAS_OVERHEAD = 90_000;
    uint256 public constant GAS_PER_WORD = 400;
    /// @notice The lane a key starts with: Chainlink's 500 gwei lane on Ethereum, no premium.
    uint128 public constant DEFAULT_MAX_GAS_PRICE = 500 gwei;
    /// @notice The cancel delay a new coordinator starts with: 7,200 blocks, a day of 12-second
    /// blocks — what mainnet should keep, so an oracle that is slow for hours is not raced by
    /// cancels. A devnet sets a few blocks (`setCancelDelay`).
    uint256 public constant DEFAULT_CANCEL_DELAY_BLOCKS = 7_200;
    /// @notice Bounds of the cancel delay. A requester who may cancel could, once a fulfilment
    /// is in the mempool, read its words and cancel a roll it dislikes; the delay (counted from
    /// the block the request became ready) must leave the oracle time to fulfil first.
    uint256 public constant MIN_CANCEL_DELAY_BLOCKS = 5;
    uint256 public constant MAX_CANCEL_DELAY_BLOCKS = 1_000_000;

    /// @notice A key's gas lane, in one slot: a fulfilment reads it once.
    struct GasLane {
        uint128 maxGasPrice; // wei per gas: requests reserve at it, fulfilments pay at most it
        uint128 premiumWei; // added to each fulfilment's gas cost
    }

    event GasLaneSet(bytes32 indexed keyHash, uint256 maxGasPrice, uint256 premiumWei);
    event CancelDelaySet(uint256 blocks);
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    error NotOwner(address caller);
    error ZeroAddress();
    error InvalidCancelDelay(uint256 have, uint256 min, uint256 max);
    error InvalidGasLane(uint256 maxGasPrice, uint256 premiumWei);

    address public owner;
    uint256 public cancelDelayBlocks; // from readyAt until the requester may cancel
    mapping(bytes32 keyHash => GasLane) internal _lanes;

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        _;
    }

    constructor(address owner_) {
        if (owner_ == address(0)) revert ZeroAddress();
        owner = owner_;
        emit OwnershipTransferred(address(0), owner_);
        cancelDelayBlocks = DEFAULT_CANCEL_DELAY_BLOCKS;
        emit CancelDelaySet(DEFAULT_CANCEL_DELAY_BLOCKS);
    }

    /// @notice Sets a key's lane. Pending requests keep what they reserved; their fulfilment
    /// pays at most the lane in force then, and never more than the reservation.
    function setGasLane(bytes32 keyHash, uint256 maxGasPrice, uint256 premiumWei) external onlyOwner {
        _setGasLane(keyHash, maxGasPrice, premiumWei);
    }

    /// @notice A key's lane: the gas price cap and the premium (wei).
    function gasLane(bytes32 keyHash) external view returns (uint256 maxGasPrice, uint256 premiumWei) {
        GasLane memory l = _lanes[keyHash];
        return (l.maxGasPrice, l.premiumWei);
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

    /// @dev A cap of at least 1 wei (a zero cap would pay the oracle nothing for gas); both
    /// bounded so a worst-case reservation (≈ 2.7M gas) stays far below 2^96 wei.
    function _setGasLane(bytes32 keyHash, uint256 maxGasPrice, uint256 premiumWei) internal {
        if (maxGasPrice == 0 || maxGasPrice > 1e15 || premiumWei > 1e21) revert InvalidGasLane(maxGasPrice, premiumWei);
        // casting to 'uint128' is safe: both were bounded above.
        // forge-lint: disable-next-line(unsafe-typecast)
        _lanes[keyHash] = GasLane(uint128(maxGasPrice), uint128(premiumWei));
        emit GasLaneSet(keyHash, maxGasPrice, premiumWei);
    }
}
