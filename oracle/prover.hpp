// The oracle's prover: for a request and the hash of the block the chain holds it in, computes
// alpha (request.hpp), the RFC 9381 proof with a key it may use but never reads out
// (vrf::SecretKey: custody inside the guest, a locked development key outside), and the helper
// data the on-chain verifier needs (vrf/onchain_proof.hpp). make_onchain_proof verifies the
// proof first, so a fault in the prover can never reach the chain as a bad proof.
#pragma once

#include <array>
#include <memory>
#include <string>

#include "base/expected.hpp"
#include "oracle/prover_error.hpp"
#include "oracle/request.hpp"
#include "vrf/ecvrf.hpp"
#include "vrf/onchain_proof.hpp"

namespace cvex::oracle {

struct Fulfilment {
    VrfRequest request;
    chain::Hash32 alpha;
    vrf::ProofBytes pi{};
    chain::Hash32 beta;
    vrf::OnchainProof proof;
};

class Prover {
public:
    /// `public_key` is the compressed point of `secret` (PK_string).
    static cvex::Expected<Prover, ProverError> create(std::shared_ptr<const vrf::SecretKey> secret, const vrf::PointBytes& public_key);

    const vrf::PointBytes& public_key() const { return public_key_; }
    /// Affine (x, y), as the coordinator takes it.
    const std::array<chain::U256, 2>& public_point() const { return xy_; }
    /// keccak256(abi.encode(x, y)): the coordinator's key hash.
    const chain::Hash32& key_hash() const { return key_hash_; }

    cvex::Expected<Fulfilment, ProverError> prove(const VrfRequest& request, const chain::Hash32& request_block_hash) const;

private:
    Prover() = default;
    std::shared_ptr<const vrf::SecretKey> secret_;
    vrf::PointBytes public_key_{};
    std::array<chain::U256, 2> xy_{};
    chain::Hash32 key_hash_;
};

/// (x, y) of a compressed secp256k1 point, or an error naming why not.
cvex::Expected<std::array<chain::U256, 2>, ProverError> decompress_point(const vrf::PointBytes& point);
/// keccak256(abi.encode(x, y)).
chain::Hash32 key_hash_of(const std::array<chain::U256, 2>& xy);

}  // namespace cvex::oracle
