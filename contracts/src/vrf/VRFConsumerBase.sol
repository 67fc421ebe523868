// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IVRFCoordinator} from "./IVRFCoordinator.sol";

/// @title VRFConsumerBase
/// @notice Inherit it, request with `_requestRandomWords`, and override `fulfillRandomWords`:
/// only the coordinator can deliver words (`rawFulfillRandomWords` checks msg.sender), after it
/// verified the VRF proof. The callback runs with the gas limit given at request time. If it
/// reverts or runs out of gas the request is still fulfilled: the coordinator emits
/// CallbackFailed (revert data, out-of-gas) and keeps a commitment to the words, and anyone can
/// deliver them again with `redeliver(requestId, words)` — so a callback must tolerate being
/// called later than the fulfilment. Keep it simple: store the words and act on them in a later
/// transaction if the work is large.
///
/// Migration (as Chainlink's VRFConsumerBaseV2Plus): the coordinator is settable with
/// `setCoordinator` by this contract's owner or by the current coordinator, so a consumer moves
/// to another coordinator (or from Chainlink's to cvex's) without being redeployed. Ownership
/// moves in two steps (`transferOwnership`, then `acceptOwnership` by the new owner), so a
/// mistyped address can never take the contract, and with it the choice of who delivers words.
abstract contract VRFConsumerBase {
    error OnlyCoordinatorCanFulfill(address have, address want);
    error OnlyOwnerOrCoordinator(address have, address owner, address coordinator);
    error NotOwner(address caller);
    error NotPendingOwner(address caller, address pendingOwner);
    error ZeroAddress();

    event CoordinatorSet(address vrfCoordinator);
    event OwnershipTransferRequested(address indexed from, address indexed to);
    event OwnershipTransferred(address indexed from, address indexed to);

    IVRFCoordinator public vrfCoordinator;
    address private _owner;
    address private _pendingOwner;

    /// @dev The deployer owns the consumer.
    constructor(address coordinator) {
        if (coordinator == address(0)) revert ZeroAddress();
        vrfCoordinator = IVRFCoordinator(coordinator);
        _owner = msg.sender;
        emit OwnershipTransferred(address(0), msg.sender);
    }

    modifier onlyOwner() {
        if (msg.sender != _owner) revert NotOwner(msg.sender);
        _;
    }

    function owner() public view returns (address) {
        return _owner;
    }

    function pendingOwner() external view returns (address) {
        return _pendingOwner;
    }

    /// @notice Step one of an ownership transfer: `to` must call acceptOwnership.
    function transferOwnership(address to) external onlyOwner {
        if (to == address(0)) revert ZeroAddress();
        _pendingOwner = to;
        emit OwnershipTransferRequested(_owner, to);
    }

    /// @notice Step two: the pending owner takes the contract.
    function acceptOwnership() external {
        if (msg.sender != _pendingOwner) revert NotPendingOwner(msg.sender, _pendingOwner);
        emit OwnershipTransferred(_owner, msg.sender);
        _owner = msg.sender;
        delete _pendingOwner;
    }

    /// @notice Moves this consumer to another coordinator: only it can deliver words from now on.
    /// Requests still pending at the old one are fulfilled there but can no longer be delivered
    /// here (the old coordinator records the failed callback); cancel them there first.
    function setCoordinator(address coordinator) external {
        if (msg.sender != _owner && msg.sender != address(vrfCoordinator))
            revert OnlyOwnerOrCoordinator(msg.sender, _owner, address(vrfCoordinator));
        if (coordinator == address(0)) revert ZeroAddress();
        vrfCoordinator = IVRFCoordinator(coordinator);
        emit CoordinatorSet(coordinator);
    }

    /// @notice Called by the coordinator with the verified words of `requestId`.
    function rawFulfillRandomWords(uint256 requestId, uint256[] calldata randomWords) external {
        if (msg.sender != address(vrfCoordinator)) revert OnlyCoordinatorCanFulfill(msg.sender, address(vrfCoordinator));
        fulfillRandomWords(requestId, randomWords);
    }

    /// @notice The game's handler for the words of one of its requests.
    function fulfillRandomWords(uint256 requestId, uint256[] calldata randomWords) internal virtual;

    /// @dev Requests words, paying `fee` wei from this contract's balance (send exactly the
    /// coordinator's requestPrice: any excess becomes this contract's credit there, and a fee
    /// short of the price is taken from that credit).
    function _requestRandomWords(
        bytes32 keyHash,
        uint16 minConfirmations,
        uint32 callbackGasLimit,
        uint32 numWords,
        uint256 fee
    ) internal returns (uint256 requestId) {
        return vrfCoordinator.requestRandomWords{value: fee}(keyHash, minConfirmations, callbackGasLimit, numWords);
    }

    /// @dev Cancels one of this contract's requests still pending at its `cancellableAt`
    /// (`vrfCoordinator.requestStatus(id)`); the fee is credited to this contract at the
    /// coordinator. @return refund the fee credited (wei).
    function _cancelRequest(uint256 requestId) internal returns (uint256 refund) {
        return vrfCoordinator.cancelRequest(requestId);
    }

    /// @dev Moves `amount` of this contract's credit at the coordinator to `to` (e.g. back into
    /// this contract, which then needs a `receive`, to refund a player).
    function _withdrawCredit(address payable to, uint256 amount) internal {
        vrfCoordinator.withdrawCredit(to, amount);
    }

    /// @dev This contract's credit at the coordinator (overpayments and cancelled fees).
    function _vrfCredit() internal view returns (uint256) {
        return vrfCoordinator.creditOf(address(this));
    }
}
