// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title IVRFCoordinator
/// @notice What a game (a VRFConsumerBase) and its tools use of the VRFCoordinator: requests,
/// their price, their status, cancellation, credit and re-delivery of words whose callback
/// failed. VRFCoordinatorMock implements the same interface for consumers' unit tests.
interface IVRFCoordinator {
    /// @notice Where a request stands (`requestStatus`).
    enum RequestState {
        None, // no request with this id
        Pending, // waiting for its confirmations, then for the oracle
        Fulfilled, // words delivered and the callback succeeded (or the requester has no code: nothing to call)
        CallbackFailed, // words proven but the callback failed: `redeliver` can deliver them again
        Redelivered, // a re-delivery of a failed callback succeeded
        Cancelled // cancelled by its requester; the fee went back to its credit
    }

    /// @notice A request's status; block numbers are 0 where they do not apply.
    struct RequestStatus {
        RequestState state;
        address requester;
        uint64 requestBlock;
        uint64 readyAt; // requestBlock + minConfirmations: the first block it can be fulfilled in
        uint64 cancellableAt; // readyAt + the cancel delay: the requester may cancel from then on
        uint96 fee; // wei reserved at the request (a fulfilment is charged at most this)
    }

    /// @notice A proving key's liveness, so a game can tell a slow oracle from a dead one.
    struct KeyStatus {
        address oracle; // 0 when never registered
        bool active; // registered and not deregistered
        bool attested; // its oracle is attested with this key hash now
        uint64 lastFulfilledBlock; // 0 when it never fulfilled
    }

    // ------------------------------------------------------------------- events

    /// @notice Everything the oracle needs: the commitment's fields and preSeed.
    event RandomWordsRequested(
        bytes32 indexed keyHash,
        uint256 indexed requestId,
        address indexed requester,
        uint64 nonce,
        uint256 preSeed,
        uint64 blockNumber,
        uint16 minConfirmations,
        uint32 callbackGasLimit,
        uint32 numWords,
        uint96 fee
    );
    /// @notice `payment` is what the fulfilment charged: its gas at min(tx.gasprice, the key's
    /// lane cap) plus the lane's premium, in whole gwei, at most the request's fee (the
    /// reservation); the rest went back to the requester's credit.
    /// `success` is false when the consumer's callback reverted, ran out of its gas limit
    /// or the requester has no code; the request is fulfilled either way, and a failure is
    /// detailed by CallbackFailed in the same transaction.
    event RandomWordsFulfilled(uint256 indexed requestId, bytes32 indexed keyHash, bytes32 beta, uint96 payment, bool success);
    /// @notice A callback (fulfilment or re-delivery) failed: the first MAX_REVERT_DATA bytes of
    /// its revert data, and whether it used all its gas (out of gas, or INVALID). Emitted only on
    /// failure, so a successful fulfilment costs no more log data.
    event CallbackFailed(uint256 indexed requestId, bool outOfGas, bytes revertData);
    /// @notice A failed callback's words were delivered again, successfully.
    event RandomWordsRedelivered(uint256 indexed requestId, address indexed by);
    event RequestCancelled(uint256 indexed requestId, address indexed requester, uint96 refund);
    event CreditChanged(address indexed account, uint256 credit);

    // ------------------------------------------------------------------- errors

    error UnknownProvingKey(bytes32 keyHash);
    error InvalidConfirmations(uint16 have, uint16 min, uint16 max);
    error InvalidCallbackGasLimit(uint32 have, uint32 max);
    error InvalidNumWords(uint32 have, uint32 max);
    error InsufficientPayment(uint256 have, uint256 want);
    error InsufficientCredit(uint256 have, uint256 want);
    error RequestNotPending(uint256 requestId);
    error NotRequester(address caller, address requester);
    error TooEarlyToCancel(uint256 requestId, uint256 cancellableAt);
    error NotRedeliverable(uint256 requestId);
    error WordsMismatch(uint256 requestId);
    error TransferFailed(address to, uint256 amount);

    // ---------------------------------------------------------------- functions

    /// @notice Requests `numWords` words from `keyHash`, delivered to msg.sender's
    /// `rawFulfillRandomWords` with at most `callbackGasLimit` gas once `minConfirmations` blocks
    /// have passed. Reserves requestPrice from msg.value, then from msg.sender's credit; the rest
    /// of msg.value becomes credit. The fulfilment charges what it costs and returns the rest of
    /// the reservation to msg.sender's credit.
    function requestRandomWords(bytes32 keyHash, uint16 minConfirmations, uint32 callbackGasLimit, uint32 numWords)
        external
        payable
        returns (uint256 requestId);

    /// @notice What a request of this shape on `keyHash` reserves, in wei (a whole number of
    /// gwei): its worst-case gas at the key's lane cap plus the lane's premium.
    function requestPrice(bytes32 keyHash, uint32 callbackGasLimit, uint32 numWords) external view returns (uint256);
    /// @notice A key's gas lane: the highest gas price its fulfilments are paid at, and the premium.
    function gasLane(bytes32 keyHash) external view returns (uint256 maxGasPrice, uint256 premiumWei);

    /// @notice Cancels msg.sender's own request still pending at `cancellableAt`; its fee becomes
    /// msg.sender's credit. @return refund the fee credited.
    function cancelRequest(uint256 requestId) external returns (uint256 refund);

    /// @notice Pays `amount` of msg.sender's credit to `to`.
    function withdrawCredit(address payable to, uint256 amount) external;

    function creditOf(address account) external view returns (uint256);
    /// @notice What `account`'s pending requests have reserved.
    function reservedOf(address account) external view returns (uint256);

    function requestStatus(uint256 requestId) external view returns (RequestStatus memory);

    function keyStatus(bytes32 keyHash) external view returns (KeyStatus memory);

    /// @notice Delivers again the words of a request whose callback failed (the words are
    /// checked against the commitment the fulfilment stored). Anyone may call it; the callback
    /// gets all the gas the call brings beyond the coordinator's own, and at least the request's
    /// callbackGasLimit (less reverts, so a gas estimate gives it that). A failure can be
    /// retried, with more gas if it ran out; a success cannot be repeated.
    function redeliver(uint256 requestId, uint256[] calldata words) external returns (bool success);
}
