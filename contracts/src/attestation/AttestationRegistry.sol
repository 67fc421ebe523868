// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IAttestationRegistry} from "./IAttestationRegistry.sol";
import {AttestationRegistryGovernance} from "./AttestationRegistryGovernance.sol";

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
/// - Spam: `register` carries a bond (`registrationBond()`), returned when the key is attested and
///   kept when a quorum of validators rejects the registration or it expires unattested after
///   REGISTRATION_LIFETIME. Validators never need to pay for anything but real verdicts.
/// - Approvals bind the evidence: a validator passes the report hash, REPORT_DATA and measurement
///   id it verified and each must equal the registration's, so validators whose RPC node lied
///   about the registration cannot attest a key the report never bound.
///
/// Gas: `isAttested` reads the key's packed state (one slot) and, if that is live, its grant's
/// active flag (one slot). There are no external calls anywhere, so no reentrancy surface.
contract AttestationRegistry is AttestationRegistryGovernance {
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
        _setRegistrationBond(DEFAULT_REGISTRATION_BOND);
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
        payable
        returns (uint256 registrationId)
    {
        if (msg.value != _registrationBond) revert WrongBond(msg.value, _registrationBond);
        if (reportHash == bytes32(0)) revert ZeroReportHash();
        bytes32 measurementId = _measurementId(measurement);
        uint32 grant = _currentGrant[measurementId];
        if (grant == 0) revert MeasurementNotAllowed(measurementId);
        KeyState storage k = _keys[msg.sender];
        if (k.revoked) revert RevokedKey(msg.sender);
        if (_nonceUsed[msg.sender][nonce]) revert NonceAlreadyUsed(msg.sender, nonce);

        bytes32 digest = expectedReportData(msg.sender, nonce);
        uint64 previous = k.latestRegistration;
        uint64 id = ++_registrationCount;
        registrationId = id;
        _nonceUsed[msg.sender][nonce] = true;
        _registrations[registrationId] = RegistrationRecord({
            enclave: msg.sender,
            grant: grant,
            registeredAt: uint40(block.timestamp),
            reportHash: reportHash,
            digest: digest,
            boundData: boundData,
            bond: 0,
            rejected: false
        });
        // Safe: msg.value == _registrationBond, a uint96 (checked above).
        // forge-lint: disable-next-line(unsafe-typecast)
        _registrations[registrationId].bond = uint96(msg.value);
        // Supersedes a pending registration; the current attestation (if any) stays until this
        // one reaches quorum, so a key can re-attest before it expires without a gap.
        k.latestRegistration = id;
        emit Registered(msg.sender, registrationId, measurementId, reportHash, nonce, digest, boundData);
        // Interaction last: the superseded registration's bond goes back unless it had expired.
        if (previous != 0) _settleSuperseded(msg.sender, previous);
    }

    /// @inheritdoc IAttestationRegistry
    function withdrawRefund() external {
        uint256 amount = _refunds[msg.sender];
        if (amount == 0) revert NothingToWithdraw(msg.sender);
        delete _refunds[msg.sender];
        emit RefundWithdrawn(msg.sender, amount);
        (bool ok,) = payable(msg.sender).call{value: amount}("");
        if (!ok) revert TransferFailed(msg.sender, amount);
    }

    /// @inheritdoc IAttestationRegistry
    function forfeitExpiredBond(uint256 registrationId) external {
        RegistrationRecord storage r = _registrations[registrationId];
        uint96 bond = r.bond;
        // forge-lint: disable-next-line(block-timestamp)
        if (bond == 0 || block.timestamp < uint256(r.registeredAt) + REGISTRATION_LIFETIME) {
            revert NothingToForfeit(registrationId);
        }
        _forfeit(r, registrationId);
    }

    /// @inheritdoc IAttestationRegistry
    function expectedReportData(address enclave, bytes32 nonce) public view returns (bytes32) {
        return keccak256(abi.encode(DOMAIN_TAG, block.chainid, address(this), enclave, nonce));
    }

    // ==================================================================== validators

    /// @inheritdoc IAttestationRegistry
    function approve(
        address enclave,
        uint256 registrationId,
        bytes32 reportHash,
        bytes32[2] calldata reportData,
        bytes32 measurementId
    ) external {
        uint32 membership = _validatorInfo[msg.sender].membership;
        if (membership == 0) revert NotValidator(msg.sender);
        RegistrationRecord storage r = _pending(enclave, registrationId);
        _checkEvidence(r, reportHash, reportData, measurementId);
        if (_approvals[registrationId][msg.sender] == membership) {
            revert DuplicateApproval(msg.sender, registrationId);
        }

        _approvals[registrationId][msg.sender] = membership;
        uint256 approvals = _countApprovals(registrationId);
        emit Approved(enclave, registrationId, msg.sender, approvals);
        if (approvals >= _quorum) {
            _attest(enclave, registrationId, r);
            _refundBond(enclave, registrationId, r);
        }
    }

    /// @inheritdoc IAttestationRegistry
    function reject(address enclave, uint256 registrationId, string calldata reason) external {
        uint32 membership = _validatorInfo[msg.sender].membership;
        if (membership == 0) revert NotValidator(msg.sender);
        RegistrationRecord storage r = _pending(enclave, registrationId);
        if (_rejections[registrationId][msg.sender] == membership) {
            revert DuplicateRejection(msg.sender, registrationId);
        }
        _rejections[registrationId][msg.sender] = membership;
        emit Rejected(enclave, registrationId, msg.sender, reason);
        uint256 rejections = _countVotes(_rejections[registrationId]);
        if (rejections >= _quorum) {
            r.rejected = true;
            emit RegistrationRejected(enclave, registrationId, rejections);
            _forfeit(r, registrationId);
        }
    }

    /// @inheritdoc IAttestationRegistry
    function finalize(address enclave, uint256 registrationId) external {
        RegistrationRecord storage r = _pending(enclave, registrationId);
        uint256 approvals = _countApprovals(registrationId);
        if (approvals < _quorum) revert QuorumNotReached(approvals, _quorum);
        _attest(enclave, registrationId, r);
        _refundBond(enclave, registrationId, r);
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

    // =================================================================== other views

    /// @inheritdoc IAttestationRegistry
    function refundOf(address enclave) external view returns (uint256) {
        return _refunds[enclave];
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
        info.rejections = _countVotes(_rejections[registrationId]);
        info.bond = r.bond;
        info.expiresAt = uint64(r.registeredAt) + uint64(REGISTRATION_LIFETIME);
    }

    /// @inheritdoc IAttestationRegistry
    function hasApproved(uint256 registrationId, address validator) external view returns (bool) {
        uint32 membership = _validatorInfo[validator].membership;
        return membership != 0 && _approvals[registrationId][validator] == membership;
    }

    /// @inheritdoc IAttestationRegistry
    function hasRejected(uint256 registrationId, address validator) external view returns (bool) {
        uint32 membership = _validatorInfo[validator].membership;
        return membership != 0 && _rejections[registrationId][validator] == membership;
    }

    // ====================================================================== internal

    function _isLive(KeyState memory k) private view returns (bool) {
        // forge-lint: disable-next-line(block-timestamp)
        if (k.revoked || block.timestamp >= k.expiresAt) return false;
        return _grants[k.grant].active;
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
        if (r.rejected) revert RegistrationRejectedByQuorum(registrationId);
        uint256 expiresAt = uint256(r.registeredAt) + REGISTRATION_LIFETIME;
        // forge-lint: disable-next-line(block-timestamp)
        if (block.timestamp >= expiresAt) revert RegistrationExpired(registrationId, expiresAt);
    }

    /// @dev Trust decision: the registry, not the validator's RPC view, says what was registered;
    /// the validator says what it verified. They must be the same evidence.
    function _checkEvidence(
        RegistrationRecord storage r,
        bytes32 reportHash,
        bytes32[2] calldata reportData,
        bytes32 measurementId
    ) private view {
        if (r.reportHash != reportHash) revert ReportHashMismatch(r.reportHash, reportHash);
        if (r.digest != reportData[0] || r.boundData != reportData[1]) _revertReportData(r, reportData);
        if (_grants[r.grant].measurementId != measurementId) {
            revert MeasurementMismatch(_grants[r.grant].measurementId, measurementId);
        }
    }

    function _revertReportData(RegistrationRecord storage r, bytes32[2] calldata given) private view {
        revert ReportDataMismatch([r.digest, r.boundData], given);
    }

    /// @dev A registration the same enclave just superseded: its bond goes back while it could
    /// still have been attested; kept once expired (or already settled: then nothing happens).
    function _settleSuperseded(address enclave, uint256 registrationId) private {
        RegistrationRecord storage r = _registrations[registrationId];
        if (r.bond == 0) return;
        // forge-lint: disable-next-line(block-timestamp)
        if (block.timestamp >= uint256(r.registeredAt) + REGISTRATION_LIFETIME) _forfeit(r, registrationId);
        else _refundBond(enclave, registrationId, r);
    }

    function _forfeit(RegistrationRecord storage r, uint256 registrationId) private {
        uint96 bond = r.bond;
        if (bond == 0) return;
        r.bond = 0;
        _forfeited += bond;
        emit BondForfeited(r.enclave, registrationId, bond);
    }

    /// @dev Effects first (the bond is zeroed), then a gas-capped transfer; a failed one is kept
    /// for `withdrawRefund`, so an enclave that cannot receive never blocks its own attestation.
    function _refundBond(address enclave, uint256 registrationId, RegistrationRecord storage r) private {
        uint96 bond = r.bond;
        if (bond == 0) return;
        r.bond = 0;
        (bool paid,) = payable(enclave).call{value: bond, gas: REFUND_GAS}("");
        if (!paid) _refunds[enclave] += bond;
        emit BondRefunded(enclave, registrationId, bond, paid);
    }

    function _status(uint256 registrationId, RegistrationRecord storage r) private view returns (RegistrationStatus) {
        KeyState memory k = _keys[r.enclave];
        if (k.revoked) return RegistrationStatus.Void;
        if (k.attestedRegistration == registrationId) return RegistrationStatus.Attested;
        if (r.rejected) return RegistrationStatus.Rejected;
        if (k.latestRegistration != registrationId) return RegistrationStatus.Superseded;
        if (!_grants[r.grant].active) return RegistrationStatus.Void;
        // forge-lint: disable-next-line(block-timestamp)
        if (block.timestamp >= uint256(r.registeredAt) + REGISTRATION_LIFETIME) return RegistrationStatus.Expired;
        return RegistrationStatus.Pending;
    }

    /// @dev Approvals by validators in the set now, with the membership they approved under.
    /// O(validators) ≤ MAX_VALIDATORS iterations; approvals are rare, `isAttested` never pays this.
    function _countApprovals(uint256 registrationId) private view returns (uint256) {
        return _countVotes(_approvals[registrationId]);
    }

    function _countVotes(mapping(address => uint32) storage given) private view returns (uint256 count) {
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
}
