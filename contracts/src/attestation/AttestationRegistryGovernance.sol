// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IAttestationRegistry} from "./IAttestationRegistry.sol";
import {AttestationRegistryStorage} from "./AttestationRegistryStorage.sol";

/// @title AttestationRegistryGovernance
/// @notice What the owner (a multisig in production) decides: allowed measurements, the
/// validator set and quorum, the attestation lifetime, the registration bond, kept bonds, and the
/// two-step ownership transfer; with the views of those settings. See AttestationRegistry for the
/// trust model.
abstract contract AttestationRegistryGovernance is AttestationRegistryStorage {
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
    function setRegistrationBond(uint256 newBond) external onlyOwner {
        _setRegistrationBond(newBond);
    }

    /// @inheritdoc IAttestationRegistry
    function withdrawForfeitedBonds(address payable to, uint256 amount) external onlyOwner {
        if (to == address(0)) revert ZeroAddress();
        uint256 available = _forfeited;
        if (amount > available) revert InsufficientForfeitedBonds(amount, available);
        // Safe: amount ≤ available, a uint128.
        // forge-lint: disable-next-line(unsafe-typecast)
        _forfeited = uint128(available - amount);
        emit ForfeitedBondsWithdrawn(to, amount);
        (bool ok,) = to.call{value: amount}("");
        if (!ok) revert TransferFailed(to, amount);
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

    // =================================================================== governance views

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
    function registrationBond() external view returns (uint256) {
        return _registrationBond;
    }

    /// @inheritdoc IAttestationRegistry
    function forfeitedBonds() external view returns (uint256) {
        return _forfeited;
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

    // ====================================================================== internal

    function _addValidator(address validator) internal {
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

    function _removeValidator(address validator) internal {
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

    function _checkQuorum(uint256 q) internal view {
        if (q == 0 || q > _validatorList.length) revert InvalidQuorum(q, _validatorList.length);
    }

    function _setQuorum(uint256 newQuorum) internal {
        _checkQuorum(newQuorum);
        uint256 previous = _quorum;
        if (previous == newQuorum) return;
        // Safe: _checkQuorum bounded it by the validator count ≤ MAX_VALIDATORS = 32.
        // forge-lint: disable-next-line(unsafe-typecast)
        _quorum = uint8(newQuorum);
        emit QuorumChanged(previous, newQuorum);
    }

    function _setRegistrationBond(uint256 newBond) internal {
        if (newBond > MAX_REGISTRATION_BOND) revert InvalidRegistrationBond(newBond, MAX_REGISTRATION_BOND);
        uint256 previous = _registrationBond;
        // Safe: bounded by MAX_REGISTRATION_BOND above.
        // forge-lint: disable-next-line(unsafe-typecast)
        _registrationBond = uint96(newBond);
        emit RegistrationBondChanged(previous, newBond);
    }

    function _setValidityPeriod(uint256 newPeriod) internal {
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
