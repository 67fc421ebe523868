# scripts/devnet.sh's guests, sourced by it (its variables are shared): the guest as a VM
# (--vm), the guests as processes (their configs, start, /health) and the replicas (--replicas N).

# --- The guest as a VM (--vm): the image with its config baked in, the MEASUREMENT computed from
# its files (never read from the guest) and allow-listed, then QEMU.
start_vm_guest() {
  local ovmf=${CVEX_OVMF:-../shared/vectors/sev/measure/ovmf_AmdSev_suffix.bin} m
  [ -r "$ovmf" ] || fail "--vm needs an OVMF to measure against: set CVEX_OVMF (the firmware your SNP host runs)"
  cat > "$dir/enclave.json" <<EOF
{ "rpc_url": "http://10.0.2.100:8545", "chain_id": 31337,
  "contracts": { "registry": "$registry", "coordinator": "$coordinator" },
  "provider": "simulated", "simulated_platform": "/sys/firmware/qemu_fw_cfg/by_name/opt/cvex/sim-platform/raw",
  "http": { "listen": "0.0.0.0", "port": 9100 },
  "min_balance_wei": "100000000000000000", "attestation_timeout_s": 600,
  "oracle": { "start_block": $start_block, "max_batch": 100, "poll_ms": 100 } }
EOF
  say "building the guest image (config baked into the measured initrd; log $dir/image.log)"
  scripts/guest-image.sh --out "$dir/image" --ovmf "$ovmf" --config "$dir/enclave.json" > "$dir/image.log" 2>&1 || fail "guest-image.sh; see $dir/image.log"
  m=$($cvex measure --mode snp --vcpus 1 --vcpu-type EPYC-v4 --vmm-type QEMU --guest-features 0x1 --ovmf "$ovmf" \
        --kernel "$dir/image/vmlinuz" --initrd "$dir/image/initrd.img" --append "$(cat "$dir/image/cmdline")") || fail "cvex measure"
  grep -q "\"measurement\": \"$m\"" "$dir/image/manifest.json" || fail "cvex measure gives $m, not the manifest's"
  MEASUREMENT=0x$m
  CVEX_PRIVATE_KEY=$K0 $cvex send "$registry" "allowMeasurement(bytes)" "$MEASUREMENT" >/dev/null || fail "allowMeasurement"
  say "image $dir/image: MEASUREMENT ${MEASUREMENT:0:18}… recomputed by cvex measure and allow-listed in the registry"
  $cvex attest sim-platform --measurement "$MEASUREMENT" --out "$dir/sim-platform.json" >/dev/null || fail "cvex attest sim-platform"
  scripts/guest-vm.sh --image "$dir/image" --rpc-port "$port" --http-port "$http_port" --sim-platform "$dir/sim-platform.json" \
    > "$dir/enclave.log" 2>&1 &
  pids+=($!)
  say "guest VM booting (pid ${pids[-1]}; serial console in $dir/enclave.log): SIMULATED SEV-SNP platform via fw_cfg, RPC via guestfwd, API on 127.0.0.1:$http_port via hostfwd"
}
shown=0
show_boot() {  # the boot's progress lines, once each
  local lines
  lines=$(grep -a -E '^\[guest-vm\]|cvex-init:|cvex-enclave ' "$dir/enclave.log" 2>/dev/null | tr -d '\r' || true)
  [ -n "$lines" ] || return 0
  echo "$lines" | tail -n +$((shown + 1)) | while IFS= read -r l; do say "  vm: ${l:0:160}"; done
  shown=$(echo "$lines" | wc -l)
}

gdir() { if [ "$1" -eq 0 ]; then echo "$dir"; else echo "$dir/guest$1"; fi; }  # guest 0 keeps the single-guest paths
# Guest $1's config; $2: the key set it receives by handover ("" for the first guest, which makes it).
guest_config() {
  local g extra=""
  g=$(gdir "$1"); mkdir -p "$g/state"
  [ -z "$2" ] || extra=', "handover": { "receive": "'"$2"'", "timeout_s": 120 }'
  [ "$1" -ne 0 ] || extra=', "bots": [ { "name": "arb", "strategy": "arbitrage", "vault": "'"$vault"'", "measurement": "'"$MEASUREMENT"'",
              "base_token": "'"$(dexv token_a)"'", "min_profit": "1000000000000000", "base_per_native": "1000000000000000000",
              "venue_a": { "pool": "'"$(dexv v2_pair)"'", "kind": "v2_pair" },
              "venue_b": { "pool": "'"$(dexv v3_pool)"'", "kind": "v3_pool",
                           "tick_lower": '"$(dexv v3_tick_lower)"', "tick_upper": '"$(dexv v3_tick_upper)"' },
              "mempool": { "ws_url": "'"${ETH_RPC_URL/http:/ws:}"'", "v2_routers": [ "'"$(dexv v2_router)"'" ] } } ]'
  cat > "$g/enclave.json" <<EOF
{ "rpc_url": "$ETH_RPC_URL", "chain_id": 31337,
  "contracts": { "registry": "$registry", "coordinator": "$coordinator", "key_handover": "$handover" },
  "provider": "simulated", "simulated_measurement": "$MEASUREMENT",
  "simulated_chip": "$PWD/$g/chip.seed", "state_dir": "$PWD/$g/state",
  "http": { "listen": "127.0.0.1", "port": ${http_ports[$1]} },
  "min_balance_wei": "100000000000000000", "attestation_timeout_s": 120,
  "oracle": { "start_block": $start_block, "max_batch": 100, "poll_ms": 100,
              "replica_index": $1, "replica_count": $replicas, "takeover_blocks": 3 }$extra }
EOF
}
guest_pids=()
start_guest() {
  local g; g=$(gdir "$1")
  build/bin/cvex-enclave --config "$g/enclave.json" >> "$g/enclave.log" 2>&1 &
  pids+=($!); guest_pids[$1]=$!
}
guest_health() { curl -s --max-time 1 "http://127.0.0.1:${http_ports[$1]}/health" 2>/dev/null || true; }

# --- Replicas (--replicas N): the same image (measurement), allowed to receive the key set; each
# attests a transport key, receives the VRF key from the first guest through KeyHandover, seals it,
# re-attests with it and serves its share of the requests under the one key hash.
start_replicas() {
  oracles=("$enclave")
  if [ "$replicas" -gt 1 ]; then
    mid=$($cvex keccak "$MEASUREMENT")
    for step in queueAllowance executeAllowance; do
      CVEX_PRIVATE_KEY=$K0 $cvex send "$handover" "$step(bytes32,bytes32,bool)" "$key_hash" "$mid" true >/dev/null || fail "KeyHandover.$step"
    done
    say "KeyHandover: measurement ${MEASUREMENT:0:18}… may receive key set $key_hash"
    for i in $(seq 1 $((replicas - 1))); do
      guest_config "$i" "$key_hash"
      start_guest "$i"
      addr=""
      for _ in $(seq 1 100); do addr=$(guest_health "$i" | json_get enclave); [ -n "$addr" ] && break; sleep 0.1; done
      [ -n "$addr" ] || fail "replica $i did not come up; see $(gdir "$i")/enclave.log"
      CVEX_PRIVATE_KEY=$K0 $cvex transfer "$addr" 10ether >/dev/null || fail "funding replica $i"
      oracles+=("$addr")
    done
    for i in $(seq 1 $((replicas - 1))); do
      h=""
      for _ in $(seq 1 1200); do
        h=$(guest_health "$i")
        [ "$(echo "$h" | json_get state)" = "serving" ] && break
        kill -0 "${guest_pids[$i]}" 2>/dev/null || fail "replica $i exited; see $(gdir "$i")/enclave.log"
        sleep 0.1
      done
      [ "$(echo "$h" | json_get vrf_key_hash)" = "$key_hash" ] || fail "replica $i is not serving key $key_hash; see $(gdir "$i")/enclave.log"
      took=$(sed -n 's/.*handover complete: serving key set [0-9a-fx]*, \([0-9]*\) ms after.*/\1/p' "$(gdir "$i")/enclave.log" | tail -1)
      say "replica $i (enclave ${oracles[$i]}) received key $key_hash by attested handover (${took:-?} ms from its transport key's attestation to serving)"
    done
  fi
}
