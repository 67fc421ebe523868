// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IVRFCoordinator} from "./IVRFCoordinator.sol";
import {VRFConsumerBase} from "./VRFConsumerBase.sol";
import {ExactGasCall} from "./ExactGasCall.sol";
import {VRFCoordinatorSettings} from "./VRFCoordinatorSettings.sol";
import {VRFCredit} from "./VRFCredit.sol";

/// @title VRFRequestLedger
/// @notice What the coordinator remembers of each request and how it ends: its commitment while
/// pending, its requester, block and fee for good (cancel by id, requestStatus), and an outcome
/// when it did not end in a successful callback — cancelled, or a failed callback's words
/// committed for `redeliver`. The delivery to the consumer lives here too.
abstract contract VRFRequestLedger is IVRFCoordinator, VRFCoordinatorSettings, VRFCredit {
    /// @notice Gas kept back for the checks between the 63/64 test and the CALL (as Chainlink's
    /// callWithExactGas: EXTCODESIZE of a cold account, the CALL's own cost).
    uint256 public constant GAS_FOR_CALL_EXACT_CHECK = 5_000;
    /// @notice Bytes of a failed callback's revert data kept in CallbackFailed: a selector and
    /// four words, enough for any custom error of ≤ 4 static arguments or a short Error(string).
    uint256 public constant MAX_REVERT_DATA = 164;
    /// @notice Gas kept for the work after a callback returns, GAS_AFTER_CALLBACK +
    /// GAS_AFTER_CALLBACK_PER_WORD·numWords: when it failed, storing the words' commitment in a
    /// new cold slot (24.2k), CallbackFailed (≈ 3k) and hashing the words (memory included,
    /// ≈ 11k for 500); then the charge: the lane (2.1k), the key's slot (2.9k), the requester's
    /// account (5k) and RandomWordsFulfilled (≈ 2k). Only the gas limit must cover it; a
    /// successful callback pays none of it.
    uint256 public constant GAS_AFTER_CALLBACK = 45_000;
    uint256 public constant GAS_AFTER_CALLBACK_PER_WORD = 40;

    /// @dev One slot per request, kept after it ends: what cancelling by id and requestStatus need.
    struct RequestInfo {
        address requester;
        uint40 blockNumber;
        uint16 minConfirmations;
        uint40 feeGwei;
    }

    uint256 public requestCount; // request ids are 1…requestCount
    mapping(address requester => uint64) public nonceOf;
    mapping(uint256 requestId => bytes32) internal _commitments;
    mapping(uint256 requestId => RequestInfo) internal _requests;
    /// @dev How a request ended when that is not plain success: CANCELLED, REDELIVERED, or, for a
    /// failed callback awaiting re-delivery, keccak256(abi.encode(words)) with its low 32 bits
    /// replaced by the request's callbackGasLimit (a re-delivery gives the callback at least that).
    mapping(uint256 requestId => bytes32) internal _outcomes;

    bytes32 internal constant CANCELLED = bytes32(uint256(1));
    bytes32 internal constant REDELIVERED = bytes32(uint256(2));

    /// @inheritdoc IVRFCoordinator
    function cancelRequest(uint256 requestId) external returns (uint256 refund) {
        RequestInfo memory info = _requests[requestId];
        if (_commitments[requestId] == 0) revert RequestNotPending(requestId);
        if (msg.sender != info.requester) revert NotRequester(msg.sender, info.requester);
        uint256 cancellableAt = _cancellableAt(info);
        if (block.number < cancellableAt) revert TooEarlyToCancel(requestId, cancellableAt);
        delete _commitments[requestId];
        _outcomes[requestId] = CANCELLED;
        refund = uint256(info.feeGwei) * 1 gwei;
        _release(msg.sender, refund, 0);
        emit CreditChanged(msg.sender, _accounts[msg.sender].credit);
        emit RequestCancelled(requestId, msg.sender, uint96(refund));
    }

    /// @inheritdoc IVRFCoordinator
    function requestStatus(uint256 requestId) external view returns (RequestStatus memory s) {
        RequestInfo memory info = _requests[requestId];
        if (info.requester == address(0)) return s; // None
        s.requester = info.requester;
        s.requestBlock = info.blockNumber;
        s.readyAt = uint64(info.blockNumber) + info.minConfirmations;
        s.cancellableAt = uint64(_cancellableAt(info));
        s.fee = uint96(uint256(info.feeGwei) * 1 gwei);
        bytes32 outcome = _outcomes[requestId];
        if (_commitments[requestId] != 0) s.state = RequestState.Pending;
        else if (outcome == 0) s.state = RequestState.Fulfilled;
        else if (outcome == CANCELLED) s.state = RequestState.Cancelled;
        else if (outcome == REDELIVERED) s.state = RequestState.Redelivered;
        else s.state = RequestState.CallbackFailed;
    }

    /// @inheritdoc IVRFCoordinator
    function redeliver(uint256 requestId, uint256[] calldata words) external returns (bool success) {
        bytes32 commitment = _outcomes[requestId];
        if (commitment == 0 || commitment == CANCELLED || commitment == REDELIVERED) revert NotRedeliverable(requestId);
        if (_wordsCommitment(words, 0) >> 32 != uint256(commitment) >> 32) revert WordsMismatch(requestId);
        address requester = _requests[requestId].requester;
        if (requester.code.length == 0) revert NotRedeliverable(requestId);
        _outcomes[requestId] = REDELIVERED; // before the call: a re-entrant re-delivery finds none
        (bool ok, bool outOfGas, bytes memory revertData) = ExactGasCall.callWithRemaining(
            uint32(uint256(commitment)),
            GAS_AFTER_CALLBACK + GAS_AFTER_CALLBACK_PER_WORD * words.length,
            requester,
            abi.encodeCall(VRFConsumerBase.rawFulfillRandomWords, (requestId, words)),
            MAX_REVERT_DATA
        );
        if (ok) {
            emit RandomWordsRedelivered(requestId, msg.sender);
            return true;
        }
        _outcomes[requestId] = commitment; // may be retried
        emit CallbackFailed(requestId, outOfGas, revertData);
    }

    // ----------------------------------------------------------- views (oracle)

    /// @notice Whether `requestId` awaits fulfilment.
    function isPending(uint256 requestId) external view returns (bool) {
        return _commitments[requestId] != 0;
    }

    /// @notice The stored commitment (zero once fulfilled or cancelled, or if unknown).
    function commitmentOf(uint256 requestId) external view returns (bytes32) {
        return _commitments[requestId];
    }

    /// @notice The pending request ids in [fromId, toId] (clamped to 1…requestCount), ascending:
    /// an oracle resyncs with this, then reads each one's RandomWordsRequested log (requestId is
    /// an indexed topic). Off-chain use: the scan is linear.
    function pendingRequests(uint256 fromId, uint256 toId) external view returns (uint256[] memory ids) {
        if (fromId == 0) fromId = 1;
        if (toId > requestCount) toId = requestCount;
        if (fromId > toId) return ids;
        uint256[] memory buf = new uint256[](toId - fromId + 1);
        uint256 n;
        for (uint256 id = fromId; id <= toId; ++id) {
            if (_commitments[id] != 0) buf[n++] = id;
        }
        assembly ("memory-safe") {
            mstore(buf, n)
        }
        return buf;
    }

    // ---------------------------------------------------------------- internal

    function _cancellableAt(RequestInfo memory info) internal view returns (uint256) {
        return uint256(info.blockNumber) + info.minConfirmations + cancelDelayBlocks;
    }

    /// @dev Calls the consumer with exactly `gasLimit` gas; when its callback fails, records the
    /// words' commitment for `redeliver` and emits CallbackFailed.
    function _deliver(uint256 requestId, address requester, uint256 gasLimit, uint256[] memory words)
        internal
        returns (bool success)
    {
        // A requester without code (an account, not a contract) has nothing to deliver to.
        if (requester.code.length == 0) return false;
        bool outOfGas;
        bytes memory revertData;
        (success, outOfGas, revertData) = ExactGasCall.call(
            gasLimit,
            GAS_FOR_CALL_EXACT_CHECK,
            GAS_AFTER_CALLBACK + GAS_AFTER_CALLBACK_PER_WORD * words.length,
            requester,
            abi.encodeCall(VRFConsumerBase.rawFulfillRandomWords, (requestId, words)),
            MAX_REVERT_DATA
        );
        if (!success) {
            _outcomes[requestId] = bytes32(_wordsCommitment(words, gasLimit));
            emit CallbackFailed(requestId, outOfGas, revertData);
        }
    }

    /// @dev keccak256(abi.encode(words)) with its low 32 bits replaced by `gasLimit`.
    function _wordsCommitment(uint256[] memory words, uint256 gasLimit) internal pure returns (uint256) {
        return (uint256(keccak256(abi.encode(words))) >> 32 << 32) | uint32(gasLimit);
    }
}
