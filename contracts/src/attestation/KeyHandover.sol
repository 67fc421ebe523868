// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IAttestationRegistry} from "./IAttestationRegistry.sol";

/// @title KeyHandover
/// @notice Attested handover of a key set from a guest that holds it to a newcomer guest (another
/// machine, or an upgrade), through the chain: no host channel, and an audit trail of who
/// received which key set, when, under which measurement (issue 14 §2).
///
/// A key set is named by the bound data its holders are attested with in the AttestationRegistry
/// (for the VRF oracle: the VRF key hash). Governance allows, per key set, the measurements that
/// may receive it, behind the owner's timelock (`queueAllowance` → `delay` → `executeAllowance`).
///
/// Flow: the newcomer registers in the registry with boundData = keccak256(transport public key)
/// (so its REPORT_DATA binds a fresh transport key born in the guest) and is attested by the
/// validators as any guest; it then calls `requestKeys` with that transport key. An allowed
/// measurement opens a request (`HandoverRequested`); any other is refused, and the refusal is
/// recorded on chain (`HandoverRefused`). A holder, seeing the request, encrypts the key set to
/// the transport key (ECIES) and posts the ciphertext with `deliverKeys`; the contract checks the
/// holder is attested with the key set and the newcomer is still attested, with that transport
/// key, for a measurement still allowed. Ciphertexts are public: only the attested recipient can
/// open them.
contract KeyHandover {
    /// @notice How long a queued allowance stays executable after its eta (as Compound's Timelock).
    uint256 public constant GRACE_PERIOD = 14 days;
    /// @notice An uncompressed secp256k1 point without its 0x04 prefix: x ‖ y.
    uint256 public constant TRANSPORT_KEY_LENGTH = 64;

    /// @notice A newcomer's request for a key set; `deliveredAt` is zero until the keys are posted.
    struct Request {
        bytes32 transportKeyHash; // keccak256 of the transport key, the newcomer's bound data
        bytes32 measurementId; // the newcomer's attested measurement when it asked
        uint64 requestedAt;
        uint64 deliveredAt;
        address deliveredBy; // the holder that posted the keys
    }

    event AllowanceQueued(bytes32 indexed id, bytes32 indexed keySet, bytes32 indexed measurementId, bool allowed, uint256 eta);
    event AllowanceCancelled(bytes32 indexed id);
    event AllowanceSet(bytes32 indexed keySet, bytes32 indexed measurementId, bool allowed);
    event HandoverRequested(bytes32 indexed keySet, address indexed newcomer, bytes32 indexed measurementId, bytes transportKey);
    /// @notice A newcomer asked for a key set its measurement may not receive.
    event HandoverRefused(bytes32 indexed keySet, address indexed newcomer, bytes32 indexed measurementId);
    /// @notice The key set, encrypted to the newcomer's attested transport key.
    event KeysDelivered(
        bytes32 indexed keySet, address indexed newcomer, address indexed holder, bytes32 measurementId, bytes ciphertext
    );
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    error NotOwner(address caller);
    error ZeroAddress();
    error AllowanceAlreadyQueued(bytes32 id);
    error AllowanceNotQueued(bytes32 id);
    error AllowanceTooEarly(bytes32 id, uint256 eta);
    error AllowanceStale(bytes32 id, uint256 expiredAt);
    error InvalidTransportKey(uint256 length);
    error NotAttestedWithTransportKey(address newcomer, bytes32 transportKeyHash);
    error NotAHolder(address caller, bytes32 keySet);
    error NoPendingRequest(bytes32 keySet, address newcomer);
    error NewcomerNoLongerEligible(bytes32 keySet, address newcomer);
    error EmptyCiphertext();

    IAttestationRegistry public immutable registry;
    /// @notice Seconds between queueing an allowance and executing it.
    uint256 public immutable delay;
    address public owner;
    mapping(bytes32 keySet => mapping(bytes32 measurementId => bool)) public isAllowed;
    mapping(bytes32 id => uint256 eta) public queuedEta;
    mapping(bytes32 keySet => mapping(address newcomer => Request)) internal _requests;

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        _;
    }

    constructor(IAttestationRegistry registry_, address owner_, uint256 delay_) {
        if (address(registry_) == address(0) || owner_ == address(0)) revert ZeroAddress();
        registry = registry_;
        owner = owner_;
        delay = delay_;
        emit OwnershipTransferred(address(0), owner_);
    }

    // ------------------------------------------------------------ governance

    /// @notice The id of an allowance change.
    function allowanceId(bytes32 keySet, bytes32 measurementId, bool allowed) public pure returns (bytes32) {
        return keccak256(abi.encode(keySet, measurementId, allowed));
    }

    /// @notice Queues allowing (or disallowing) `measurementId` to receive `keySet`.
    function queueAllowance(bytes32 keySet, bytes32 measurementId, bool allowed) external onlyOwner returns (bytes32 id, uint256 eta) {
        id = allowanceId(keySet, measurementId, allowed);
        if (queuedEta[id] != 0) revert AllowanceAlreadyQueued(id);
        eta = block.timestamp + delay;
        queuedEta[id] = eta;
        emit AllowanceQueued(id, keySet, measurementId, allowed, eta);
    }

    /// @notice Applies a queued change once its delay has passed (within GRACE_PERIOD).
    function executeAllowance(bytes32 keySet, bytes32 measurementId, bool allowed) external onlyOwner {
        bytes32 id = allowanceId(keySet, measurementId, allowed);
        uint256 eta = queuedEta[id];
        if (eta == 0) revert AllowanceNotQueued(id);
        if (block.timestamp < eta) revert AllowanceTooEarly(id, eta);
        if (block.timestamp > eta + GRACE_PERIOD) revert AllowanceStale(id, eta + GRACE_PERIOD);
        delete queuedEta[id];
        isAllowed[keySet][measurementId] = allowed;
        emit AllowanceSet(keySet, measurementId, allowed);
    }

    function cancelAllowance(bytes32 keySet, bytes32 measurementId, bool allowed) external onlyOwner {
        bytes32 id = allowanceId(keySet, measurementId, allowed);
        if (queuedEta[id] == 0) revert AllowanceNotQueued(id);
        delete queuedEta[id];
        emit AllowanceCancelled(id);
    }

    function transferOwnership(address newOwner) external onlyOwner {
        if (newOwner == address(0)) revert ZeroAddress();
        emit OwnershipTransferred(owner, newOwner);
        owner = newOwner;
    }

    // -------------------------------------------------------------- handover

    /// @notice A newcomer attested with boundData == keccak256(transportKey) asks for `keySet`.
    /// @return accepted false when its measurement may not receive the key set (HandoverRefused).
    function requestKeys(bytes32 keySet, bytes calldata transportKey) external returns (bool accepted) {
        if (transportKey.length != TRANSPORT_KEY_LENGTH) revert InvalidTransportKey(transportKey.length);
        bytes32 transportKeyHash = keccak256(transportKey);
        // Trust decision: the transport key was born in an attested guest (its REPORT_DATA binds it).
        if (!registry.isAttestedWith(msg.sender, transportKeyHash)) revert NotAttestedWithTransportKey(msg.sender, transportKeyHash);
        bytes32 measurementId = registry.attestationOf(msg.sender).measurementId;
        if (!isAllowed[keySet][measurementId]) {
            emit HandoverRefused(keySet, msg.sender, measurementId);
            return false;
        }
        _requests[keySet][msg.sender] = Request(transportKeyHash, measurementId, uint64(block.timestamp), 0, address(0));
        emit HandoverRequested(keySet, msg.sender, measurementId, transportKey);
        return true;
    }

    /// @notice A holder of `keySet` posts it, encrypted to the newcomer's transport key.
    function deliverKeys(bytes32 keySet, address newcomer, bytes calldata ciphertext) external {
        if (ciphertext.length == 0) revert EmptyCiphertext();
        if (!registry.isAttestedWith(msg.sender, keySet)) revert NotAHolder(msg.sender, keySet);
        Request storage r = _requests[keySet][newcomer];
        if (r.requestedAt == 0 || r.deliveredAt != 0) revert NoPendingRequest(keySet, newcomer);
        // Trust decision, again at delivery: still attested with that transport key, under the
        // measurement it asked with, and that measurement still allowed for the key set.
        if (
            !registry.isAttestedWith(newcomer, r.transportKeyHash) || !isAllowed[keySet][r.measurementId]
                || registry.attestationOf(newcomer).measurementId != r.measurementId
        ) revert NewcomerNoLongerEligible(keySet, newcomer);
        r.deliveredAt = uint64(block.timestamp);
        r.deliveredBy = msg.sender;
        emit KeysDelivered(keySet, newcomer, msg.sender, r.measurementId, ciphertext);
    }

    /// @notice The newcomer's request for `keySet` (all zero if it never asked successfully).
    function requestOf(bytes32 keySet, address newcomer) external view returns (Request memory) {
        return _requests[keySet][newcomer];
    }
}
