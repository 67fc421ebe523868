// Fuzz target `vrf`: ECVRF proofs as users and the chain hand them over (vrf/ecvrf.hpp, RFC 9381
// §5.4.4 ECVRF_decode_proof; `cvex vrf verify`). Input: byte 0 picks the suite (even: secp256k1,
// 0xFE; odd: P-256, 0x01); then the 81-byte proof pi, the 33-byte public key, and alpha (the rest).
// Round trip: a decoded proof re-encodes (Gamma || c || s) to pi; a decoded key to its bytes. A
// proof that verifies hashes to the beta verify returned, and on secp256k1 yields the on-chain
// helpers whose ABI encoding cannot fail.
#include <algorithm>
#include <type_traits>

#include "fuzz_check.hpp"
#include "vrf/ecvrf.hpp"
#include "vrf/onchain_proof.hpp"

using namespace cvex;
using namespace cvex::vrf;

namespace {

template <EcvrfGroup G>
void check_suite(ByteView pi, ByteView pk, ByteView alpha) {
    if (auto d = decode_proof<G>(pi)) {
        auto gamma = G::encode(d->gamma);
        CVEX_FUZZ_CHECK(gamma && *gamma == d->gamma_string, "Gamma re-encodes to its bytes");
        Bytes again(d->gamma_string.begin(), d->gamma_string.end());
        again.insert(again.end(), d->c.begin(), d->c.end());
        again.insert(again.end(), d->s.begin(), d->s.end());
        CVEX_FUZZ_CHECK(again.size() == pi.size() && std::equal(again.begin(), again.end(), pi.begin()),
                        "a decoded proof re-encodes to pi");
        CVEX_FUZZ_CHECK(proof_to_hash<G>(pi).has_value(), "a decodable proof has a hash");
    } else {
        CVEX_FUZZ_CHECK(!proof_to_hash<G>(pi).has_value(), "an undecodable proof has no hash");
    }
    if (auto point = G::decode(pk)) {
        auto bytes = G::encode(*point);
        CVEX_FUZZ_CHECK(bytes && std::equal(bytes->begin(), bytes->end(), pk.begin()), "a decoded key re-encodes");
    }
    auto beta = verify<G>(pk, alpha, pi);
    if (beta) {
        auto h = proof_to_hash<G>(pi);
        CVEX_FUZZ_CHECK(h && *h == *beta, "beta is proof_to_hash(pi)");
    }
    if constexpr (std::is_same_v<G, Secp256k1Group>) {
        auto onchain = make_onchain_proof(pk, alpha, pi);
        CVEX_FUZZ_CHECK(!onchain || beta, "only a valid proof gets on-chain helpers");
        if (onchain) CVEX_FUZZ_CHECK(abi_encode(*onchain).has_value(), "on-chain helpers encode");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const ByteView rest = cvex::fuzz::bytes(data + 1, size - 1);
    const ByteView pi = rest.first(std::min(rest.size(), kProofLen));
    const ByteView after = rest.subspan(pi.size());
    const ByteView pk = after.first(std::min(after.size(), kPtLen));
    const ByteView alpha = after.subspan(pk.size());
    if (data[0] % 2 == 0) check_suite<Secp256k1Group>(pi, pk, alpha);
    else check_suite<P256Group>(pi, pk, alpha);
    return 0;
}
