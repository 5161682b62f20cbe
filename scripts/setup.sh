#!/usr/bin/env bash
# Installs what the build and the tests need, and does nothing for what is there.
#
# Works offline except for the package registries (crates.io, npm, Debian):
# nothing is downloaded from GitHub, so Trunk must find every tool on PATH.
#
#   MIXPAY_WASM_TOOLCHAIN=rustup|debian   force how the wasm32 std is provided
#                                         (default: rustup's target, else Debian's rustc-web)
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
mode_file=target/toolchain-mode

say() { echo "setup: $*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=0
apt_install() {
  command -v apt-get >/dev/null || { say "no apt-get here: install $* by hand"; exit 1; }
  if [ "$apt_updated" = 0 ]; then
    as_root apt-get update -qq
    apt_updated=1
  fi
  say "apt-get install $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

have_deb() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

# --- Chromium and chromedriver (Debian's; Playwright never downloads a browser here)
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"

# --- The wasm32 standard library
wasm_std_present() {
  [ -d "$(rustc --print sysroot)/lib/rustlib/wasm32-unknown-unknown/lib" ]
}
mode=${MIXPAY_WASM_TOOLCHAIN:-}
if [ -z "$mode" ]; then
  if wasm_std_present; then
    mode=rustup
  else
    if command -v rustup >/dev/null; then
      say "rustup target add wasm32-unknown-unknown"
      timeout 120 rustup target add wasm32-unknown-unknown || say "rustup could not add the target"
    fi
    if wasm_std_present; then mode=rustup; else mode=debian; fi
  fi
fi
if [ "$mode" = debian ]; then
  # Debian's rustc-web with the std sources, built per target with build-std
  # (see scripts/with-toolchain.sh for the environment it needs).
  missing=()
  for p in rustc-web cargo-web rust-web-src lld-22; do have_deb "$p" || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
fi
mkdir -p target
echo "$mode" > "$mode_file"
say "wasm32 toolchain: $mode"

# --- Trunk and wasm-bindgen-cli, built from crates.io with the host's cargo
if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  say "cargo install trunk $TRUNK_VERSION (takes a few minutes)"
  cargo install trunk --locked --version "$TRUNK_VERSION"
fi
# wasm-bindgen must match Cargo.lock exactly or Trunk would try to download it.
wbg_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $wbg_version" ] ||
  [ "$(wasm-bindgen-test-runner --version 2>/dev/null)" != "wasm-bindgen-test-runner $wbg_version" ]; then
  say "cargo install wasm-bindgen-cli $wbg_version"
  # Not --locked: its lock file pins a crate version the index no longer serves.
  cargo install wasm-bindgen-cli --version "$wbg_version" --force
fi

# --- JS tools: binaryen 132 (wasm-opt), Playwright, jsQR, and the engines layer's
# drivers (selenium-webdriver, puppeteer-core: neither downloads a browser);
# skipped while the lock is unchanged
stamp=node_modules/.setup-stamp
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$lock_sum" ]; then
  say "npm ci"
  PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_sum" > "$stamp"
fi

# --- Crates, so that builds can run with the network off
cargo fetch --quiet
say "ready"
