// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Test} from "../utils/Test.sol";
import {VRFVerifier} from "../../src/vrf/VRFVerifier.sol";
import {VRFFixtures, VRFVerifierHarness} from "./VRFFixtures.sol";

/// @notice VRFVerifier accepts exactly the RFC 9381 proofs `cvex vrf prove` makes (64 random
/// keys × alphas, hash-to-curve counters 0…5), and rejects every corruption of the proof, its
/// helpers, the key or alpha.
contract VRFVerifierTest is Test {
    uint256 internal constant P = VRFVerifier.FIELD_SIZE;
    uint256 internal constant N = VRFVerifier.GROUP_ORDER;

    VRFVerifierHarness internal harness;
    VRFFixtures.Vector[] internal vectors;

    function setUp() public {
        harness = new VRFVerifierHarness();
        VRFFixtures.Vector[] memory vs = VRFFixtures.load();
        for (uint256 i; i < vs.length; ++i) {
            vectors.push(vs[i]);
        }
    }

    // ------------------------------------------------------------------ helpers

    function _call(bytes memory proofTuple, bytes memory alpha) internal view returns (bool ok, bytes memory ret) {
        return address(harness).staticcall(VRFFixtures.verifyCall(proofTuple, alpha));
    }

    function _expectFailure(VRFVerifier.Proof memory p, bytes memory alpha, VRFVerifier.Failure f) internal {
        vm.expectRevert(abi.encodeWithSelector(VRFVerifier.InvalidProof.selector, f));
        harness.verify(p, alpha);
    }

    function _expectRejected(VRFVerifier.Proof memory p, bytes memory alpha, string memory what) internal view {
        try harness.verify(p, alpha) returns (bytes32, uint256) {
            fail(string.concat("accepted: ", what));
        } catch {}
    }

    function _vector(uint256 seed) internal view returns (VRFFixtures.Vector memory) {
        return vectors[seed % vectors.length];
    }

    // ------------------------------------------------------------------ valid

    function test_FixtureHasProofsWithSeveralHashToCurveCounters() public view {
        uint256 withRetries;
        for (uint256 i; i < vectors.length; ++i) {
            if (vectors[i].hCtr > 0) ++withRetries;
        }
        assertGe(vectors.length, 64, "fixture size");
        assertGe(withRetries, 16, "proofs needing more than one hash-to-curve try");
    }

    function test_AcceptsEveryFixtureProofAndReturnsItsBeta() public view {
        for (uint256 i; i < vectors.length; ++i) {
            (bytes32 beta,) = harness.verify(VRFFixtures.decode(vectors[i]), vectors[i].alpha);
            assertEq(beta, vectors[i].beta, string.concat("beta of vector ", vm.toString(i)));
        }
    }

    /// Interoperability: the positive cases of an independent implementation (twelve languages)
    /// of the same suite, ../shared/vectors/vrf/ecvrf_secp256k1_atikayda.json, verify on-chain
    /// with their published beta (the generator checked our proofs equal the published pi).
    function test_AcceptsTheIndependentImplementationsVectors() public view {
        VRFFixtures.Vector[] memory vs = VRFFixtures.load(VRFFixtures.INTEROP_PATH);
        assertEq(vs.length, 50, "positive vectors (all but the 64 KiB alpha)");
        for (uint256 i; i < vs.length; ++i) {
            (bytes32 beta,) = harness.verify(VRFFixtures.decode(vs[i]), vs[i].alpha);
            assertEq(beta, vs[i].beta, string.concat("beta of interop vector ", vm.toString(i)));
        }
    }

    function test_AcceptsRawCalldataOfEveryFixtureProof() public view {
        for (uint256 i; i < vectors.length; ++i) {
            (bool ok, bytes memory ret) = _call(VRFFixtures.tuple(vectors[i].proofAbi), vectors[i].alpha);
            assertTrue(ok, string.concat("vector rejected: ", vm.toString(i)));
            (bytes32 beta,) = abi.decode(ret, (bytes32, uint256));
            assertEq(beta, vectors[i].beta);
        }
    }

    // ------------------------------------------------------------- bit flips

    /// Word 9 of the tuple is the ABI offset of hNonResidue: a non-canonical offset can decode to
    /// the very same array (Solidity's decoder accepts any offset that stays in bounds), which is
    /// an encoding of the same proof, not another proof, so it is left out of the flips.
    uint256 internal constant ARRAY_OFFSET_WORD = 9;

    /// Any single bit of the ABI tuple (key, Gamma, c, s, every helper, the array's length and
    /// entries) flipped: rejected, by the decoder or by a check.
    function testFuzz_RejectsAnyFlippedBitOfProofOrHelpers(uint256 which, uint256 bit) public view {
        VRFFixtures.Vector memory v = _vector(which);
        bytes memory t = VRFFixtures.tuple(v.proofAbi);
        bit = bit % (t.length * 8 - 256);
        if (bit >= ARRAY_OFFSET_WORD * 256) bit += 256;
        t[bit / 8] = t[bit / 8] ^ bytes1(uint8(1) << uint8(7 - bit % 8));
        (bool ok,) = _call(t, v.alpha);
        assertFalse(ok, string.concat("flipped bit accepted: ", vm.toString(bit)));
    }

    /// The same over every word of every vector, one low bit per word (exhaustive, not sampled).
    function test_RejectsLowBitFlipOfEveryWordOfEveryVector() public view {
        for (uint256 i; i < vectors.length; ++i) {
            bytes memory t = VRFFixtures.tuple(vectors[i].proofAbi);
            for (uint256 w; w < t.length / 32; ++w) {
                if (w == ARRAY_OFFSET_WORD) continue;
                bytes memory c = bytes.concat(t);
                c[w * 32 + 31] = c[w * 32 + 31] ^ 0x01;
                (bool ok,) = _call(c, vectors[i].alpha);
                assertFalse(ok, string.concat("word flip accepted: ", vm.toString(w)));
            }
        }
    }

    function testFuzz_RejectsFlippedBitOfAlpha(uint256 which, uint256 bit) public view {
        VRFFixtures.Vector memory v = _vector(which);
        vm.assume(v.alpha.length > 0);
        bytes memory a = bytes.concat(v.alpha);
        bit = bit % (a.length * 8);
        a[bit / 8] = a[bit / 8] ^ bytes1(uint8(1) << uint8(bit % 8));
        (bool ok,) = _call(VRFFixtures.tuple(v.proofAbi), a);
        assertFalse(ok, "alpha with a flipped bit accepted");
    }

    function testFuzz_RejectsAlphaExtendedOrTruncated(uint256 which, bytes1 extra) public view {
        VRFFixtures.Vector memory v = _vector(which);
        (bool ok,) = _call(VRFFixtures.tuple(v.proofAbi), bytes.concat(v.alpha, extra));
        assertFalse(ok, "extended alpha accepted");
        if (v.alpha.length > 0) {
            bytes memory shorter = new bytes(v.alpha.length - 1);
            for (uint256 i; i < shorter.length; ++i) {
                shorter[i] = v.alpha[i];
            }
            (ok,) = _call(VRFFixtures.tuple(v.proofAbi), shorter);
            assertFalse(ok, "truncated alpha accepted");
        }
    }

    function testFuzz_RejectsAnotherKeysProof(uint256 a, uint256 b) public view {
        VRFFixtures.Vector memory va = _vector(a);
        VRFFixtures.Vector memory vb = _vector(b);
        VRFVerifier.Proof memory p = VRFFixtures.decode(va);
        VRFVerifier.Proof memory q = VRFFixtures.decode(vb);
        vm.assume(p.pk[0] != q.pk[0]);
        p.pk = q.pk;
        _expectRejected(p, va.alpha, "proof under another key");
    }

    function testFuzz_RejectsProofForAnotherAlphaOfTheSameKey(uint256 a, uint256 b) public view {
        VRFFixtures.Vector memory va = _vector(a);
        VRFFixtures.Vector memory vb = _vector(b);
        vm.assume(keccak256(va.alpha) != keccak256(vb.alpha));
        _expectRejected(VRFFixtures.decode(va), vb.alpha, "proof for another alpha");
    }

    // ------------------------------------------- off-curve and non-canonical points

    /// Each of the 7 checked points (pk, gamma, h, u, cGammaWitness, sHashWitness, v) with x + P,
    /// y + P (the same residue, non-canonical), y + 1 (off the curve) or −y (the other point).
    function test_RejectsNonCanonicalOffCurveOrNegatedPoints() public {
        VRFFixtures.Vector memory v = vectors[0];
        for (uint256 field; field < 7; ++field) {
            for (uint256 kind; kind < 4; ++kind) {
                VRFVerifier.Proof memory p = VRFFixtures.decode(v);
                uint256[2] memory pt = _point(p, field);
                if (kind == 0) {
                    if (pt[0] > type(uint256).max - P) continue;
                    pt[0] += P;
                } else if (kind == 1) {
                    if (pt[1] > type(uint256).max - P) continue;
                    pt[1] += P;
                } else if (kind == 2) {
                    pt[1] = addmod(pt[1], 1, P);
                } else {
                    pt[1] = P - pt[1];
                }
                _setPoint(p, field, pt);
                _expectRejected(p, v.alpha, string.concat("point ", vm.toString(field), " kind ", vm.toString(kind)));
            }
        }
    }

    /// (1, Y1) is on secp256k1; x = 1 + P is the same residue in non-canonical form (a larger x
    /// overflows uint256, so only such small-x points have one).
    uint256 internal constant Y1 = 0x4218f20ae6c646b363db68605822fb14264ca8d2587fdd6fbc750d587e76a7ee;

    function test_RejectsNonCanonicalKeyAndGammaCoordinates() public {
        VRFVerifier.Proof memory p = VRFFixtures.decode(vectors[0]);
        p.pk = [uint256(1), Y1];
        _expectRejected(p, vectors[0].alpha, "canonical (1, Y1): on the curve, but the wrong key");
        p.pk = [1 + P, Y1];
        _expectFailure(p, vectors[0].alpha, VRFVerifier.Failure.PublicKeyNotOnCurve);
        p = VRFFixtures.decode(vectors[0]);
        p.gamma = [1 + P, Y1];
        _expectFailure(p, vectors[0].alpha, VRFVerifier.Failure.GammaNotOnCurve);
        p = VRFFixtures.decode(vectors[0]);
        p.cGammaWitness = [1 + P, Y1];
        _expectFailure(p, vectors[0].alpha, VRFVerifier.Failure.WitnessNotOnCurve);
    }

    function test_RejectsKeyOffTheCurveWithPublicKeyNotOnCurve() public {
        VRFVerifier.Proof memory p = VRFFixtures.decode(vectors[1]);
        p.pk[1] = addmod(p.pk[1], 1, P);
        _expectFailure(p, vectors[1].alpha, VRFVerifier.Failure.PublicKeyNotOnCurve);
    }

    function test_RejectsNegatedGammaWithCGammaMismatch() public {
        // (x, P − y) is on the curve; c·(−Gamma) != cGammaWitness.
        VRFVerifier.Proof memory p = VRFFixtures.decode(vectors[2]);
        p.gamma[1] = P - p.gamma[1];
        _expectFailure(p, vectors[2].alpha, VRFVerifier.Failure.CGammaMismatch);
    }

    function test_RejectsOddHWithHashToCurvePoint() public {
        VRFVerifier.Proof memory p = VRFFixtures.decode(vectors[3]);
        p.h[1] = P - p.h[1];
        _expectFailure(p, vectors[3].alpha, VRFVerifier.Failure.HashToCurvePoint);
    }

    // ------------------------------------------------------------ scalars

    function test_RejectsSAtOrAboveOrderWithScalarOutOfRange() public {
        VRFVerifier.Proof memory p = VRFFixtures.decode(vectors[4]);
        p.s = N;
        _expectFailure(p, vectors[4].alpha, VRFVerifier.Failure.ScalarOutOfRange);
        unchecked {
            p = VRFFixtures.decode(vectors[4]);
            if (p.s < type(uint256).max - N) {
                p.s += N; // s + n ≡ s (mod n) would pass a "mod n" check
                _expectFailure(p, vectors[4].alpha, VRFVerifier.Failure.ScalarOutOfRange);
            }
        }
    }

    function test_RejectsCWiderThan16BytesWithScalarOutOfRange() public {
        VRFVerifier.Proof memory p = VRFFixtures.decode(vectors[5]);
        p.c |= 1 << 128;
        _expectFailure(p, vectors[5].alpha, VRFVerifier.Failure.ScalarOutOfRange);
    }

    function test_RejectsZeroScalars() public {
        VRFVerifier.Proof memory p = VRFFixtures.decode(vectors[6]);
        p.s = 0;
        _expectFailure(p, vectors[6].alpha, VRFVerifier.Failure.NotOnchainVerifiable);
        p = VRFFixtures.decode(vectors[6]);
        p.c = 0;
        _expectFailure(p, vectors[6].alpha, VRFVerifier.Failure.NotOnchainVerifiable);
    }

    // ------------------------------------------------------- hash to curve

    function test_RejectsCounterWithoutMatchingWitnessCount() public {
        VRFVerifier.Proof memory p = VRFFixtures.decode(vectors[7]);
        p.hNonResidue = new uint256[](uint256(p.hCtr) + 1);
        _expectFailure(p, vectors[7].alpha, VRFVerifier.Failure.HashToCurveCounter);
    }

    /// A later candidate claimed as H (skipping the true first point) needs a non-residue witness
    /// for a residue, which cannot exist: any w is rejected.
    function testFuzz_RejectsSkippedCandidateWhateverTheWitness(uint256 which, uint256 w) public {
        VRFFixtures.Vector memory v = _vector(which);
        VRFVerifier.Proof memory p = VRFFixtures.decode(v);
        uint256[] memory ws = new uint256[](uint256(p.hCtr) + 1);
        for (uint256 i; i < p.hCtr; ++i) {
            ws[i] = p.hNonResidue[i];
        }
        ws[p.hCtr] = w;
        p.hNonResidue = ws;
        p.hCtr += 1;
        _expectRejected(p, v.alpha, "skipped hash-to-curve candidate");
    }

    function test_RejectsEarlierCounterForAProofThatNeededRetries() public {
        for (uint256 i; i < vectors.length; ++i) {
            if (vectors[i].hCtr == 0) continue;
            VRFVerifier.Proof memory p = VRFFixtures.decode(vectors[i]);
            p.hCtr -= 1;
            uint256[] memory ws = new uint256[](p.hCtr);
            for (uint256 j; j < ws.length; ++j) {
                ws[j] = p.hNonResidue[j];
            }
            p.hNonResidue = ws;
            _expectFailure(p, vectors[i].alpha, VRFVerifier.Failure.HashToCurvePoint);
            return;
        }
        fail("no vector with hCtr > 0");
    }

    function test_NonResidueWitnessMustBeCanonical() public {
        for (uint256 i; i < vectors.length; ++i) {
            if (vectors[i].hCtr == 0) continue;
            VRFVerifier.Proof memory p = VRFFixtures.decode(vectors[i]);
            uint256 w = p.hNonResidue[0];
            p.hNonResidue[0] = P; // ≡ 0 (mod P): non-canonical
            _expectFailure(p, vectors[i].alpha, VRFVerifier.Failure.HashToCurveCounter);
            // −w is the other root of the same square: a different but equally valid witness.
            p.hNonResidue[0] = P - w;
            (bytes32 beta,) = harness.verify(p, vectors[i].alpha);
            assertEq(beta, vectors[i].beta, "beta with the other root");
            return;
        }
        fail("no vector with hCtr > 0");
    }

    // ------------------------------------------------------------- helpers

    function test_RejectsWrongUWitnessWithUMismatch() public {
        VRFVerifier.Proof memory p = VRFFixtures.decode(vectors[8]);
        p.uWitness = address(uint160(p.uWitness) ^ 1);
        _expectFailure(p, vectors[8].alpha, VRFVerifier.Failure.UMismatch);
    }

    function test_RejectsSwappedWitnessesWithCGammaMismatch() public {
        VRFVerifier.Proof memory p = VRFFixtures.decode(vectors[9]);
        (p.cGammaWitness, p.sHashWitness) = (p.sHashWitness, p.cGammaWitness);
        _expectFailure(p, vectors[9].alpha, VRFVerifier.Failure.CGammaMismatch);
    }

    function test_RejectsWrongZInvWithVMismatch() public {
        VRFVerifier.Proof memory p = VRFFixtures.decode(vectors[10]);
        p.zInv = addmod(p.zInv, 1, P);
        _expectFailure(p, vectors[10].alpha, VRFVerifier.Failure.VMismatch);
        p = VRFFixtures.decode(vectors[10]);
        p.zInv = type(uint256).max;
        _expectFailure(p, vectors[10].alpha, VRFVerifier.Failure.VMismatch);
    }

    function test_RejectsWrongVWithVMismatch() public {
        VRFVerifier.Proof memory p = VRFFixtures.decode(vectors[11]);
        p.v[1] = P - p.v[1];
        _expectFailure(p, vectors[11].alpha, VRFVerifier.Failure.VMismatch);
    }

    /// c − 1 with every other field unchanged: U = s·B − c·Y no longer matches (check 4); a set
    /// of helpers consistent with another c would need the secret key.
    function test_RejectsAnotherChallenge() public {
        VRFVerifier.Proof memory p = VRFFixtures.decode(vectors[12]);
        p.c -= 1;
        _expectFailure(p, vectors[12].alpha, VRFVerifier.Failure.UMismatch);
    }

    // ------------------------------------------------------------ point access

    function _point(VRFVerifier.Proof memory p, uint256 f) internal pure returns (uint256[2] memory) {
        if (f == 0) return p.pk;
        if (f == 1) return p.gamma;
        if (f == 2) return p.h;
        if (f == 3) return p.u;
        if (f == 4) return p.cGammaWitness;
        if (f == 5) return p.sHashWitness;
        return p.v;
    }

    function _setPoint(VRFVerifier.Proof memory p, uint256 f, uint256[2] memory pt) internal pure {
        if (f == 0) p.pk = pt;
        else if (f == 1) p.gamma = pt;
        else if (f == 2) p.h = pt;
        else if (f == 3) p.u = pt;
        else if (f == 4) p.cGammaWitness = pt;
        else if (f == 5) p.sHashWitness = pt;
        else p.v = pt;
    }
}
