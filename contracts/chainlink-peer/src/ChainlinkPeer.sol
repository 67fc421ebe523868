// SPDX-License-Identifier: MIT
pragma solidity 0.8.19;

// Chainlink's coordinator and blockhash store, unmodified from the package: importing them is
// what makes forge write their artifacts, which tests deploy.
import {VRFCoordinatorV2_5} from "@chainlink/contracts/src/v0.8/vrf/dev/VRFCoordinatorV2_5.sol";
import {BlockhashStore} from "@chainlink/contracts/src/v0.8/vrf/dev/BlockhashStore.sol";
import {IVRFCoordinatorV2Plus} from "@chainlink/contracts/src/v0.8/vrf/dev/interfaces/IVRFCoordinatorV2Plus.sol";
import {VRFV2PlusClient} from "@chainlink/contracts/src/v0.8/vrf/dev/libraries/VRFV2PlusClient.sol";

/// @notice The cheapest consumer VRFCoordinatorV2_5 can deliver to, for measuring a fulfilment
/// without a callback's own work: the coordinator reverts when the requester has no code, so the
/// requester is this contract, and its fallback accepts rawFulfillRandomWords doing nothing.
contract ChainlinkPeerConsumer {
    function request(IVRFCoordinatorV2Plus coordinator, VRFV2PlusClient.RandomWordsRequest calldata req)
        external
        returns (uint256)
    {
        return coordinator.requestRandomWords(req);
    }

    fallback() external {}
}
