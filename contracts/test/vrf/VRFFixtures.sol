// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Vm} from "../utils/Vm.sol";
import {VRFVerifier} from "../../src/vrf/VRFVerifier.sol";

/// @notice Reads test/fixtures/vrf_proofs.json (scripts/gen_vrf_fixtures.sh: proofs from
/// `cvex vrf prove --json`) and builds calls to VRFVerifierHarness.
library VRFFixtures {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));
    string internal constant PATH = "test/fixtures/vrf_proofs.json";
    string internal constant INTEROP_PATH = "test/fixtures/vrf_atikayda_proofs.json";

    struct Vector {
        bytes proofAbi; // abi.encode(VRFVerifier.Proof): a 0x20 offset word, then the tuple
        bytes alpha;
        bytes32 beta;
        uint256 hCtr;
    }

    function load() internal view returns (Vector[] memory vs) {
        return load(PATH);
    }

    function load(string memory path) internal view returns (Vector[] memory vs) {
        string memory json = vm.readFile(path);
        uint256 n = vm.parseJsonUint(json, ".count");
        vs = new Vector[](n);
        for (uint256 i; i < n; ++i) {
            string memory at = string.concat(".vectors[", vm.toString(i), "]");
            vs[i].proofAbi = vm.parseJsonBytes(json, string.concat(at, ".abi"));
            vs[i].alpha = vm.parseJsonBytes(json, string.concat(at, ".alpha"));
            vs[i].beta = vm.parseJsonBytes32(json, string.concat(at, ".beta"));
            vs[i].hCtr = vm.parseJsonUint(json, string.concat(at, ".hCtr"));
        }
    }

    function decode(Vector memory v) internal pure returns (VRFVerifier.Proof memory) {
        return abi.decode(v.proofAbi, (VRFVerifier.Proof));
    }

    /// @notice The tuple bytes of abi.encode(proof) (without the leading offset word).
    function tuple(bytes memory proofAbi) internal pure returns (bytes memory t) {
        t = new bytes(proofAbi.length - 32);
        for (uint256 i; i < t.length; ++i) {
            t[i] = proofAbi[i + 32];
        }
    }

    /// @notice Calldata for VRFVerifierHarness.verify(proof, alpha) with the proof's tuple given
    /// raw, so a test can corrupt any bit of it (head: two offsets; tails: tuple, then alpha).
    function verifyCall(bytes memory proofTuple, bytes memory alpha) internal pure returns (bytes memory) {
        bytes memory alphaTail = abi.encode(alpha); // offset word, length, data
        bytes memory alphaNoOffset = new bytes(alphaTail.length - 32);
        for (uint256 i; i < alphaNoOffset.length; ++i) {
            alphaNoOffset[i] = alphaTail[i + 32];
        }
        return bytes.concat(
            VRFVerifierHarness.verify.selector,
            abi.encode(uint256(0x40), uint256(0x40 + proofTuple.length)),
            proofTuple,
            alphaNoOffset
        );
    }
}

/// @notice Exposes the library (internal functions) with its gas use.
contract VRFVerifierHarness {
    function verify(VRFVerifier.Proof calldata proof, bytes calldata alpha)
        external
        view
        returns (bytes32 beta, uint256 gasUsed)
    {
        bytes memory a = alpha;
        uint256 before = gasleft();
        beta = VRFVerifier.verify(proof, a);
        gasUsed = before - gasleft();
    }
}
