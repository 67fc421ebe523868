#!/usr/bin/env bash
# The README's test command: set up, build, and run every test (C++ unit and integration tests, the
# differential test against cast, and forge's tests) through ctest, whose summary closes the run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/setup.sh --vm  # the guest VM tests build an image and boot it in QEMU
scripts/build.sh
cd build
ctest --output-on-failure -j"$(nproc)" "$@"
