// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @notice ERC-20 calls that accept tokens returning nothing (e.g. USDT) as well as `true`, and
/// revert with a named error otherwise (the usual "safe transfer" rule, as in Uniswap's TransferHelper).
library SafeTokenCalls {
    error TokenCallFailed(address token, bytes4 selector);

    function safeTransfer(address token, address to, uint256 amount) internal {
        _call(token, abi.encodeWithSelector(0xa9059cbb, to, amount));
    }

    function safeTransferFrom(address token, address from, address to, uint256 amount) internal {
        _call(token, abi.encodeWithSelector(0x23b872dd, from, to, amount));
    }

    function safeApprove(address token, address spender, uint256 amount) internal {
        _call(token, abi.encodeWithSelector(0x095ea7b3, spender, amount));
    }

    /// @dev balanceOf(owner) of a contract that must exist; a missing or failing token reverts.
    function balanceOf(address token, address owner) internal view returns (uint256 bal) {
        (bool ok, bytes memory ret) = token.staticcall(abi.encodeWithSelector(0x70a08231, owner));
        if (!ok || ret.length < 32) revert TokenCallFailed(token, 0x70a08231);
        bal = abi.decode(ret, (uint256));
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
