// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Test} from "../utils/Test.sol";
import {Vm} from "../utils/Vm.sol";
import {AttestationRegistry} from "../../src/attestation/AttestationRegistry.sol";
import {IAttestationRegistry} from "../../src/attestation/IAttestationRegistry.sol";
import {VRFCoordinator} from "../../src/vrf/VRFCoordinator.sol";
import {VRFVerifier} from "../../src/vrf/VRFVerifier.sol";
import {RecordingConsumer, RevertingConsumer, GasHungryConsumer} from "./VRFTestConsumers.sol";

/// @notice Shared setup for coordinator tests: a registry with one validator, an oracle attested
/// with the fixture key's hash as boundData, the key registered, and consumers placed at the
/// fixed requester addresses the fixture's proofs were made for (scripts/gen_vrf_fixtures.sh).
abstract contract VRFCoordinatorBase is Test {
    string internal constant PATH = "test/fixtures/vrf_coordinator_proofs.json";
    address internal constant CONSUMER = 0x00000000000000000000000000000000000A11cE;
    address internal constant REVERTER = 0x0000000000000000000000000000000000baDbad;
    address internal constant NO_CODE = address(0xF00D); // also the gas-hungry slot
    address internal constant VALIDATOR = address(0x7A11D);
    address internal constant OWNER_OF_REGISTRY = address(0x0E0E);
    uint256 internal constant ORACLE_KEY = 0x0A11CE5EED;
    uint256 internal constant GAS_PRICE = 1 gwei; // the key's lane cap, and the fulfilments' gas price
    uint256 internal constant FLAT_FEE = 0.0001 ether; // the lane's premium
    uint256 internal constant PERIOD = 1 days;
    bytes internal constant MEASUREMENT =
        hex"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f";

    AttestationRegistry internal registry;
    VRFCoordinator internal coordinator;
    address internal oracle;
    uint256[2] internal pk;
    bytes32 internal keyHash;
    bytes32 internal blockHash;
    string internal json;
    uint256 internal _lastFulfilmentGas; // callee-side, of the last _fulfilRecorded

    function setUp() public virtual {
        vm.warp(1_700_000_000);
        vm.roll(100);
        json = vm.readFile(PATH);
        blockHash = vm.parseJsonBytes32(json, ".blockHash");
        VRFVerifier.Proof memory p = _proofAt(0);
        pk = p.pk;
        keyHash = keccak256(abi.encode(pk));
        oracle = vm.addr(ORACLE_KEY);

        address[] memory vs = new address[](1);
        vs[0] = VALIDATOR;
        registry = new AttestationRegistry(OWNER_OF_REGISTRY, vs, 1, PERIOD);
        vm.prank(OWNER_OF_REGISTRY);
        registry.allowMeasurement(MEASUREMENT);
        _attest(oracle, keyHash, bytes32(uint256(1)));

        coordinator = new VRFCoordinator(IAttestationRegistry(address(registry)), address(this));
        coordinator.registerProvingKey(pk, oracle);
        coordinator.setGasLane(keyHash, GAS_PRICE, FLAT_FEE);
        vm.txGasPrice(GAS_PRICE);

        _place(CONSUMER, address(new RecordingConsumer(address(coordinator))));
        _place(REVERTER, address(new RevertingConsumer(address(coordinator))));
    }

    function _attest(address enclave, bytes32 bound, bytes32 nonce) internal {
        uint256 bond = registry.registrationBond();
        uint256 balanceBefore = enclave.balance;
        vm.deal(enclave, balanceBefore + bond);
        vm.prank(enclave);
        uint256 id = registry.register{value: bond}(keccak256("report"), MEASUREMENT, nonce, bound);
        IAttestationRegistry.Registration memory r = registry.registrationOf(id);
        vm.prank(VALIDATOR);
        registry.approve(enclave, id, keccak256("report"), r.reportData, r.measurementId);
        vm.deal(enclave, balanceBefore); // the bond came back at attestation: the fixture's balances stay as they were
    }

    // ----------------------------------------------------------------- fixture

    function _index(address requester, uint256 requestId, uint256 nonce) internal pure returns (uint256) {
        uint256 r = requester == CONSUMER ? 0 : requester == REVERTER ? 1 : requester == NO_CODE ? 2 : 99;
        require(r < 3 && requestId >= 1 && requestId <= 6 && nonce >= 1 && nonce <= 3, "no fixture proof");
        return r * 18 + (requestId - 1) * 3 + (nonce - 1);
    }

    function _at(uint256 i, string memory key) internal pure returns (string memory) {
        return string.concat(".vectors[", vm.toString(i), "].", key);
    }

    function _proofAt(uint256 i) internal view returns (VRFVerifier.Proof memory) {
        return abi.decode(vm.parseJsonBytes(json, _at(i, "abi")), (VRFVerifier.Proof));
    }

    function _proof(VRFCoordinator.RequestCommitment memory rc) internal view returns (VRFVerifier.Proof memory) {
        return _proofAt(_index(rc.requester, rc.requestId, rc.nonce));
    }

    function _beta(VRFCoordinator.RequestCommitment memory rc) internal view returns (bytes32) {
        return vm.parseJsonBytes32(json, _at(_index(rc.requester, rc.requestId, rc.nonce), "beta"));
    }

    // ---------------------------------------------------------------- requests

    function _request(address requester, uint16 confirmations, uint32 callbackGasLimit, uint32 numWords)
        internal
        returns (VRFCoordinator.RequestCommitment memory rc)
    {
        uint256 fee = coordinator.requestPrice(keyHash, callbackGasLimit, numWords);
        vm.deal(requester, fee);
        vm.prank(requester);
        uint256 id = coordinator.requestRandomWords{value: fee}(keyHash, confirmations, callbackGasLimit, numWords);
        rc = VRFCoordinator.RequestCommitment({
            requestId: id,
            keyHash: keyHash,
            requester: requester,
            nonce: coordinator.nonceOf(requester),
            blockNumber: uint64(block.number),
            minConfirmations: confirmations,
            callbackGasLimit: callbackGasLimit,
            numWords: numWords,
            fee: uint96(fee)
        });
    }

    /// Fulfils (from this test) and returns RandomWordsFulfilled's beta, payment and success.
    function _fulfilRecorded(VRFCoordinator.RequestCommitment memory rc)
        internal
        returns (bytes32 beta, uint256 payment, bool success)
    {
        VRFVerifier.Proof memory proof = _proof(rc);
        vm.recordLogs();
        coordinator.fulfillRandomWords(proof, rc);
        _lastFulfilmentGas = vm.lastCallGas().gasTotalUsed;
        Vm.Log[] memory logs = vm.getRecordedLogs();
        bytes32 topic = keccak256("RandomWordsFulfilled(uint256,bytes32,bytes32,uint96,bool)");
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].emitter == address(coordinator) && logs[i].topics[0] == topic) {
                return abi.decode(logs[i].data, (bytes32, uint256, bool));
            }
        }
        revert("no RandomWordsFulfilled");
    }

    /// Moves `blocks` ahead and makes the fixture's hash the hash of the request's block.
    function _advance(VRFCoordinator.RequestCommitment memory rc, uint256 blocks) internal {
        vm.roll(block.number + blocks);
        vm.setBlockhash(rc.blockNumber, blockHash);
    }

    /// Puts a consumer that burns all its gas at NO_CODE.
    function _placeGasHungry() internal {
        _place(NO_CODE, address(new GasHungryConsumer(address(coordinator))));
    }

    /// Puts a deployed consumer's code and storage (its coordinator and owner) at `slot`: the
    /// fixtures' proofs name fixed consumer addresses.
    function _place(address slot, address deployed) internal {
        vm.etch(slot, deployed.code);
        vm.copyStorage(deployed, slot);
    }

    function _words(bytes32 beta, uint256 n) internal pure returns (uint256[] memory w) {
        w = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            w[i] = uint256(keccak256(abi.encode(beta, i)));
        }
    }
}
