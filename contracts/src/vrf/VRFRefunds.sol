// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {VRFConsumerBase} from "./VRFConsumerBase.sol";

/// @title VRFRefunds
/// @notice For a consumer that requests on others' behalf (players, subscriptions) and must pass
/// each request's refund on: the coordinator returns the unused part of a fulfilled request's
/// reservation to this contract's credit right *after* its callback, so a callback sees the
/// refund of the fulfilment before it. `_noteFulfilment` (first thing in fulfillRandomWords)
/// attributes the credit that appeared since it last looked to that earlier request
/// (`_onRefund`) and marks the current one; `collectRefund` attributes the last one without
/// waiting for another fulfilment. The inheriting contract must call `_collectRefund` before it
/// moves its own credit (requests paid beyond msg.value, withdrawals) and report what it moved
/// with `_creditMoved`, so only refunds change the credit between two looks.
abstract contract VRFRefunds is VRFConsumerBase {
    /// @dev One slot: this contract's credit at the coordinator when last looked at, and the last
    /// fulfilled request whose refund is not attributed yet (0: none).
    struct Look {
        uint96 creditSeen;
        uint160 pending;
    }

    Look private _look;
    /// @dev Set while this contract's fulfillRandomWords runs (from `_noteFulfilment` to
    /// `_endFulfilment`): code it calls could look at the credit before the coordinator has
    /// credited this fulfilment's refund. After it returns only the coordinator runs until then.
    bool private transient _fulfilling;

    event RefundAttributed(uint256 indexed requestId, uint256 amount);

    error RefundNotCreditedYet();

    /// @notice Attributes the last fulfilled request's refund now (anyone; not within a fulfilment).
    function collectRefund() external {
        if (_fulfilling) revert RefundNotCreditedYet();
        _collectRefund();
    }

    /// @dev Call first in fulfillRandomWords, and `_endFulfilment` last.
    function _noteFulfilment(uint256 requestId) internal {
        _look = Look(uint96(_collectRefund()), uint160(requestId));
        _fulfilling = true;
    }

    function _endFulfilment() internal {
        _fulfilling = false;
    }

    /// @dev Gives the credit that appeared since the last look to the pending request.
    /// @return credit this contract's credit now.
    function _collectRefund() internal returns (uint256 credit) {
        credit = _vrfCredit();
        // Within a fulfilment (a callback cancelling or requesting) the pending request's refund
        // is not credited yet: looking now would leave it to nobody.
        if (_fulfilling) return credit;
        Look memory l = _look;
        if (credit == l.creditSeen && l.pending == 0) return credit;
        // casting to 'uint96' is safe: credit is at most all the ether there is (< 2^96 wei).
        // forge-lint: disable-next-line(unsafe-typecast)
        _look = Look(uint96(credit), 0);
        if (l.pending != 0 && credit > l.creditSeen) {
            emit RefundAttributed(l.pending, credit - l.creditSeen);
            _onRefund(l.pending, credit - l.creditSeen);
        }
    }

    /// @dev The refund not attributed yet: the last fulfilled request and the credit that
    /// appeared since (0 while its fulfilment is still running).
    function _uncollectedRefund() internal view returns (uint256 requestId, uint256 amount) {
        Look memory l = _look;
        requestId = l.pending;
        uint256 credit = _vrfCredit();
        if (requestId != 0 && credit > l.creditSeen) amount = credit - l.creditSeen;
    }

    /// @dev This contract moved `spent` of its credit and added `added` (after `_collectRefund`).
    function _creditMoved(uint256 added, uint256 spent) internal {
        // casting to 'uint96' is safe: the result is this contract's credit.
        // forge-lint: disable-next-line(unsafe-typecast)
        _look.creditSeen = uint96(_look.creditSeen + added - spent);
    }

    /// @dev `amount` wei of request `requestId`'s reservation came back (as credit here).
    function _onRefund(uint256 requestId, uint256 amount) internal virtual;
}
