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

    /// Requests through the base's helper, paying msg.value (excess becomes credit).
    function request(bytes32 keyHash, uint16 confirmations, uint32 callbackGasLimit, uint32 numWords)
        external
        payable
        returns (uint256)
    {
        return _requestRandomWords(keyHash, confirmations, callbackGasLimit, numWords, msg.value);
    }

    function cancel(uint256 requestId) external returns (uint256) {
        return _cancelRequest(requestId);
    }

    function withdraw(address payable to, uint256 amount) external {
        _withdrawCredit(to, amount);
    }

    function credit() external view returns (uint256) {
        return _vrfCredit();
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

/// @notice Fails its callback as told (a custom error, a long Error(string), running out of
/// gas), then, once healed, records the words: for CallbackFailed and redeliver.
contract FlakyConsumer is VRFConsumerBase {
    enum Mode {
        CustomError,
        LongReason,
        BurnAllGas,
        Healthy
    }

    error NotReadyYet(uint256 requestId, uint256 code);

    Mode public mode; // storage of the address it is etched at: starts at CustomError
    uint256 public sink;
    uint256 public calls;
    uint256[] internal _words;

    constructor(address coordinator) VRFConsumerBase(coordinator) {}

    function setMode(Mode m) external {
        mode = m;
    }

    function words() external view returns (uint256[] memory) {
        return _words;
    }

    function fulfillRandomWords(uint256 requestId, uint256[] calldata randomWords) internal override {
        if (mode == Mode.CustomError) revert NotReadyYet(requestId, 42);
        if (mode == Mode.LongReason) {
            revert(
                "a reason far longer than the coordinator keeps: it is cut after a selector and four words, so a consumer cannot make the oracle pay for a huge revert"
            );
        }
        if (mode == Mode.BurnAllGas) {
            for (;;) {
                sink = uint256(keccak256(abi.encode(sink)));
            }
        }
        _words = randomWords;
        ++calls;
    }
}
