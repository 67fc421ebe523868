// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title VRFBlockhashStore
/// @notice Block hashes older than the 256 that BLOCKHASH returns (Chainlink's BlockhashStore,
/// built into the coordinator): a request's block hash enters its VRF input at fulfilment, so a
/// request that waits long needs its block's hash saved while it is still available.
abstract contract VRFBlockhashStore {
    event BlockhashStored(uint256 indexed blockNumber, bytes32 blockHash);

    error BlockhashUnavailable(uint256 blockNumber);

    mapping(uint256 blockNumber => bytes32) internal _blockhashes;

    /// @notice Saves blockhash(blockNumber) (one of the last 256 blocks) so requests made in that
    /// block stay fulfillable after it leaves the BLOCKHASH window. Anyone may call it: the
    /// value comes from the chain itself.
    function storeBlockhash(uint256 blockNumber) external {
        bytes32 h = blockhash(blockNumber);
        if (h == 0) revert BlockhashUnavailable(blockNumber);
        _blockhashes[blockNumber] = h;
        emit BlockhashStored(blockNumber, h);
    }

    /// @notice The hash of `blockNumber`: BLOCKHASH within the last 256 blocks, else the stored
    /// one; reverts when neither is available.
    function blockhashOf(uint256 blockNumber) external view returns (bytes32) {
        return _blockhash(blockNumber);
    }

    function _blockhash(uint256 blockNumber) internal view returns (bytes32 h) {
        h = blockhash(blockNumber);
        if (h == 0) h = _blockhashes[blockNumber];
        if (h == 0) revert BlockhashUnavailable(blockNumber);
    }
}
