#!/usr/bin/env bash
# The README's first command: installs what is missing, builds, starts Anvil (1-second blocks),
# deploys the AttestationRegistry, the VRFCoordinator and the dice game with cvex's own client,
# starts two validators and one cvex-enclave (SIMULATED SEV-SNP provider) running the VRF oracle,
# waits until the validators have attested it, then rolls the dice and prints every request, its
# fulfilment, the words and a `cvex vrf verify` of the proof against the attested key. Beside the
# oracle the guest runs an arbitrage bot trading through a GuardedVault between a real Uniswap V2
# pair and V3 pool (deployed from their npm artifacts); a whale opens a price gap and the bot
# closes it.
#
#   scripts/devnet.sh               the scenario, then keeps running until Ctrl-C
#   scripts/devnet.sh --smoke N     N rolls, no prompts; stops everything and exits 0 only if all N
#                                   were fulfilled and every proof verified, at least one
#                                   arbitrage was profitable (realised PnL less gas above zero), and
#                                   at least one back-run landed in the block of the whale's
#                                   pending swap, right after it
#   scripts/devnet.sh --json        first one line {"ready": true, "rpc_url", "chain_id", "coordinator",
#                                   "chainlink_coordinator", "key_hash", "registry", "funded_key",
#                                   "oracles" (every guest serving the key), …}
#                                   (the addresses file below, once everything is up and before any
#                                   request), then one JSON object per fulfilment (request_id, pk,
#                                   alpha, proof, beta, words, oracle: the address that fulfilled it,
#                                   key_hash) and per trade (bot, trigger: "log" or "pending", block,
#                                   tx, target, amount_in, amount_out, and for a back-run after_tx:
#                                   the pending swap it followed) on stdout; progress goes to stderr
#   scripts/devnet.sh --port N      Anvil's RPC on 127.0.0.1:N (default: a free port)
#   scripts/devnet.sh --replicas N  N oracle guests serve one VRF key: the first creates it, the
#                                   others receive it from it by attested handover (KeyHandover)
#                                   and split the requests by id, taking over each other's after
#                                   3 blocks; every guest seals its keys in build/devnet/guestI/
#   scripts/devnet.sh --kill-primary  (with --smoke) SIGKILLs the first guest halfway through the
#                                   rolls and restarts it: it must come back by unsealing the same
#                                   key; the others serve its share meanwhile
#   scripts/devnet.sh --vm          the guest as a VM: its image is built (scripts/guest-image.sh, the
#                                   config baked in), its MEASUREMENT computed by `cvex measure` and
#                                   allow-listed, and it boots in QEMU (scripts/guest-vm.sh, KVM or
#                                   TCG) with a simulated platform handed in through fw_cfg; boot
#                                   progress is shown. The VM runs the oracle only (a bot's config
#                                   would have to name the measurement of the image it is part of)
# Once up it writes build/devnet/addresses.json: the RPC URL, chain id, every contract address,
# the oracle's key hash and the funded development keys (Anvil's well-known accounts).
# Everything it starts is stopped on exit, Ctrl-C or SIGTERM included; logs stay in build/devnet/.
set -euo pipefail
cd "$(dirname "$0")/.."

smoke=""; json=0; rolls=3; port=""; vm=0; replicas=1; kill_primary=0
usage() { echo "usage: scripts/devnet.sh [--smoke N] [--json] [--port N] [--vm] [--replicas N] [--kill-primary]" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) [ $# -ge 2 ] && [[ "$2" =~ ^[1-9][0-9]*$ ]] || usage
             smoke="$2"; rolls="$2"; shift 2 ;;
    --json) json=1; shift ;;
    --vm) vm=1; shift ;;
    --replicas) [ $# -ge 2 ] && [[ "$2" =~ ^[1-9]$ ]] || { echo "error: --replicas takes a number of guests, 1-9" >&2; exit 2; }
                replicas="$2"; shift 2 ;;
    --kill-primary) kill_primary=1; shift ;;
    --port) [ $# -ge 2 ] && [[ "$2" =~ ^[1-9][0-9]*$ ]] && [ "$2" -le 65535 ] || { echo "error: --port takes a TCP port (1-65535)" >&2; exit 2; }
            port="$2"; shift 2 ;;
    *) usage ;;
  esac
done

[ $vm -eq 0 ] || [ "$replicas" -eq 1 ] || { echo "error: --replicas runs guests as processes; it does not combine with --vm" >&2; exit 2; }
[ $kill_primary -eq 0 ] || [ -n "$smoke" ] || { echo "error: --kill-primary needs --smoke N (it kills the first guest halfway through the rolls)" >&2; exit 2; }
[ $kill_primary -eq 0 ] || [ $vm -eq 0 ] || { echo "error: --kill-primary does not combine with --vm" >&2; exit 2; }

say() { echo "[devnet] $*" >&2; }
fail() { say "FAILED: $*"; exit 1; }

scripts/setup.sh >&2
scripts/build.sh --binaries >&2

dir=build/devnet
rm -rf "$dir"; mkdir -p "$dir"
pids=()
cleanup() {
  local code=$?
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  [ ${#pids[@]} -eq 0 ] || say "stopped everything it started (logs in $dir/)"
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 0' TERM  # a service manager's stop: everything is stopped cleanly, and that is success

cvex=build/bin/cvex
free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
json_get() { node -e 'let d="";process.stdin.on("data",c=>d+=c).on("end",()=>{try{const v=JSON.parse(d)[process.argv[1]];console.log(v===undefined?"":typeof v==="object"?v.join(", "):v)}catch(e){console.log("")}})' "$1"; }

# Anvil's well-known development accounts (anvil --mnemonic default): 0 deploys and owns, 1 and 2
# are the validators, 3 plays dice.
K0=0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80
K1=0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d
K2=0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a
K3=0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6
A0=0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266
A1=0x70997970C51812dc3A010C7d01b50e0d17dc79C8
A2=0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC
A3=0x90F79bf6EB2c4f870365E785982E1f101E93b906
MEASUREMENT=0x$(printf 'c7e5%.0s' $(seq 1 24))  # the simulated guest's launch measurement (48 bytes)

# --- Anvil
if [ -n "$port" ]; then
  node -e 'const s=require("net").createServer();s.once("error",()=>process.exit(1));s.listen(+process.argv[1],"127.0.0.1",()=>s.close())' "$port" \
    || fail "--port $port: 127.0.0.1:$port is already in use"
else
  port=$(free_port)
fi
node_modules/.bin/anvil --host 127.0.0.1 --port "$port" --block-time 1 --silent > "$dir/anvil.log" 2>&1 &
pids+=($!)
export ETH_RPC_URL="http://127.0.0.1:$port"
for _ in $(seq 1 100); do node_modules/.bin/cast chain-id >/dev/null 2>&1 && break; sleep 0.1; done
say "Anvil at $ETH_RPC_URL (1-second blocks, pid ${pids[-1]})"

# --- Contracts, deployed by cvex's own client
deploy() { CVEX_PRIVATE_KEY=$K0 $cvex deploy "contracts/out/$1.sol/$1.json" "${@:2}" | sed -n 's/^Deployed to: //p'; }
start_block=$(node_modules/.bin/cast block-number)
registry=$(deploy AttestationRegistry "$A0" "[$A1,$A2]" 2 86400)
[ -n "$registry" ] || fail "deploying AttestationRegistry"
[ $vm -eq 1 ] || CVEX_PRIVATE_KEY=$K0 $cvex send "$registry" "allowMeasurement(bytes)" "$MEASUREMENT" >/dev/null || fail "allowMeasurement"
coordinator=$(deploy VRFCoordinator "$registry" "$A0")
[ -n "$coordinator" ] || fail "deploying VRFCoordinator"
# A stranded request may be cancelled 10 blocks after it became ready (mainnet keeps the default, a day).
CVEX_PRIVATE_KEY=$K0 $cvex send "$coordinator" "setCancelDelay(uint256)" 10 >/dev/null || fail "setCancelDelay"
# Key sets move between guests only through KeyHandover, to measurements its owner allowed (no delay here).
handover=$(deploy KeyHandover "$registry" "$A0" 0)
[ -n "$handover" ] || fail "deploying KeyHandover"
chainlink=$(deploy VRFCoordinatorV2PlusFront "$coordinator")
[ -n "$chainlink" ] || fail "deploying VRFCoordinatorV2PlusFront"
say "AttestationRegistry $registry (validators $A1, $A2; quorum 2; measurement $([ $vm -eq 1 ] && echo "of the guest image, computed below" || echo "${MEASUREMENT:0:18}…"))"
say "VRFCoordinator      $coordinator (cancel delay 10 blocks); KeyHandover $handover"
say "Chainlink VRF v2.5  $chainlink (IVRFCoordinatorV2Plus over the coordinator, native payment)"

# --- A DEX (Uniswap V2 + V3 from npm artifacts, WETH as token A) and the team's vault
CVEX_PRIVATE_KEY=$K0 $cvex dex deploy --weth-as-a --fund "$A0" --fund "$A3" --out "$dir/dex.json" >/dev/null || fail "cvex dex deploy"
dexv() { json_get "$1" < "$dir/dex.json"; }
CVEX_PRIVATE_KEY=$K0 $cvex vault deploy --dex "$dir/dex.json" --registry "$registry" --measurement "$MEASUREMENT" \
  --deposit-a 50ether --deposit-b 125000ether --max-per-trade-a 20ether --max-per-trade-b 50000ether \
  --refill-a 200ether --refill-b 500000ether --refill-period 60 --max-slippage-bps 100 --out "$dir/vault.json" >/dev/null \
  || fail "cvex vault deploy"
vault=$(json_get vault < "$dir/vault.json")
say "Uniswap V2 pair $(dexv v2_pair), V3 pool $(dexv v3_pool) (WETH/TKB); GuardedVault $vault allows the guest's measurement$([ $vm -eq 1 ] && echo " (the host guest's; --vm runs no bot)")"

# The guests (VM or processes) and the replicas: scripts/devnet-guests.sh.
source scripts/devnet-guests.sh

# --- The confidential guest (simulated provider) running the VRF oracle
export CVEX_SIM_ROOT_DIR="$PWD/$dir/sim-root"
http_ports=(); for _ in $(seq 1 "$replicas"); do http_ports+=("$(free_port)"); done
http_port=${http_ports[0]}
if [ $vm -eq 1 ]; then start_vm_guest; guest_pids[0]=${pids[-1]}; else
guest_config 0 ""
start_guest 0
say "cvex-enclave started (pid ${guest_pids[0]}), SIMULATED SEV-SNP provider: its evidence proves nothing about hardware"
fi
enclave=""
for _ in $(seq 1 $([ $vm -eq 1 ] && echo 3000 || echo 100)); do
  [ $vm -eq 0 ] || show_boot
  enclave=$(curl -s --max-time 1 "http://127.0.0.1:$http_port/health" 2>/dev/null | json_get enclave || true)
  [ -n "$enclave" ] && break; sleep 0.1
done
[ $vm -eq 0 ] || show_boot
[ -n "$enclave" ] || fail "cvex-enclave did not come up; see $dir/enclave.log"
CVEX_PRIVATE_KEY=$K0 $cvex transfer "$enclave" 10ether >/dev/null || fail "funding the enclave"
say "enclave key $enclave (born in the guest) funded with 10 ether"

# --- Two validators: each verifies the published evidence and approves on-chain
echo "{\"measurements\": [\"$MEASUREMENT\"]}" > "$dir/policy.json"
image_args=(); [ $vm -eq 0 ] || image_args=(--image "$dir/image/manifest.json")  # the MEASUREMENT computed ahead
evidence_urls=(); for p in "${http_ports[@]}"; do evidence_urls+=(--evidence-url "http://127.0.0.1:$p/attestation"); done
for i in 1 2; do
  key=$K1; [ $i -eq 2 ] && key=$K2
  CVEX_PRIVATE_KEY=$key $cvex validator --registry "$registry" --policy "$dir/policy.json" "${image_args[@]}" --trust-sim-root \
    "${evidence_urls[@]}" > "$dir/validator$i.log" 2>&1 &
  pids+=($!)
done
say "validators started (--trust-sim-root: they accept the simulated root, and say so)"

key_hash=""; state=""
for _ in $(seq 1 1200); do
  health=$(curl -s "http://127.0.0.1:$http_port/health" 2>/dev/null || true)
  state=$(echo "$health" | json_get state)
  [ "$state" = "serving" ] && { key_hash=$(echo "$health" | json_get vrf_key_hash); break; }
  kill -0 "${guest_pids[0]}" 2>/dev/null || fail "cvex-enclave exited; see $dir/enclave.log"
  sleep 0.1
done
[ -n "$key_hash" ] || fail "the enclave was not attested (state: ${state:-none}); see $dir/enclave.log and $dir/validator*.log"
say "attested by both validators; VRF key $key_hash registered in the coordinator; the oracle is serving"
# The key's gas lane: requests reserve their worst case at a 10 gwei cap (plus a 10,000 gwei
# premium); each fulfilment is charged its gas at the price it paid and returns the rest.
CVEX_PRIVATE_KEY=$K0 $cvex send "$coordinator" "setGasLane(bytes32,uint256,uint256)" "$key_hash" 10000000000 10000000000000 >/dev/null \
  || fail "setGasLane"
say "gas lane of $key_hash: cap 10 gwei, premium 0.00001 ETH; fees follow the fulfilment's gas price"

start_replicas

# --- The dice game asks for randomness
dice=$(deploy DiceGame "$coordinator" "$key_hash")
[ -n "$dice" ] || fail "deploying DiceGame"
say "DiceGame $dice"

# --- What other tools need, in one file (and, with --json, one line before any request)
node -e '
const [file, ready, ...kv] = process.argv.slice(1);
const o = {};
for (let i = 0; i < kv.length; i += 2) o[kv[i]] = kv[i + 1];
const keys = JSON.parse(o.funded_keys_json); delete o.funded_keys_json;
const out = {rpc_url: o.rpc_url, chain_id: 31337, start_block: +o.start_block, registry: o.registry,
  coordinator: o.coordinator, chainlink_coordinator: o.chainlink_coordinator, key_hash: o.key_hash,
  oracle: o.oracle, oracles: o.oracles.split(","), enclave_http: o.enclave_http, dice_game: o.dice_game, vault: o.vault,
  dex: JSON.parse(require("fs").readFileSync(o.dex_file, "utf8")), cancel_delay_blocks: 10,
  funded_key: keys[3].private_key, funded_address: keys[3].address, funded_keys: keys,
  note: "development keys: Anvil well-known accounts, never for a real chain"};
require("fs").writeFileSync(file, JSON.stringify(out, null, 2) + "\n");
if (ready === "1") console.log(JSON.stringify({ready: true, ...out}));
' "$dir/addresses.json" "$json" rpc_url "$ETH_RPC_URL" start_block "$start_block" registry "$registry" coordinator "$coordinator" \
  chainlink_coordinator "$chainlink" key_hash "$key_hash" oracle "$enclave" oracles "$(IFS=,; echo "${oracles[*]}")" enclave_http "http://127.0.0.1:$http_port" \
  dice_game "$dice" vault "$vault" dex_file "$dir/dex.json" \
  funded_keys_json "[{\"address\":\"$A0\",\"private_key\":\"$K0\"},{\"address\":\"$A1\",\"private_key\":\"$K1\"},{\"address\":\"$A2\",\"private_key\":\"$K2\"},{\"address\":\"$A3\",\"private_key\":\"$K3\"}]" \
  || fail "writing $dir/addresses.json"
say "addresses, key hash and funded development keys: $dir/addresses.json"

price=$($cvex call "$dice" "price()(uint256)" | awk '{print $1}')
ids=()
for n in $(seq 1 "$rolls"); do
  CVEX_PRIVATE_KEY=$K3 $cvex send "$dice" "roll()" --value "$price" >/dev/null || fail "roll $n"
  id=$($cvex call "$coordinator" "requestCount()(uint256)" | awk '{print $1}')
  ids+=("$id")
  say "roll $n: request $id (3 confirmations)"
  if [ $kill_primary -eq 1 ] && [ "$n" -eq $(( (rolls + 1) / 2 )) ]; then
    kill -9 "${guest_pids[0]}" 2>/dev/null || true
    killed_block=$(node_modules/.bin/cast block-number)
    say "SIGKILLed the first guest (pid ${guest_pids[0]}) at block $killed_block; restarting it"
    start_guest 0
  fi
done
if [ $kill_primary -eq 1 ]; then
  h=""
  for _ in $(seq 1 1200); do
    h=$(guest_health 0)
    [ "$(echo "$h" | json_get state)" = "serving" ] && break
    sleep 0.1
  done
  [ "$(echo "$h" | json_get keys)" = "unsealed" ] && [ "$(echo "$h" | json_get vrf_key_hash)" = "$key_hash" ] \
    && [ "$(echo "$h" | json_get enclave)" = "$enclave" ] || fail "the first guest did not come back by unsealing its keys (health: $h); see $dir/enclave.log"
  say "the first guest came back by unsealing: same address $enclave, same key $key_hash"
fi

verified=0
for id in "${ids[@]}"; do
  record=""
  for _ in $(seq 1 600); do
    record=$($cvex vrf fulfilments --coordinator "$coordinator" --request-id "$id" --from-block "$start_block" 2>/dev/null | head -1 || true)
    [ -n "$record" ] && break; sleep 0.1
  done
  if [ -z "$record" ]; then
    # Why, from the chain and from the guests' own words (a CI run keeps only this output).
    say "request $id: not fulfilled in 60 s; $($cvex vrf status "$id" --coordinator "$coordinator" 2>&1 | head -1)"
    grep -h -E "oracle:.*[ ,]$id([ ,:)]|$)" "$dir/enclave.log" "$dir"/guest*/enclave.log 2>/dev/null | tail -4 \
      | while IFS= read -r l; do say "  guest log: ${l:0:300}"; done
    continue
  fi
  count=$($cvex vrf fulfilments --coordinator "$coordinator" --request-id "$id" --from-block "$start_block" 2>/dev/null | wc -l)
  [ "$count" -eq 1 ] || { say "request $id: fulfilled $count times"; continue; }
  [ "$(echo "$record" | json_get key_hash)" = "$key_hash" ] || { say "request $id: fulfilled under another key hash"; continue; }
  by=$(echo "$record" | json_get oracle)
  pk=$(echo "$record" | json_get pk); alpha=$(echo "$record" | json_get alpha)
  proof=$(echo "$record" | json_get proof); beta=$(echo "$record" | json_get beta)
  words=$(echo "$record" | json_get words); block=$(echo "$record" | json_get block)
  result=$($cvex call "$dice" "rolls(uint256)(address,uint8,bool)" "$id" | sed -n 2p | awk '{print $1}')
  check=$($cvex vrf verify --pk "$pk" --alpha "$alpha" --proof "$proof" 2>&1 || true)
  if [ "$check" = "$beta" ]; then
    verified=$((verified + 1)); verdict="proof verified (RFC 9381) against the attested key"
  else
    verdict="PROOF DID NOT VERIFY: $check"
  fi
  say "request $id fulfilled in block $block by $by: words [$words], die shows $result; $verdict"
  if [ -n "${killed_block:-}" ] && [ "${by,,}" != "${enclave,,}" ] && [ "$block" -ge "$killed_block" ]; then
    if [ -z "${takeover_block:-}" ] || [ "$block" -lt "$takeover_block" ]; then takeover_block=$block; fi
  fi
  say "request $id status: $($cvex vrf status "$id" --coordinator "$coordinator" 2>&1 | sed 's/^request [0-9]*: //' || true)"
  [ $json -eq 1 ] && echo "$record"
done

metrics=$(curl -s "http://127.0.0.1:$http_port/metrics" | grep -E '^cvex_oracle_(requests_fulfilled_total|gas_used_total|transactions_total) ' | tr '\n' ' ')
say "oracle metrics: $metrics"

# --- The bot: a whale sells 10 WETH into the V2 pair; the arbitrage bot sees the swap pending in the
# mempool and closes the gap it opens in the same block, right after it (a back-run)
profitable=0; backruns=0
if [ $vm -eq 0 ]; then
# PnL in parts: realised (what the trades earned) apart from the inventory's revaluation; WETH is
# the base token, so gas counts at 1 WETH per ether.
report() { $cvex bot report --vault "$vault" --base-token "$(dexv token_a)" --other-token "$(dexv token_b)" --base-per-native 1ether; }
pnl_get() { node -e 'let d="";process.stdin.on("data",c=>d+=c).on("end",()=>{try{console.log(JSON.parse(d).pnl[process.argv[1]]??"")}catch(e){console.log("")}})' "$1"; }
before=$(report | json_get trade_count)
CVEX_PRIVATE_KEY=$K3 $cvex dex swap --deployment "$dir/dex.json" --venue v2 --token-in A --amount 10ether > "$dir/whale.json" || fail "whale swap"
say "a whale sold 10 WETH into the V2 pair in block $(json_get block < "$dir/whale.json"): the bot saw it pending and back-ran it"
for _ in $(seq 1 300); do
  rep=$(report 2>/dev/null || true)
  count=$(echo "$rep" | json_get trade_count)
  if [ -n "$count" ] && [ "$count" -ge $((before + 2)) ]; then
    realised=$(echo "$rep" | pnl_get realised); net=$(echo "$rep" | pnl_get realised_minus_gas)
    reval=$(echo "$rep" | pnl_get revaluation); gas=$(echo "$rep" | json_get gas_spent_wei)
    at=$(echo "$rep" | pnl_get valuation_block)
    say "the bot traded: $count trades; realised PnL $realised wei of WETH, gas $gas wei, revaluation $reval (inventory at block $at's TWAP)"
    if [ -n "$net" ] && [ "${net:0:1}" != "-" ] && [ "$net" != "0" ]; then
      profitable=1; say "profitable: realised PnL less gas is $net wei of WETH (revaluation not counted)"
    fi
    # The guest logs each trade once its receipt is in, a back-run with the pending swap it followed.
    for _ in $(seq 1 50); do
      [ "$(echo "$rep" | node scripts/devnet-trades.mjs logged "$ETH_RPC_URL" "$dir/enclave.log")" -ge "$count" ] && break
      sleep 0.1
    done
    backruns=$(echo "$rep" | node scripts/devnet-trades.mjs count "$ETH_RPC_URL" "$dir/enclave.log")
    say "back-run trades in the whale's block, right after it: $backruns"
    [ $json -eq 0 ] || echo "$rep" | node scripts/devnet-trades.mjs lines "$ETH_RPC_URL" "$dir/enclave.log"
    break
  fi
  sleep 0.2
done
[ -n "${count:-}" ] && [ "$count" -ge $((before + 2)) ] || say "the bot did not trade within 60 s; see $dir/enclave.log"
fi

if [ -n "${killed_block:-}" ]; then
  if [ -n "${takeover_block:-}" ]; then
    say "failover: the first fulfilment by another guest after the kill came $((takeover_block - killed_block)) blocks after it (takeover after 3 blocks)"
  else
    say "failover: no other guest fulfilled a request after the kill (the restarted first guest served them all)"
  fi
fi
if [ -n "$smoke" ]; then
  [ "$verified" -eq "$smoke" ] || fail "$verified of $smoke requests fulfilled exactly once under key $key_hash and verified"
  [ "$profitable" -eq 1 ] || [ $vm -eq 1 ] || fail "no profitable arbitrage"
  [ "$backruns" -ge 1 ] || [ $vm -eq 1 ] || fail "no back-run landed in the block of the whale's pending swap, after it"
  say "smoke: all $smoke requests fulfilled and verified$([ $vm -eq 1 ] && echo " by the guest VM (no bot in --vm)" || echo "; at least one profitable arbitrage, back-run in the whale's block")"
  exit 0
fi
say "$verified of ${#ids[@]} verified. Everything keeps running: RPC $ETH_RPC_URL, enclave http://127.0.0.1:$http_port/{health,attestation,metrics}, DiceGame $dice, vault $vault"
say "open another gap: CVEX_PRIVATE_KEY=$K3 ETH_RPC_URL=$ETH_RPC_URL $cvex dex swap --deployment $dir/dex.json --venue v2 --token-in A --amount 10ether"
say "roll again: CVEX_PRIVATE_KEY=$K3 ETH_RPC_URL=$ETH_RPC_URL $cvex send $dice 'roll()' --value $price"
say "press Ctrl-C to stop everything"
while true; do sleep 1; done
