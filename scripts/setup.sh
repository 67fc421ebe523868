#!/usr/bin/env bash
# Installs what cvex needs and is missing, and nothing else. Idempotent: a second run does nothing.
#   Debian packages: the C++ toolchain and libraries, and gdb (gcore: the key-custody core-dump test).
#   npm (from package-lock.json, with `npm ci`): anvil, forge, cast (Foundry 1.7.1), solc (solcjs) and test fixtures.
#   --sanitize, --fuzz: also clang 14 with its sanitizer and libFuzzer runtimes (libclang-rt-14-dev)
#   and llvm-symbolizer (llvm-14), for scripts/test.sh --sanitize and scripts/fuzz.sh.
#   --vm: only what the guest VM image and its boot need (scripts/guest-image.sh and scripts/test.sh
#   call it): qemu-system-x86, busybox-static (the initrd's /init), cpio, socat (QEMU's guestfwd to
#   the RPC) and ca-certificates (the guest's CAs); nothing else is checked.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(libsecp256k1-dev libssl-dev libboost-dev nlohmann-json3-dev catch2 libbenchmark-dev cmake g++ make pkg-config gdb)
vm=0
case "${1:-}" in
  --sanitize|--fuzz) DEBIAN_PACKAGES+=(clang libclang-rt-14-dev llvm-14) ;;
  --vm) vm=1; DEBIAN_PACKAGES=(qemu-system-x86 busybox-static cpio socat ca-certificates) ;;
  "") ;;
  *) echo "usage: scripts/setup.sh [--sanitize | --fuzz | --vm]" >&2; exit 2 ;;
esac
if [ $vm -eq 0 ]; then
  command -v node >/dev/null 2>&1 || DEBIAN_PACKAGES+=(nodejs)
  command -v npm >/dev/null 2>&1 || DEBIAN_PACKAGES+=(npm)
fi

missing=()
for p in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

[ $vm -eq 0 ] || { echo "setup: VM tools ready ($(qemu-system-x86_64 --version | head -1))"; exit 0; }

# npm ci only when node_modules is absent or older than the lock file.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ] \
   || [ ! -x node_modules/.bin/anvil ]; then
  echo "setup: installing pinned npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

for tool in anvil forge cast; do
  [ -x "node_modules/.bin/$tool" ] || { echo "setup: node_modules/.bin/$tool is missing after npm ci" >&2; exit 1; }
done
echo "setup: ready ($(node_modules/.bin/anvil --version | head -1), solc $(node -e "console.log(require('solc').version())"))"
