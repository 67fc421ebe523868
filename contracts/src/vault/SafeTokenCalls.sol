// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @notice ERC-20 calls that accept tokens returning nothing (e.g. USDT) as well as `true`, and
/// revert with a named error otherwise (the usual "safe transfer" rule, as in Uniswap's TransferHelper).
library SafeTokenCalls {
    error TokenCallFailed(address token, bytes4 selector);

    /// @dev In assembly (after Solady's SafeTransferLib): the vault's trades make two or three
    /// token calls each, and the ABI-encoding in memory cost more than the checks.
    function safeTransfer(address token, address to, uint256 amount) internal {
        bool ok;
        assembly ("memory-safe") {
            // transfer(address,uint256) laid out from 0x10: selector ‖ to ‖ amount. 0x34..0x54
            // overlaps the free memory pointer's zero high bytes, restored below.
            mstore(0x14, to)
            mstore(0x34, amount)
            mstore(0x00, 0xa9059cbb000000000000000000000000)
            ok := call(gas(), token, 0, 0x10, 0x44, 0x00, 0x20)
            // Success: returned true, or returned nothing from an address that has code (USDT).
            ok := and(ok, or(and(eq(mload(0x00), 1), gt(returndatasize(), 31)), and(iszero(returndatasize()), gt(extcodesize(token), 0))))
            mstore(0x34, 0)
        }
        if (!ok) revert TokenCallFailed(token, 0xa9059cbb);
    }

    function safeTransferFrom(address token, address from, address to, uint256 amount) internal {
        _call(token, abi.encodeWithSelector(0x23b872dd, from, to, amount));
    }

    function safeApprove(address token, address spender, uint256 amount) internal {
        _call(token, abi.encodeWithSelector(0x095ea7b3, spender, amount));
    }

    /// @dev balanceOf(owner) of a contract that must exist; a missing or failing token reverts.
    function balanceOf(address token, address owner) internal view returns (uint256 bal) {
        bool ok;
        assembly ("memory-safe") {
            // Scratch space only: selector at 0x1c..0x20, owner at 0x20..0x40.
            mstore(0x00, 0x70a08231)
            mstore(0x20, owner)
            ok := staticcall(gas(), token, 0x1c, 0x24, 0x00, 0x20)
            ok := and(ok, gt(returndatasize(), 31)) // a separate statement: Yul evaluates arguments right to left
            bal := mload(0x00)
        }
        if (!ok) revert TokenCallFailed(token, 0x70a08231);
    }

    function allowance(address token, address owner, address spender) internal view returns (uint256 amt) {
        (bool ok, bytes memory ret) = token.staticcall(abi.encodeWithSelector(0xdd62ed3e, owner, spender));
        if (!ok || ret.length < 32) revert TokenCallFailed(token, 0xdd62ed3e);
        amt = abi.decode(ret, (uint256));
    }

    function _call(address token, bytes memory data) private {
        (bool ok, bytes memory ret) = token.call(data);
        // An address without code "succeeds" with empty return data: reject it explicitly.
        if (!ok || (ret.length == 0 && token.code.length == 0) || (ret.length != 0 && !abi.decode(ret, (bool)))) {
            revert TokenCallFailed(token, bytes4(data));
        }
    }
}
