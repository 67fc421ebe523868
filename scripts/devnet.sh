#!/usr/bin/env bash
# The README's first command. Installs what is missing, builds, and (as the later parts land)
# starts Anvil, deploys the contracts and runs the oracle and a trading bot against it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
echo
echo "cvex is built: binaries in build/bin/. The cvex command line:"
echo
build/bin/cvex help
