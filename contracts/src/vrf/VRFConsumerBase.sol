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
abstract contract VRFConsumerBase {
    error OnlyCoordinatorCanFulfill(address have, address want);

    IVRFCoordinator public immutable vrfCoordinator;

    constructor(address coordinator) {
        vrfCoordinator = IVRFCoordinator(coordinator);
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
