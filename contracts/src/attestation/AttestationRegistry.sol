// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IAttestationRegistry} from "./IAttestationRegistry.sol";

/// @title AttestationRegistry
/// @notice Records which enclave keys a quorum of validators attested, for which SEV-SNP
/// measurement, until when. See IAttestationRegistry for the flow and the REPORT_DATA layout.
///
/// Trust model:
/// - Attesting a key needs `quorum` distinct validators of the current set. An approval counts
///   only while its validator stays in the set with the same membership: removing a validator
///   drops its approvals, and re-adding it later does not bring them back.
/// - Revoking needs one party: the owner, or any single validator (an emergency brake for a key
///   suspected extracted). A validator can thus deny service to a key — never make one attested —
///   and the owner can remove a misbehaving validator. Key revocation is permanent: an enclave
///   makes a new key on restart, and a compromised key must never be re-attested.
/// - Measurement revocation without iteration: each allowance of a measurement is a "grant" with a
///   fresh global number (a per-measurement revocation epoch, numbered globally). An attestation
///   records its grant and is valid only while that grant is active; disallowing ends the grant,
///   re-allowing opens a new one, so old attestations are never resurrected.
///
/// Gas: `isAttested` reads the key's packed state (one slot) and, if that is live, its grant's
/// active flag (one slot). There are no external calls anywhere, so no reentrancy surface.
contract AttestationRegistry is IAttestationRegistry {
    /// @notice keccak256("cvex.attestation.v1"): separates our REPORT_DATA from any other use.
    bytes32 public constant DOMAIN_TAG = keccak256("cvex.attestation.v1");
    /// @notice Size of the SNP MEASUREMENT field (SHA-384), AMD SEV-SNP ABI, ATTESTATION_REPORT offset 0x90.
    uint256 public constant MEASUREMENT_LENGTH = 48;
    /// @notice Bound on the validator set, which bounds the approval recount in `approve`.
    uint256 public constant MAX_VALIDATORS = 32;
    /// @notice Longest allowed attestation lifetime; also keeps `expiresAt` far inside uint40.
    uint256 public constant MAX_VALIDITY_PERIOD = 365 days;

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

    address private _owner;
    address private _pendingOwner;

    // One slot: counters and parameters read together by register/approve.
    uint64 private _registrationCount;
    uint32 private _grantCount;
    uint32 private _membershipCount;
    uint40 private _validityPeriod;
    uint8 private _quorum;

    mapping(address enclave => KeyState) private _keys;
    mapping(uint256 registrationId => RegistrationRecord) private _registrations;
    mapping(address enclave => mapping(bytes32 nonce => bool)) private _nonceUsed;
    mapping(bytes32 measurementId => uint32 grant) private _currentGrant; // 0 = not allowed
    mapping(uint32 grant => Grant) private _grants;
    mapping(address validator => ValidatorInfo) private _validatorInfo;
    address[] private _validatorList;
    /// @dev The approver's membership number at approval time; counts only if still current.
    mapping(uint256 registrationId => mapping(address validator => uint32 membership)) private _approvals;

    modifier onlyOwner() {
        if (msg.sender != _owner) revert NotOwner(msg.sender);
        _;
    }

    modifier onlyValidator() {
        if (_validatorInfo[msg.sender].membership == 0) revert NotValidator(msg.sender);
        _;
    }

    /// @param initialOwner governance (a multisig in production).
    /// @param initialValidators the validator set (distinct, non-zero, at most MAX_VALIDATORS).
    /// @param initialQuorum 1 ≤ quorum ≤ initialValidators.length.
    /// @param initialValidityPeriod seconds an attestation lasts (1 … MAX_VALIDITY_PERIOD).
    constructor(
        address initialOwner,
        address[] memory initialValidators,
        uint256 initialQuorum,
        uint256 initialValidityPeriod
    ) {
        if (initialOwner == address(0)) revert ZeroAddress();
        _owner = initialOwner;
        emit OwnershipTransferred(address(0), initialOwner);
        for (uint256 i; i < initialValidators.length; ++i) {
            _addValidator(initialValidators[i]);
        }
        _setQuorum(initialQuorum);
        _setValidityPeriod(initialValidityPeriod);
    }

    // ================================================================ consumer views

    /// @inheritdoc IAttestationRegistry
    function isAttested(address enclave) external view returns (bool) {
        return _isLive(_keys[enclave]);
    }

    /// @inheritdoc IAttestationRegistry
    function isAttestedFor(address enclave, bytes32 measurementId) external view returns (bool) {
        KeyState memory k = _keys[enclave];
        // Expiry is coarse (hours to days): a proposer's few seconds of timestamp skew don't matter.
        // forge-lint: disable-next-line(block-timestamp)
        if (k.revoked || block.timestamp >= k.expiresAt) return false;
        // The measurement's current grant is active by construction; equality also proves the
        // grant was never ended since the attestation (an ended grant is never current again).
        return _currentGrant[measurementId] == k.grant;
    }

    /// @inheritdoc IAttestationRegistry
    function isAttestedWith(address enclave, bytes32 boundData) external view returns (bool) {
        KeyState memory k = _keys[enclave];
        if (!_isLive(k)) return false;
        return _registrations[k.attestedRegistration].boundData == boundData;
    }

    /// @inheritdoc IAttestationRegistry
    function attestationOf(address enclave) external view returns (Attestation memory a) {
        KeyState memory k = _keys[enclave];
        if (k.attestedRegistration == 0) return a;
        RegistrationRecord storage r = _registrations[k.attestedRegistration];
        a.measurementId = _grants[k.grant].measurementId;
        a.reportHash = r.reportHash;
        a.reportData = [r.digest, r.boundData];
        a.boundData = r.boundData;
        a.attestedAt = k.attestedAt;
        a.expiresAt = k.expiresAt;
        a.registrationId = k.attestedRegistration;
        a.valid = _isLive(k);
    }

    // ====================================================================== enclaves

    /// @inheritdoc IAttestationRegistry
    function register(bytes32 reportHash, bytes calldata measurement, bytes32 nonce, bytes32 boundData)
        external
        returns (uint256 registrationId)
    {
        if (reportHash == bytes32(0)) revert ZeroReportHash();
        bytes32 measurementId = _measurementId(measurement);
        uint32 grant = _currentGrant[measurementId];
        if (grant == 0) revert MeasurementNotAllowed(measurementId);
        KeyState storage k = _keys[msg.sender];
        if (k.revoked) revert RevokedKey(msg.sender);
        if (_nonceUsed[msg.sender][nonce]) revert NonceAlreadyUsed(msg.sender, nonce);

        bytes32 digest = expectedReportData(msg.sender, nonce);
        uint64 id = ++_registrationCount;
        registrationId = id;
        _nonceUsed[msg.sender][nonce] = true;
        _registrations[registrationId] = RegistrationRecord({
            enclave: msg.sender,
            grant: grant,
            registeredAt: uint40(block.timestamp),
            reportHash: reportHash,
            digest: digest,
            boundData: boundData
        });
        // Supersedes a pending registration; the current attestation (if any) stays until this
        // one reaches quorum, so a key can re-attest before it expires without a gap.
        k.latestRegistration = id;
        emit Registered(msg.sender, registrationId, measurementId, reportHash, nonce, digest, boundData);
    }

    /// @inheritdoc IAttestationRegistry
    function expectedReportData(address enclave, bytes32 nonce) public view returns (bytes32) {
        return keccak256(abi.encode(DOMAIN_TAG, block.chainid, address(this), enclave, nonce));
    }

    // ==================================================================== validators

    /// @inheritdoc IAttestationRegistry
    function approve(address enclave, uint256 registrationId, bytes32 reportHash) external {
        uint32 membership = _validatorInfo[msg.sender].membership;
        if (membership == 0) revert NotValidator(msg.sender);
        RegistrationRecord storage r = _pending(enclave, registrationId);
        bytes32 registered = r.reportHash;
        if (registered != reportHash) revert ReportHashMismatch(registered, reportHash);
        if (_approvals[registrationId][msg.sender] == membership) {
            revert DuplicateApproval(msg.sender, registrationId);
        }

        _approvals[registrationId][msg.sender] = membership;
        uint256 approvals = _countApprovals(registrationId);
        emit Approved(enclave, registrationId, msg.sender, approvals);
        if (approvals >= _quorum) _attest(enclave, registrationId, r);
    }

    /// @inheritdoc IAttestationRegistry
    function reject(address enclave, uint256 registrationId, string calldata reason) external onlyValidator {
        if (enclave == address(0) || _registrations[registrationId].enclave != enclave) {
            revert UnknownRegistration(enclave, registrationId);
        }
        emit Rejected(enclave, registrationId, msg.sender, reason);
    }

    /// @inheritdoc IAttestationRegistry
    function finalize(address enclave, uint256 registrationId) external {
        RegistrationRecord storage r = _pending(enclave, registrationId);
        uint256 approvals = _countApprovals(registrationId);
        if (approvals < _quorum) revert QuorumNotReached(approvals, _quorum);
        _attest(enclave, registrationId, r);
    }

    /// @inheritdoc IAttestationRegistry
    function revokeKey(address enclave, string calldata reason) external {
        if (msg.sender != _owner && _validatorInfo[msg.sender].membership == 0) {
            revert NotOwnerOrValidator(msg.sender);
        }
        if (enclave == address(0)) revert ZeroAddress();
        KeyState storage k = _keys[enclave];
        if (k.revoked) revert RevokedKey(enclave);
        k.revoked = true;
        emit KeyRevoked(enclave, msg.sender, reason);
    }

    // ==================================================================== governance

    /// @inheritdoc IAttestationRegistry
    function allowMeasurement(bytes calldata measurement) external onlyOwner {
        bytes32 measurementId = _measurementId(measurement);
        if (_currentGrant[measurementId] != 0) revert MeasurementAlreadyAllowed(measurementId);
        uint32 grant = ++_grantCount;
        _grants[grant] = Grant({measurementId: measurementId, active: true});
        _currentGrant[measurementId] = grant;
        emit MeasurementAllowed(measurementId, measurement);
    }

    /// @inheritdoc IAttestationRegistry
    function disallowMeasurement(bytes32 measurementId) external onlyOwner {
        uint32 grant = _currentGrant[measurementId];
        if (grant == 0) revert MeasurementNotAllowed(measurementId);
        _grants[grant].active = false;
        delete _currentGrant[measurementId];
        emit MeasurementDisallowed(measurementId);
    }

    /// @inheritdoc IAttestationRegistry
    function addValidator(address validator) external onlyOwner {
        _addValidator(validator);
    }

    /// @inheritdoc IAttestationRegistry
    function removeValidator(address validator) external onlyOwner {
        _removeValidator(validator);
        _checkQuorum(_quorum);
    }

    /// @inheritdoc IAttestationRegistry
    function setQuorum(uint256 newQuorum) external onlyOwner {
        _setQuorum(newQuorum);
    }

    /// @inheritdoc IAttestationRegistry
    function updateValidators(address[] calldata added, address[] calldata removed, uint256 newQuorum)
        external
        onlyOwner
    {
        // Removals first, so that replacing validators works at MAX_VALIDATORS.
        for (uint256 i; i < removed.length; ++i) {
            _removeValidator(removed[i]);
        }
        for (uint256 i; i < added.length; ++i) {
            _addValidator(added[i]);
        }
        _setQuorum(newQuorum);
    }

    /// @inheritdoc IAttestationRegistry
    function setValidityPeriod(uint256 newPeriod) external onlyOwner {
        _setValidityPeriod(newPeriod);
    }

    /// @inheritdoc IAttestationRegistry
    function transferOwnership(address newOwner) external onlyOwner {
        _pendingOwner = newOwner;
        emit OwnershipTransferStarted(msg.sender, newOwner);
    }

    /// @inheritdoc IAttestationRegistry
    function acceptOwnership() external {
        if (msg.sender != _pendingOwner) revert NotPendingOwner(msg.sender);
        address previous = _owner;
        _owner = msg.sender;
        delete _pendingOwner;
        emit OwnershipTransferred(previous, msg.sender);
    }

    // =================================================================== other views

    /// @inheritdoc IAttestationRegistry
    function owner() external view returns (address) {
        return _owner;
    }

    /// @inheritdoc IAttestationRegistry
    function pendingOwner() external view returns (address) {
        return _pendingOwner;
    }

    /// @inheritdoc IAttestationRegistry
    function quorum() external view returns (uint256) {
        return _quorum;
    }

    /// @inheritdoc IAttestationRegistry
    function validityPeriod() external view returns (uint256) {
        return _validityPeriod;
    }

    /// @inheritdoc IAttestationRegistry
    function validators() external view returns (address[] memory) {
        return _validatorList;
    }

    /// @inheritdoc IAttestationRegistry
    function isValidator(address account) external view returns (bool) {
        return _validatorInfo[account].membership != 0;
    }

    /// @inheritdoc IAttestationRegistry
    function isMeasurementAllowed(bytes32 measurementId) external view returns (bool) {
        return _currentGrant[measurementId] != 0;
    }

    /// @inheritdoc IAttestationRegistry
    function isNonceUsed(address enclave, bytes32 nonce) external view returns (bool) {
        return _nonceUsed[enclave][nonce];
    }

    /// @inheritdoc IAttestationRegistry
    function latestRegistrationOf(address enclave) external view returns (uint256) {
        return _keys[enclave].latestRegistration;
    }

    /// @inheritdoc IAttestationRegistry
    function registrationOf(uint256 registrationId) external view returns (Registration memory info) {
        RegistrationRecord storage r = _registrations[registrationId];
        if (r.enclave == address(0)) return info; // status Unknown
        info.enclave = r.enclave;
        info.measurementId = _grants[r.grant].measurementId;
        info.reportHash = r.reportHash;
        info.reportData = [r.digest, r.boundData];
        info.boundData = r.boundData;
        info.registeredAt = r.registeredAt;
        info.approvals = _countApprovals(registrationId);
        info.status = _status(registrationId, r);
    }

    /// @inheritdoc IAttestationRegistry
    function hasApproved(uint256 registrationId, address validator) external view returns (bool) {
        uint32 membership = _validatorInfo[validator].membership;
        return membership != 0 && _approvals[registrationId][validator] == membership;
    }

    // ====================================================================== internal

    function _isLive(KeyState memory k) private view returns (bool) {
        // forge-lint: disable-next-line(block-timestamp)
        if (k.revoked || block.timestamp >= k.expiresAt) return false;
        return _grants[k.grant].active;
    }

    function _measurementId(bytes calldata measurement) private pure returns (bytes32) {
        if (measurement.length != MEASUREMENT_LENGTH) revert InvalidMeasurementLength(measurement.length);
        return keccak256(measurement);
    }

    /// @dev The registration if validators may still act on it, else the reason why not.
    function _pending(address enclave, uint256 registrationId) private view returns (RegistrationRecord storage r) {
        r = _registrations[registrationId];
        if (enclave == address(0) || r.enclave != enclave) revert UnknownRegistration(enclave, registrationId);
        KeyState memory k = _keys[enclave];
        if (k.revoked) revert RevokedKey(enclave);
        if (k.attestedRegistration == registrationId) revert AlreadyAttested(registrationId);
        if (k.latestRegistration != registrationId) {
            revert RegistrationSuperseded(registrationId, k.latestRegistration);
        }
        Grant storage g = _grants[r.grant];
        if (!g.active) revert MeasurementRevokedSinceRegistration(g.measurementId, registrationId);
    }

    function _status(uint256 registrationId, RegistrationRecord storage r) private view returns (RegistrationStatus) {
        KeyState memory k = _keys[r.enclave];
        if (k.revoked) return RegistrationStatus.Void;
        if (k.attestedRegistration == registrationId) return RegistrationStatus.Attested;
        if (k.latestRegistration != registrationId) return RegistrationStatus.Superseded;
        if (!_grants[r.grant].active) return RegistrationStatus.Void;
        return RegistrationStatus.Pending;
    }

    /// @dev Approvals by validators in the set now, with the membership they approved under.
    /// O(validators) ≤ MAX_VALIDATORS iterations; approvals are rare, `isAttested` never pays this.
    function _countApprovals(uint256 registrationId) private view returns (uint256 count) {
        mapping(address => uint32) storage given = _approvals[registrationId];
        uint256 n = _validatorList.length;
        for (uint256 i; i < n; ++i) {
            address v = _validatorList[i];
            uint32 m = given[v];
            if (m != 0 && m == _validatorInfo[v].membership) ++count;
        }
    }

    function _attest(address enclave, uint256 registrationId, RegistrationRecord storage r) private {
        uint32 grant = r.grant;
        uint40 nowTs = uint40(block.timestamp);
        uint40 expiresAt = nowTs + _validityPeriod;
        KeyState storage k = _keys[enclave];
        // Safe: `_pending` checked registrationId == k.latestRegistration, a uint64.
        // forge-lint: disable-next-line(unsafe-typecast)
        k.attestedRegistration = uint64(registrationId);
        k.grant = grant;
        k.attestedAt = nowTs;
        k.expiresAt = expiresAt;
        emit Attested(enclave, _grants[grant].measurementId, r.reportHash, expiresAt);
    }

    function _addValidator(address validator) private {
        if (validator == address(0)) revert ZeroAddress();
        if (_validatorInfo[validator].membership != 0) revert ValidatorAlreadyAdded(validator);
        uint256 count = _validatorList.length + 1;
        if (count > MAX_VALIDATORS) revert TooManyValidators(count, MAX_VALIDATORS);
        _validatorList.push(validator);
        // Safe: count ≤ MAX_VALIDATORS = 32.
        // forge-lint: disable-next-line(unsafe-typecast)
        _validatorInfo[validator] = ValidatorInfo({membership: ++_membershipCount, position: uint8(count)});
        emit ValidatorAdded(validator);
    }

    function _removeValidator(address validator) private {
        ValidatorInfo memory info = _validatorInfo[validator];
        if (info.membership == 0) revert UnknownValidator(validator);
        uint256 last = _validatorList.length - 1;
        uint256 index = info.position - 1;
        if (index != last) {
            address moved = _validatorList[last];
            _validatorList[index] = moved;
            _validatorInfo[moved].position = info.position;
        }
        _validatorList.pop();
        delete _validatorInfo[validator];
        emit ValidatorRemoved(validator);
    }

    function _checkQuorum(uint256 q) private view {
        if (q == 0 || q > _validatorList.length) revert InvalidQuorum(q, _validatorList.length);
    }

    function _setQuorum(uint256 newQuorum) private {
        _checkQuorum(newQuorum);
        uint256 previous = _quorum;
        if (previous == newQuorum) return;
        // Safe: _checkQuorum bounded it by the validator count ≤ MAX_VALIDATORS = 32.
        // forge-lint: disable-next-line(unsafe-typecast)
        _quorum = uint8(newQuorum);
        emit QuorumChanged(previous, newQuorum);
    }

    function _setValidityPeriod(uint256 newPeriod) private {
        if (newPeriod == 0 || newPeriod > MAX_VALIDITY_PERIOD) {
            revert InvalidValidityPeriod(newPeriod, MAX_VALIDITY_PERIOD);
        }
        uint256 previous = _validityPeriod;
        // Safe: bounded by MAX_VALIDITY_PERIOD above.
        // forge-lint: disable-next-line(unsafe-typecast)
        _validityPeriod = uint40(newPeriod);
        emit ValidityPeriodChanged(previous, newPeriod);
    }
}
