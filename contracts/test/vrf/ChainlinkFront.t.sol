// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Test} from "../utils/Test.sol";
import {VRFCoordinatorMock} from "../../src/vrf/VRFCoordinatorMock.sol";
import {VRFCoordinatorV2PlusFront} from "../../src/vrf/chainlink/VRFCoordinatorV2PlusFront.sol";
import {VRFSubscriptions} from "../../src/vrf/chainlink/VRFSubscriptions.sol";
// Chainlink's own example consumers, compiled unmodified from the npm package.
import {VRFV2PlusSingleConsumerExample} from "@chainlink/contracts/src/v0.8/vrf/dev/testhelpers/VRFV2PlusSingleConsumerExample.sol";
import {VRFV2PlusExternalSubOwnerExample} from
    "@chainlink/contracts/src/v0.8/vrf/dev/testhelpers/VRFV2PlusExternalSubOwnerExample.sol";
import {VRFV2PlusConsumerExample} from "@chainlink/contracts/src/v0.8/vrf/dev/testhelpers/VRFV2PlusConsumerExample.sol";
import {VRFV2PlusRevertingExample} from "@chainlink/contracts/src/v0.8/vrf/dev/testhelpers/VRFV2PlusRevertingExample.sol";
import {VRFMaliciousConsumerV2Plus} from "@chainlink/contracts/src/v0.8/vrf/dev/testhelpers/VRFMaliciousConsumerV2Plus.sol";

/// @notice Issue 16 §1: contracts written for Chainlink VRF v2.5 get words through the front,
/// here over VRFCoordinatorMock (the Anvil test with the real oracle is test_chainlink_front).
contract ChainlinkFrontTest is Test {
    bytes32 internal constant KEY_HASH = keccak256("cvex key");
    uint256 internal constant PRICE = 0.001 ether;

    VRFCoordinatorMock internal cvex;
    VRFCoordinatorV2PlusFront internal front;

    function setUp() public {
        vm.roll(100);
        cvex = new VRFCoordinatorMock(PRICE);
        front = new VRFCoordinatorV2PlusFront(address(cvex));
    }

    function _word(uint256 id, uint256 i) internal pure returns (uint256) {
        return uint256(keccak256(abi.encode(id, i))); // the mock's derived words
    }

    function _fulfil(uint256 id) internal {
        vm.roll(block.number + 3);
        assertTrue(cvex.fulfil(id), "delivered to the front");
    }

    function test_SingleConsumerExampleGetsWordsFromItsOwnSubscription() public {
        VRFV2PlusSingleConsumerExample c =
            new VRFV2PlusSingleConsumerExample(address(front), address(0), 100_000, 3, 2, KEY_HASH, true);
        (uint256 subId,,,,,) = c.s_requestConfig();
        front.fundSubscriptionWithNative{value: 1 ether}(subId);
        assertTrue(front.pendingRequestExists(subId) == false);
        c.requestRandomWords();
        uint256 id = c.s_requestId();
        assertTrue(front.pendingRequestExists(subId));
        (, uint96 balance, uint64 reqCount, address owner, address[] memory consumers) = front.getSubscription(subId);
        assertEq(owner, address(c));
        assertEq(consumers.length, 1);
        assertEq(reqCount, 1);
        assertEq(balance, 1 ether - PRICE, "the subscription paid the cvex price");
        _fulfil(id);
        assertEq(c.s_randomWords(0), _word(id, 0));
        assertEq(c.s_randomWords(1), _word(id, 1));
        assertFalse(front.pendingRequestExists(subId));
        c.unsubscribe(address(0xBEEF));
        assertEq(address(0xBEEF).balance, 1 ether - PRICE, "cancelling returns the balance");
    }

    /// Issue 16 §3: the coordinator returns a fulfilment's unused reservation to the front's credit
    /// after the callback; the front gives it back to that request's subscription at its next
    /// step (a request, a fulfilment, a cancellation, or `collectRefund`), and getSubscription
    /// counts it at once. Cancelling pays out balances that include refunds still held as credit.
    function test_EachFulfilmentsRefundGoesBackToItsOwnSubscription() public {
        uint256 refund = 0.0004 ether;
        cvex.setRefund(refund);
        uint256 subA = front.createSubscription();
        uint256 subB = front.createSubscription();
        VRFV2PlusExternalSubOwnerExample a = new VRFV2PlusExternalSubOwnerExample(address(front), address(0));
        VRFV2PlusExternalSubOwnerExample b = new VRFV2PlusExternalSubOwnerExample(address(front), address(0));
        front.addConsumer(subA, address(a));
        front.addConsumer(subB, address(b));
        front.fundSubscriptionWithNative{value: 0.01 ether}(subA);
        front.fundSubscriptionWithNative{value: 0.01 ether}(subB);

        a.requestRandomWords(subA, 100_000, 3, 1, KEY_HASH, true);
        _fulfil(a.s_requestId());
        assertEq(_balance(subA), 0.01 ether - PRICE + refund, "counted before it is collected");
        b.requestRandomWords(subB, 100_000, 3, 1, KEY_HASH, true); // collects a's
        assertEq(_balance(subA), 0.01 ether - PRICE + refund, "a's refund is a's");
        assertEq(_balance(subB), 0.01 ether - PRICE, "b's request is still pending");
        _fulfil(b.s_requestId());
        assertEq(_balance(subB), 0.01 ether - PRICE + refund);
        front.collectRefund();
        assertEq(_balance(subA), 0.01 ether - PRICE + refund, "collecting b's moves nothing of a's");
        assertEq(_balance(subB), 0.01 ether - PRICE + refund);

        front.cancelSubscription(subA, address(0xAAAA));
        front.cancelSubscription(subB, address(0xBBBB)); // needs the credit at the coordinator too
        assertEq(address(0xAAAA).balance, 0.01 ether - PRICE + refund);
        assertEq(address(0xBBBB).balance, 0.01 ether - PRICE + refund);
        assertEq(cvex.creditOf(address(front)), 0, "nothing left behind");
        assertEq(address(front).balance, 0);
    }

    function _balance(uint256 subId) internal view returns (uint256 nativeBalance) {
        (, nativeBalance,,,) = front.getSubscription(subId);
    }

    function test_ExternalSubscriptionOwnerExample() public {
        uint256 subId = front.createSubscription();
        VRFV2PlusExternalSubOwnerExample c = new VRFV2PlusExternalSubOwnerExample(address(front), address(0));
        front.addConsumer(subId, address(c));
        front.fundSubscriptionWithNative{value: 0.01 ether}(subId);
        c.requestRandomWords(subId, 100_000, 3, 1, KEY_HASH, true);
        uint256 id = c.s_requestId();
        vm.expectRevert(VRFSubscriptions.PendingRequestExists.selector);
        front.cancelSubscription(subId, address(this));
        _fulfil(id);
        assertEq(c.s_randomWords(0), _word(id, 0));
        uint256[] memory active = front.getActiveSubscriptionIds(0, 0);
        assertEq(active.length, 1);
        assertEq(active[0], subId);
    }

    function test_ALinkPaidRequestIsRefusedClearly() public {
        uint256 subId = front.createSubscription();
        VRFV2PlusExternalSubOwnerExample c = new VRFV2PlusExternalSubOwnerExample(address(front), address(0));
        front.addConsumer(subId, address(c));
        front.fundSubscriptionWithNative{value: 0.01 ether}(subId);
        vm.expectRevert(VRFCoordinatorV2PlusFront.LinkPaymentNotSupported.selector);
        c.requestRandomWords(subId, 100_000, 3, 1, KEY_HASH, false);
        // The reverting and malicious examples hard-code empty extraArgs (LINK): refused too.
        VRFV2PlusRevertingExample r = new VRFV2PlusRevertingExample(address(front), address(0));
        front.addConsumer(subId, address(r));
        vm.expectRevert(VRFCoordinatorV2PlusFront.LinkPaymentNotSupported.selector);
        r.requestRandomness(KEY_HASH, subId, 3, 100_000, 1);
        VRFMaliciousConsumerV2Plus m = new VRFMaliciousConsumerV2Plus(address(front), address(0));
        // (It cannot even get a subscription: its createSubscriptionAndFund pays in LINK.)
        vm.expectRevert(VRFSubscriptions.InvalidSubscription.selector);
        m.requestRandomness(KEY_HASH);
    }

    function test_AnUnderfundedSubscriptionOrAStrangerIsRefused() public {
        uint256 subId = front.createSubscription();
        VRFV2PlusExternalSubOwnerExample c = new VRFV2PlusExternalSubOwnerExample(address(front), address(0));
        vm.expectRevert(abi.encodeWithSelector(VRFSubscriptions.InvalidConsumer.selector, subId, address(c)));
        c.requestRandomWords(subId, 100_000, 3, 1, KEY_HASH, true);
        front.addConsumer(subId, address(c));
        vm.expectRevert(VRFSubscriptions.InsufficientBalance.selector);
        c.requestRandomWords(subId, 100_000, 3, 1, KEY_HASH, true);
        vm.prank(address(0xBAD));
        vm.expectRevert(abi.encodeWithSelector(VRFSubscriptions.MustBeSubOwner.selector, address(this)));
        front.addConsumer(subId, address(0xBAD));
    }

    function test_AFailedChainlinkCallbackIsReportedAndRedelivered() public {
        VRFV2PlusConsumerExample c = new VRFV2PlusConsumerExample(address(front), address(0));
        c.createSubscriptionAndFundNative{value: 0.01 ether}();
        c.requestRandomWords(100_000, 3, 1, KEY_HASH, true);
        uint256 first = c.s_recentRequestId();
        c.requestRandomWords(100_000, 3, 1, KEY_HASH, true);
        // The example accepts only its most recent request: the first one's callback reverts.
        vm.roll(block.number + 3);
        vm.expectEmit(true, false, false, false, address(front));
        emit VRFCoordinatorV2PlusFront.ConsumerCallbackFailed(first, false, "");
        assertTrue(cvex.fulfil(first), "the front itself took the words");
        assertTrue(front.pendingRequestExists(c.s_subId()), "the second is still pending");
        uint256[] memory words = new uint256[](1);
        words[0] = _word(first, 0);
        assertFalse(front.redeliver(first, words), "still not its recent request");
        uint256 second = c.s_recentRequestId();
        assertTrue(cvex.fulfil(second));
        assertEq(c.getRandomness(second, 0), _word(second, 0));
        assertFalse(front.pendingRequestExists(c.s_subId()), "a failed callback still ends the request, as in Chainlink");
    }

    function test_SubscriptionOwnershipMovesInTwoSteps() public {
        uint256 subId = front.createSubscription();
        front.requestSubscriptionOwnerTransfer(subId, address(0xA11CE));
        vm.prank(address(0xB0B));
        vm.expectRevert(abi.encodeWithSelector(VRFSubscriptions.MustBeRequestedOwner.selector, address(0xA11CE)));
        front.acceptSubscriptionOwnerTransfer(subId);
        vm.prank(address(0xA11CE));
        front.acceptSubscriptionOwnerTransfer(subId);
        (,,, address owner,) = front.getSubscription(subId);
        assertEq(owner, address(0xA11CE));
    }

    function test_AConsumerMovesToCvexWithSetCoordinator() public {
        VRFV2PlusExternalSubOwnerExample c = new VRFV2PlusExternalSubOwnerExample(address(0xC4A1), address(0));
        c.setCoordinator(address(front));
        uint256 subId = front.createSubscription();
        front.addConsumer(subId, address(c));
        front.fundSubscriptionWithNative{value: 0.01 ether}(subId);
        c.requestRandomWords(subId, 100_000, 3, 1, KEY_HASH, true);
        _fulfil(c.s_requestId());
        assertEq(c.s_randomWords(0), _word(c.s_requestId(), 0));
    }
}
