// cvex vrf keygen|pk|prove|verify: ECVRF-SECP256K1-SHA256-TAI (RFC 9381, suite 0xFE) from the
// command line. The key comes from CVEX_VRF_KEY (development keys only: inside the guest the
// oracle's key never leaves key custody). Output is 0x-prefixed hex.
//   prove:  the 81-byte proof, then beta; --json adds the key, alpha and the on-chain helpers.
//   verify: beta and exit 0 when valid; exit 1 when RFC 9381 verify rejects the proof; exit 2
//           when the input is unusable (malformed hex, missing flags, a key that is no point).
//           --json prints one object (schema cvex.vrf.verify/1), also on exit 1 and 2.
// alpha is 0x-hex (--alpha) or the raw bytes of a file (--alpha-file, "-" for standard input,
// at most 1 MiB): a long alpha does not fit an argument list. Options are strict (cli/strict_args.hpp).
#include <algorithm>
#include <iostream>
#include <ostream>

#include <nlohmann/json.hpp>

#include "base/bytes.hpp"
#include "base/bounded_read.hpp"
#include "cli/command.hpp"
#include "cli/strict_args.hpp"
#include "vrf/ecvrf.hpp"
#include "vrf/onchain_proof.hpp"
#include "vrf/vrf_key.hpp"

namespace cvex::cli {
namespace {

using G = vrf::Secp256k1Group;
constexpr const char* kKeyEnv = "CVEX_VRF_KEY";

constexpr size_t kMaxAlphaFile = 1 << 20;

cvex::Bytes hex_value(const std::string& text, std::string_view flag) {
    if (text.rfind("0x", 0) != 0) throw UsageError(std::string(flag) + ": expected 0x-prefixed hex");
    auto bytes = cvex::from_hex(text);
    if (!bytes) throw UsageError(std::string(flag) + ": not valid hex (odd length or a non-hex digit)");
    return std::move(*bytes);
}

const std::string& required(const ParsedArgs& a, std::string_view flag) {
    const std::string* v = a.get(flag);
    if (v == nullptr) throw UsageError(std::string(flag) + " is required");
    return *v;
}

/// alpha from --alpha (hex) or --alpha-file (raw bytes; "-" is standard input): exactly one.
cvex::Bytes alpha_of(const ParsedArgs& a) {
    const std::string* hex = a.get("--alpha");
    const std::string* file = a.get("--alpha-file");
    if (hex && file) throw UsageError("give --alpha or --alpha-file, not both");
    if (hex) return hex_value(*hex, "--alpha");
    if (!file) throw UsageError("--alpha or --alpha-file is required");
    // An empty file is an empty alpha, which RFC 9381 allows: read it without the empty check.
    auto r = cvex::read_bounded(*file, kMaxAlphaFile, "--alpha-file");
    if (!r && r.error().code == cvex::ReadError::kEmpty) return {};
    if (!r) throw UsageError(r.error().message());
    return cvex::Bytes(r->begin(), r->end());
}

/// The key of CVEX_VRF_KEY; errors name the variable, never its value.
vrf::VrfKey<G> env_key() {
    auto key = vrf::VrfKey<G>::from_hex(require_env(kKeyEnv));
    if (!key) throw UsageError(std::string(kKeyEnv) + ": " + vrf::to_string(key.error()));
    return std::move(*key);
}

std::string word_hex(const chain::U256& v) { return cvex::to_hex(v.to_be()); }

nlohmann::ordered_json point_json(const vrf::AffinePoint& p) { return {word_hex(p.x), word_hex(p.y)}; }

/// The helpers under the names of the Solidity struct documented in vrf/onchain_proof.hpp.
nlohmann::ordered_json onchain_json(const vrf::OnchainProof& p) {
    nlohmann::ordered_json non_residue = nlohmann::ordered_json::array();
    for (const auto& w : p.h_non_residue) non_residue.push_back(word_hex(w));
    auto abi = vrf::abi_encode(p);
    if (!abi) throw std::runtime_error("on-chain proof ABI encoding: " + abi.error().message());
    return {{"pk", point_json(p.pk)},
            {"gamma", point_json(p.gamma)},
            {"c", word_hex(p.c)},
            {"s", word_hex(p.s)},
            {"h", point_json(p.h)},
            {"hCtr", p.h_ctr},
            {"hNonResidue", non_residue},
            {"u", point_json(p.u)},
            {"uWitness", p.u_witness.checksum_hex()},
            {"v", point_json(p.v)},
            {"cGammaWitness", point_json(p.c_gamma_witness)},
            {"sHashWitness", point_json(p.s_hash_witness)},
            {"zInv", word_hex(p.z_inv)},
            {"abi", cvex::to_hex(*abi)}};
}

int run_keygen(const Args& args, std::ostream& out) {
    parse_args(args, {{}, {}, {}, 0, 0, "cvex vrf keygen"});
    auto key = vrf::VrfKey<G>::generate();
    if (!key) throw UsageError(vrf::to_string(key.error()));
    std::cerr << "warning: DEVELOPMENT key only. The secret below is shown once; store it as " << kKeyEnv
              << ". Production VRF keys are generated inside the attested guest and never leave it.\n"
              << "public key: " << cvex::to_hex(key->public_key()) << "\n";
    // Written digit by digit from locked memory: no heap string holds the secret.
    static constexpr char kDigits[] = "0123456789abcdef";
    const bool lent = key->with_secret([&](std::span<const uint8_t, 32> x) {
        out << "0x";
        for (uint8_t b : x) out << kDigits[b >> 4] << kDigits[b & 0xF];
        out << "\n";
    });
    if (!lent) throw UsageError("the new key could not be read back");
    return kOk;
}

int run_pk(const Args& args, std::ostream& out) {
    parse_args(args, {{}, {}, {}, 0, 0, "cvex vrf pk (the key comes from CVEX_VRF_KEY)"});
    out << cvex::to_hex(env_key().public_key()) << "\n";
    return kOk;
}

int run_prove(const Args& args, std::ostream& out) {
    const ParsedArgs a = parse_args(args, {{"--alpha", "--alpha-file"}, {}, {"--json"}, 0, 0, "cvex vrf prove (--alpha 0x… | --alpha-file FILE|-) [--json]"});
    const cvex::Bytes alpha = alpha_of(a);
    const auto key = env_key();
    auto proof = vrf::prove<G>(key.public_key(), key, alpha);
    if (!proof) throw std::runtime_error(std::string("prove: ") + vrf::to_string(proof.error()));
    if (!a.has("--json")) {
        out << cvex::to_hex(proof->pi) << "\n" << proof->beta.hex() << "\n";
        return kOk;
    }
    nlohmann::ordered_json j = {{"suite", "ECVRF-SECP256K1-SHA256-TAI"},
                        {"pk", cvex::to_hex(key.public_key())},
                        {"alpha", cvex::to_hex(alpha)},
                        {"proof", cvex::to_hex(proof->pi)},
                        {"beta", proof->beta.hex()}};
    auto onchain = vrf::make_onchain_proof(key.public_key(), alpha, proof->pi);
    if (onchain) {
        j["onchain"] = onchain_json(*onchain);
    } else {
        // A valid proof the ecrecover-based contract cannot check (probability ~2^-126).
        j["onchain"] = nullptr;
        std::cerr << "warning: no on-chain helpers: " << onchain.error().message() << "\n";
    }
    out << j.dump(2) << "\n";
    return kOk;
}

constexpr const char* kVerifySchema = "cvex.vrf.verify/1";
constexpr const char* kVerifyUsage = "cvex vrf verify --pk 0x… (--alpha 0x… | --alpha-file FILE|-) --proof 0x… [--json]";

int verify_proof(const Args& args, std::ostream& out, bool json) {
    const ParsedArgs a = parse_args(args, {{"--pk", "--alpha", "--alpha-file", "--proof"}, {}, {"--json"}, 0, 0, kVerifyUsage});
    const cvex::Bytes pk = hex_value(required(a, "--pk"), "--pk");
    const cvex::Bytes pi = hex_value(required(a, "--proof"), "--proof");
    const cvex::Bytes alpha = alpha_of(a);
    auto beta = vrf::verify<G>(pk, alpha, pi);
    nlohmann::ordered_json j = {{"schema", kVerifySchema}, {"pk", cvex::to_hex(pk)}, {"alpha_length", alpha.size()}};
    if (beta) {
        if (!json) {
            out << beta->hex() << "\n";
            return kOk;
        }
        j["valid"] = true;
        j["beta"] = beta->hex();
        out << j.dump(2) << "\n";
        return kOk;
    }
    // A key that is no point is unusable input; everything RFC 9381 says about the proof is a
    // failed check; anything else is a local failure.
    const vrf::VrfError e = beta.error();
    if (e == vrf::VrfError::kBadPublicKey) throw UsageError(std::string("--pk: ") + vrf::to_string(e));
    if (!vrf::is_invalid_proof(e)) throw std::runtime_error(vrf::to_string(e));
    std::cerr << "invalid: " << vrf::to_string(e) << "\n";
    if (json) {
        j["valid"] = false;
        j["reason"] = vrf::to_string(e);
        out << j.dump(2) << "\n";
    }
    return kFailed;
}

int run_verify(const Args& args, std::ostream& out) {
    const bool json = std::find(args.begin(), args.end(), "--json") != args.end();
    try {
        return verify_proof(args, out, json);
    } catch (const std::exception& e) {
        if (json) out << nlohmann::ordered_json{{"schema", kVerifySchema}, {"valid", nullptr}, {"exit_code", int(kBadInput)}, {"error", e.what()}}.dump(2) << "\n";
        throw;
    }
}

const CommandRegistrar keygen{{"vrf keygen", "", "A new development VRF key: the secret once on stdout (for CVEX_VRF_KEY)", run_keygen}};
const CommandRegistrar pk{{"vrf pk", "", "The compressed public key of CVEX_VRF_KEY", run_pk}};
const CommandRegistrar prove{{"vrf prove", "(--alpha 0x… | --alpha-file FILE|-) [--json]", "ECVRF proof (RFC 9381, secp256k1) and beta with CVEX_VRF_KEY; --json adds the on-chain helpers", run_prove}};
const CommandRegistrar verify{{"vrf verify", "--pk 0x… (--alpha 0x… | --alpha-file FILE|-) --proof 0x… [--json]",
                               "Verify an ECVRF proof: beta and exit 0, exit 1 if invalid, 2 for unusable input", run_verify}};

}  // namespace
}  // namespace cvex::cli
