// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {VRFConsumerBase} from "./VRFConsumerBase.sol";

/// @title VRFConsumerPayments
/// @notice Per-request payer accounting for a game whose players pay for their own randomness:
/// each request is paid with exactly the coordinator's price out of the player's msg.value, the
/// rest goes straight back to that player, and a cancelled request's fee goes back to the player
/// who paid it. The game's credit at the coordinator is never spent on a player's behalf, so no
/// player can roll on another's overpayment. The price is the coordinator's reservation (the
/// worst case at the key's gas lane cap); the unused part of a fulfilled request's reservation
/// returns to the game's credit, not to the player (VRFRefunds can attribute it per request).
abstract contract VRFConsumerPayments is VRFConsumerBase {
    /// @notice Who paid for a request, and how much (wei); deleted when it is refunded.
    struct Payment {
        address payer;
        uint96 fee;
    }

    event PlayerRefunded(uint256 indexed requestId, address indexed player, uint256 amount);

    error InsufficientPayment(uint256 have, uint256 want);
    error NotPayer(address caller, address payer);
    error UnknownPayment(uint256 requestId);
    error RefundFailed(address to, uint256 amount);
    error UnexpectedEther(address from);

    mapping(uint256 requestId => Payment) public paymentOf;

    /// @notice Only the coordinator sends ether here (a cancelled fee, withdrawn to be refunded).
    receive() external payable {
        if (msg.sender != address(vrfCoordinator)) revert UnexpectedEther(msg.sender);
    }

    /// @dev Requests words paid by msg.sender: msg.value must cover requestPrice; the excess is
    /// sent back to msg.sender at once (0 is not sent).
    function _requestPaidBySender(bytes32 keyHash, uint16 minConfirmations, uint32 callbackGasLimit, uint32 numWords)
        internal
        returns (uint256 requestId)
    {
        uint256 fee = vrfCoordinator.requestPrice(keyHash, callbackGasLimit, numWords);
        if (msg.value < fee) revert InsufficientPayment(msg.value, fee);
        requestId = _requestRandomWords(keyHash, minConfirmations, callbackGasLimit, numWords, fee);
        // casting to 'uint96' is safe: the coordinator caps a fee far below 2^96 wei.
        // forge-lint: disable-next-line(unsafe-typecast)
        paymentOf[requestId] = Payment(msg.sender, uint96(fee));
        if (msg.value > fee) _refund(requestId, msg.sender, msg.value - fee);
    }

    /// @dev Cancels a request once the coordinator allows it and refunds its fee to the player
    /// who paid it (whoever triggers the cancel). @return payer who was refunded.
    function _cancelAndRefund(uint256 requestId) internal returns (address payer) {
        Payment memory p = paymentOf[requestId];
        if (p.payer == address(0)) revert UnknownPayment(requestId);
        delete paymentOf[requestId];
        uint256 refund = _cancelRequest(requestId);
        _withdrawCredit(payable(address(this)), refund);
        _refund(requestId, p.payer, refund);
        return p.payer;
    }

    /// @dev Reverts unless msg.sender paid for `requestId`.
    function _onlyPayer(uint256 requestId) internal view {
        address payer = paymentOf[requestId].payer;
        if (msg.sender != payer) revert NotPayer(msg.sender, payer);
    }

    function _refund(uint256 requestId, address to, uint256 amount) private {
        emit PlayerRefunded(requestId, to, amount);
        (bool ok,) = payable(to).call{value: amount}("");
        if (!ok) revert RefundFailed(to, amount);
    }
}
