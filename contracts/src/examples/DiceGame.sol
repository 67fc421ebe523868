// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {VRFConsumerBase} from "../vrf/VRFConsumerBase.sol";
import {VRFConsumerPayments} from "../vrf/VRFConsumerPayments.sol";

/// @title DiceGame
/// @notice A player pays the coordinator's price (its reservation) and rolls a six-sided die; the result arrives
/// with the verified random word (VRFCoordinator), never before the request is final. Each roll
/// is paid by its player alone (an overpayment goes straight back), and a roll the oracle never
/// answered can be cancelled by its player for a refund once the coordinator allows it.
contract DiceGame is VRFConsumerPayments {
    uint16 public constant CONFIRMATIONS = 3;
    uint32 public constant CALLBACK_GAS_LIMIT = 60_000;

    struct Roll {
        address player;
        uint8 result; // 0 while pending, then 1…6
        bool cancelled;
    }

    event DiceRolled(uint256 indexed requestId, address indexed player);
    event DiceLanded(uint256 indexed requestId, address indexed player, uint8 result);
    event RollCancelled(uint256 indexed requestId, address indexed player);

    error UnknownRoll(uint256 requestId);
    error AlreadyLanded(uint256 requestId);

    bytes32 public immutable keyHash;
    mapping(uint256 requestId => Roll) public rolls;
    mapping(address player => uint8) public lastResult;

    constructor(address coordinator, bytes32 keyHash_) VRFConsumerBase(coordinator) {
        keyHash = keyHash_;
    }

    /// @notice The ETH `roll` needs (the coordinator's fee for one word).
    function price() external view returns (uint256) {
        return vrfCoordinator.requestPrice(keyHash, CALLBACK_GAS_LIMIT, 1);
    }

    /// @notice Rolls the die for msg.sender, who pays price(); any excess is sent back.
    function roll() external payable returns (uint256 requestId) {
        requestId = _requestPaidBySender(keyHash, CONFIRMATIONS, CALLBACK_GAS_LIMIT, 1);
        rolls[requestId] = Roll({player: msg.sender, result: 0, cancelled: false});
        emit DiceRolled(requestId, msg.sender);
    }

    /// @notice The player of a roll still pending at the coordinator's `cancellableAt` takes it
    /// back, and its fee is refunded to them.
    function cancelRoll(uint256 requestId) external {
        _onlyPayer(requestId);
        rolls[requestId].cancelled = true;
        emit RollCancelled(requestId, msg.sender);
        _cancelAndRefund(requestId);
    }

    /// @notice The owner withdraws this game's own credit at the coordinator: ether someone sent
    /// it beyond a fee, and the unused part of fulfilled rolls' reservations (the coordinator
    /// charges a roll only the gas its fulfilment used; VRFConsumerPayments).
    function withdrawCredit(address payable to, uint256 amount) external onlyOwner {
        _withdrawCredit(to, amount);
    }

    function fulfillRandomWords(uint256 requestId, uint256[] calldata randomWords) internal override {
        Roll storage r = rolls[requestId];
        if (r.player == address(0)) revert UnknownRoll(requestId);
        if (r.result != 0) revert AlreadyLanded(requestId);
        // 2^256 mod 6 = 4: the modulo bias is 2^-254, negligible.
        uint8 result = uint8(randomWords[0] % 6) + 1;
        r.result = result;
        lastResult[r.player] = result;
        emit DiceLanded(requestId, r.player, result);
    }
}
