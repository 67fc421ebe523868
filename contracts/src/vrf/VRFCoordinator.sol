// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IAttestationRegistry} from "../attestation/IAttestationRegistry.sol";
import {VRFVerifier} from "./VRFVerifier.sol";
import {VRFConsumerBase} from "./VRFConsumerBase.sol";

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
/// Payment (the choice issue 5 asks to document): direct ETH per request, no subscriptions. The
/// fee is quoted by `requestPrice` from the owner's gas price and flat premium, covering the
/// fulfilment's own gas (FULFILMENT_GAS_OVERHEAD + GAS_PER_WORD·numWords) and the consumer's
/// callback gas limit. msg.value above the fee is kept as the requester's credit (spent first on
/// its later requests, or withdrawn); a request cancelled after CANCEL_DELAY_BLOCKS unfulfilled
/// is refunded to credit. The whole fee of a fulfilled request goes to the proving key's oracle
/// (pull payment: `withdrawEarnings`) — it is the gas the oracle was quoted for, so the per-
/// fulfilment bookkeeping stays one storage write in the key's own slot.
///
/// Keys: keyHash = keccak256(abi.encode(x, y)) of the affine public key (as enclave-app's
/// point_key_hash). A key is bound to its oracle's Ethereum address, which must be attested in
/// the AttestationRegistry *with* boundData == keyHash at fulfilment time (`isAttestedWith`:
/// attested now — not expired, not revoked, measurement still allowed — and the attested report
/// binds this very VRF key to the guest).
contract VRFCoordinator {
    // ---------------------------------------------------------------- constants

    uint16 public constant MIN_CONFIRMATIONS = 1; // ≥ 1: the request block's hash must exist
    uint16 public constant MAX_CONFIRMATIONS = 200;
    uint32 public constant MAX_NUM_WORDS = 500;
    uint32 public constant MAX_CALLBACK_GAS_LIMIT = 2_500_000;
    /// @notice Gas the quote assumes for a fulfilment besides the callback (tx base, calldata,
    /// verification, bookkeeping: ≈ 67k per transaction in test/vrf/VRFGas.t.sol, less in a batch) and
    /// per word.
    uint256 public constant FULFILMENT_GAS_OVERHEAD = 90_000;
    uint256 public constant GAS_PER_WORD = 400;
    /// @notice Gas kept back for the checks between the 63/64 test and the CALL (as Chainlink's
    /// callWithExactGas: EXTCODESIZE of a cold account, the CALL's own cost).
    uint256 public constant GAS_FOR_CALL_EXACT_CHECK = 5_000;
    /// @notice A request unfulfilled this many blocks after it was made may be cancelled.
    uint256 public constant CANCEL_DELAY_BLOCKS = 7_200;

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
        uint96 fee; // wei paid for this request
    }

    /// @dev One slot: a fulfilment reads and pays within it.
    struct ProvingKey {
        address oracle; // the attested guest's Ethereum address; 0 = never registered
        bool active; // false after deregistration (earnings stay withdrawable)
        uint88 earnings; // wei owed to the oracle
    }

    // ------------------------------------------------------------------- events

    event ProvingKeyRegistered(bytes32 indexed keyHash, address indexed oracle, uint256[2] publicKey);
    event ProvingKeyDeregistered(bytes32 indexed keyHash, address indexed oracle);
    /// @notice Everything the oracle needs: the commitment's fields and preSeed.
    event RandomWordsRequested(
        bytes32 indexed keyHash,
        uint256 indexed requestId,
        address indexed requester,
        uint64 nonce,
        uint256 preSeed,
        uint64 blockNumber,
        uint16 minConfirmations,
        uint32 callbackGasLimit,
        uint32 numWords,
        uint96 fee
    );
    /// @notice `success` is false when the consumer's callback reverted, ran out of its gas limit
    /// or the requester has no code; the request is fulfilled either way.
    event RandomWordsFulfilled(uint256 indexed requestId, bytes32 indexed keyHash, bytes32 beta, uint96 payment, bool success);
    /// @notice A batch entry that did not fulfil; `reason` is its revert data.
    event FulfillmentSkipped(uint256 indexed requestId, bytes reason);
    event RequestCancelled(uint256 indexed requestId, address indexed requester, uint96 refund);
    event BlockhashStored(uint256 indexed blockNumber, bytes32 blockHash);
    event CreditChanged(address indexed account, uint256 credit);
    event EarningsWithdrawn(bytes32 indexed keyHash, address indexed to, uint256 amount);
    event FeeConfigSet(uint256 gasPriceWei, uint256 flatFeeWei);
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    // ------------------------------------------------------------------- errors

    error NotOwner(address caller);
    error ZeroAddress();
    error InvalidPublicKey();
    error KeyAlreadyRegistered(bytes32 keyHash);
    error OracleNotAttestedWithKey(address oracle, bytes32 keyHash);
    error NotOwnerOrOracle(address caller);
    error UnknownProvingKey(bytes32 keyHash);
    error InvalidConfirmations(uint16 have, uint16 min, uint16 max);
    error InvalidCallbackGasLimit(uint32 have, uint32 max);
    error InvalidNumWords(uint32 have, uint32 max);
    error InsufficientPayment(uint256 have, uint256 want);
    error RequestNotPending(uint256 requestId);
    error CommitmentMismatch(uint256 requestId);
    error NotEnoughConfirmations(uint256 requestId, uint256 readyAt, uint256 current);
    error WrongProvingKey(bytes32 committed, bytes32 proven);
    error KeyNotAttested(bytes32 keyHash, address oracle);
    error BlockhashUnavailable(uint256 blockNumber);
    error InsufficientGasForConsumer(uint256 have, uint256 want);
    error LengthMismatch(uint256 proofs, uint256 commitments);
    error NotRequester(address caller, address requester);
    error TooEarlyToCancel(uint256 requestId, uint256 cancellableAt);
    error InsufficientCredit(uint256 have, uint256 want);
    error NotOracle(address caller, address oracle);
    error TransferFailed(address to, uint256 amount);
    error FeeTooLarge(uint256 fee);

    // -------------------------------------------------------------------- state

    IAttestationRegistry public immutable registry;
    address public owner;
    uint256 public gasPriceWei; // the quote's gas price
    uint256 public flatFeeWei; // the quote's premium per request
    uint256 public requestCount; // request ids are 1…requestCount
    mapping(address requester => uint64) public nonceOf;
    mapping(address account => uint256) public creditOf;
    mapping(bytes32 keyHash => ProvingKey) internal _keys;
    mapping(uint256 requestId => bytes32) internal _commitments;
    mapping(uint256 blockNumber => bytes32) internal _blockhashes;

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        _;
    }

    constructor(IAttestationRegistry registry_, address owner_, uint256 gasPriceWei_, uint256 flatFeeWei_) {
        if (address(registry_) == address(0) || owner_ == address(0)) revert ZeroAddress();
        registry = registry_;
        owner = owner_;
        emit OwnershipTransferred(address(0), owner_);
        _setFeeConfig(gasPriceWei_, flatFeeWei_);
    }

    // ------------------------------------------------------------ proving keys

    /// @notice keccak256(abi.encode(x, y)) of an affine public key.
    function hashOfKey(uint256[2] calldata publicKey) public pure returns (bytes32) {
        return keccak256(abi.encode(publicKey));
    }

    /// @notice Registers a proving key bound to `oracle`. The owner may register any key; anyone
    /// else only `oracle == msg.sender` already attested with boundData == keyHash (an attested
    /// guest registering itself), so nobody can squat a key it does not hold.
    function registerProvingKey(uint256[2] calldata publicKey, address oracle) external returns (bytes32 keyHash) {
        if (oracle == address(0)) revert ZeroAddress();
        if (!_onCurve(publicKey)) revert InvalidPublicKey();
        keyHash = hashOfKey(publicKey);
        if (msg.sender != owner) {
            if (msg.sender != oracle) revert NotOwner(msg.sender);
            if (!registry.isAttestedWith(oracle, keyHash)) revert OracleNotAttestedWithKey(oracle, keyHash);
        }
        ProvingKey storage k = _keys[keyHash];
        if (k.active) revert KeyAlreadyRegistered(keyHash);
        // A key deregistered earlier keeps its unwithdrawn earnings for its previous oracle.
        if (k.oracle != address(0) && k.oracle != oracle && k.earnings != 0) revert KeyAlreadyRegistered(keyHash);
        k.oracle = oracle;
        k.active = true;
        emit ProvingKeyRegistered(keyHash, oracle, publicKey);
    }

    /// @notice Stops new requests and fulfilments for a key (owner or its oracle). Pending
    /// requests can then only be cancelled by their requesters after CANCEL_DELAY_BLOCKS.
    function deregisterProvingKey(bytes32 keyHash) external {
        ProvingKey storage k = _keys[keyHash];
        if (!k.active) revert UnknownProvingKey(keyHash);
        if (msg.sender != owner && msg.sender != k.oracle) revert NotOwnerOrOracle(msg.sender);
        k.active = false;
        emit ProvingKeyDeregistered(keyHash, k.oracle);
    }

    /// @notice The key's oracle, whether it takes requests, and its unwithdrawn earnings.
    function provingKey(bytes32 keyHash) external view returns (address oracle, bool active, uint256 earnings) {
        ProvingKey memory k = _keys[keyHash];
        return (k.oracle, k.active, k.earnings);
    }

    // ---------------------------------------------------------------- requests

    /// @notice The fee for a request: (FULFILMENT_GAS_OVERHEAD + GAS_PER_WORD·numWords +
    /// callbackGasLimit)·gasPriceWei + flatFeeWei.
    function requestPrice(uint32 callbackGasLimit, uint32 numWords) public view returns (uint256) {
        return (FULFILMENT_GAS_OVERHEAD + GAS_PER_WORD * numWords + callbackGasLimit) * gasPriceWei + flatFeeWei;
    }

    /// @notice Requests `numWords` random words from `keyHash`, delivered to msg.sender's
    /// `rawFulfillRandomWords` (VRFConsumerBase) with at most `callbackGasLimit` gas once
    /// `minConfirmations` blocks have passed. Pays requestPrice from msg.value, then credit;
    /// the rest of msg.value becomes credit.
    function requestRandomWords(bytes32 keyHash, uint16 minConfirmations, uint32 callbackGasLimit, uint32 numWords)
        external
        payable
        returns (uint256 requestId)
    {
        if (!_keys[keyHash].active) revert UnknownProvingKey(keyHash);
        if (minConfirmations < MIN_CONFIRMATIONS || minConfirmations > MAX_CONFIRMATIONS) {
            revert InvalidConfirmations(minConfirmations, MIN_CONFIRMATIONS, MAX_CONFIRMATIONS);
        }
        if (callbackGasLimit > MAX_CALLBACK_GAS_LIMIT) revert InvalidCallbackGasLimit(callbackGasLimit, MAX_CALLBACK_GAS_LIMIT);
        if (numWords == 0 || numWords > MAX_NUM_WORDS) revert InvalidNumWords(numWords, MAX_NUM_WORDS);
        uint256 fee = requestPrice(callbackGasLimit, numWords);
        if (fee > type(uint88).max) revert FeeTooLarge(fee); // fits ProvingKey.earnings
        _pay(fee);

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

    /// @notice Cancels a request still pending CANCEL_DELAY_BLOCKS after it was made (e.g. its
    /// key was deregistered); the fee becomes the requester's credit.
    function cancelRequest(RequestCommitment calldata rc) external {
        _checkCommitment(rc);
        if (msg.sender != rc.requester) revert NotRequester(msg.sender, rc.requester);
        uint256 cancellableAt = uint256(rc.blockNumber) + CANCEL_DELAY_BLOCKS;
        if (block.number < cancellableAt) revert TooEarlyToCancel(rc.requestId, cancellableAt);
        delete _commitments[rc.requestId];
        _setCredit(rc.requester, creditOf[rc.requester] + rc.fee);
        emit RequestCancelled(rc.requestId, rc.requester, rc.fee);
    }

    // ------------------------------------------------------------- fulfilment

    /// @notice Fulfils a request: checks its commitment, confirmations, the proving key (the
    /// proof's key is the committed one, registered, its oracle attested with it) and the proof
    /// for alpha; derives words[i] = uint256(keccak256(abi.encode(beta, i))); calls the requester
    /// with at most callbackGasLimit gas. A failing callback does not revert (see the event).
    /// Anyone may submit (the proof speaks for itself); the key's oracle is paid the fee.
    /// @return success whether the consumer's callback succeeded.
    function fulfillRandomWords(VRFVerifier.Proof calldata proof, RequestCommitment calldata rc)
        external
        returns (bool success)
    {
        _checkCommitment(rc);
        uint256 readyAt = uint256(rc.blockNumber) + rc.minConfirmations;
        if (block.number < readyAt) revert NotEnoughConfirmations(rc.requestId, readyAt, block.number);

        bytes32 keyHash = _hashOfKey(proof);
        if (keyHash != rc.keyHash) revert WrongProvingKey(rc.keyHash, keyHash);
        ProvingKey storage k = _keys[keyHash];
        address oracle = k.oracle;
        if (!k.active) revert UnknownProvingKey(keyHash);
        if (!registry.isAttestedWith(oracle, keyHash)) revert KeyNotAttested(keyHash, oracle);

        bytes32 alpha = computeAlpha(computePreSeed(rc.requestId, rc.requester, rc.nonce), _blockhash(rc.blockNumber));
        bytes32 beta = VRFVerifier.verify(proof, abi.encodePacked(alpha));

        // Effects before the consumer runs: at most once, and the oracle is paid regardless.
        delete _commitments[rc.requestId];
        // casting to 'uint88' is safe because the fee was checked ≤ uint88 max at request time.
        // forge-lint: disable-next-line(unsafe-typecast)
        k.earnings += uint88(rc.fee); // and a key's total earnings stay below the ETH supply

        uint256[] memory words = new uint256[](rc.numWords);
        for (uint256 i; i < words.length; ++i) {
            words[i] = uint256(keccak256(abi.encode(beta, i)));
        }
        success = _callWithExactGas(
            rc.callbackGasLimit,
            rc.requester,
            abi.encodeCall(VRFConsumerBase.rawFulfillRandomWords, (rc.requestId, words))
        );
        emit RandomWordsFulfilled(rc.requestId, keyHash, beta, rc.fee, success);
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
        fulfilled = new bool[](proofs.length);
        for (uint256 i; i < proofs.length; ++i) {
            try this.fulfillRandomWords(proofs[i], rcs[i]) {
                fulfilled[i] = true;
            } catch (bytes memory reason) {
                emit FulfillmentSkipped(rcs[i].requestId, reason);
            }
        }
    }

    // ----------------------------------------------------------- views (oracle)

    /// @notice Whether `requestId` awaits fulfilment.
    function isPending(uint256 requestId) external view returns (bool) {
        return _commitments[requestId] != 0;
    }

    /// @notice The stored commitment (zero once fulfilled or cancelled, or if unknown).
    function commitmentOf(uint256 requestId) external view returns (bytes32) {
        return _commitments[requestId];
    }

    /// @notice The pending request ids in [fromId, toId] (clamped to 1…requestCount), ascending:
    /// an oracle resyncs with this, then reads each one's RandomWordsRequested log (requestId is
    /// an indexed topic). Off-chain use: the scan is linear.
    function pendingRequests(uint256 fromId, uint256 toId) external view returns (uint256[] memory ids) {
        if (fromId == 0) fromId = 1;
        if (toId > requestCount) toId = requestCount;
        if (fromId > toId) return ids;
        uint256[] memory buf = new uint256[](toId - fromId + 1);
        uint256 n;
        for (uint256 id = fromId; id <= toId; ++id) {
            if (_commitments[id] != 0) buf[n++] = id;
        }
        assembly ("memory-safe") {
            mstore(buf, n)
        }
        return buf;
    }

    // --------------------------------------------------------------- blockhash

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

    // ---------------------------------------------------------------- payments

    /// @notice Withdraws the caller's credit (refunds and overpayments).
    function withdrawCredit(address payable to, uint256 amount) external {
        uint256 credit = creditOf[msg.sender];
        if (amount > credit) revert InsufficientCredit(credit, amount);
        _setCredit(msg.sender, credit - amount);
        _send(to, amount);
    }

    /// @notice Withdraws a key's earnings; only its oracle.
    function withdrawEarnings(bytes32 keyHash, address payable to) external {
        ProvingKey storage k = _keys[keyHash];
        if (msg.sender != k.oracle) revert NotOracle(msg.sender, k.oracle);
        uint256 amount = k.earnings;
        k.earnings = 0;
        emit EarningsWithdrawn(keyHash, to, amount);
        _send(to, amount);
    }

    // -------------------------------------------------------------- governance

    function setFeeConfig(uint256 gasPriceWei_, uint256 flatFeeWei_) external onlyOwner {
        _setFeeConfig(gasPriceWei_, flatFeeWei_);
    }

    function transferOwnership(address newOwner) external onlyOwner {
        if (newOwner == address(0)) revert ZeroAddress();
        emit OwnershipTransferred(owner, newOwner);
        owner = newOwner;
    }

    // ---------------------------------------------------------------- internal

    function _setFeeConfig(uint256 gasPriceWei_, uint256 flatFeeWei_) private {
        gasPriceWei = gasPriceWei_;
        flatFeeWei = flatFeeWei_;
        emit FeeConfigSet(gasPriceWei_, flatFeeWei_);
    }

    /// @dev Takes `fee` from msg.value, then from credit; the excess of msg.value becomes credit.
    function _pay(uint256 fee) private {
        if (msg.value == fee) return;
        uint256 credit = creditOf[msg.sender];
        uint256 available = credit + msg.value;
        if (available < fee) revert InsufficientPayment(available, fee);
        _setCredit(msg.sender, available - fee);
    }

    function _setCredit(address account, uint256 credit) private {
        creditOf[account] = credit;
        emit CreditChanged(account, credit);
    }

    function _send(address payable to, uint256 amount) private {
        (bool ok,) = to.call{value: amount}("");
        if (!ok) revert TransferFailed(to, amount);
    }

    function _checkCommitment(RequestCommitment calldata rc) private view {
        bytes32 stored = _commitments[rc.requestId];
        if (stored == 0) revert RequestNotPending(rc.requestId);
        if (keccak256(abi.encode(rc)) != stored) revert CommitmentMismatch(rc.requestId);
    }

    function _hashOfKey(VRFVerifier.Proof calldata proof) private pure returns (bytes32) {
        return keccak256(abi.encode(proof.pk));
    }

    function _blockhash(uint256 blockNumber) private view returns (bytes32 h) {
        h = blockhash(blockNumber);
        if (h == 0) h = _blockhashes[blockNumber];
        if (h == 0) revert BlockhashUnavailable(blockNumber);
    }

    function _onCurve(uint256[2] calldata p) private pure returns (bool) {
        uint256 fp = VRFVerifier.FIELD_SIZE;
        uint256 x = p[0];
        uint256 y = p[1];
        return x < fp && y < fp && mulmod(y, y, fp) == addmod(mulmod(x, mulmod(x, x, fp), fp), 7, fp);
    }

    /// @dev Calls `target` with exactly `gasAmount` gas or reverts (Chainlink's callWithExactGas):
    /// EIP-150 passes at most 63/64 of the remaining gas, so without this check a submitter
    /// could starve the callback and have it fail on purpose. No return data is copied, so a
    /// consumer cannot make the fulfilment pay for a huge return.
    function _callWithExactGas(uint256 gasAmount, address target, bytes memory data) private returns (bool success) {
        uint256 g = gasleft();
        if (g < GAS_FOR_CALL_EXACT_CHECK) revert InsufficientGasForConsumer(g, gasAmount);
        unchecked {
            g -= GAS_FOR_CALL_EXACT_CHECK;
            if (g - g / 64 <= gasAmount) revert InsufficientGasForConsumer(g - g / 64, gasAmount);
        }
        if (target.code.length == 0) return false;
        assembly ("memory-safe") {
            success := call(gasAmount, target, 0, add(data, 0x20), mload(data), 0, 0)
        }
    }
}
