// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IAttestationRegistry} from "../attestation/IAttestationRegistry.sol";
import {VRFVerifier} from "./VRFVerifier.sol";
import {IVRFCoordinator} from "./IVRFCoordinator.sol";
import {VRFCoordinatorSettings} from "./VRFCoordinatorSettings.sol";

/// @title VRFProvingKeys
/// @notice The coordinator's proving keys: registration (by the owner, or by a guest attested
/// with the very key), the oracle of record and its hand-over when its attestation lapses
/// (`claimProvingKey`), deregistration. Each key's one slot also holds what its fulfilments
/// earned and the block of the last one (see ProvingKey's layout), written by the coordinator.
abstract contract VRFProvingKeys is VRFCoordinatorSettings {
    /// @dev One slot: a fulfilment reads, pays and stamps within it.
    /// Layout (fulfilment reads and writes it in assembly): bits 0–159 oracle, 160–167 active,
    /// 168–207 lastFulfilledBlock, 208–255 earningsGwei.
    struct ProvingKey {
        address oracle; // the attested guest's Ethereum address; 0 = never registered
        bool active; // false after deregistration (earnings stay withdrawable)
        uint40 lastFulfilledBlock; // 0 = never
        uint48 earningsGwei; // owed to the oracle (fees are whole gwei)
    }

    event ProvingKeyRegistered(bytes32 indexed keyHash, address indexed oracle, uint256[2] publicKey);
    event ProvingKeyDeregistered(bytes32 indexed keyHash, address indexed oracle);
    /// @notice An oracle attested with the key took the record over from one that no longer is.
    event ProvingKeyClaimed(bytes32 indexed keyHash, address indexed previousOracle, address indexed oracle);

    error InvalidPublicKey();
    error KeyAlreadyRegistered(bytes32 keyHash);
    error OracleNotAttestedWithKey(address oracle, bytes32 keyHash);
    error NotOwnerOrOracle(address caller);
    error OracleStillAttested(bytes32 keyHash, address oracle);

    IAttestationRegistry public immutable registry;
    mapping(bytes32 keyHash => ProvingKey) internal _keys;

    constructor(IAttestationRegistry registry_, address owner_) VRFCoordinatorSettings(owner_) {
        if (address(registry_) == address(0)) revert ZeroAddress();
        registry = registry_;
    }

    /// @notice keccak256(abi.encode(x, y)) of an affine public key.
    function hashOfKey(uint256[2] calldata publicKey) public pure returns (bytes32) {
        return keccak256(abi.encode(publicKey));
    }

    /// @notice Registers a proving key bound to `oracle`. The owner may register any key; anyone
    /// else only `oracle == msg.sender` already attested with boundData == keyHash (an attested
    /// guest registering itself), so nobody can squat a key it does not hold.
    function registerProvingKey(uint256[2] calldata publicKey, address oracle) external returns (bytes32 keyHash) {
        if (oracle == address(0)) revert ZeroAddress();
        if (!_onCurve(publicKey)) revert InvalidPublicKey();
        keyHash = hashOfKey(publicKey);
        if (msg.sender != owner) {
            if (msg.sender != oracle) revert NotOwner(msg.sender);
            // Trust decision: only an attestation binding this very key lets a guest claim it.
            if (!registry.isAttestedWith(oracle, keyHash)) revert OracleNotAttestedWithKey(oracle, keyHash);
        }
        ProvingKey storage k = _keys[keyHash];
        if (k.active) revert KeyAlreadyRegistered(keyHash);
        // A key deregistered earlier keeps its unwithdrawn earnings for its previous oracle.
        if (k.oracle != address(0) && k.oracle != oracle && k.earningsGwei != 0) revert KeyAlreadyRegistered(keyHash);
        k.oracle = oracle;
        k.active = true;
        emit ProvingKeyRegistered(keyHash, oracle, publicKey);
        if (_lanes[keyHash].maxGasPrice == 0) _setGasLane(keyHash, DEFAULT_MAX_GAS_PRICE, 0);
    }

    /// @notice Takes over the record of an active key whose oracle is no longer attested with it
    /// (a replica after the registrant's guest died), so requests are accepted again; callable
    /// only by an address attested with boundData == keyHash. Unwithdrawn earnings go with the
    /// record: they belong to the key's service, whichever of its guests holds the record.
    function claimProvingKey(bytes32 keyHash) external {
        ProvingKey storage k = _keys[keyHash];
        if (!k.active) revert UnknownProvingKey(keyHash);
        address previous = k.oracle;
        if (!registry.isAttestedWith(msg.sender, keyHash)) revert OracleNotAttestedWithKey(msg.sender, keyHash);
        if (registry.isAttestedWith(previous, keyHash)) revert OracleStillAttested(keyHash, previous);
        k.oracle = msg.sender;
        emit ProvingKeyClaimed(keyHash, previous, msg.sender);
    }

    /// @notice Stops new requests and fulfilments for a key (owner or its oracle). Pending
    /// requests can then only be cancelled by their requesters once cancellable.
    function deregisterProvingKey(bytes32 keyHash) external {
        ProvingKey storage k = _keys[keyHash];
        if (!k.active) revert UnknownProvingKey(keyHash);
        if (msg.sender != owner && msg.sender != k.oracle) revert NotOwnerOrOracle(msg.sender);
        k.active = false;
        emit ProvingKeyDeregistered(keyHash, k.oracle);
    }

    /// @notice The key's oracle, whether it takes requests, and its unwithdrawn earnings (wei).
    function provingKey(bytes32 keyHash) external view returns (address oracle, bool active, uint256 earnings) {
        ProvingKey memory k = _keys[keyHash];
        return (k.oracle, k.active, uint256(k.earningsGwei) * 1 gwei);
    }

    /// @inheritdoc IVRFCoordinator
    function keyStatus(bytes32 keyHash) external view returns (KeyStatus memory s) {
        ProvingKey memory k = _keys[keyHash];
        s.oracle = k.oracle;
        s.active = k.active;
        s.attested = k.oracle != address(0) && registry.isAttestedWith(k.oracle, keyHash);
        s.lastFulfilledBlock = k.lastFulfilledBlock;
    }

    function _onCurve(uint256[2] calldata p) internal pure returns (bool) {
        uint256 fp = VRFVerifier.FIELD_SIZE;
        uint256 x = p[0];
        uint256 y = p[1];
        return x < fp && y < fp && mulmod(y, y, fp) == addmod(mulmod(x, mulmod(x, x, fp), fp), 7, fp);
    }
}
