// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {VRFCoordinator} from "../../src/vrf/VRFCoordinator.sol";
import {IVRFCoordinator} from "../../src/vrf/IVRFCoordinator.sol";
import {VRFConsumerPayments} from "../../src/vrf/VRFConsumerPayments.sol";
import {RecordingConsumer} from "./VRFTestConsumers.sol";
import {DiceGame} from "../../src/examples/DiceGame.sol";
import {NFTTraitRoller} from "../../src/examples/NFTTraitRoller.sol";
import {VRFCoordinatorBase} from "./VRFCoordinatorBase.sol";

/// @notice The two example games, end to end through the coordinator with real proofs. Each game
/// is placed at the fixture's CONSUMER address (code and storage).
contract VRFExamplesTest is VRFCoordinatorBase {
    address internal constant PLAYER = address(0x91A7E5);

    function _commitment(uint32 gasLimit, uint32 numWords, uint256 fee)
        internal
        view
        returns (VRFCoordinator.RequestCommitment memory)
    {
        return VRFCoordinator.RequestCommitment(
            1, keyHash, CONSUMER, 1, uint64(block.number), 3, gasLimit, numWords, uint96(fee)
        );
    }

    function test_DiceGameRollLandsOnTheVerifiedWord() public {
        _place(CONSUMER, address(new DiceGame(address(coordinator), keyHash)));
        DiceGame game = DiceGame(payable(CONSUMER));
        uint256 fee = game.price();
        vm.deal(PLAYER, fee);
        vm.prank(PLAYER);
        uint256 id = game.roll{value: fee}();
        VRFCoordinator.RequestCommitment memory rc = _commitment(game.CALLBACK_GAS_LIMIT(), 1, fee);
        _advance(rc, 3);
        assertTrue(coordinator.fulfillRandomWords(_proof(rc), rc), "callback");
        uint8 want = uint8(_words(_beta(rc), 1)[0] % 6) + 1;
        (address player, uint8 result,) = game.rolls(id);
        assertEq(player, PLAYER);
        assertEq(uint256(result), uint256(want), "die");
        assertEq(uint256(game.lastResult(PLAYER)), uint256(want));
    }

    function test_NFTTraitRollerRevealsTraitsFromThreeWords() public {
        _place(CONSUMER, address(new NFTTraitRoller(address(coordinator), keyHash)));
        NFTTraitRoller nft = NFTTraitRoller(payable(CONSUMER));
        uint256 fee = nft.price();
        vm.deal(PLAYER, fee);
        vm.prank(PLAYER);
        uint256 tokenId = nft.mint{value: fee}();
        assertEq(nft.ownerOf(tokenId), PLAYER);
        VRFCoordinator.RequestCommitment memory rc = _commitment(nft.CALLBACK_GAS_LIMIT(), 3, fee);
        _advance(rc, 3);
        assertTrue(coordinator.fulfillRandomWords(_proof(rc), rc), "callback");
        uint256[] memory w = _words(_beta(rc), 3);
        (NFTTraitRoller.Rarity rarity, uint8 body, uint8 background, uint16 power) = nft.traitsOf(tokenId);
        uint256 roll = w[0] % 100;
        uint256 wantRarity = roll < 70 ? 1 : roll < 95 ? 2 : 3;
        assertEq(uint256(rarity), wantRarity, "rarity");
        assertEq(uint256(body), w[1] % 12, "body");
        assertEq(uint256(background), (w[1] >> 128) % 8, "background");
        assertEq(uint256(power), w[2] % 100 + 1 + (wantRarity == 3 ? 50 : 0), "power");
    }

    // ------------------------------------------------ payments (issue 20)

    address internal constant OTHER = address(0x07E4);

    function _dice() internal returns (DiceGame game) {
        _place(CONSUMER, address(new DiceGame(address(coordinator), keyHash)));
        game = DiceGame(payable(CONSUMER));
    }

    function test_AnOverpaymentGoesBackToThatPlayerAndFundsNoOtherRoll() public {
        DiceGame game = _dice();
        uint256 fee = game.price();
        vm.deal(PLAYER, 5 * fee);
        vm.prank(PLAYER);
        uint256 id = game.roll{value: 5 * fee}();
        assertEq(PLAYER.balance, 4 * fee, "the excess came straight back");
        (address payer, uint96 paid) = game.paymentOf(id);
        assertEq(payer, PLAYER);
        assertEq(paid, fee);
        assertEq(coordinator.creditOf(CONSUMER), 0, "nothing left as the game's credit");
        assertEq(CONSUMER.balance, 0);
        vm.prank(OTHER);
        vm.expectRevert(abi.encodeWithSelector(VRFConsumerPayments.InsufficientPayment.selector, 0, fee));
        game.roll();
    }

    function test_APlayerCancelsAStrandedRollByIdAndIsRefunded() public {
        coordinator.setCancelDelay(10);
        DiceGame game = _dice();
        uint256 fee = game.price();
        vm.deal(PLAYER, fee);
        vm.prank(PLAYER);
        uint256 id = game.roll{value: fee}();
        IVRFCoordinator.RequestStatus memory s = coordinator.requestStatus(id);
        vm.roll(s.cancellableAt - 1);
        vm.prank(PLAYER);
        vm.expectRevert(abi.encodeWithSelector(IVRFCoordinator.TooEarlyToCancel.selector, id, s.cancellableAt));
        game.cancelRoll(id);
        vm.roll(s.cancellableAt);
        vm.prank(OTHER);
        vm.expectRevert(abi.encodeWithSelector(VRFConsumerPayments.NotPayer.selector, OTHER, PLAYER));
        game.cancelRoll(id);
        vm.prank(PLAYER);
        game.cancelRoll(id);
        assertEq(PLAYER.balance, fee, "refunded to the player who paid");
        assertEq(coordinator.creditOf(CONSUMER), 0);
        (,, bool cancelled) = game.rolls(id);
        assertTrue(cancelled);
        assertEq(uint8(coordinator.requestStatus(id).state), uint8(IVRFCoordinator.RequestState.Cancelled));
        vm.prank(PLAYER);
        vm.expectRevert(abi.encodeWithSelector(VRFConsumerPayments.NotPayer.selector, PLAYER, address(0)));
        game.cancelRoll(id);
    }

    function test_NFTMinterCancelsAStrandedMintAndTheTokenIsBurnt() public {
        coordinator.setCancelDelay(10);
        _place(CONSUMER, address(new NFTTraitRoller(address(coordinator), keyHash)));
        NFTTraitRoller nft = NFTTraitRoller(payable(CONSUMER));
        uint256 fee = nft.price();
        vm.deal(PLAYER, fee + 1 gwei);
        vm.prank(PLAYER);
        uint256 tokenId = nft.mint{value: fee + 1 gwei}();
        assertEq(PLAYER.balance, 1 gwei);
        vm.roll(coordinator.requestStatus(1).cancellableAt);
        vm.prank(PLAYER);
        nft.cancelMint(1);
        assertEq(PLAYER.balance, fee + 1 gwei);
        assertEq(nft.ownerOf(tokenId), address(0));
    }

    function test_OnlyTheCoordinatorMaySendEtherToAGame() public {
        DiceGame game = _dice();
        vm.deal(OTHER, 1 ether);
        vm.prank(OTHER);
        (bool ok,) = address(game).call{value: 1 ether}("");
        assertFalse(ok);
    }

    function test_TheBaseHelpersCancelByIdAndWithdrawTheConsumersCredit() public {
        coordinator.setCancelDelay(10);
        RecordingConsumer c = RecordingConsumer(CONSUMER);
        uint256 fee = coordinator.requestPrice(keyHash, 100_000, 1);
        vm.deal(address(this), 3 * fee);
        uint256 id = c.request{value: 3 * fee}(keyHash, 3, 100_000, 1);
        assertEq(c.credit(), 2 * fee, "overpayment is the consumer's credit");
        vm.roll(coordinator.requestStatus(id).cancellableAt);
        assertEq(c.cancel(id), fee);
        assertEq(c.credit(), 3 * fee);
        c.withdraw(payable(address(0xCAFE)), 3 * fee);
        assertEq(address(0xCAFE).balance, 3 * fee);
        assertEq(c.credit(), 0);
    }
}
