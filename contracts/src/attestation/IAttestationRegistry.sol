// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title IAttestationRegistry
/// @notice Which Ethereum keys were born in an AMD SEV-SNP guest running an allowed measurement,
/// as confirmed by a quorum of validators that each verified the guest's attestation report
/// off-chain (AMD certificate chain + policy), and until when.
///
/// Flow: the owner allows measurements and sets the validators and quorum → an enclave calls
/// `register` from its own key with the hash of its report and a bond of `registrationBond()` wei
/// → each validator fetches the report, verifies it, and calls `approve` with the report hash,
/// the REPORT_DATA and the measurement id it verified; the registry checks all three against the
/// registration → at quorum the key is attested for `validityPeriod` seconds and the bond goes
/// back to the enclave. A registration rejected by a quorum, or not attested within
/// `REGISTRATION_LIFETIME`, keeps its bond (the price of spam). Consumers (VRF coordinator,
/// vaults) call `isAttested` / `isAttestedFor` on every use.
///
/// REPORT_DATA layout (64 bytes, the SNP report's REPORT_DATA field at offset 0x50, AMD SEV-SNP
/// ABI spec table "ATTESTATION_REPORT Structure"):
///   [0, 32)  keccak256(abi.encode(DOMAIN_TAG, block.chainid, address(registry), enclave, nonce))
///   [32, 64) boundData — a digest of further keys born in the same guest (e.g. the VRF key hash)
///            that other contracts check; zero when nothing else is bound.
/// MEASUREMENT is the report's 48-byte field at offset 0x90; `measurementId = keccak256(measurement)`.
/// `reportHash` is keccak256 of the raw 1184-byte report as returned by the firmware.
interface IAttestationRegistry {
    // ------------------------------------------------------------------ types

    /// @notice The current attestation of a key, as returned by `attestationOf`.
    /// @dev `reportData[1] == boundData` (both given so callers need not know the layout).
    /// All fields are zero when the key was never attested; they keep the last attestation's values
    /// after it expires or is revoked, with `valid == false`.
    struct Attestation {
        bytes32 measurementId; // keccak256 of the 48-byte SNP MEASUREMENT
        bytes32 reportHash; // keccak256 of the 1184-byte report the validators approved
        bytes32[2] reportData; // REPORT_DATA: [0] registration digest, [1] boundData
        bytes32 boundData; // digest of further keys born in the same guest
        uint64 attestedAt; // block.timestamp when quorum was reached
        uint64 expiresAt; // valid while block.timestamp < expiresAt
        uint256 registrationId; // the registration that was approved
        bool valid; // == isAttested(enclave)
    }

    /// @notice Where a registration stands, from a validator's point of view.
    enum RegistrationStatus {
        Unknown, // no such registration
        Pending, // the enclave's latest registration, awaiting approvals
        Attested, // it made the key's current attestation (which may since have expired)
        Superseded, // the enclave registered again (or a newer registration was attested)
        Void, // the key was revoked or the measurement disallowed since registration
        Rejected, // a quorum of validators rejected it: its bond is kept
        Expired // not attested within REGISTRATION_LIFETIME: its bond is kept
    }

    /// @notice A registration, as returned by `registrationOf`.
    struct Registration {
        address enclave;
        bytes32 measurementId;
        bytes32 reportHash;
        bytes32[2] reportData; // what the report's REPORT_DATA must equal
        bytes32 boundData; // == reportData[1]
        uint64 registeredAt;
        uint256 approvals; // approvals by validators currently in the set
        RegistrationStatus status;
        uint256 rejections; // rejections by validators currently in the set
        uint256 bond; // wei still held for it (0 once refunded or forfeited)
        uint64 expiresAt; // validators may act on it while block.timestamp < expiresAt
    }

    // ----------------------------------------------------------------- events

    /// @notice An enclave key registered evidence for attestation.
    event Registered(
        address indexed enclave,
        uint256 indexed registrationId,
        bytes32 indexed measurementId,
        bytes32 reportHash,
        bytes32 nonce,
        bytes32 registrationDigest,
        bytes32 boundData
    );
    /// @notice A validator approved a registration; `approvals` counts current validators only.
    event Approved(address indexed enclave, uint256 indexed registrationId, address indexed validator, uint256 approvals);
    /// @notice A validator refused a registration; `rejections` counts current validators only.
    event Rejected(address indexed enclave, uint256 indexed registrationId, address indexed validator, string reason);
    /// @notice A quorum of validators rejected a registration: it can no longer be approved.
    event RegistrationRejected(address indexed enclave, uint256 indexed registrationId, uint256 rejections);
    /// @notice A registration's bond went back to its enclave (attested, or superseded while pending).
    /// `paid` is false when the transfer failed and the amount waits in `refundOf` for `withdrawRefund`.
    event BondRefunded(address indexed enclave, uint256 indexed registrationId, uint256 amount, bool paid);
    /// @notice A registration's bond was kept (rejected by a quorum, or expired).
    event BondForfeited(address indexed enclave, uint256 indexed registrationId, uint256 amount);
    /// @notice An enclave withdrew refunds whose transfer had failed.
    event RefundWithdrawn(address indexed enclave, uint256 amount);
    /// @notice The owner moved kept bonds out.
    event ForfeitedBondsWithdrawn(address indexed to, uint256 amount);
    event RegistrationBondChanged(uint256 previousBond, uint256 newBond);
    /// @notice A key reached quorum and is attested until `expiresAt` (exclusive).
    event Attested(address indexed enclave, bytes32 indexed measurementId, bytes32 reportHash, uint256 expiresAt);
    /// @notice A key was revoked for good by the owner or a validator.
    event KeyRevoked(address indexed enclave, address indexed by, string reason);
    /// @notice A measurement became allowed (a new grant: earlier attestations stay dead).
    event MeasurementAllowed(bytes32 indexed measurementId, bytes measurement);
    /// @notice A measurement was disallowed: every key attested for it stops being attested.
    event MeasurementDisallowed(bytes32 indexed measurementId);
    event ValidatorAdded(address indexed validator);
    event ValidatorRemoved(address indexed validator);
    event QuorumChanged(uint256 previousQuorum, uint256 newQuorum);
    event ValidityPeriodChanged(uint256 previousPeriod, uint256 newPeriod);
    event OwnershipTransferStarted(address indexed previousOwner, address indexed newOwner);
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    // ----------------------------------------------------------------- errors

    error NotOwner(address caller);
    error NotPendingOwner(address caller);
    error NotValidator(address caller);
    error NotOwnerOrValidator(address caller);
    error ZeroAddress();
    error InvalidMeasurementLength(uint256 length);
    error MeasurementNotAllowed(bytes32 measurementId);
    error MeasurementAlreadyAllowed(bytes32 measurementId);
    /// @notice The registration's measurement was disallowed after it registered (even if allowed again since).
    error MeasurementRevokedSinceRegistration(bytes32 measurementId, uint256 registrationId);
    error ValidatorAlreadyAdded(address validator);
    error UnknownValidator(address validator);
    error TooManyValidators(uint256 count, uint256 max);
    /// @notice The quorum must satisfy 1 ≤ quorum ≤ validatorCount.
    error InvalidQuorum(uint256 quorum, uint256 validatorCount);
    error InvalidValidityPeriod(uint256 period, uint256 max);
    error ZeroReportHash();
    error NonceAlreadyUsed(address enclave, bytes32 nonce);
    error RevokedKey(address enclave);
    error UnknownRegistration(address enclave, uint256 registrationId);
    error RegistrationSuperseded(uint256 registrationId, uint256 latestRegistrationId);
    error AlreadyAttested(uint256 registrationId);
    error ReportHashMismatch(bytes32 expected, bytes32 given);
    /// @notice The REPORT_DATA a validator verified is not the one the registration committed to.
    error ReportDataMismatch(bytes32[2] expected, bytes32[2] given);
    /// @notice The measurement id a validator verified is not the registration's.
    error MeasurementMismatch(bytes32 expected, bytes32 given);
    error DuplicateApproval(address validator, uint256 registrationId);
    error DuplicateRejection(address validator, uint256 registrationId);
    /// @notice `register` must carry exactly `registrationBond()` wei.
    error WrongBond(uint256 given, uint256 required);
    error InvalidRegistrationBond(uint256 bond, uint256 max);
    /// @notice The registration was rejected by a quorum of validators.
    error RegistrationRejectedByQuorum(uint256 registrationId);
    /// @notice The registration was not attested before `expiresAt`.
    error RegistrationExpired(uint256 registrationId, uint256 expiresAt);
    /// @notice The registration still holds no bond that may be kept now (none, or still pending).
    error NothingToForfeit(uint256 registrationId);
    error NothingToWithdraw(address account);
    error InsufficientForfeitedBonds(uint256 requested, uint256 available);
    error TransferFailed(address to, uint256 amount);
    error QuorumNotReached(uint256 approvals, uint256 quorum);

    // ------------------------------------------------ views for consumers (hot)

    /// @notice True when `enclave` is attested now: quorum reached, not expired, key not revoked,
    /// and its measurement allowed without interruption since the registration. Two SLOADs.
    function isAttested(address enclave) external view returns (bool);

    /// @notice `isAttested(enclave)` and attested for exactly `measurementId`. Two SLOADs.
    function isAttestedFor(address enclave, bytes32 measurementId) external view returns (bool);

    /// @notice `isAttested(enclave)` and its attested REPORT_DATA carries `boundData` in its second
    /// half, i.e. the guest that holds `enclave` also holds the key `boundData` commits to (for the
    /// VRF coordinator: the proving key's hash). Three SLOADs.
    function isAttestedWith(address enclave, bytes32 boundData) external view returns (bool);

    /// @notice The key's current (or last) attestation with every field; see `Attestation`.
    function attestationOf(address enclave) external view returns (Attestation memory);

    // -------------------------------------------------------------- enclaves

    /// @notice Registers the caller's key (msg.sender) with the hash of an SNP report whose
    /// REPORT_DATA is `[expectedReportData(msg.sender, nonce), boundData]` and whose MEASUREMENT
    /// is `measurement`, with a bond of exactly `registrationBond()` wei (returned at attestation).
    /// A newer registration supersedes the caller's pending one (whose bond is returned, or kept if
    /// it had expired); an existing attestation stays valid until the new one reaches quorum
    /// (re-attestation before expiry).
    /// @param reportHash keccak256 of the raw 1184-byte report (non-zero).
    /// @param measurement the report's 48-byte MEASUREMENT; must be allowed now.
    /// @param nonce fresh per registration of this key (reuse reverts with NonceAlreadyUsed).
    /// @param boundData digest of further guest keys, placed in REPORT_DATA[32:64).
    /// @return registrationId the id validators approve.
    function register(bytes32 reportHash, bytes calldata measurement, bytes32 nonce, bytes32 boundData)
        external
        payable
        returns (uint256 registrationId);

    /// @notice Sends the caller the refunds whose automatic transfer failed.
    function withdrawRefund() external;

    /// @notice Keeps the bond of a registration that expired without attestation (or whose key was
    /// revoked or measurement disallowed, once expired). Callable by anyone.
    function forfeitExpiredBond(uint256 registrationId) external;

    /// @notice The first half of REPORT_DATA for `enclave` registering with `nonce` on this chain
    /// and this registry: keccak256(abi.encode(DOMAIN_TAG, block.chainid, address(this), enclave, nonce)).
    function expectedReportData(address enclave, bytes32 nonce) external view returns (bytes32);

    // ------------------------------------------------------------- validators

    /// @notice Approves registration `registrationId` of `enclave` after verifying its report
    /// off-chain. `reportHash`, `reportData` (the report's REPORT_DATA) and `measurementId`
    /// (keccak256 of its MEASUREMENT) are what the validator verified; each must equal the
    /// registration's, so an approval binds exactly the evidence checked, whatever the validator's
    /// RPC node said the registration was. Attests the key when the approvals of current validators
    /// reach quorum, and returns the bond to the enclave.
    function approve(
        address enclave,
        uint256 registrationId,
        bytes32 reportHash,
        bytes32[2] calldata reportData,
        bytes32 measurementId
    ) external;

    /// @notice The calling validator refuses a pending registration (evidence that failed a check,
    /// never merely missing evidence). At a quorum of rejections the registration is dead and its
    /// bond is kept.
    function reject(address enclave, uint256 registrationId, string calldata reason) external;

    /// @notice Attests a pending registration whose approvals already reach the quorum (e.g. after
    /// the owner lowered it). Callable by anyone; reverts with QuorumNotReached otherwise.
    function finalize(address enclave, uint256 registrationId) external;

    /// @notice Revokes `enclave` for good (it cannot be attested or register again). Callable by
    /// the owner, and by any single validator as an emergency measure.
    function revokeKey(address enclave, string calldata reason) external;

    // ------------------------------------------------------------- governance

    /// @notice Allows a 48-byte measurement. Keys attested under an earlier grant of the same
    /// measurement (before a disallow) are not resurrected.
    function allowMeasurement(bytes calldata measurement) external;

    /// @notice Disallows a measurement: every key attested for it stops being attested at once.
    function disallowMeasurement(bytes32 measurementId) external;

    /// @notice Adds a validator; the quorum is unchanged.
    function addValidator(address validator) external;

    /// @notice Removes a validator; its approvals stop counting. Reverts if the quorum would exceed
    /// the remaining number of validators (lower it first, or use `updateValidators`).
    function removeValidator(address validator) external;

    /// @notice Sets the quorum (1 ≤ newQuorum ≤ validatorCount). Affects pending registrations
    /// only; attestations already made stand.
    function setQuorum(uint256 newQuorum) external;

    /// @notice Removes `removed`, adds `added` and sets the quorum atomically.
    function updateValidators(address[] calldata added, address[] calldata removed, uint256 newQuorum) external;

    /// @notice Sets how long an attestation lasts (1 s … MAX_VALIDITY_PERIOD); applies to
    /// attestations made from now on.
    function setValidityPeriod(uint256 newPeriod) external;

    /// @notice Sets the bond `register` must carry (0 … MAX_REGISTRATION_BOND); applies to new
    /// registrations only.
    function setRegistrationBond(uint256 newBond) external;

    /// @notice Sends `amount` of the kept bonds to `to`.
    function withdrawForfeitedBonds(address payable to, uint256 amount) external;

    /// @notice Starts a two-step ownership transfer (address(0) cancels a pending one).
    function transferOwnership(address newOwner) external;

    /// @notice Completes an ownership transfer; only the pending owner may call it.
    function acceptOwnership() external;

    // ------------------------------------------------------------ other views

    /// @notice keccak256("cvex.attestation.v1"), the first word of the registration digest.
    function DOMAIN_TAG() external view returns (bytes32);
    /// @notice The governance address.
    function owner() external view returns (address);
    /// @notice The address that may `acceptOwnership`, or zero.
    function pendingOwner() external view returns (address);
    /// @notice How many current validators must approve a registration.
    function quorum() external view returns (uint256);
    /// @notice Seconds an attestation made now lasts.
    function validityPeriod() external view returns (uint256);
    /// @notice Wei `register` must carry now.
    function registrationBond() external view returns (uint256);
    /// @notice Refunds waiting for `enclave` to `withdrawRefund` (their transfer failed).
    function refundOf(address enclave) external view returns (uint256);
    /// @notice Kept bonds not yet withdrawn by the owner.
    function forfeitedBonds() external view returns (uint256);
    /// @notice The current validator set (order not significant; it changes on removals).
    function validators() external view returns (address[] memory);
    /// @notice Whether `account` is a validator now.
    function isValidator(address account) external view returns (bool);
    /// @notice Whether enclaves may register with this measurement now.
    function isMeasurementAllowed(bytes32 measurementId) external view returns (bool);
    /// @notice Whether `enclave` already registered with `nonce`.
    function isNonceUsed(address enclave, bytes32 nonce) external view returns (bool);
    /// @notice The enclave's latest registration id (the only one validators may approve), or 0.
    function latestRegistrationOf(address enclave) external view returns (uint256);
    /// @notice A registration with its current approval count and status (zero/Unknown if none).
    function registrationOf(uint256 registrationId) external view returns (Registration memory);
    /// @notice Whether `validator` approved `registrationId` during its current membership.
    function hasApproved(uint256 registrationId, address validator) external view returns (bool);
    /// @notice Whether `validator` rejected `registrationId` during its current membership.
    function hasRejected(uint256 registrationId, address validator) external view returns (bool);
}
