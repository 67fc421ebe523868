// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title VRFVerifier
/// @notice Verifies an RFC 9381 ECVRF-SECP256K1-SHA256-TAI proof (suite_string 0xFE; the
/// secp256k1 analogue of RFC 9381 §5.5's P-256 suite, interoperable with vrf/ecvrf.hpp and the
/// independent implementations of ../shared/vectors/vrf/ecvrf_secp256k1_atikayda.json) and
/// returns beta = proof_to_hash(pi) (§5.2).
///
/// The proof arrives with helpers (vrf/onchain_proof.hpp computes them off-chain) so the EVM does
/// no square root, no inversion and no general scalar multiplication: y-coordinates, the
/// encode_to_curve counter with a non-residue witness per rejected candidate, U/V and the two
/// products s·H and c·Gamma, which `ecrecover` checks (the technique of Chainlink's VRF.sol and
/// witnet's vrf-solidity). Every helper is checked, so a helper can make verification cheaper,
/// never weaker: whatever RFC 9381 §5.3 `verify` rejects, `verify` here reverts on.
///
/// One limitation, shared with VRF.sol: `ecrecover` cannot check a point whose x-coordinate is
/// >= n (or a zero scalar), so a valid proof meeting one of those (probability ≈ 2^-126 for an
/// honest key and alpha) reverts with NotOnchainVerifiable. It never makes an invalid proof pass.
library VRFVerifier {
    /// @dev secp256k1 field prime P and group order n (SEC 2 §2.4.1).
    uint256 internal constant FIELD_SIZE = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F;
    uint256 internal constant GROUP_ORDER = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;
    /// @dev suite_string of ECVRF-SECP256K1-SHA256-TAI.
    uint256 internal constant SUITE = 0xFE;

    /// @notice abi layout of vrf/onchain_proof.hpp's OnchainProof (field order is the ABI).
    struct Proof {
        uint256[2] pk; // Y = x·B, affine
        uint256[2] gamma; // Gamma, affine
        uint256 c; // challenge, < 2^128
        uint256 s; // response, < n
        uint256[2] h; // H = encode_to_curve(PK_string, alpha), y even
        uint8 hCtr; // the TAI counter that produced H
        uint256[] hNonResidue; // per rejected counter: w with w² = −(x³+7) mod P, or 0 if x >= P
        uint256[2] u; // U = s·B − c·Y
        address uWitness; // address(U)
        uint256[2] v; // V = s·H − c·Gamma
        uint256[2] cGammaWitness; // c·Gamma
        uint256[2] sHashWitness; // s·H
        uint256 zInv; // ((cGammaWitness.x − sHashWitness.x)^5)^-1 mod P (see _sub)
    }

    /// @notice Which check failed; numbered as in vrf/onchain_proof.hpp.
    enum Failure {
        PublicKeyNotOnCurve, // 1: not a valid key (§5.4.5) or a non-canonical coordinate
        GammaNotOnCurve, // 1: decode_proof fails (§5.4.4)
        HashPointNotOnCurve, // 1
        UNotOnCurve, // 1
        WitnessNotOnCurve, // 1: cGammaWitness or sHashWitness
        ScalarOutOfRange, // 2: c >= 2^128 or s >= n (§5.4.4 step 6)
        HashToCurveCounter, // 3: hNonResidue.length != hCtr, or a rejected candidate's witness is wrong
        HashToCurvePoint, // 3: h is not encode_to_curve(PK_string, alpha) at hCtr
        UMismatch, // 4: s·B − c·Y != u / uWitness
        CGammaMismatch, // 5
        SHashMismatch, // 6
        WitnessesNotDistinct, // 7
        VMismatch, // 8: v != sHashWitness − cGammaWitness, or zInv wrong
        ChallengeMismatch, // 9: c != challenge_generation(Y, H, Gamma, U, V) (§5.4.3)
        NotOnchainVerifiable // a valid key/proof with an x-coordinate >= n or a zero scalar
    }

    error InvalidProof(Failure failure);

    /// @notice Verifies (proof.pk, alpha, proof) per RFC 9381 §5.3 and returns beta (§5.2).
    /// Reverts with InvalidProof(failure) otherwise.
    function verify(Proof calldata proof, bytes memory alpha) internal view returns (bytes32 beta) {
        // Check 1: points valid and canonical (RFC 9381 §5.4.5 key validation: secp256k1 has
        // cofactor 1 and an affine pair is never the identity, so on-curve is enough). v is not
        // tested here: check 8 requires it to equal a sum of points already on the curve.
        if (!_onCurve(proof.pk)) revert InvalidProof(Failure.PublicKeyNotOnCurve);
        if (!_onCurve(proof.gamma)) revert InvalidProof(Failure.GammaNotOnCurve);
        if (!_onCurve(proof.h)) revert InvalidProof(Failure.HashPointNotOnCurve);
        if (!_onCurve(proof.u)) revert InvalidProof(Failure.UNotOnCurve);
        if (!_onCurve(proof.cGammaWitness) || !_onCurve(proof.sHashWitness)) {
            revert InvalidProof(Failure.WitnessNotOnCurve);
        }
        // Check 2 (§5.4.4 step 6; c is a 16-byte string, cLen = 16).
        uint256 c = proof.c;
        uint256 s = proof.s;
        if (c >> 128 != 0 || s >= GROUP_ORDER) revert InvalidProof(Failure.ScalarOutOfRange);
        // ecrecover checks nothing with a zero scalar; c = 0 or s = 0 is a 2^-128 event.
        if (c == 0 || s == 0) revert InvalidProof(Failure.NotOnchainVerifiable);

        _checkHashToCurve(proof, alpha); // check 3
        _checkU(proof, c, s); // check 4
        _checkProducts(proof, c, s); // checks 5, 6
        _checkV(proof); // checks 7, 8
        if (_challenge(proof) != c) revert InvalidProof(Failure.ChallengeMismatch); // check 9
        return _proofToHash(proof.gamma); // check 10
    }

    // ------------------------------------------------------------------ checks

    /// @dev Check 3, RFC 9381 §5.4.1.1 (TAI): for ctr = 0, 1, …, the first
    /// x = SHA-256(suite || 0x01 || PK_string || alpha || ctr || 0x00) that is the x of a point
    /// (string_to_point(0x02 || x) succeeds) gives H with the even y. A rejected candidate has
    /// x >= P (then its witness must be 0) or x³+7 a non-residue, shown by w < P with
    /// w² ≡ −(x³+7): P ≡ 3 (mod 4) makes −1 a non-residue, so x³+7 is one exactly when −(x³+7)
    /// is a residue (x³+7 ≠ 0 for all x, as secp256k1 has no point of order 2).
    function _checkHashToCurve(Proof calldata proof, bytes memory alpha) private view {
        uint256 ctr = proof.hCtr;
        uint256[] calldata witnesses = proof.hNonResidue;
        if (witnesses.length != ctr) revert InvalidProof(Failure.HashToCurveCounter);
        bytes memory m = abi.encodePacked(bytes2(0xFE01), _compressed(proof.pk), alpha, bytes2(0));
        uint256 ctrOffset = m.length - 2; // the counter byte; 0x00 back_domain_separator follows
        for (uint256 i; i < ctr; ++i) {
            uint256 x = _sha256At(m, ctrOffset, i);
            uint256 w = witnesses[i];
            if (x >= FIELD_SIZE) {
                if (w != 0) revert InvalidProof(Failure.HashToCurveCounter);
            } else if (w >= FIELD_SIZE || mulmod(w, w, FIELD_SIZE) != FIELD_SIZE - _ySquared(x)) {
                revert InvalidProof(Failure.HashToCurveCounter);
            }
        }
        uint256 hx = _sha256At(m, ctrOffset, ctr);
        if (hx != proof.h[0] || proof.h[1] & 1 != 0) revert InvalidProof(Failure.HashToCurvePoint);
    }

    /// @dev Check 4: U = s·B − c·Y. ecrecover(h, v, r, sig) = r⁻¹·(sig·R − h·B) with R the point of
    /// x = r and y-parity v − 27. With R = Y, r = Y.x, h = −s·r and sig = −c·r (mod n) it returns
    /// address(r⁻¹·(−c·r·Y + s·r·B)) = address(s·B − c·Y), or 0 when sig = 0 mod n or U = O.
    function _checkU(Proof calldata proof, uint256 c, uint256 s) private pure {
        uint256 r = proof.pk[0];
        if (r >= GROUP_ORDER) revert InvalidProof(Failure.NotOnchainVerifiable);
        address recovered;
        unchecked {
            recovered = ecrecover(
                bytes32((GROUP_ORDER - mulmod(s, r, GROUP_ORDER)) % GROUP_ORDER),
                uint8(27 + (proof.pk[1] & 1)),
                bytes32(r),
                bytes32(GROUP_ORDER - mulmod(c, r, GROUP_ORDER))
            );
        }
        if (recovered == address(0) || recovered != proof.uWitness || recovered != _address(proof.u)) {
            revert InvalidProof(Failure.UMismatch);
        }
    }

    /// @dev Checks 5 and 6: with h = 0, ecrecover(0, v, P.x, k·P.x) = address(k·P) (Vitalik's
    /// ethresear.ch trick as in VRF.sol's _ecmulVerify). k·P.x ≠ 0 mod n since k ∈ [1, n) and
    /// 0 < P.x < n (required below), so ecrecover only returns 0 for a product at infinity.
    function _checkProducts(Proof calldata proof, uint256 c, uint256 s) private pure {
        if (!_mulMatches(proof.gamma, c, proof.cGammaWitness)) revert InvalidProof(Failure.CGammaMismatch);
        if (!_mulMatches(proof.h, s, proof.sHashWitness)) revert InvalidProof(Failure.SHashMismatch);
    }

    function _mulMatches(uint256[2] calldata point, uint256 k, uint256[2] calldata product)
        private
        pure
        returns (bool)
    {
        uint256 x = point[0];
        if (x >= GROUP_ORDER || x == 0) revert InvalidProof(Failure.NotOnchainVerifiable);
        address recovered = ecrecover(0, uint8(27 + (point[1] & 1)), bytes32(x), bytes32(mulmod(k, x, GROUP_ORDER)));
        return recovered != address(0) && recovered == _address(product);
    }

    /// @dev Checks 7 and 8: V = sH + (−cGamma) by VRF.sol's projective addition (Hankerson,
    /// Menezes, Vanstone, Guide to ECC §3.1.2) with the inverse of its z supplied as zInv; the
    /// result must equal v. Distinct x's make it an ordinary addition (no doubling, no O).
    function _checkV(Proof calldata proof) private pure {
        uint256 px = proof.sHashWitness[0];
        uint256 py = proof.sHashWitness[1];
        uint256 qx = proof.cGammaWitness[0];
        uint256 qy = FIELD_SIZE - proof.cGammaWitness[1]; // in [1, P]: y = 0 is on no point
        if (px == qx) revert InvalidProof(Failure.WitnessesNotDistinct);
        (uint256 sx, uint256 sy, uint256 sz) = _projectiveAdd(px, py, qx, qy);
        uint256 zInv = proof.zInv;
        if (zInv >= FIELD_SIZE || mulmod(sz, zInv, FIELD_SIZE) != 1) revert InvalidProof(Failure.VMismatch);
        if (mulmod(sx, zInv, FIELD_SIZE) != proof.v[0] || mulmod(sy, zInv, FIELD_SIZE) != proof.v[1]) {
            revert InvalidProof(Failure.VMismatch);
        }
    }

    /// @dev VRF.sol's _projectiveECAdd, inlined: returns (x, y, z) of (px,py)+(qx,qy) with
    /// z = (qx − px)^5 (so the caller's zInv is fixed by the inputs).
    function _projectiveAdd(uint256 px, uint256 py, uint256 qx, uint256 qy)
        private
        pure
        returns (uint256 sx, uint256 sy, uint256 sz)
    {
        uint256 p = FIELD_SIZE;
        uint256 lx = addmod(qy, p - py, p); // λ = lx / lz (both < P: no wrap)
        uint256 lz = addmod(qx, p - px, p);
        // sx / dx = λ² − px − qx
        uint256 dx = mulmod(lz, lz, p);
        sx = addmod(mulmod(lx, lx, p), p - mulmod(addmod(px, qx, p), dx, p), p);
        // sy / dy = λ·(px − sx/dx) − py = (lx·(px·dx − sx) − py·lz·dx) / (lz·dx)
        uint256 dy = mulmod(lz, dx, p);
        sy = addmod(mulmod(px, dx, p), p - sx, p);
        sy = mulmod(lx, sy, p);
        sy = addmod(sy, p - mulmod(py, dy, p), p);
        // Common denominator dx·dy = lz^5, as in VRF.sol.
        sx = mulmod(sx, dy, p);
        sy = mulmod(sy, dx, p);
        sz = mulmod(dx, dy, p);
    }

    /// @dev Check 9, RFC 9381 §5.4.3: c = first 16 bytes of SHA-256(suite || 0x02 || Y || H ||
    /// Gamma || U || V || 0x00), the points compressed (SEC1 §2.3.3, 33 bytes).
    function _challenge(Proof calldata proof) private view returns (uint256 c) {
        uint256[2] calldata y = proof.pk;
        uint256[2] calldata h = proof.h;
        uint256[2] calldata g = proof.gamma;
        uint256[2] calldata u = proof.u;
        uint256[2] calldata v = proof.v;
        bool ok;
        assembly ("memory-safe") {
            let m := mload(0x40) // scratch beyond the free pointer; not kept
            mstore8(m, SUITE)
            mstore8(add(m, 1), 0x02)
            // Each point: one prefix byte 0x02|(y&1), then x over the next 32 bytes.
            mstore8(add(m, 2), or(2, and(calldataload(add(y, 0x20)), 1)))
            mstore(add(m, 3), calldataload(y))
            mstore8(add(m, 35), or(2, and(calldataload(add(h, 0x20)), 1)))
            mstore(add(m, 36), calldataload(h))
            mstore8(add(m, 68), or(2, and(calldataload(add(g, 0x20)), 1)))
            mstore(add(m, 69), calldataload(g))
            mstore8(add(m, 101), or(2, and(calldataload(add(u, 0x20)), 1)))
            mstore(add(m, 102), calldataload(u))
            mstore8(add(m, 134), or(2, and(calldataload(add(v, 0x20)), 1)))
            mstore(add(m, 135), calldataload(v))
            mstore8(add(m, 167), 0)
            ok := staticcall(gas(), 0x02, m, 168, 0x00, 0x20)
            c := shr(128, mload(0x00))
        }
        if (!ok) revert InvalidProof(Failure.ChallengeMismatch);
    }

    /// @dev Check 10, RFC 9381 §5.2: beta = SHA-256(suite || 0x03 || Gamma_string || 0x00)
    /// (cofactor 1, so cofactor·Gamma = Gamma).
    function _proofToHash(uint256[2] calldata gamma) private view returns (bytes32 beta) {
        return sha256(abi.encodePacked(bytes2(0xFE03), _compressed(gamma), bytes1(0)));
    }

    // ----------------------------------------------------------------- helpers

    function _ySquared(uint256 x) private pure returns (uint256) {
        return addmod(mulmod(x, mulmod(x, x, FIELD_SIZE), FIELD_SIZE), 7, FIELD_SIZE);
    }

    /// @dev Both coordinates canonical (< P) and y² = x³ + 7.
    function _onCurve(uint256[2] calldata p) private pure returns (bool) {
        uint256 x = p[0];
        uint256 y = p[1];
        return x < FIELD_SIZE && y < FIELD_SIZE && mulmod(y, y, FIELD_SIZE) == _ySquared(x);
    }

    /// @dev SEC1 §2.3.3 compressed encoding (RFC 9381 point_to_string).
    function _compressed(uint256[2] calldata p) private pure returns (bytes memory) {
        return abi.encodePacked(bytes1(uint8(2 | (p[1] & 1))), p[0]);
    }

    /// @dev The Ethereum address of a point: the low 20 bytes of keccak256(x || y).
    function _address(uint256[2] calldata p) private pure returns (address a) {
        assembly ("memory-safe") {
            calldatacopy(0x00, p, 0x40)
            a := and(keccak256(0x00, 0x40), 0xffffffffffffffffffffffffffffffffffffffff)
        }
    }

    /// @dev SHA-256 of m after setting byte m[offset] = ctr (the precompile at 0x02).
    function _sha256At(bytes memory m, uint256 offset, uint256 ctr) private view returns (uint256 digest) {
        bool ok;
        assembly ("memory-safe") {
            let data := add(m, 0x20)
            mstore8(add(data, offset), ctr)
            ok := staticcall(gas(), 0x02, data, mload(m), 0x00, 0x20)
            digest := mload(0x00)
        }
        if (!ok) revert InvalidProof(Failure.HashToCurvePoint);
    }
}
