// The signatures the `abi` fuzz target decodes against (its first input byte picks one). Most are
// what cvex really decodes from a host-controlled node: eth_call results and event data of its own
// contracts and of Uniswap's; the rest cover every kind of ABI type, nested dynamic ones included.
#pragma once

#include <array>
#include <string_view>

namespace cvex::fuzz {

inline constexpr std::array<std::string_view, 24> kAbiSignatures = {
    // Outputs cvex decodes (AttestationRegistry, VRFCoordinator, GuardedVault, ERC-20).
    "attestationOf(address)((bytes32,bytes32,bytes32[2],bytes32,uint64,uint64,uint256,bool))",
    "registrationOf(uint256)((address,bytes32,bytes32,bytes32[2],bytes32,uint64,uint256,uint8))",
    "tokenLimits(address)((bool,uint96,uint96,uint32,uint96))",
    "minAmountOutFor(address,address,uint256)(uint256,uint256)",
    "pendingRequests(uint256,uint256)(uint256[])",
    "provingKey(bytes32)(address,bool,uint256)",
    "register(bytes32,bytes,bytes32,bytes32)(uint256)",
    "reject(address,uint256,string)",
    "balanceOf(address)(uint256)",
    // Event data cvex decodes (non-indexed parameters).
    "RandomWordsRequested(bytes32,uint256,address,uint64,uint256,uint64,uint16,uint32,uint32,uint96)",
    "Swap(address,address,int256,int256,uint160,uint128,int24)",
    "Sync(uint112,uint112)",
    "Traded(address,address,address,address,uint256,uint256,bytes32)",
    // Every kind of type (the Solidity ABI spec's examples and deeper nesting).
    "baz(uint32,bool)",
    "bar(bytes3[2])",
    "sam(bytes,bool,uint256[])",
    "f(uint256,uint32[],bytes10,bytes)",
    "g(uint256[][],string[])",
    "h(int8,int256,uint8,address,bytes1,bytes32)",
    "t((address,bytes)[],(uint256,(bool,string))[2])",
    "s(string[2][],bytes[])",
    "d(uint16[3][2],int24[][2])",
    "e()",
    "n((((uint256[])[])[]),string)",
};

}  // namespace cvex::fuzz
