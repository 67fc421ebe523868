// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Test} from "../utils/Test.sol";
import {VRF} from "@chainlink/contracts/src/v0.8/vrf/VRF.sol";
import {VRFFixtures, VRFVerifierHarness} from "./VRFFixtures.sol";
import {ChainlinkVRFHarness} from "./ChainlinkVRFHarness.sol";
import {VRFCoordinatorBase} from "./VRFCoordinatorBase.sol";
import {VRFCoordinator} from "../../src/vrf/VRFCoordinator.sol";
import {VRFVerifier} from "../../src/vrf/VRFVerifier.sol";

/// @notice Issue 5 §4 gas figures, in one forge run on the default hardfork. Figures are emitted
/// as GasFigure events (`forge test --match-contract VRFGasTest -vvvv` shows them) and the
/// targets are asserted: our average ≤ Chainlink's average.
contract VRFGasTest is Test {
    /// @notice One measured figure: execution gas of the verification itself (gasleft() around
    /// the library call inside the harness: no calldata, call or decoding cost on either side).
    event GasFigure(string what, uint256 gas);

    string internal constant CHAINLINK_PATH = "test/fixtures/chainlink_vrf_proofs.json";

    /// (a) RFC 9381 verification, averaged over the 64 random (key, alpha) of the fixture.
    function test_GasOursAveragedOverRandomInputs() public returns (uint256 average) {
        VRFVerifierHarness h = new VRFVerifierHarness();
        VRFFixtures.Vector[] memory vs = VRFFixtures.load();
        uint256 total;
        uint256[8] memory byCtr;
        uint256[8] memory countByCtr;
        for (uint256 i; i < vs.length; ++i) {
            (bytes32 beta, uint256 g) = h.verify(VRFFixtures.decode(vs[i]), vs[i].alpha);
            assertEq(beta, vs[i].beta);
            total += g;
            uint256 k = vs[i].hCtr < 7 ? vs[i].hCtr : 7;
            byCtr[k] += g;
            countByCtr[k] += 1;
        }
        average = total / vs.length;
        emit GasFigure("ours: average verification gas", average);
        emit GasFigure("ours: number of proofs", vs.length);
        for (uint256 k; k < 8; ++k) {
            if (countByCtr[k] == 0) continue;
            emit GasFigure(string.concat("ours: average with hCtr = ", vm.toString(k)), byCtr[k] / countByCtr[k]);
            emit GasFigure(string.concat("ours: proofs with hCtr = ", vm.toString(k)), countByCtr[k]);
        }
    }

    /// (b) Chainlink's VRF.sol on the 16 proofs of chainlink_format_vrf_proofs.json.
    function test_GasChainlinkOnItsSixteenProofs() public returns (uint256 average) {
        ChainlinkVRFHarness h = new ChainlinkVRFHarness();
        string memory json = vm.readFile(CHAINLINK_PATH);
        uint256 n = vm.parseJsonUint(json, ".count");
        assertEq(n, 16, "chainlink vectors");
        uint256 total;
        for (uint256 i; i < n; ++i) {
            string memory at = string.concat(".vectors[", vm.toString(i), "]");
            VRF.Proof memory p = abi.decode(vm.parseJsonBytes(json, string.concat(at, ".proofAbi")), (VRF.Proof));
            uint256 seed = vm.parseJsonUint(json, string.concat(at, ".seed"));
            (uint256 output, uint256 g) = h.verify(p, seed);
            assertEq(output, vm.parseJsonUint(json, string.concat(at, ".output")), "chainlink output");
            total += g;
            emit GasFigure(string.concat("chainlink: proof ", vm.toString(i)), g);
        }
        average = total / n;
        emit GasFigure("chainlink: average verification gas", average);
    }

    /// The target of issue 5 §4: our average is at most Chainlink's.
    function test_GasOursAtMostChainlinks() public {
        uint256 ours = test_GasOursAveragedOverRandomInputs();
        uint256 theirs = test_GasChainlinkOnItsSixteenProofs();
        assertLe(ours, theirs, "our average verification gas vs Chainlink VRF.sol");
    }
}

/// @notice Issue 5 §4 (c): the whole fulfilment without the consumer's callback (requesters
/// without code: the coordinator checks EXTCODESIZE and skips the call), single and batched.
/// Figures: `exec` is the call frame's gas (vm.lastCallGas, the tx's `to` being warm as in a
/// real transaction); `tx` adds the 21,000 base and EIP-2028 calldata cost and subtracts the
/// refund for clearing the commitment (EIP-3529: 4,800, capped at a fifth of the gas used).
contract VRFFulfilmentGasTest is VRFCoordinatorBase {
    event GasFigure(string what, uint256 gas);

    /// Chainlink VRFCoordinatorV2_5 fulfillRandomWords, as measured for issue 5.
    uint256 internal constant CHAINLINK_FULFIL_GAS = 70_000;
    uint256 internal constant REFUND_PER_CLEARED_SLOT = 4_800;

    function setUp() public override {
        super.setUp();
        vm.etch(CONSUMER, ""); // no callback: measure the coordinator alone
        vm.etch(REVERTER, "");
    }

    function _calldataGas(bytes memory data) internal pure returns (uint256 g) {
        for (uint256 i; i < data.length; ++i) {
            g += data[i] == 0 ? 4 : 16;
        }
    }

    function _txGas(uint256 exec, bytes memory data, uint256 clearedSlots) internal pure returns (uint256) {
        uint256 gross = 21_000 + _calldataGas(data) + exec;
        uint256 refund = clearedSlots * REFUND_PER_CLEARED_SLOT;
        if (refund > gross / 5) refund = gross / 5;
        return gross - refund;
    }

    /// The oracle submits its own fulfilments, in a transaction of its own: the registry (which
    /// the requests touched) is cold again, as it is on chain.
    function _asTheOracleInANewTransaction() internal {
        vm.cool(address(registry));
        vm.prank(oracle);
    }

    function test_GasFulfilmentWithoutCallback() public {
        VRFCoordinator.RequestCommitment memory rc = _request(NO_CODE, 3, 100_000, 1);
        _advance(rc, 3);
        VRFVerifier.Proof memory p = _proof(rc);
        bytes memory data = abi.encodeCall(VRFCoordinator.fulfillRandomWords, (p, rc));
        _asTheOracleInANewTransaction();
        (bool ok,) = address(coordinator).call(data);
        assertTrue(ok, "fulfilled");
        uint256 exec = vm.lastCallGas().gasTotalUsed;
        uint256 txGas = _txGas(exec, data, 1);
        emit GasFigure("fulfil (1 word, no callback): execution", exec);
        emit GasFigure("fulfil (1 word, no callback): calldata bytes", data.length);
        emit GasFigure("fulfil (1 word, no callback): transaction total", txGas);
        emit GasFigure("chainlink VRFCoordinatorV2_5 fulfillRandomWords", CHAINLINK_FULFIL_GAS);
        assertLe(txGas, CHAINLINK_FULFIL_GAS, "fulfilment transaction gas vs Chainlink's");
    }

    function test_GasBatchOfSixWithoutCallback() public {
        VRFCoordinator.RequestCommitment[] memory rcs = new VRFCoordinator.RequestCommitment[](6);
        address[3] memory who = [CONSUMER, REVERTER, NO_CODE];
        for (uint256 i; i < 6; ++i) {
            rcs[i] = _request(who[i % 3], 3, 100_000, 1);
        }
        _advance(rcs[0], 3);
        VRFVerifier.Proof[] memory ps = new VRFVerifier.Proof[](6);
        for (uint256 i; i < 6; ++i) {
            ps[i] = _proof(rcs[i]);
        }
        bytes memory data = abi.encodeCall(VRFCoordinator.fulfillRandomWordsBatch, (ps, rcs));
        _asTheOracleInANewTransaction();
        (bool ok, bytes memory ret) = address(coordinator).call(data);
        assertTrue(ok, "batch");
        bool[] memory done = abi.decode(ret, (bool[]));
        for (uint256 i; i < 6; ++i) {
            assertTrue(done[i], "entry fulfilled");
        }
        uint256 exec = vm.lastCallGas().gasTotalUsed;
        uint256 txGas = _txGas(exec, data, 6);
        emit GasFigure("batch of 6 (no callback): execution", exec);
        emit GasFigure("batch of 6 (no callback): transaction total", txGas);
        emit GasFigure("batch of 6 (no callback): transaction gas per request", txGas / 6);
        assertLe(txGas / 6, CHAINLINK_FULFIL_GAS, "per-request gas in a batch");
    }

    function test_GasRequest() public {
        uint256 fee = coordinator.requestPrice(keyHash, 100_000, 1);
        vm.deal(CONSUMER, 2 * fee);
        vm.prank(CONSUMER);
        coordinator.requestRandomWords{value: fee}(keyHash, 3, 100_000, 1);
        emit GasFigure("request (first of this requester): execution", vm.lastCallGas().gasTotalUsed);
        vm.prank(CONSUMER);
        coordinator.requestRandomWords{value: fee}(keyHash, 3, 100_000, 1);
        emit GasFigure("request (later ones): execution", vm.lastCallGas().gasTotalUsed);
    }
}
