// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IVRFCoordinator} from "./IVRFCoordinator.sol";
import {VRFConsumerBase} from "./VRFConsumerBase.sol";
import {ExactGasCall} from "./ExactGasCall.sol";

/// @title VRFCoordinatorMock
/// @notice For consumers' unit tests only — it verifies no proof and checks no attestation: the
/// VRFCoordinator's consumer interface (requests, price, status, cancel, credit, re-delivery,
/// with the same events and errors) where a test fulfils a request on demand, with words it
/// chooses (`fulfilWithWords`) or words derived from the request id (`fulfil`). As on the real
/// coordinator, a request is fulfilled only once its confirmations have passed, the callback
/// gets exactly its gas limit, and a failed callback is reported by CallbackFailed and can be
/// re-delivered. Every key hash is accepted (`setKeyActive(keyHash, false)` refuses one). The
/// price is flat (`setPrice`, the lane's premium here); a fulfilment charges all of it but
/// `setRefund`'s amount, which it returns to the requester's credit after the callback, as the
/// real coordinator returns the unused reservation.
contract VRFCoordinatorMock is IVRFCoordinator {
    uint16 public constant MAX_CONFIRMATIONS = 200;
    uint32 public constant MAX_NUM_WORDS = 500;
    uint32 public constant MAX_CALLBACK_GAS_LIMIT = 2_500_000;
    uint256 public constant MAX_REVERT_DATA = 164;

    struct Request {
        address requester;
        bytes32 keyHash;
        uint64 blockNumber;
        uint16 minConfirmations;
        uint32 callbackGasLimit;
        uint32 numWords;
        uint96 fee;
        RequestState state;
        bytes32 failedWords; // keccak256(abi.encode(words)) while CallbackFailed
    }

    event RandomWordsFulfilled(uint256 indexed requestId, uint256[] words, bool success);

    error NotEnoughConfirmations(uint256 requestId, uint256 readyAt, uint256 current);
    error WrongNumberOfWords(uint256 have, uint256 want);

    uint256 public priceWei; // flat price of any request
    uint256 public refundWei; // returned to the requester's credit after each fulfilment
    uint256 public cancelDelayBlocks = 10;
    uint256 public requestCount;
    mapping(address account => uint256) public creditOf;
    mapping(address account => uint256) public reservedOf;
    mapping(uint256 requestId => Request) public requests;
    mapping(bytes32 keyHash => bool) public keyDisabled;
    mapping(bytes32 keyHash => uint64) public lastFulfilledBlock;
    mapping(address requester => uint64) public nonceOf;

    constructor(uint256 priceWei_) {
        priceWei = priceWei_;
    }

    // ------------------------------------------------------------ test controls

    function setPrice(uint256 priceWei_) external {
        priceWei = priceWei_;
    }

    function setRefund(uint256 refundWei_) external {
        refundWei = refundWei_;
    }

    function setCancelDelay(uint256 blocks) external {
        cancelDelayBlocks = blocks;
    }

    function setKeyActive(bytes32 keyHash, bool active) external {
        keyDisabled[keyHash] = !active;
    }

    /// @notice Fulfils with words[i] = uint256(keccak256(abi.encode(requestId, i))).
    function fulfil(uint256 requestId) external returns (bool success) {
        uint256[] memory words = new uint256[](requests[requestId].numWords);
        for (uint256 i; i < words.length; ++i) {
            words[i] = uint256(keccak256(abi.encode(requestId, i)));
        }
        return _fulfil(requestId, words);
    }

    /// @notice Fulfils with the caller's words (as many as were requested).
    function fulfilWithWords(uint256 requestId, uint256[] memory words) external returns (bool success) {
        return _fulfil(requestId, words);
    }

    // ------------------------------------------------------- IVRFCoordinator

    function requestRandomWords(bytes32 keyHash, uint16 minConfirmations, uint32 callbackGasLimit, uint32 numWords)
        external
        payable
        returns (uint256 requestId)
    {
        if (keyDisabled[keyHash]) revert UnknownProvingKey(keyHash);
        if (minConfirmations < 1 || minConfirmations > MAX_CONFIRMATIONS) {
            revert InvalidConfirmations(minConfirmations, 1, MAX_CONFIRMATIONS);
        }
        if (callbackGasLimit > MAX_CALLBACK_GAS_LIMIT) revert InvalidCallbackGasLimit(callbackGasLimit, MAX_CALLBACK_GAS_LIMIT);
        if (numWords == 0 || numWords > MAX_NUM_WORDS) revert InvalidNumWords(numWords, MAX_NUM_WORDS);
        uint256 fee = priceWei;
        uint256 available = creditOf[msg.sender] + msg.value;
        if (available < fee) revert InsufficientPayment(available, fee);
        if (available - fee != creditOf[msg.sender]) _setCredit(msg.sender, available - fee);
        reservedOf[msg.sender] += fee;
        requestId = ++requestCount;
        uint64 nonce = ++nonceOf[msg.sender];
        requests[requestId] = Request(
            msg.sender, keyHash, uint64(block.number), minConfirmations, callbackGasLimit, numWords, uint96(fee), RequestState.Pending, 0
        );
        emit RandomWordsRequested(
            keyHash,
            requestId,
            msg.sender,
            nonce,
            uint256(keccak256(abi.encode(requestId, msg.sender, nonce))),
            uint64(block.number),
            minConfirmations,
            callbackGasLimit,
            numWords,
            uint96(fee)
        );
    }

    function requestPrice(bytes32, uint32, uint32) external view returns (uint256) {
        return priceWei;
    }

    function gasLane(bytes32) external view returns (uint256 maxGasPrice, uint256 premiumWei) {
        return (0, priceWei);
    }

    function cancelRequest(uint256 requestId) external returns (uint256 refund) {
        Request storage r = requests[requestId];
        if (r.state != RequestState.Pending) revert RequestNotPending(requestId);
        if (msg.sender != r.requester) revert NotRequester(msg.sender, r.requester);
        uint256 at = _cancellableAt(r);
        if (block.number < at) revert TooEarlyToCancel(requestId, at);
        r.state = RequestState.Cancelled;
        refund = r.fee;
        reservedOf[msg.sender] -= refund;
        _setCredit(msg.sender, creditOf[msg.sender] + refund);
        emit RequestCancelled(requestId, msg.sender, r.fee);
    }

    function withdrawCredit(address payable to, uint256 amount) external {
        uint256 credit = creditOf[msg.sender];
        if (amount > credit) revert InsufficientCredit(credit, amount);
        _setCredit(msg.sender, credit - amount);
        (bool ok,) = to.call{value: amount}("");
        if (!ok) revert TransferFailed(to, amount);
    }

    function requestStatus(uint256 requestId) external view returns (RequestStatus memory s) {
        Request storage r = requests[requestId];
        if (r.requester == address(0)) return s;
        s.state = r.state;
        s.requester = r.requester;
        s.requestBlock = r.blockNumber;
        s.readyAt = r.blockNumber + r.minConfirmations;
        s.cancellableAt = uint64(_cancellableAt(r));
        s.fee = r.fee;
    }

    function keyStatus(bytes32 keyHash) external view returns (KeyStatus memory s) {
        s.oracle = address(this);
        s.active = !keyDisabled[keyHash];
        s.attested = s.active;
        s.lastFulfilledBlock = lastFulfilledBlock[keyHash];
    }

    function redeliver(uint256 requestId, uint256[] calldata words) external returns (bool success) {
        Request storage r = requests[requestId];
        if (r.state != RequestState.CallbackFailed) revert NotRedeliverable(requestId);
        if (keccak256(abi.encode(words)) != r.failedWords) revert WordsMismatch(requestId);
        r.state = RequestState.Redelivered;
        (bool ok, bool outOfGas, bytes memory revertData) = ExactGasCall.callWithRemaining(
            r.callbackGasLimit, 50_000, r.requester, abi.encodeCall(VRFConsumerBase.rawFulfillRandomWords, (requestId, words)), MAX_REVERT_DATA
        );
        if (ok) {
            emit RandomWordsRedelivered(requestId, msg.sender);
            return true;
        }
        r.state = RequestState.CallbackFailed;
        emit CallbackFailed(requestId, outOfGas, revertData);
    }

    // ---------------------------------------------------------------- internal

    function _fulfil(uint256 requestId, uint256[] memory words) private returns (bool success) {
        Request storage r = requests[requestId];
        if (r.state != RequestState.Pending) revert RequestNotPending(requestId);
        uint256 readyAt = uint256(r.blockNumber) + r.minConfirmations;
        if (block.number < readyAt) revert NotEnoughConfirmations(requestId, readyAt, block.number);
        if (words.length != r.numWords) revert WrongNumberOfWords(words.length, r.numWords);
        r.state = RequestState.Fulfilled;
        reservedOf[r.requester] -= r.fee;
        lastFulfilledBlock[r.keyHash] = uint64(block.number);
        if (r.requester.code.length != 0) {
            bool outOfGas;
            bytes memory revertData;
            (success, outOfGas, revertData) = ExactGasCall.call(
                r.callbackGasLimit,
                5_000,
                50_000,
                r.requester,
                abi.encodeCall(VRFConsumerBase.rawFulfillRandomWords, (requestId, words)),
                MAX_REVERT_DATA
            );
            if (!success) {
                r.state = RequestState.CallbackFailed;
                r.failedWords = keccak256(abi.encode(words));
                emit CallbackFailed(requestId, outOfGas, revertData);
            }
        }
        uint256 refund = refundWei < r.fee ? refundWei : r.fee;
        if (refund != 0) _setCredit(r.requester, creditOf[r.requester] + refund);
        emit RandomWordsFulfilled(requestId, words, success);
    }

    function _cancellableAt(Request storage r) private view returns (uint256) {
        return uint256(r.blockNumber) + r.minConfirmations + cancelDelayBlocks;
    }

    function _setCredit(address account, uint256 credit) private {
        creditOf[account] = credit;
        emit CreditChanged(account, credit);
    }
}
