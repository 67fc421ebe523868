// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IVRFCoordinator} from "./IVRFCoordinator.sol";

/// @title VRFCredit
/// @notice Requesters' credit at the coordinator: what they sent beyond a fee, and the fees of
/// the requests they cancelled. Spent first on their next requests, or withdrawn.
abstract contract VRFCredit is IVRFCoordinator {
    mapping(address account => uint256) public creditOf;

    /// @inheritdoc IVRFCoordinator
    function withdrawCredit(address payable to, uint256 amount) external {
        uint256 credit = creditOf[msg.sender];
        if (amount > credit) revert InsufficientCredit(credit, amount);
        _setCredit(msg.sender, credit - amount);
        _send(to, amount);
    }

    /// @dev Takes `fee` from msg.value, then from credit; the excess of msg.value becomes credit.
    function _pay(uint256 fee) internal {
        if (msg.value == fee) return;
        uint256 credit = creditOf[msg.sender];
        uint256 available = credit + msg.value;
        if (available < fee) revert InsufficientPayment(available, fee);
        _setCredit(msg.sender, available - fee);
    }

    function _setCredit(address account, uint256 credit) internal {
        creditOf[account] = credit;
        emit CreditChanged(account, credit);
    }

    function _send(address payable to, uint256 amount) internal {
        (bool ok,) = to.call{value: amount}("");
        if (!ok) revert TransferFailed(to, amount);
    }
}
