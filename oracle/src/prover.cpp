#include "oracle/prover.hpp"

#include <secp256k1.h>

#include "chain/crypto/keccak.hpp"
#include "chain/crypto/secp256k1_context.hpp"

namespace cvex::oracle {

using cvex::Unexpected;

cvex::Expected<std::array<chain::U256, 2>, ProverError> decompress_point(const vrf::PointBytes& point) {
    secp256k1_pubkey pk;
    if (!secp256k1_ec_pubkey_parse(chain::secp256k1_ctx(), &pk, point.data(), point.size()))
        return prover_failure("public key: not a compressed secp256k1 point");
    std::array<uint8_t, 65> out{};
    size_t len = out.size();
    secp256k1_ec_pubkey_serialize(chain::secp256k1_ctx(), out.data(), &len, &pk, SECP256K1_EC_UNCOMPRESSED);
    return std::array<chain::U256, 2>{*chain::U256::from_be(cvex::ByteView(out.data() + 1, 32)),
                                      *chain::U256::from_be(cvex::ByteView(out.data() + 33, 32))};
}

chain::Hash32 key_hash_of(const std::array<chain::U256, 2>& xy) {
    cvex::Bytes enc;
    for (const auto& c : xy) {
        const auto be = c.to_be();
        enc.insert(enc.end(), be.begin(), be.end());
    }
    return chain::keccak256(enc);
}

cvex::Expected<Prover, ProverError> Prover::create(std::shared_ptr<const vrf::SecretKey> secret, const vrf::PointBytes& public_key) {
    if (!secret) return prover_failure("prover: no secret key");
    auto xy = decompress_point(public_key);
    if (!xy) return Unexpected{xy.error()};
    Prover p;
    p.secret_ = std::move(secret);
    p.public_key_ = public_key;
    p.xy_ = *xy;
    p.key_hash_ = key_hash_of(*xy);
    return p;
}

cvex::Expected<Fulfilment, ProverError> Prover::prove(const VrfRequest& request, const chain::Hash32& request_block_hash) const {
    if (request.key_hash != key_hash_)
        return prover_failure("request " + request.request_id.dec() + " is for key hash " + request.key_hash.hex() + ", this key is " + key_hash_.hex());
    Fulfilment f;
    f.request = request;
    f.alpha = compute_alpha(request.pre_seed, request_block_hash);
    auto out = vrf::prove<vrf::Secp256k1Group>(public_key_, *secret_, f.alpha.bytes);
    if (!out) return prover_failure("request " + request.request_id.dec() + ": proving failed: " + vrf::to_string(out.error()));
    f.pi = out->pi;
    f.beta = out->beta;
    auto onchain = vrf::make_onchain_proof(public_key_, f.alpha.bytes, f.pi);
    if (!onchain) return prover_failure("request " + request.request_id.dec() + ": " + onchain.error().message());
    f.proof = std::move(*onchain);
    return f;
}

}  // namespace cvex::oracle
