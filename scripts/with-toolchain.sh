#!/usr/bin/env bash
# Runs a command with the environment the wasm build needs: node_modules/.bin
# first on PATH (binaryen 132's wasm-opt), Trunk kept offline, and, when the
# set-up chose Debian's rustc-web, that toolchain with build-std.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

export PATH="$root/node_modules/.bin:$PATH"
# Never download a tool: a version mismatch must fail loudly instead.
export TRUNK_OFFLINE=true
export TRUNK_SKIP_VERSION_CHECK=true
export CHROMEDRIVER=${CHROMEDRIVER:-$(command -v chromedriver || true)}

mode=$(cat "$root/target/toolchain-mode" 2>/dev/null || echo rustup)
if [ "$mode" = debian ]; then
  # Trunk and cargo run `cargo`/`rustc` by name, so PATH order picks Debian's.
  export PATH="$root/node_modules/.bin:/usr/bin:$PATH"
  export RUSTC_BOOTSTRAP=1
  export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
  export CARGO_TARGET_DIR="$root/target/web-std"
fi
exec "$@"
