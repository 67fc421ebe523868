// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IVRFCoordinator} from "./IVRFCoordinator.sol";

/// @title VRFCredit
/// @notice Requesters' accounts at the coordinator: credit (what they sent beyond a
/// reservation, the unused part of fulfilled requests' reservations, cancelled requests'
/// reservations — spent first on their next requests, or withdrawn) and what their pending
/// requests reserve. Both share a slot, so returning a fulfilment's unused reservation is one
/// write to a slot the request already made nonzero (≈ 5k gas, never a 20k fresh write).
abstract contract VRFCredit is IVRFCoordinator {
    struct Account {
        uint128 credit;
        uint128 reserved;
    }

    mapping(address account => Account) internal _accounts;

    /// @inheritdoc IVRFCoordinator
    function creditOf(address account) external view returns (uint256) {
        return _accounts[account].credit;
    }

    /// @inheritdoc IVRFCoordinator
    function reservedOf(address account) external view returns (uint256) {
        return _accounts[account].reserved;
    }

    /// @inheritdoc IVRFCoordinator
    function withdrawCredit(address payable to, uint256 amount) external {
        Account storage a = _accounts[msg.sender];
        uint256 credit = a.credit;
        if (amount > credit) revert InsufficientCredit(credit, amount);
        // casting to 'uint128' is safe: amount ≤ credit.
        // forge-lint: disable-next-line(unsafe-typecast)
        a.credit = uint128(credit - amount);
        emit CreditChanged(msg.sender, credit - amount);
        _send(to, amount);
    }

    /// @dev Reserves `fee` for a request: from msg.value, then from credit; the excess of
    /// msg.value becomes credit.
    function _reserve(uint256 fee) internal {
        Account memory a = _accounts[msg.sender];
        uint256 available = uint256(a.credit) + msg.value;
        if (available < fee) revert InsufficientPayment(available, fee);
        uint256 credit = available - fee;
        // casting to 'uint128' is safe: all the ether there is fits in 2^128 wei.
        // forge-lint: disable-next-line(unsafe-typecast)
        _accounts[msg.sender] = Account(uint128(credit), a.reserved + uint128(fee));
        if (credit != a.credit) emit CreditChanged(msg.sender, credit);
    }

    /// @dev A request of `account` reserving `fee` ended having cost `charge` (≤ fee); the rest
    /// becomes credit. Read fresh: the account may have changed since the request's fulfilment
    /// started (its callback may request or withdraw).
    function _release(address account, uint256 fee, uint256 charge) internal {
        Account storage a = _accounts[account];
        // One read and one write of the slot (credit in the low 128 bits, reserved in the high):
        // reserved ≥ fee (it was reserved) and credit + fee − charge stays below 2^128 (all the
        // ether there is), so neither half carries into the other.
        assembly ("memory-safe") {
            let v := sload(a.slot)
            sstore(a.slot, sub(add(v, sub(fee, charge)), shl(128, fee)))
        }
    }

    function _send(address payable to, uint256 amount) internal {
        (bool ok,) = to.call{value: amount}("");
        if (!ok) revert TransferFailed(to, amount);
    }
}
