#!/usr/bin/env bash
# Boots a guest image (scripts/guest-image.sh) under QEMU on this machine, for tests and the
# devnet: direct kernel boot (-kernel/-initrd/-append) with QEMU's default SeaBIOS, WITHOUT SEV —
# the SEV-SNP launch on a real host is in enclave-app/README.md. KVM when /dev/kvm works, TCG
# otherwise (nested KVM can fail, e.g. "KVM internal error": detected, and the boot retried on TCG).
#
#   scripts/guest-vm.sh --image DIR --rpc-port P --http-port H [--sim-platform FILE] [--host-config FILE]
#                       [--accel auto|kvm|tcg] [--memory MiB] [--guest-http-port N]
#
# The guest's only network is QEMU user networking with restrict=on: it reaches the host's RPC
# (127.0.0.1:P) at 10.0.2.100:8545 (guestfwd) and nothing else; its HTTP API (guest port 9100 by
# default) is forwarded to 127.0.0.1:H (hostfwd). --sim-platform hands a SIMULATED SEV-SNP
# platform (`cvex attest sim-platform`) to the guest through fw_cfg, outside the measured inputs,
# as real firmware would be; --host-config the short list of settings the host may give
# (enclave-app/README.md). The serial console (kernel, /init and cvex-enclave) goes to stdout.
# Runs in the foreground until the guest powers off or the script is killed.
set -euo pipefail

usage() { echo "usage: scripts/guest-vm.sh --image DIR --rpc-port P --http-port H [--sim-platform FILE] [--host-config FILE] [--accel auto|kvm|tcg] [--memory MiB] [--guest-http-port N]" >&2; exit 2; }
die() { echo "error: $*" >&2; exit 2; }
say() { echo "[guest-vm] $*" >&2; }

image=""; rpc_port=""; http_port=""; platform=""; host_config=""; accel=${CVEX_VM_ACCEL:-auto}; memory=1024; guest_http=9100
while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || usage
  case "$1" in
    --image) image=$2 ;; --rpc-port) rpc_port=$2 ;; --http-port) http_port=$2 ;; --sim-platform) platform=$2 ;;
    --host-config) host_config=$2 ;; --accel) accel=$2 ;; --memory) memory=$2 ;; --guest-http-port) guest_http=$2 ;;
    *) usage ;;
  esac
  shift 2
done
[ -n "$image" ] && [ -n "$rpc_port" ] && [ -n "$http_port" ] || usage
for f in vmlinuz initrd.img cmdline manifest.json; do [ -r "$image/$f" ] || die "--image: $image/$f is missing"; done
for p in "$rpc_port" "$http_port" "$guest_http"; do [[ "$p" =~ ^[1-9][0-9]{0,4}$ ]] && [ "$p" -le 65535 ] || die "'$p' is not a port"; done
[[ "$memory" =~ ^[1-9][0-9]*$ ]] || die "--memory must be MiB, not '$memory'"
case "$accel" in auto|kvm|tcg) ;; *) die "--accel must be auto, kvm or tcg" ;; esac
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 is missing: scripts/setup.sh --vm"
command -v socat >/dev/null || die "socat is missing: scripts/setup.sh --vm"
vcpus=$(sed -n 's/.*"vcpus": \([0-9]*\).*/\1/p' "$image/manifest.json" | head -1)

args=(-machine q35 -m "$memory" -smp "${vcpus:-1}" -nodefaults -no-user-config -nographic -no-reboot
      -serial stdio -monitor none
      -kernel "$image/vmlinuz" -initrd "$image/initrd.img" -append "$(cat "$image/cmdline")"
      -netdev "user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:$http_port-10.0.2.15:$guest_http,guestfwd=tcp:10.0.2.100:8545-cmd:socat - TCP:127.0.0.1:$rpc_port"
      -device virtio-net-pci,netdev=n0,romfile=)
[ -z "$platform" ] || { [ -r "$platform" ] || die "--sim-platform: cannot read $platform"; args+=(-fw_cfg "name=opt/cvex/sim-platform,file=$platform"); }
[ -z "$host_config" ] || { [ -r "$host_config" ] || die "--host-config: cannot read $host_config"; args+=(-fw_cfg "name=opt/cvex/host.json,file=$host_config"); }

kvm_usable() { [ -r /dev/kvm ] && [ -w /dev/kvm ]; }
if [ "$accel" = auto ]; then accel=tcg; kvm_usable && accel=kvm; fi
if [ "$accel" = kvm ]; then
  # Nested KVM can abort at once (an MSR it cannot set) or stop before the kernel prints; either
  # way the boot is retried on TCG. The kernel's banner within 10 s means KVM works.
  log=$(mktemp); qemu-system-x86_64 "${args[@]}" -accel kvm -cpu host > "$log" 2>&1 & qpid=$!
  ok=0
  for _ in $(seq 1 100); do
    grep -aq "Linux version" "$log" && { ok=1; break; }
    grep -aq "KVM internal error" "$log" && break
    kill -0 $qpid 2>/dev/null || break
    sleep 0.1
  done
  if [ $ok -eq 1 ]; then
    say "booting under KVM"
    trap 'kill $qpid 2>/dev/null; rm -f "$log"' EXIT INT TERM
    tail -n +1 -f --pid=$qpid "$log" & wait $qpid; code=$?; sleep 0.2; exit $code
  fi
  kill $qpid 2>/dev/null || true; wait $qpid 2>/dev/null || true
  say "KVM failed here ($(grep -a -m1 -E "error|KVM" "$log" | tr -d '\r' | cut -c1-120 || echo "no kernel output in 10 s")); falling back to TCG"
  rm -f "$log"
fi
say "booting under TCG (emulation; slower)"
exec qemu-system-x86_64 "${args[@]}" -accel tcg -cpu max
