// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {VRFConsumerBase} from "../vrf/VRFConsumerBase.sol";
import {VRFConsumerPayments} from "../vrf/VRFConsumerPayments.sol";

/// @title NFTTraitRoller
/// @notice Mints a token whose traits (rarity, body, background, power) are rolled from three
/// verified random words, so neither the minter nor the operator can pick them. Ownership is a
/// plain mapping: the point is the trait roll, not a full ERC-721. Each mint is paid by its
/// minter alone; a mint whose reveal never came can be cancelled by its minter (the token is
/// burnt and the fee refunded).
contract NFTTraitRoller is VRFConsumerPayments {
    uint16 public constant CONFIRMATIONS = 3;
    uint32 public constant CALLBACK_GAS_LIMIT = 120_000;
    uint32 public constant NUM_WORDS = 3;
    uint8 public constant BODIES = 12;
    uint8 public constant BACKGROUNDS = 8;

    enum Rarity {
        Unrevealed,
        Common, // 70 %
        Rare, // 25 %
        Legendary // 5 %
    }

    struct Traits {
        Rarity rarity;
        uint8 body; // 0…BODIES−1
        uint8 background; // 0…BACKGROUNDS−1
        uint16 power; // 1…100, +50 for Legendary
    }

    event Minted(uint256 indexed tokenId, address indexed owner, uint256 requestId);
    event TraitsRevealed(uint256 indexed tokenId, Rarity rarity, uint8 body, uint8 background, uint16 power);
    event MintCancelled(uint256 indexed tokenId, address indexed owner, uint256 requestId);

    error UnknownRequest(uint256 requestId);

    bytes32 public immutable keyHash;
    uint256 public totalSupply;
    mapping(uint256 tokenId => address) public ownerOf;
    mapping(uint256 tokenId => Traits) public traitsOf;
    mapping(uint256 requestId => uint256) public tokenOfRequest;

    constructor(address coordinator, bytes32 keyHash_) VRFConsumerBase(coordinator) {
        keyHash = keyHash_;
    }

    function price() external view returns (uint256) {
        return vrfCoordinator.requestPrice(keyHash, CALLBACK_GAS_LIMIT, NUM_WORDS);
    }

    /// @notice Mints the next token to msg.sender, who pays price() (any excess is sent back);
    /// its traits are revealed on fulfilment.
    function mint() external payable returns (uint256 tokenId) {
        tokenId = ++totalSupply;
        ownerOf[tokenId] = msg.sender;
        uint256 requestId = _requestPaidBySender(keyHash, CONFIRMATIONS, CALLBACK_GAS_LIMIT, NUM_WORDS);
        tokenOfRequest[requestId] = tokenId;
        emit Minted(tokenId, msg.sender, requestId);
    }

    /// @notice The minter of a token whose reveal is still pending at the coordinator's
    /// `cancellableAt` burns it and gets the fee back.
    function cancelMint(uint256 requestId) external {
        _onlyPayer(requestId);
        uint256 tokenId = tokenOfRequest[requestId];
        delete tokenOfRequest[requestId];
        delete ownerOf[tokenId];
        emit MintCancelled(tokenId, msg.sender, requestId);
        _cancelAndRefund(requestId);
    }

    /// @notice The owner withdraws this contract's own credit at the coordinator.
    function withdrawCredit(address payable to, uint256 amount) external onlyOwner {
        _withdrawCredit(to, amount);
    }

    function fulfillRandomWords(uint256 requestId, uint256[] calldata words) internal override {
        uint256 tokenId = tokenOfRequest[requestId];
        if (tokenId == 0) revert UnknownRequest(requestId);
        delete tokenOfRequest[requestId];
        uint256 roll = words[0] % 100;
        Rarity rarity = roll < 70 ? Rarity.Common : roll < 95 ? Rarity.Rare : Rarity.Legendary;
        uint16 power = uint16(words[2] % 100) + 1 + (rarity == Rarity.Legendary ? 50 : 0);
        Traits memory t = Traits({
            rarity: rarity,
            body: uint8(words[1] % BODIES),
            background: uint8((words[1] >> 128) % BACKGROUNDS),
            power: power
        });
        traitsOf[tokenId] = t;
        emit TraitsRevealed(tokenId, t.rarity, t.body, t.background, t.power);
    }
}
