// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title ExactGasCall
/// @notice Calls a consumer with exactly the gas it was promised (Chainlink's callWithExactGas)
/// and reports a failure in a form a developer can act on: the first bytes of the revert data
/// and whether the callee used all its gas.
library ExactGasCall {
    /// @notice The caller cannot give the callee its gas and still finish afterwards.
    error InsufficientGasForConsumer(uint256 have, uint256 want);

    /// @dev Calls `target` with exactly `gasAmount` gas, keeping `gasAfter` for the caller's work
    /// once it returns, or reverts InsufficientGasForConsumer: EIP-150 passes at most 63/64 of the
    /// remaining gas, so without this check a submitter could starve the callback and have it
    /// fail on purpose. `checkGas` covers the checks between the test and the CALL (EXTCODESIZE
    /// of a cold account, the CALL's own cost). The caller checks that `target` has code: a call
    /// to an account without code succeeds.
    /// On failure at most `maxRevertData` bytes of revert data are copied, so a consumer cannot
    /// make the fulfilment pay for a huge return; `outOfGas` is set when the callee returned
    /// nothing and used its whole allowance (out of gas, or the INVALID opcode).
    function call(uint256 gasAmount, uint256 checkGas, uint256 gasAfter, address target, bytes memory data, uint256 maxRevertData)
        internal
        returns (bool success, bool outOfGas, bytes memory revertData)
    {
        uint256 g = gasleft();
        if (g < checkGas + gasAfter) revert InsufficientGasForConsumer(g, gasAmount);
        unchecked {
            g -= checkGas + gasAfter;
            if (g - g / 64 <= gasAmount) revert InsufficientGasForConsumer(g - g / 64, gasAmount);
        }
        return _call(gasAmount, target, data, maxRevertData);
    }

    /// @dev Calls `target` with all the gas EIP-150 lets through after keeping `gasAfter` back, and
    /// at least `minGas` or reverts InsufficientGasForConsumer (a re-delivery: whoever sends it
    /// may give the callback more than its limit, never less — so a gas estimate, which looks for
    /// the least gas that does not revert, still gives the callback its promised gas).
    function callWithRemaining(uint256 minGas, uint256 gasAfter, address target, bytes memory data, uint256 maxRevertData)
        internal
        returns (bool success, bool outOfGas, bytes memory revertData)
    {
        uint256 g = gasleft();
        if (g < gasAfter) revert InsufficientGasForConsumer(g, gasAfter);
        unchecked {
            g -= gasAfter;
            g -= g / 64;
        }
        if (g <= minGas) revert InsufficientGasForConsumer(g, minGas);
        return _call(g, target, data, maxRevertData);
    }

    function _call(uint256 gasAmount, address target, bytes memory data, uint256 maxRevertData)
        private
        returns (bool success, bool outOfGas, bytes memory revertData)
    {
        uint256 before = gasleft();
        assembly ("memory-safe") {
            success := call(gasAmount, target, 0, add(data, 0x20), mload(data), 0, 0)
        }
        if (success) return (true, false, revertData);
        uint256 size;
        assembly ("memory-safe") {
            size := returndatasize()
        }
        outOfGas = size == 0 && before - gasleft() >= gasAmount;
        if (size > maxRevertData) size = maxRevertData;
        revertData = new bytes(size);
        assembly ("memory-safe") {
            returndatacopy(add(revertData, 0x20), 0, size)
        }
    }
}
