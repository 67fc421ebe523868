// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IAttestationRegistry} from "./IAttestationRegistry.sol";

/// @title AttestationRegistryStorage
/// @notice The registry's constants, records and state, shared by its governance
/// (AttestationRegistryGovernance) and its enclave and validator flows (AttestationRegistry).
/// One layout for all three: the counters and parameters `register` and `approve` read together
/// share one slot.
abstract contract AttestationRegistryStorage is IAttestationRegistry {
    /// @notice keccak256("cvex.attestation.v1"): separates our REPORT_DATA from any other use.
    bytes32 public constant DOMAIN_TAG = keccak256("cvex.attestation.v1");
    /// @notice Size of the SNP MEASUREMENT field (SHA-384), AMD SEV-SNP ABI, ATTESTATION_REPORT offset 0x90.
    uint256 public constant MEASUREMENT_LENGTH = 48;
    /// @notice Bound on the validator set, which bounds the approval recount in `approve`.
    uint256 public constant MAX_VALIDATORS = 32;
    /// @notice Longest allowed attestation lifetime; also keeps `expiresAt` far inside uint40.
    uint256 public constant MAX_VALIDITY_PERIOD = 365 days;
    /// @notice How long validators may act on a registration; then its bond can be kept. Far
    /// longer than a guest waits for its quorum (cvex-enclave's attestation_timeout_s, 300 s).
    uint256 public constant REGISTRATION_LIFETIME = 1 hours;
    /// @notice The bond a new registry asks for: small for an operator, costly for a spammer.
    uint256 public constant DEFAULT_REGISTRATION_BOND = 0.01 ether;
    /// @notice Upper bound on the bond, so a governance mistake cannot lock enclaves out.
    uint256 public constant MAX_REGISTRATION_BOND = 10 ether;
    /// @notice Gas forwarded with a refund: enough for an EOA (or a wallet's receive), too little
    /// to re-enter anything that writes storage. A failed refund waits in `refundOf`.
    uint256 public constant REFUND_GAS = 10_000;

    /// @dev Everything `isAttested` needs about a key, in one slot (64+64+32+40+40+8 = 248 bits).
    struct KeyState {
        uint64 attestedRegistration; // registration that made the current attestation (0 = none)
        uint64 latestRegistration; // the only registration validators may approve
        uint32 grant; // measurement grant of the current attestation
        uint40 attestedAt;
        uint40 expiresAt; // valid while block.timestamp < expiresAt
        bool revoked; // permanent
    }

    /// @dev A registration: slot 0 packs enclave (160) + grant (32) + registeredAt (40).
    struct RegistrationRecord {
        address enclave;
        uint32 grant; // measurement grant current at registration
        uint40 registeredAt;
        bytes32 reportHash;
        bytes32 digest; // REPORT_DATA[0:32)
        bytes32 boundData; // REPORT_DATA[32:64)
        uint96 bond; // wei still held (0 once refunded or forfeited)
        bool rejected; // a quorum of validators rejected it
    }

    /// @dev One allowance period of a measurement. `active` sits in its own slot so that
    /// `isAttested` reads a single word.
    struct Grant {
        bytes32 measurementId;
        bool active;
    }

    /// @dev `membership` is a fresh number each time the address joins (0 = not a validator);
    /// `position` is its 1-based index in `_validatorList`.
    struct ValidatorInfo {
        uint32 membership;
        uint8 position;
    }

    address internal _owner;
    address internal _pendingOwner;

    // One slot: counters and parameters read together by register/approve.
    uint64 internal _registrationCount;
    uint32 internal _grantCount;
    uint32 internal _membershipCount;
    uint40 internal _validityPeriod;
    uint8 internal _quorum;

    mapping(address enclave => KeyState) internal _keys;
    mapping(uint256 registrationId => RegistrationRecord) internal _registrations;
    mapping(address enclave => mapping(bytes32 nonce => bool)) internal _nonceUsed;
    mapping(bytes32 measurementId => uint32 grant) internal _currentGrant; // 0 = not allowed
    mapping(uint32 grant => Grant) internal _grants;
    mapping(address validator => ValidatorInfo) internal _validatorInfo;
    address[] internal _validatorList;
    /// @dev The approver's membership number at approval time; counts only if still current.
    mapping(uint256 registrationId => mapping(address validator => uint32 membership)) internal _approvals;
    /// @dev The same for rejections.
    mapping(uint256 registrationId => mapping(address validator => uint32 membership)) internal _rejections;

    uint96 internal _registrationBond;
    uint128 internal _forfeited; // kept bonds not yet withdrawn
    mapping(address enclave => uint256) internal _refunds; // refunds whose transfer failed


    modifier onlyOwner() {
        if (msg.sender != _owner) revert NotOwner(msg.sender);
        _;
    }

    function _measurementId(bytes calldata measurement) internal pure returns (bytes32) {
        if (measurement.length != MEASUREMENT_LENGTH) revert InvalidMeasurementLength(measurement.length);
        return keccak256(measurement);
    }
}
