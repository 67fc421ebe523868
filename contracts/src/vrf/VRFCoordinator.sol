// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IAttestationRegistry} from "../attestation/IAttestationRegistry.sol";
import {VRFVerifier} from "./VRFVerifier.sol";
import {VRFConsumerBase} from "./VRFConsumerBase.sol";
import {IVRFCoordinator} from "./IVRFCoordinator.sol";
import {VRFBlockhashStore} from "./VRFBlockhashStore.sol";
import {VRFProvingKeys} from "./VRFProvingKeys.sol";
import {VRFRequestLedger} from "./VRFRequestLedger.sol";

/// @title VRFCoordinator
/// @notice Games ask for randomness; an oracle whose VRF key lives in an attested SEV-SNP guest
/// answers with an RFC 9381 ECVRF proof (VRFVerifier); the words reach the game only after the
/// proof, the request commitment, the confirmations and the key's attestation are checked.
///
/// Flow: `requestRandomWords` (pays the fee in ETH) stores only a commitment and emits
/// `RandomWordsRequested` with every field of the commitment. After `minConfirmations` blocks
/// the oracle proves alpha = keccak256(abi.encode(preSeed, blockhash(requestBlock))) with
/// preSeed = keccak256(abi.encode(requestId, requester, nonce)) and calls `fulfillRandomWords`
/// (or the batch form). The request's block hash is not known inside the request transaction,
/// so it enters alpha at fulfilment: the oracle cannot choose alpha, and a reorg of the request's
/// block changes it. Past 256 blocks `blockhash` returns 0, so anyone (the oracle, when a request
/// waits long) can save a recent block's hash with `storeBlockhash` and fulfilment reads it from
/// there (Chainlink's BlockhashStore, built in).
///
/// Payment: direct ETH per request, no subscriptions (the Chainlink front adds them). Fees follow
/// gas (issue 16 §3). Each key has a gas lane (`setGasLane`: a gas price cap and a premium;
/// consumers pick the key whose cap suits them). A request reserves its worst case,
/// `requestPrice`: (FULFILMENT_GAS_OVERHEAD + GAS_PER_WORD·numWords + callbackGasLimit) at the
/// cap plus the premium, in whole gwei, from msg.value and then its credit (msg.value beyond it
/// becomes credit). The fulfilment charges the gas it used — measured from its first to its last
/// metered step, the consumer's callback included, plus the transaction's base and calldata and
/// the bookkeeping after the measurement — at min(tx.gasprice, cap), plus the premium, rounded up
/// to gwei and never above the reservation; the rest goes back to the requester's credit in the
/// same transaction. The charge goes to the proving key's oracle (pull payment:
/// `withdrawEarnings`), in the key's own slot with the block of its last fulfilment, which tells a
/// game a slow oracle from a dead one. A request still pending `cancelDelayBlocks` after it
/// became ready may be cancelled by its requester, by id; its reservation returns to credit.
///
/// Failed callbacks lose nothing: the fulfilment emits CallbackFailed (revert data, out-of-gas)
/// and stores keccak256 of the words, which `redeliver` checks before delivering them again.
///
/// Keys: keyHash = keccak256(abi.encode(x, y)) of the affine public key (as enclave-app's
/// point_key_hash). One key lives for years and may be served by several oracles (replicas in
/// guests on several machines, each with its own Ethereum key): a fulfilment is accepted from
/// any submitter attested in the AttestationRegistry *with* boundData == keyHash
/// (`isAttestedWith`: attested now — not expired, not revoked, measurement still allowed — and
/// the attested report binds this very VRF key to the guest), or from anyone while the key's
/// oracle of record is so attested. The oracle of record is the registrant; when its attestation
/// lapses another attested holder of the key takes the record over (`claimProvingKey`), so
/// requests keep being accepted, and its earnings with it, while the key has a live oracle.
contract VRFCoordinator is VRFRequestLedger, VRFProvingKeys, VRFBlockhashStore {
    // ---------------------------------------------------------------- constants

    uint16 public constant MIN_CONFIRMATIONS = 1; // ≥ 1: the request block's hash must exist
    uint16 public constant MAX_CONFIRMATIONS = 200;
    uint32 public constant MAX_NUM_WORDS = 500;
    uint32 public constant MAX_CALLBACK_GAS_LIMIT = 2_500_000;
    /// @notice What a lone fulfilment charges beyond the gas it measures and its calldata: the
    /// transaction's base cost (21,000), the dispatch before the measurement starts and the
    /// bookkeeping after it ends, less the refund for the deleted commitment (EIP-3529: 4,800)
    /// and the zero bytes of calldata charged at the non-zero rate. A batch entry charges its
    /// share of the 21,000 instead, less BATCH_ENTRY_REFUND_GAS (the same refund, net of the
    /// self-call's re-encoding). Both calibrated against receipts: tests/bench/bench_oracle.cpp
    /// prints what fulfilments charged against what their transactions used.
    uint256 public constant FULFILMENT_BASE_GAS = 23_600;
    uint256 public constant BATCH_ENTRY_REFUND_GAS = 1_700;
    /// @notice Calldata is charged at the non-zero byte rate (EIP-2028: 16 gas per byte).
    uint256 public constant CALLDATA_GAS_PER_BYTE = 16;
    // -------------------------------------------------------------------- types

    /// @notice Everything a request commits to; its keccak256(abi.encode(...)) is stored.
    struct RequestCommitment {
        uint256 requestId;
        bytes32 keyHash;
        address requester;
        uint64 nonce; // the requester's n-th request (from 1)
        uint64 blockNumber; // the request's block
        uint16 minConfirmations;
        uint32 callbackGasLimit;
        uint32 numWords;
        uint96 fee; // wei reserved for this request (the most its fulfilment charges)
    }

    // ------------------------------------------------------------------- events
    // (the consumer-facing ones are declared in IVRFCoordinator)

    /// @notice A batch entry that did not fulfil; `reason` is its revert data.
    event FulfillmentSkipped(uint256 indexed requestId, bytes reason);
    event EarningsWithdrawn(bytes32 indexed keyHash, address indexed to, uint256 amount);

    // ------------------------------------------------------------------- errors

    error CommitmentMismatch(uint256 requestId);
    error NotEnoughConfirmations(uint256 requestId, uint256 readyAt, uint256 current);
    error WrongProvingKey(bytes32 committed, bytes32 proven);
    error KeyNotAttested(bytes32 keyHash, address oracle);
    error NoAttestedOracle(bytes32 keyHash);
    error LengthMismatch(uint256 proofs, uint256 commitments);
    error NotOracle(address caller, address oracle);
    error FeeTooLarge(uint256 fee);
    error EarningsOverflow(bytes32 keyHash);

    // -------------------------------------------------------------------- state

    /// @dev The batch's submitter while fulfillRandomWordsBatch runs its entries through
    /// `this.fulfillRandomWords` (where msg.sender is the coordinator itself).
    address private transient _batchSubmitter;
    uint256 private transient _batchSize;
    /// @dev A key whose attestation check the running batch already passed for its submitter:
    /// attestations cannot change within the transaction's block, so later entries skip the
    /// registry calls (≈ 3k gas per entry, measured in forge).
    bytes32 private transient _batchAttestedKey;

    constructor(IAttestationRegistry registry_, address owner_) VRFProvingKeys(registry_, owner_) {}

    // ---------------------------------------------------------------- requests

    /// @notice What a request reserves: (FULFILMENT_GAS_OVERHEAD + GAS_PER_WORD·numWords +
    /// callbackGasLimit)·the key's lane cap + its premium, rounded up to whole gwei.
    function requestPrice(bytes32 keyHash, uint32 callbackGasLimit, uint32 numWords) public view returns (uint256) {
        GasLane memory lane = _lanes[keyHash];
        uint256 wei_ = (FULFILMENT_GAS_OVERHEAD + GAS_PER_WORD * numWords + callbackGasLimit) * lane.maxGasPrice + lane.premiumWei;
        return (wei_ + 1 gwei - 1) / 1 gwei * 1 gwei;
    }

    /// @inheritdoc IVRFCoordinator
    function requestRandomWords(bytes32 keyHash, uint16 minConfirmations, uint32 callbackGasLimit, uint32 numWords)
        external
        payable
        returns (uint256 requestId)
    {
        ProvingKey storage k = _keys[keyHash];
        if (!k.active) revert UnknownProvingKey(keyHash);
        // A key whose oracle of record is not attested now would strand the fee until cancelled.
        if (!registry.isAttestedWith(k.oracle, keyHash)) revert NoAttestedOracle(keyHash);
        if (minConfirmations < MIN_CONFIRMATIONS || minConfirmations > MAX_CONFIRMATIONS) {
            revert InvalidConfirmations(minConfirmations, MIN_CONFIRMATIONS, MAX_CONFIRMATIONS);
        }
        if (callbackGasLimit > MAX_CALLBACK_GAS_LIMIT) revert InvalidCallbackGasLimit(callbackGasLimit, MAX_CALLBACK_GAS_LIMIT);
        if (numWords == 0 || numWords > MAX_NUM_WORDS) revert InvalidNumWords(numWords, MAX_NUM_WORDS);
        uint256 fee = requestPrice(keyHash, callbackGasLimit, numWords);
        if (fee / 1 gwei > type(uint40).max) revert FeeTooLarge(fee); // fits RequestInfo.feeGwei
        _reserve(fee);

        requestId = ++requestCount;
        uint64 nonce = ++nonceOf[msg.sender];
        RequestCommitment memory rc = RequestCommitment({
            requestId: requestId,
            keyHash: keyHash,
            requester: msg.sender,
            nonce: nonce,
            blockNumber: uint64(block.number),
            minConfirmations: minConfirmations,
            callbackGasLimit: callbackGasLimit,
            numWords: numWords,
            fee: uint96(fee)
        });
        _commitments[requestId] = keccak256(abi.encode(rc));
        // casting to 'uint40' is safe: block numbers stay below 2^40, and the fee was checked.
        // forge-lint: disable-next-line(unsafe-typecast)
        _requests[requestId] = RequestInfo(msg.sender, uint40(block.number), minConfirmations, uint40(fee / 1 gwei));
        emit RandomWordsRequested(
            keyHash,
            requestId,
            msg.sender,
            nonce,
            computePreSeed(requestId, msg.sender, nonce),
            rc.blockNumber,
            minConfirmations,
            callbackGasLimit,
            numWords,
            rc.fee
        );
    }

    /// @notice preSeed = keccak256(abi.encode(requestId, requester, nonce)).
    function computePreSeed(uint256 requestId, address requester, uint64 nonce) public pure returns (uint256) {
        return uint256(keccak256(abi.encode(requestId, requester, nonce)));
    }

    /// @notice The VRF input: alpha = keccak256(abi.encode(preSeed, requestBlockHash)), proven as
    /// its 32 bytes.
    function computeAlpha(uint256 preSeed, bytes32 requestBlockHash) public pure returns (bytes32) {
        return keccak256(abi.encode(preSeed, requestBlockHash));
    }

    // ------------------------------------------------------------- fulfilment

    /// @notice Fulfils a request: checks its commitment, confirmations, the proving key (the
    /// proof's key is the committed one, registered, its oracle attested with it) and the proof
    /// for alpha; derives words[i] = uint256(keccak256(abi.encode(beta, i))); calls the requester
    /// with at most callbackGasLimit gas. A failing callback does not revert: CallbackFailed says
    /// why and the words' commitment is kept for `redeliver`. Any oracle attested with the key may
    /// submit, and anyone while the key's oracle of record is attested (the proof speaks for
    /// itself). Then charges the request what the fulfilment cost (see the contract's notes),
    /// credits it to the key's earnings and returns the rest of the reservation to the requester.
    /// @return success whether the consumer's callback succeeded.
    function fulfillRandomWords(VRFVerifier.Proof calldata proof, RequestCommitment calldata rc)
        external
        returns (bool success)
    {
        uint256 startGas = gasleft();
        _checkCommitment(rc);
        uint256 readyAt = uint256(rc.blockNumber) + rc.minConfirmations;
        if (block.number < readyAt) revert NotEnoughConfirmations(rc.requestId, readyAt, block.number);

        bytes32 keyHash = _hashOfKey(proof);
        if (keyHash != rc.keyHash) revert WrongProvingKey(rc.keyHash, keyHash);
        _checkSubmitter(keyHash);

        bytes32 alpha = computeAlpha(computePreSeed(rc.requestId, rc.requester, rc.nonce), _blockhash(rc.blockNumber));
        bytes32 beta = VRFVerifier.verify(proof, abi.encodePacked(alpha));

        // At most once: the commitment goes before the consumer runs.
        delete _commitments[rc.requestId];
        uint256[] memory words = new uint256[](rc.numWords);
        for (uint256 i; i < words.length; ++i) {
            words[i] = uint256(keccak256(abi.encode(beta, i)));
        }
        success = _deliver(rc.requestId, rc.requester, rc.callbackGasLimit, words);
        // The charge needs the callback's gas, so it comes after it; everything it writes is
        // read afresh here (the callback may have requested or withdrawn meanwhile).
        uint256 payment = _charge(keyHash, rc, startGas);
        // casting to 'uint96' is safe: payment ≤ rc.fee, a uint96.
        // forge-lint: disable-next-line(unsafe-typecast)
        emit RandomWordsFulfilled(rc.requestId, keyHash, beta, uint96(payment), success);
    }

    /// @notice Fulfils several requests; an entry that fails (fulfilled meanwhile by another
    /// transaction, not yet confirmed, bad proof, too little gas…) is skipped with
    /// FulfillmentSkipped and stays pending, without reverting the others.
    /// @return fulfilled per entry, whether it was fulfilled now.
    function fulfillRandomWordsBatch(VRFVerifier.Proof[] calldata proofs, RequestCommitment[] calldata rcs)
        external
        returns (bool[] memory fulfilled)
    {
        if (proofs.length != rcs.length) revert LengthMismatch(proofs.length, rcs.length);
        // A callback may run a batch of its own: the outer batch's context comes back after it.
        (address outerSubmitter, uint256 outerSize, bytes32 outerKey) = (_batchSubmitter, _batchSize, _batchAttestedKey);
        (_batchSubmitter, _batchSize, _batchAttestedKey) = (msg.sender, proofs.length, 0);
        fulfilled = new bool[](proofs.length);
        for (uint256 i; i < proofs.length; ++i) {
            try this.fulfillRandomWords(proofs[i], rcs[i]) {
                fulfilled[i] = true;
            } catch (bytes memory reason) {
                emit FulfillmentSkipped(rcs[i].requestId, reason);
            }
        }
        (_batchSubmitter, _batchSize, _batchAttestedKey) = (outerSubmitter, outerSize, outerKey);
    }

    // ---------------------------------------------------------------- payments

    /// @notice Withdraws a key's earnings; only its oracle.
    function withdrawEarnings(bytes32 keyHash, address payable to) external {
        ProvingKey storage k = _keys[keyHash];
        if (msg.sender != k.oracle) revert NotOracle(msg.sender, k.oracle);
        uint256 amount = uint256(k.earningsGwei) * 1 gwei;
        k.earningsGwei = 0;
        emit EarningsWithdrawn(keyHash, to, amount);
        _send(to, amount);
    }

    // ---------------------------------------------------------------- internal

    /// @dev Trust decision: the words count only from a submitter attested with this key now (a
    /// replica), or while the key's oracle of record is; the key must be active.
    function _checkSubmitter(bytes32 keyHash) private {
        ProvingKey memory k = _keys[keyHash];
        if (!k.active) revert UnknownProvingKey(keyHash);
        bool batched = msg.sender == address(this);
        if (batched && _batchAttestedKey == keyHash) return;
        address submitter = batched ? _batchSubmitter : msg.sender;
        if (!registry.isAttestedWith(submitter, keyHash)) {
            if (submitter == k.oracle || !registry.isAttestedWith(k.oracle, keyHash)) revert KeyNotAttested(keyHash, k.oracle);
        }
        if (batched) _batchAttestedKey = keyHash;
    }

    /// @dev The fulfilment's cost: gas from `startGas` to here plus what the measurement cannot
    /// see (the base, calldata, the writes below), at min(tx.gasprice, the lane's cap), plus the
    /// lane's premium; in whole gwei, at most the reservation. Paid into the key's earnings with
    /// its last fulfilment block (one write of its slot, see ProvingKey's layout); the rest of the
    /// reservation becomes the requester's credit. @return payment in wei.
    function _charge(bytes32 keyHash, RequestCommitment calldata rc, uint256 startGas) private returns (uint256 payment) {
        GasLane storage lane = _lanes[keyHash];
        uint256 paidGwei;
        uint256 feeGwei = rc.fee / 1 gwei; // whole gwei (requestPrice)
        unchecked {
            // GasLane in one read: maxGasPrice in the low 128 bits, premiumWei in the high. Both
            // are bounded (_setGasLane) and gas is below 2^64, so nothing here overflows.
            uint256 l;
            assembly ("memory-safe") {
                l := sload(lane.slot)
            }
            uint256 cap = uint128(l);
            uint256 price = tx.gasprice < cap ? tx.gasprice : cap;
            uint256 gasUsed = startGas - gasleft() + CALLDATA_GAS_PER_BYTE * msg.data.length;
            if (msg.sender != address(this)) gasUsed += FULFILMENT_BASE_GAS;
            else gasUsed = gasUsed + 21_000 / _batchSize - BATCH_ENTRY_REFUND_GAS;
            paidGwei = (gasUsed * price + (l >> 128) + 1 gwei - 1) / 1 gwei;
        }
        if (paidGwei > feeGwei) paidGwei = feeGwei;

        ProvingKey storage ks = _keys[keyHash];
        uint256 slot;
        assembly ("memory-safe") {
            slot := sload(ks.slot)
        }
        uint256 earnings = (slot >> 208) + paidGwei;
        if (earnings > type(uint48).max) revert EarningsOverflow(keyHash); // withdraw first
        assembly ("memory-safe") {
            sstore(ks.slot, or(and(slot, 0xffffffffffffffffffffffffffffffffffffffffff), or(shl(168, number()), shl(208, earnings))))
        }
        payment = paidGwei * 1 gwei;
        _release(rc.requester, rc.fee, payment);
    }

    function _checkCommitment(RequestCommitment calldata rc) private view {
        bytes32 stored = _commitments[rc.requestId];
        if (stored == 0) revert RequestNotPending(rc.requestId);
        if (keccak256(abi.encode(rc)) != stored) revert CommitmentMismatch(rc.requestId);
    }

    function _hashOfKey(VRFVerifier.Proof calldata proof) private pure returns (bytes32) {
        return keccak256(abi.encode(proof.pk));
    }
}
