// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IVRFCoordinatorV2Plus} from "@chainlink/contracts/src/v0.8/vrf/dev/interfaces/IVRFCoordinatorV2Plus.sol";
import {VRFV2PlusClient} from "@chainlink/contracts/src/v0.8/vrf/dev/libraries/VRFV2PlusClient.sol";
import {VRFConsumerBase} from "../VRFConsumerBase.sol";
import {VRFRefunds} from "../VRFRefunds.sol";
import {ExactGasCall} from "../ExactGasCall.sol";
import {VRFSubscriptions} from "./VRFSubscriptions.sol";

/// @title VRFCoordinatorV2PlusFront
/// @notice Chainlink VRF v2.5's coordinator interface (IVRFCoordinatorV2Plus) over a cvex
/// VRFCoordinator, so a contract written for Chainlink — a VRFConsumerBaseV2Plus compiled
/// unchanged from the Chainlink contracts npm package — gets cvex randomness (RFC 9381 proofs from attested keys)
/// once pointed at this address. Subscriptions are paid in native ETH only: a request whose
/// extraArgs do not say `nativePayment: true` (empty extraArgs mean LINK in Chainlink) is refused
/// with LinkPaymentNotSupported.
///
/// Each request is forwarded to the coordinator as this contract's own request: the
/// subscription's balance pays the coordinator's reservation for the consumer's callback gas plus
/// FORWARD_GAS_OVERHEAD, at the key's gas lane cap; the request id is the coordinator's, so
/// `cvex vrf status <id>` and the consumer see the same id. The fulfilment is charged at the gas
/// it used and the price it paid; the coordinator returns the rest to this contract's credit
/// after the callback, and it goes back to the subscription's balance at the next fulfilment,
/// request or cancellation, or when anyone calls `collectRefund` (VRFRefunds;
/// `getSubscription` counts it already). The coordinator delivers the words here and this contract calls the
/// consumer's rawFulfillRandomWords with exactly its callback gas limit (the consumer's
/// s_vrfCoordinator is this contract). As in Chainlink, a failed consumer callback still
/// fulfils the request; unlike Chainlink its words are not lost: ConsumerCallbackFailed reports
/// it and `redeliver` delivers them again.
contract VRFCoordinatorV2PlusFront is IVRFCoordinatorV2Plus, VRFSubscriptions, VRFRefunds {
    /// @notice Gas this contract needs around a consumer's callback besides the callback and its
    /// 1/64 (EIP-150): the route and subscription slots, the previous fulfilment's refund (a
    /// credit read and two slots, fresh ones the first time: 2 × 22.1k), the exact-gas call's
    /// checks, and on failure the words' commitment in a new slot and an event
    /// (GAS_AFTER_CONSUMER). Only reserved: a fulfilment is charged the gas it used.
    uint32 public constant FORWARD_GAS_OVERHEAD = 125_000;
    uint256 public constant GAS_AFTER_CONSUMER = 45_000;
    uint256 public constant MAX_REVERT_DATA = 164;
    bytes32 private constant REDELIVERED = bytes32(uint256(1));

    /// @dev Where the words of a pending request go.
    struct Route {
        address consumer;
        uint32 callbackGasLimit;
        uint256 subId;
    }

    event RandomWordsForwarded(uint256 indexed requestId, uint256 indexed subId, address indexed consumer, uint32 callbackGasLimit);
    event ConsumerFulfilled(uint256 indexed requestId, address indexed consumer, bool success);
    event ConsumerCallbackFailed(uint256 indexed requestId, bool outOfGas, bytes revertData);
    event ConsumerRedelivered(uint256 indexed requestId, address indexed by);

    error LinkPaymentNotSupported();
    error InvalidExtraArgsTag();
    error Reentrant();
    error UnknownRequest(uint256 requestId);
    error CallbackGasLimitTooBig(uint32 have, uint32 max);

    mapping(uint256 requestId => Route) public routes;
    /// @dev keccak256(abi.encode(words)) of a failed consumer callback; REDELIVERED once re-delivered.
    mapping(uint256 requestId => bytes32) internal _failed;
    /// @dev Transient (EIP-1153): a lock in storage would cost a fresh slot write, 22.1k, per fulfilment.
    bool private transient _inCallback;
    /// @dev The subscription of the last fulfilled request (VRFRefunds' pending refund is its).
    uint256 private _refundSub;

    constructor(address cvexCoordinator) VRFConsumerBase(cvexCoordinator) {}

    /// @notice Only the coordinator sends ether here (the fee of a request cancelled for a subscription).
    receive() external payable {
        if (msg.sender != address(vrfCoordinator)) revert Reentrant();
    }

    /// @inheritdoc IVRFCoordinatorV2Plus
    function requestRandomWords(VRFV2PlusClient.RandomWordsRequest calldata req) external returns (uint256 requestId) {
        if (_inCallback) revert Reentrant(); // as Chainlink: no request from inside a callback
        _checkConsumer(req.subId, msg.sender);
        _collectRefund();
        if (!_nativePayment(req.extraArgs)) revert LinkPaymentNotSupported();
        uint32 max = 2_000_000; // leaves the coordinator's MAX_CALLBACK_GAS_LIMIT room for the forwarding
        if (req.callbackGasLimit > max) revert CallbackGasLimitTooBig(req.callbackGasLimit, max);
        uint32 forwarded = req.callbackGasLimit + req.callbackGasLimit / 63 + FORWARD_GAS_OVERHEAD;
        uint256 fee = vrfCoordinator.requestPrice(req.keyHash, forwarded, req.numWords);
        _charge(req.subId, fee);
        _beforePayout(fee);
        requestId = _requestRandomWords(req.keyHash, req.requestConfirmations, forwarded, req.numWords, fee);
        routes[requestId] = Route(msg.sender, req.callbackGasLimit, req.subId);
        emit RandomWordsForwarded(requestId, req.subId, msg.sender, req.callbackGasLimit);
    }

    /// @notice The subscription's owner cancels a request the oracle never answered (once the
    /// coordinator allows it); its fee goes back to the subscription.
    function cancelRequest(uint256 requestId) external {
        Route memory r = routes[requestId];
        if (r.consumer == address(0)) revert UnknownRequest(requestId);
        _onlySubOwner(r.subId);
        _collectRefund();
        delete routes[requestId];
        uint256 refund = _cancelRequest(requestId);
        _withdrawCredit(payable(address(this)), refund);
        _settle(r.subId, refund);
    }

    /// @notice Delivers again the words of a request whose consumer callback failed (checked
    /// against the commitment kept then). Anyone may call it, with the gas the callback needs.
    function redeliver(uint256 requestId, uint256[] calldata words) external returns (bool ok) {
        bytes32 c = _failed[requestId];
        if (c == 0 || c == REDELIVERED || keccak256(abi.encode(words)) != c) revert UnknownRequest(requestId);
        _failed[requestId] = REDELIVERED;
        _inCallback = true;
        Route memory r = routes[requestId];
        (bool success, bool outOfGas, bytes memory data) = ExactGasCall.callWithRemaining(
            r.callbackGasLimit, GAS_AFTER_CONSUMER, r.consumer, abi.encodeCall(VRFConsumerBase.rawFulfillRandomWords, (requestId, words)), MAX_REVERT_DATA
        );
        _inCallback = false;
        if (success) {
            delete routes[requestId];
            emit ConsumerRedelivered(requestId, msg.sender);
            return true;
        }
        _failed[requestId] = c;
        emit ConsumerCallbackFailed(requestId, outOfGas, data);
    }

    /// @dev The cvex coordinator delivers here; the consumer gets exactly its callback gas.
    function fulfillRandomWords(uint256 requestId, uint256[] calldata words) internal override {
        Route memory r = routes[requestId];
        if (r.consumer == address(0)) revert UnknownRequest(requestId);
        _noteFulfilment(requestId);
        _refundSub = r.subId;
        _settle(r.subId, 0);
        _inCallback = true;
        bool success;
        bool outOfGas;
        bytes memory data;
        if (r.consumer.code.length != 0) {
            (success, outOfGas, data) = ExactGasCall.call(
                r.callbackGasLimit,
                5_000,
                GAS_AFTER_CONSUMER,
                r.consumer,
                abi.encodeCall(VRFConsumerBase.rawFulfillRandomWords, (requestId, words)),
                MAX_REVERT_DATA
            );
        }
        _inCallback = false;
        emit ConsumerFulfilled(requestId, r.consumer, success);
        if (success) {
            delete routes[requestId];
        } else {
            _failed[requestId] = keccak256(abi.encode(words));
            emit ConsumerCallbackFailed(requestId, outOfGas, data);
        }
        _endFulfilment();
    }

    /// @dev A fulfilled request's unused reservation goes back to its subscription (kept here as
    /// credit at the coordinator if the subscription is gone, which cancelling first prevents).
    function _onRefund(uint256, uint256 amount) internal override {
        _credit(_refundSub, amount);
    }

    function _beforeBalanceRead() internal override {
        _collectRefund();
    }

    /// @dev Subscriptions' ether is here or, as refunds, this contract's credit at the coordinator.
    function _beforePayout(uint256 amount) internal override {
        if (address(this).balance >= amount) return;
        uint256 credit = _vrfCredit();
        _withdrawCredit(payable(address(this)), credit);
        _creditMoved(0, credit);
    }

    function _uncollected(uint256 subId) internal view override returns (uint256 amount) {
        uint256 id;
        (id, amount) = _uncollectedRefund();
        if (id == 0 || subId != _refundSub) return 0;
    }

    /// @dev Chainlink's VRFV2PlusClient extraArgs: empty means LINK; else the v1 tag and a bool.
    function _nativePayment(bytes calldata extraArgs) private pure returns (bool) {
        if (extraArgs.length == 0) return false;
        if (extraArgs.length < 4 || bytes4(extraArgs[:4]) != VRFV2PlusClient.EXTRA_ARGS_V1_TAG) revert InvalidExtraArgsTag();
        return abi.decode(extraArgs[4:], (VRFV2PlusClient.ExtraArgsV1)).nativePayment;
    }
}
