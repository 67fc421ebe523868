// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {VRFConsumerBase} from "../../src/vrf/VRFConsumerBase.sol";

/// @notice Records what it receives.
contract RecordingConsumer is VRFConsumerBase {
    uint256 public lastRequestId;
    uint256[] internal _words;
    uint256 public calls;

    constructor(address coordinator) VRFConsumerBase(coordinator) {}

    function words() external view returns (uint256[] memory) {
        return _words;
    }

    function fulfillRandomWords(uint256 requestId, uint256[] calldata randomWords) internal override {
        lastRequestId = requestId;
        _words = randomWords;
        ++calls;
    }
}

/// @notice Always reverts in its callback.
contract RevertingConsumer is VRFConsumerBase {
    error NoThanks();

    constructor(address coordinator) VRFConsumerBase(coordinator) {}

    function fulfillRandomWords(uint256, uint256[] calldata) internal pure override {
        revert NoThanks();
    }
}

/// @notice Burns all the gas it is given.
contract GasHungryConsumer is VRFConsumerBase {
    uint256 public sink;

    constructor(address coordinator) VRFConsumerBase(coordinator) {}

    function fulfillRandomWords(uint256, uint256[] calldata) internal override {
        for (;;) {
            sink = uint256(keccak256(abi.encode(sink)));
        }
    }
}
