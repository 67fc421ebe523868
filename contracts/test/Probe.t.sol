// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Test} from "./utils/Test.sol";
import {Probe} from "../src/fixtures/Probe.sol";

contract ProbeTest is Test {
    Probe internal probe;

    function setUp() public {
        probe = new Probe(100, "hello");
    }

    function test_StoreKeepsValueAndNote() public {
        probe.store(42, "answer", new bytes32[](0));
        assertEq(probe.value(), 42);
        assertEq(probe.note(), "answer");
    }

    function test_StoreAboveLimitRevertsWithTooLarge() public {
        vm.expectRevert(abi.encodeWithSelector(Probe.TooLarge.selector, 101, 100));
        probe.store(101, "x", new bytes32[](0));
    }

    function test_DivideByZeroPanics() public {
        vm.expectRevert(abi.encodeWithSignature("Panic(uint256)", 0x12));
        probe.divide(1, 0);
    }

    function testFuzz_StoreAtOrBelowLimit(uint256 v) public {
        v = bound(v, 0, 100);
        probe.store(v, "", new bytes32[](0));
        assertEq(probe.value(), v);
    }
}
