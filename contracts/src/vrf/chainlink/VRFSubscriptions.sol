// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IVRFSubscriptionV2Plus} from "@chainlink/contracts/src/v0.8/vrf/dev/interfaces/IVRFSubscriptionV2Plus.sol";

/// @title VRFSubscriptions
/// @notice Chainlink VRF v2.5 subscriptions (IVRFSubscriptionV2Plus) funded in native ETH: an
/// owner (transferable in two steps), up to MAX_CONSUMERS consumers, a balance that pays each
/// request, and a count of pending requests that blocks removing a consumer or cancelling while
/// a request is in flight — as Chainlink's SubscriptionAPI, whose event and error names it keeps.
abstract contract VRFSubscriptions is IVRFSubscriptionV2Plus {
    uint16 public constant MAX_CONSUMERS = 100;

    struct Subscription {
        address owner;
        uint96 nativeBalance;
        address requestedOwner;
        uint64 reqCount;
        uint32 pending;
    }

    event SubscriptionCreated(uint256 indexed subId, address owner);
    event SubscriptionFundedWithNative(uint256 indexed subId, uint256 oldNativeBalance, uint256 newNativeBalance);
    event SubscriptionConsumerAdded(uint256 indexed subId, address consumer);
    event SubscriptionConsumerRemoved(uint256 indexed subId, address consumer);
    event SubscriptionCanceled(uint256 indexed subId, address to, uint256 amountLink, uint256 amountNative);
    event SubscriptionOwnerTransferRequested(uint256 indexed subId, address from, address to);
    event SubscriptionOwnerTransferred(uint256 indexed subId, address from, address to);

    error InvalidSubscription();
    error MustBeSubOwner(address owner);
    error MustBeRequestedOwner(address proposedOwner);
    error TooManyConsumers();
    error InvalidConsumer(uint256 subId, address consumer);
    error PendingRequestExists();
    error InsufficientBalance();
    error BalanceTooLarge();
    error FailedToSendNative();

    mapping(uint256 subId => Subscription) internal _subs;
    mapping(uint256 subId => address[]) internal _consumers;
    mapping(address consumer => mapping(uint256 subId => bool)) internal _added;
    uint256[] internal _active;
    mapping(uint256 subId => uint256) internal _activeIndex; // index + 1
    uint64 private _subNonce;

    /// @inheritdoc IVRFSubscriptionV2Plus
    function createSubscription() external returns (uint256 subId) {
        // As Chainlink: unpredictable before the block, unique per coordinator and nonce.
        subId = uint256(keccak256(abi.encodePacked(msg.sender, blockhash(block.number - 1), address(this), ++_subNonce)));
        _subs[subId] = Subscription(msg.sender, 0, address(0), 0, 0);
        _active.push(subId);
        _activeIndex[subId] = _active.length;
        emit SubscriptionCreated(subId, msg.sender);
    }

    /// @inheritdoc IVRFSubscriptionV2Plus
    function fundSubscriptionWithNative(uint256 subId) external payable {
        Subscription storage s = _sub(subId);
        uint256 old = s.nativeBalance;
        if (old + msg.value > type(uint96).max) revert BalanceTooLarge();
        s.nativeBalance = uint96(old + msg.value);
        emit SubscriptionFundedWithNative(subId, old, old + msg.value);
    }

    /// @inheritdoc IVRFSubscriptionV2Plus
    function addConsumer(uint256 subId, address consumer) external {
        _onlySubOwner(subId);
        if (_added[consumer][subId]) return; // idempotent, as Chainlink
        if (_consumers[subId].length >= MAX_CONSUMERS) revert TooManyConsumers();
        _added[consumer][subId] = true;
        _consumers[subId].push(consumer);
        emit SubscriptionConsumerAdded(subId, consumer);
    }

    /// @inheritdoc IVRFSubscriptionV2Plus
    function removeConsumer(uint256 subId, address consumer) external {
        _onlySubOwner(subId);
        if (_subs[subId].pending != 0) revert PendingRequestExists();
        if (!_added[consumer][subId]) revert InvalidConsumer(subId, consumer);
        address[] storage list = _consumers[subId];
        for (uint256 i; i < list.length; ++i) {
            if (list[i] == consumer) {
                list[i] = list[list.length - 1];
                list.pop();
                break;
            }
        }
        delete _added[consumer][subId];
        emit SubscriptionConsumerRemoved(subId, consumer);
    }

    /// @inheritdoc IVRFSubscriptionV2Plus
    function cancelSubscription(uint256 subId, address to) external {
        _onlySubOwner(subId);
        if (_subs[subId].pending != 0) revert PendingRequestExists();
        _beforeBalanceRead();
        uint256 balance = _subs[subId].nativeBalance;
        _beforePayout(balance);
        address[] memory list = _consumers[subId];
        for (uint256 i; i < list.length; ++i) {
            delete _added[list[i]][subId];
        }
        delete _consumers[subId];
        delete _subs[subId];
        uint256 index = _activeIndex[subId] - 1;
        uint256 last = _active[_active.length - 1];
        _active[index] = last;
        _activeIndex[last] = index + 1;
        _active.pop();
        delete _activeIndex[subId];
        emit SubscriptionCanceled(subId, to, 0, balance);
        (bool ok,) = to.call{value: balance}("");
        if (!ok) revert FailedToSendNative();
    }

    /// @inheritdoc IVRFSubscriptionV2Plus
    function requestSubscriptionOwnerTransfer(uint256 subId, address newOwner) external {
        _onlySubOwner(subId);
        if (_subs[subId].requestedOwner != newOwner) {
            _subs[subId].requestedOwner = newOwner;
            emit SubscriptionOwnerTransferRequested(subId, msg.sender, newOwner);
        }
    }

    /// @inheritdoc IVRFSubscriptionV2Plus
    function acceptSubscriptionOwnerTransfer(uint256 subId) external {
        Subscription storage s = _sub(subId);
        if (s.requestedOwner != msg.sender) revert MustBeRequestedOwner(s.requestedOwner);
        address old = s.owner;
        s.owner = msg.sender;
        s.requestedOwner = address(0);
        emit SubscriptionOwnerTransferred(subId, old, msg.sender);
    }

    /// @inheritdoc IVRFSubscriptionV2Plus
    function getSubscription(uint256 subId)
        external
        view
        returns (uint96 balance, uint96 nativeBalance, uint64 reqCount, address owner, address[] memory consumers)
    {
        Subscription memory s = _subs[subId];
        if (s.owner == address(0)) revert InvalidSubscription();
        uint256 owed = _uncollected(subId);
        // casting to 'uint96' is safe: what _credit will add fits (it reverts otherwise).
        // forge-lint: disable-next-line(unsafe-typecast)
        return (0, uint96(s.nativeBalance + owed), s.reqCount, s.owner, _consumers[subId]);
    }

    /// @dev A refund owed to the subscription but not yet added to its balance.
    function _uncollected(uint256 subId) internal view virtual returns (uint256) {
        subId;
        return 0;
    }

    /// @inheritdoc IVRFSubscriptionV2Plus
    function pendingRequestExists(uint256 subId) external view returns (bool) {
        return _subs[subId].pending != 0;
    }

    /// @inheritdoc IVRFSubscriptionV2Plus
    function getActiveSubscriptionIds(uint256 startIndex, uint256 maxCount) external view returns (uint256[] memory ids) {
        uint256 n = _active.length;
        if (startIndex >= n) return ids;
        uint256 end = maxCount == 0 || startIndex + maxCount > n ? n : startIndex + maxCount;
        ids = new uint256[](end - startIndex);
        for (uint256 i; i < ids.length; ++i) {
            ids[i] = _active[startIndex + i];
        }
    }

    // ---------------------------------------------------------------- internal

    function _sub(uint256 subId) internal view returns (Subscription storage s) {
        s = _subs[subId];
        if (s.owner == address(0)) revert InvalidSubscription();
    }

    function _onlySubOwner(uint256 subId) internal view {
        address owner = _sub(subId).owner;
        if (msg.sender != owner) revert MustBeSubOwner(owner);
    }

    /// @dev Brings balances up to date (refunds owed to subscriptions) before one is paid out.
    function _beforeBalanceRead() internal virtual {}

    /// @dev Makes sure `amount` wei is on hand before it is sent.
    function _beforePayout(uint256 amount) internal virtual {}

    /// @dev Adds `amount` to a live subscription's balance; false if it is gone.
    function _credit(uint256 subId, uint256 amount) internal returns (bool) {
        Subscription storage s = _subs[subId];
        if (s.owner == address(0)) return false;
        uint256 b = uint256(s.nativeBalance) + amount;
        if (b > type(uint96).max) revert BalanceTooLarge();
        // casting to 'uint96' is safe: checked above.
        // forge-lint: disable-next-line(unsafe-typecast)
        s.nativeBalance = uint96(b);
        return true;
    }

    function _checkConsumer(uint256 subId, address consumer) internal view {
        _sub(subId);
        if (!_added[consumer][subId]) revert InvalidConsumer(subId, consumer);
    }

    /// @dev Takes a request's fee from the subscription and counts it pending.
    function _charge(uint256 subId, uint256 fee) internal {
        Subscription storage s = _subs[subId];
        if (s.nativeBalance < fee) revert InsufficientBalance();
        // casting to 'uint96' is safe: fee ≤ nativeBalance, a uint96.
        // forge-lint: disable-next-line(unsafe-typecast)
        s.nativeBalance -= uint96(fee);
        s.reqCount += 1;
        s.pending += 1;
    }

    /// @dev A request of the subscription ended; `refund` (a cancelled fee) goes back to it. A
    /// subscription cancelled meanwhile is impossible: cancelling waits for pending requests.
    function _settle(uint256 subId, uint256 refund) internal {
        Subscription storage s = _subs[subId];
        s.pending -= 1;
        // forge-lint: disable-next-line(unsafe-typecast)
        if (refund != 0) s.nativeBalance += uint96(refund);
    }
}
