// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {VRF} from "@chainlink/contracts/src/v0.8/vrf/VRF.sol";

/// @notice Chainlink's VRF.sol (the pinned @chainlink/contracts), exposed for the gas benchmark
/// only: verification gas measured the same way as VRFVerifierHarness (gasleft around the call).
contract ChainlinkVRFHarness is VRF {
    function verify(Proof calldata proof, uint256 seed) external view returns (uint256 output, uint256 gasUsed) {
        uint256 before = gasleft();
        output = _randomValueFromVRFProof(proof, seed);
        gasUsed = before - gasleft();
    }
}
