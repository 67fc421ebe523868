#!/usr/bin/env bash
# Generates contracts/test/fixtures/vrf_proofs.json: RFC 9381 ECVRF-SECP256K1-SHA256-TAI proofs
# with their on-chain helpers (vrf/onchain_proof.hpp), from `cvex vrf prove --json`, so the forge
# tests need no C++ at test time. The file is committed; rerun only to refresh it.
#
# Usage: scripts/gen_vrf_fixtures.sh [KEYS] [ALPHAS_PER_KEY]   (default 8 × 8 = 64 proofs)
#   CVEX_BIN   the cvex binary (default build/bin/cvex)
#   CAST       Foundry's cast (default node_modules/.bin/cast), for keccak256/abi encoding
#   OUT        output file (default contracts/test/fixtures/vrf_proofs.json)
#   COORD_OUT  coordinator fixture (default contracts/test/fixtures/vrf_coordinator_proofs.json)
#   INTEROP_OUT  the positive cases (all but the 64 KiB alpha) of ../shared/vectors/vrf/ecvrf_secp256k1_atikayda.json (an
#              independent implementation; their published test keys) re-proven with helpers,
#              each proof checked byte-equal to the published pi
#              (default contracts/test/fixtures/vrf_atikayda_proofs.json)
#
# The coordinator fixture is one key's proofs for the alphas VRFCoordinator derives in the
# forge tests: alpha = keccak256(abi.encode(preSeed, blockHash)), preSeed =
# keccak256(abi.encode(requestId, requester, nonce)), for requesters at fixed addresses (the
# tests place consumers there with vm.etch), requestId 1…6, nonce 1…3 and one block hash (set
# with vm.setBlockhash).
#
# Keys are fresh development keys held only in this process's environment: no secret is written
# to the fixture, a log or the disk (the fixture holds public keys, alphas, proofs and helpers).
# Alphas: random, lengths 0…96 bytes, a third of them 32 bytes (the coordinator's alpha length).
set -euo pipefail
cd "$(dirname "$0")/.."

keys="${1:-8}"
per_key="${2:-8}"
cvex="${CVEX_BIN:-build/bin/cvex}"
out="${OUT:-contracts/test/fixtures/vrf_proofs.json}"
coord_out="${COORD_OUT:-contracts/test/fixtures/vrf_coordinator_proofs.json}"
cast="${CAST:-node_modules/.bin/cast}"
[[ -x "$cast" ]] || { echo "gen_vrf_fixtures: $cast not found (set CAST)" >&2; exit 2; }

command -v jq >/dev/null || { echo "gen_vrf_fixtures: jq is required" >&2; exit 2; }
[[ -x "$cvex" ]] || { echo "gen_vrf_fixtures: $cvex not found (build it, or set CVEX_BIN)" >&2; exit 2; }

random_hex() { # $1 = byte count → 0x-prefixed hex (0x for zero bytes)
    printf '0x%s' "$(head -c "$1" /dev/urandom | od -An -v -tx1 | tr -d ' \n')"
}

tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT

for ((k = 0; k < keys; k++)); do
    # keygen prints the secret on stdout (once); keep it in a variable only.
    secret="$("$cvex" vrf keygen 2>/dev/null | grep -o '0x[0-9a-f]\{64\}' | head -n1)"
    [[ -n "$secret" ]] || { echo "gen_vrf_fixtures: keygen printed no key" >&2; exit 1; }
    for ((a = 0; a < per_key; a++)); do
        if ((a % 3 == 0)); then len=32; else len=$((RANDOM % 97)); fi
        alpha="$(random_hex "$len")"
        CVEX_VRF_KEY="$secret" "$cvex" vrf prove --alpha "$alpha" --json |
            jq -c '{pk, alpha, proof, beta, hCtr: .onchain.hCtr, abi: .onchain.abi}' >>"$tmp"
    done
    unset secret
done

mkdir -p "$(dirname "$out")"
jq -s '{
  "format": "RFC 9381 ECVRF-SECP256K1-SHA256-TAI (suite 0xFE) proofs from `cvex vrf prove --json` (scripts/gen_vrf_fixtures.sh). pk is compressed SEC1; abi = abi.encode(VRFVerifier.Proof) (vrf/onchain_proof.hpp).",
  "count": length,
  "vectors": .
}' "$tmp" >"$out"
echo "wrote $(jq .count "$out") proofs to $out (hCtr histogram: $(jq -c '[.vectors[].hCtr] | group_by(.) | map({(.[0] | tostring): length}) | add' "$out"))"

# --------------------------------------------------------------- coordinator scenarios
requesters=(0x00000000000000000000000000000000000A11CE 0x0000000000000000000000000000000000BADBAD 0x000000000000000000000000000000000000F00D)
block_hash="$("$cast" keccak "cvex.vrf.test.block")"
: >"$tmp"
secret="$("$cvex" vrf keygen 2>/dev/null | grep -o '0x[0-9a-f]\{64\}' | head -n1)"
for requester in "${requesters[@]}"; do
    for ((id = 1; id <= 6; id++)); do
        for ((nonce = 1; nonce <= 3; nonce++)); do
            pre_seed="$("$cast" keccak "$("$cast" abi-encode 'f(uint256,address,uint64)' "$id" "$requester" "$nonce")")"
            alpha="$("$cast" keccak "$("$cast" abi-encode 'f(uint256,bytes32)' "$pre_seed" "$block_hash")")"
            CVEX_VRF_KEY="$secret" "$cvex" vrf prove --alpha "$alpha" --json |
                jq -c --arg r "$requester" --argjson id "$id" --argjson n "$nonce" --arg ps "$pre_seed" \
                    '{requestId: $id, requester: $r, nonce: $n, preSeed: $ps, alpha, beta, abi: .onchain.abi}' >>"$tmp"
        done
    done
done
unset secret
jq -s --arg bh "$block_hash" '{
  "format": "VRFCoordinator scenarios (scripts/gen_vrf_fixtures.sh): one key; alpha = keccak256(abi.encode(preSeed, blockHash)), preSeed = keccak256(abi.encode(requestId, requester, nonce)); abi = abi.encode(VRFVerifier.Proof).",
  "blockHash": $bh,
  "count": length,
  "vectors": .
}' "$tmp" >"$coord_out"
echo "wrote $(jq .count "$coord_out") coordinator proofs to $coord_out"

# ------------------------------------------------------- independent implementation's vectors
interop_out="${INTEROP_OUT:-contracts/test/fixtures/vrf_atikayda_proofs.json}"
vectors="../shared/vectors/vrf/ecvrf_secp256k1_atikayda.json"
: >"$tmp"
n="$(jq '.vectors | length' "$vectors")"
for ((i = 0; i < n; i++)); do
    v="$(jq -c ".vectors[$i]" "$vectors")"
    # The 64 KiB+1 alpha cannot be passed as one argument (Linux MAX_ARG_STRLEN = 128 KiB).
    if (($(jq -r '.alpha | length' <<<"$v") > 100000)); then
        echo "gen_vrf_fixtures: skipping '$(jq -r .label <<<"$v")' (alpha too long for a command line)" >&2
        continue
    fi
    # Published test keys of the vector file (not secrets).
    out_json="$(CVEX_VRF_KEY="0x$(jq -r .sk <<<"$v")" "$cvex" vrf prove --alpha "0x$(jq -r .alpha <<<"$v")" --json)"
    if [[ "$(jq -r .proof <<<"$out_json")" != "0x$(jq -r .pi <<<"$v")" ]]; then
        echo "gen_vrf_fixtures: vector $i: our proof differs from the published pi" >&2
        exit 1
    fi
    jq -c --arg l "$(jq -r .label <<<"$v")" '{"label": $l, alpha, beta, hCtr: .onchain.hCtr, abi: .onchain.abi}' \
        <<<"$out_json" >>"$tmp"
done
jq -s '{
  "format": "The positive cases of ../shared/vectors/vrf/ecvrf_secp256k1_atikayda.json (independent RFC 9381 ECVRF-SECP256K1-SHA256-TAI implementation), re-proven by `cvex vrf prove --json` with byte-equal proofs; abi = abi.encode(VRFVerifier.Proof).",
  "count": length,
  "vectors": .
}' "$tmp" >"$interop_out"
echo "wrote $(jq .count "$interop_out") interoperability proofs to $interop_out"
