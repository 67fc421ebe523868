// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @notice What a consumer needs from the coordinator (kept minimal to avoid an import cycle).
interface IVRFCoordinatorRequests {
    function requestRandomWords(bytes32 keyHash, uint16 minConfirmations, uint32 callbackGasLimit, uint32 numWords)
        external
        payable
        returns (uint256 requestId);

    function requestPrice(uint32 callbackGasLimit, uint32 numWords) external view returns (uint256);
}

/// @title VRFConsumerBase
/// @notice Inherit it, request with `_requestRandomWords`, and override `fulfillRandomWords`:
/// only the coordinator can deliver words (`rawFulfillRandomWords` checks msg.sender), after it
/// verified the VRF proof. The callback runs with the gas limit given at request time; if it
/// reverts the words are lost for good (the request is fulfilled anyway), so keep it simple:
/// store the words and act on them in a later transaction if the work is large.
abstract contract VRFConsumerBase {
    error OnlyCoordinatorCanFulfill(address have, address want);

    IVRFCoordinatorRequests public immutable vrfCoordinator;

    constructor(address coordinator) {
        vrfCoordinator = IVRFCoordinatorRequests(coordinator);
    }

    /// @notice Called by the coordinator with the verified words of `requestId`.
    function rawFulfillRandomWords(uint256 requestId, uint256[] calldata randomWords) external {
        if (msg.sender != address(vrfCoordinator)) revert OnlyCoordinatorCanFulfill(msg.sender, address(vrfCoordinator));
        fulfillRandomWords(requestId, randomWords);
    }

    /// @notice The game's handler for the words of one of its requests.
    function fulfillRandomWords(uint256 requestId, uint256[] calldata randomWords) internal virtual;

    /// @dev Requests words, paying `fee` wei (the coordinator's requestPrice; any excess becomes
    /// this contract's credit at the coordinator).
    function _requestRandomWords(
        bytes32 keyHash,
        uint16 minConfirmations,
        uint32 callbackGasLimit,
        uint32 numWords,
        uint256 fee
    ) internal returns (uint256 requestId) {
        return vrfCoordinator.requestRandomWords{value: fee}(keyHash, minConfirmations, callbackGasLimit, numWords);
    }
}
