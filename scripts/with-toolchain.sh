#!/usr/bin/env bash
# Runs a command with the environment the wasm build needs: node_modules/.bin
# first on PATH (binaryen 132's wasm-opt), Trunk kept offline, and, on the
# Debian path, Debian's rustc-web with build-std.
#
#   MIXPAY_WASM_TOOLCHAIN=rustup|debian   the path to use; unset: the one
#       scripts/setup.sh chose (target/toolchain-mode), else rustup.
#       rustup: rustup's wasm32-unknown-unknown target, target dir target/
#       debian: Debian's rustc-web, cargo-web, rust-web-src and lld-22 (in
#               /usr/bin) building std with build-std, target dir target/web-std
#
#   Both paths compile std from source (build-std) so that the release wasm
#   can use the immediate-abort panic strategy: a panic traps at once, with no
#   panic message, location or formatting code in the wasm (see README, "The
#   two wasm toolchain paths"). The rustup path needs the rust-src component.
#
#   scripts/with-toolchain.sh --describe   prints the path in use, one line
#   scripts/with-toolchain.sh --check      says what the path lacks (exit 1)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

mode=${MIXPAY_WASM_TOOLCHAIN:-$(cat "$root/target/toolchain-mode" 2>/dev/null || echo rustup)}
# Debian installs its rustc-web toolchain here (rustc, cargo, rust-lld).
debian_bin=/usr/bin

export PATH="$root/node_modules/.bin:$PATH"
# Never download a tool: a version mismatch must fail loudly instead.
export TRUNK_OFFLINE=true
export TRUNK_SKIP_VERSION_CHECK=true
export CHROMEDRIVER=${CHROMEDRIVER:-$(command -v chromedriver || true)}

# What the Debian path lacks, one "package: what" line each.
debian_missing() {
  [ -x "$debian_bin/rustc" ] || echo "rustc-web: no $debian_bin/rustc"
  [ -x "$debian_bin/cargo" ] || echo "cargo-web: no $debian_bin/cargo"
  if [ -x "$debian_bin/rustc" ]; then
    local src
    src="$("$debian_bin/rustc" --print sysroot)/lib/rustlib/src/rust/library"
    [ -f "$src/Cargo.lock" ] || echo "rust-web-src: no std sources in $src"
  fi
  # Debian's rust-lld is a link to lld-22's binary: dangling without it.
  [ -e "$debian_bin/rust-lld" ] || echo "lld-22: $debian_bin/rust-lld is missing or dangling"
}

rustup_missing() {
  local sysroot
  sysroot="$(rustc --print sysroot 2>/dev/null)"
  [ -d "$sysroot/lib/rustlib/wasm32-unknown-unknown/lib" ] ||
    echo "rustup target wasm32-unknown-unknown: not installed (rustup target add wasm32-unknown-unknown)"
  [ -f "$sysroot/lib/rustlib/src/rust/library/Cargo.lock" ] ||
    echo "rustup component rust-src: not installed (rustup component add rust-src)"
}

# std from source on both paths (cargo's unstable build-std, allowed on a
# stable toolchain by RUSTC_BOOTSTRAP), so that the release profile can take
# the immediate-abort panic strategy, which needs core built with it. Set here
# and not in Cargo.toml: native release builds (the simulator) keep `abort`.
export RUSTC_BOOTSTRAP=1
export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
export CARGO_UNSTABLE_PANIC_IMMEDIATE_ABORT=true
export CARGO_PROFILE_RELEASE_PANIC=immediate-abort

case "$mode" in
  rustup) ;;
  debian)
    # Trunk and cargo run `cargo`/`rustc` by name, so PATH order picks Debian's.
    export PATH="$root/node_modules/.bin:$debian_bin:$PATH"
    # Its own target dir: the std it builds never mixes with rustup's.
    export CARGO_TARGET_DIR="$root/target/web-std"
    ;;
  *)
    echo "with-toolchain: MIXPAY_WASM_TOOLCHAIN must be rustup or debian, not '$mode'" >&2
    exit 2
    ;;
esac

case "${1:-}" in
  --describe)
    if [ "$mode" = debian ]; then
      echo "wasm toolchain: debian (rustc-web $("$debian_bin/rustc" --version 2>/dev/null | cut -d' ' -f2 || echo '?') with build-std, target/web-std)"
    else
      echo "wasm toolchain: rustup (rustup target wasm32-unknown-unknown, rustc $(rustc --version 2>/dev/null | cut -d' ' -f2 || echo '?'))"
    fi
    exit 0
    ;;
  --check)
    missing=$("${mode}_missing")
    if [ -n "$missing" ]; then
      echo "with-toolchain: the $mode path is not ready:" >&2
      sed 's/^/  /' <<<"$missing" >&2
      exit 1
    fi
    exit 0
    ;;
esac

if [ -n "$("${mode}_missing")" ]; then
  echo "with-toolchain: the $mode path lacks (MIXPAY_WASM_TOOLCHAIN=$mode scripts/setup.sh installs them):" >&2
  "${mode}_missing" | sed 's/^/  /' >&2
  exit 1
fi
exec "$@"
