#!/usr/bin/env bash
# Installs what the build and the tests need, and does nothing for what is there.
# Afterwards the build runs with the network off (Trunk and cargo offline).
#
# Needs only the package registries (crates.io, npm, Debian): nothing is
# downloaded from GitHub, so Trunk must find every tool on PATH.
#
#   MIXPAY_WASM_TOOLCHAIN=rustup|debian   force the path that provides the wasm32 std
#       (default: rustup's target and rust-src when rustup can add them, else
#       Debian's rustc-web; both build std from source); the choice is kept in
#       target/toolchain-mode
#   scripts/setup.sh --with-debian-path   also prepare the Debian path, whichever is
#       the default (make test builds and tests the release with both)
#
# A step that fails says which one and which package or command is missing,
# and the script exits non-zero.
set -Eeuo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
WASM_SPLIT_VERSION=0.2.4
DEBIAN_PACKAGES=(rustc-web cargo-web rust-web-src lld-22)
mode_file=target/toolchain-mode

with_debian=0
for arg in "$@"; do
  case "$arg" in
    --with-debian-path) with_debian=1 ;;
    *) echo "usage: scripts/setup.sh [--with-debian-path]" >&2; exit 2 ;;
  esac
done

say() { echo "setup: $*"; }
die() { echo "setup: $*" >&2; exit 1; }
current_step="start"
step() { current_step=$*; say "$*"; }
trap 'echo "setup: FAILED at step: $current_step (exit code $?)" >&2' ERR

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=0
apt_install() {
  command -v apt-get >/dev/null || die "no apt-get here: install the packages $* by hand"
  if [ "$apt_updated" = 0 ]; then
    step "apt-get update"
    as_root apt-get update -qq
    apt_updated=1
  fi
  local p candidate unavailable=()
  for p in "$@"; do
    candidate=$(apt-cache policy "$p" 2>/dev/null | awk '/Candidate:/ { print $2 }')
    if [ -z "$candidate" ] || [ "$candidate" = "(none)" ]; then unavailable+=("$p"); fi
  done
  [ ${#unavailable[@]} -eq 0 ] ||
    die "apt on this machine does not offer the Debian package(s) ${unavailable[*]} (Debian 12 has rustc-web, cargo-web, rust-web-src and lld-22 in bookworm-security; check /etc/apt/sources.list*)"
  step "apt-get install $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

have_deb() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

command -v cargo >/dev/null ||
  die "no cargo on PATH: install Rust with rustup (or Debian's cargo) first"

# --- Chromium and chromedriver (Debian's; Playwright never downloads a browser here)
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
# A font with Chinese glyphs: without one the Simplified Chinese screens (and
# their screenshots) are empty boxes, as on no shop's tablet.
have_deb fonts-droid-fallback || missing+=(fonts-droid-fallback)
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"

# --- The wasm32 standard library, by one path or both
wasm_std_present() {
  [ -d "$(rustc --print sysroot)/lib/rustlib/wasm32-unknown-unknown/lib" ]
}

std_source_present() {
  [ -f "$(rustc --print sysroot)/lib/rustlib/src/rust/library/Cargo.lock" ]
}

# rustup's wasm32 target and std's sources (the release builds std from
# source for the immediate-abort panic strategy, see with-toolchain.sh);
# returns non-zero when either cannot be had.
prepare_rustup_path() {
  wasm_std_present && std_source_present && return 0
  command -v rustup >/dev/null || { say "no rustup on PATH: rustup's wasm32 target cannot be added"; return 1; }
  if ! wasm_std_present; then
    step "rustup target add wasm32-unknown-unknown"
    timeout 120 rustup target add wasm32-unknown-unknown || say "rustup could not add the target"
  fi
  if ! std_source_present; then
    step "rustup component add rust-src"
    timeout 120 rustup component add rust-src || say "rustup could not add rust-src"
  fi
  wasm_std_present && std_source_present
}

# Debian's rustc-web with the std sources, built per target with build-std
# (scripts/with-toolchain.sh sets the environment it needs).
prepare_debian_path() {
  local missing=() p
  for p in "${DEBIAN_PACKAGES[@]}"; do have_deb "$p" || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
  step "check the Debian path"
  MIXPAY_WASM_TOOLCHAIN=debian scripts/with-toolchain.sh --check ||
    die "the Debian path is incomplete after installing ${DEBIAN_PACKAGES[*]} (see above)"
}

mode=${MIXPAY_WASM_TOOLCHAIN:-}
case "$mode" in
  rustup)
    prepare_rustup_path ||
      die "the rustup path cannot be prepared: \`rustup target add wasm32-unknown-unknown\` or \`rustup component add rust-src\` failed; MIXPAY_WASM_TOOLCHAIN=debian uses Debian's packages instead"
    ;;
  debian) prepare_debian_path ;;
  "")
    if prepare_rustup_path; then mode=rustup; else
      say "rustup's wasm32 target or rust-src cannot be had: using Debian's rustc-web (the debian path)"
      mode=debian
      prepare_debian_path
    fi
    ;;
  *) die "MIXPAY_WASM_TOOLCHAIN must be rustup or debian, not '$mode'" ;;
esac
if [ "$with_debian" = 1 ] && [ "$mode" != debian ]; then
  prepare_debian_path
fi
mkdir -p target
echo "$mode" > "$mode_file"

# --- Trunk and wasm-bindgen-cli, built from crates.io with the host's cargo
if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  step "cargo install trunk $TRUNK_VERSION (takes a few minutes)"
  cargo install trunk --locked --version "$TRUNK_VERSION"
fi
# wasm-bindgen must match Cargo.lock exactly or Trunk would try to download it.
wbg_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $wbg_version" ] ||
  [ "$(wasm-bindgen-test-runner --version 2>/dev/null)" != "wasm-bindgen-test-runner $wbg_version" ]; then
  step "cargo install wasm-bindgen-cli $wbg_version"
  # Not --locked: its lock file pins a crate version the index no longer serves.
  cargo install wasm-bindgen-cli --version "$wbg_version" --force
fi

# wasm-split-cli splits the wasm into the till and the back office's parts
# (scripts/split.mjs, a step of every Trunk build); crates.io only.
if ! cargo install --list 2>/dev/null | grep -q "^wasm_split_cli_support v$WASM_SPLIT_VERSION:" ||
  ! command -v wasm-split-cli >/dev/null; then
  step "cargo install wasm_split_cli_support $WASM_SPLIT_VERSION (wasm-split-cli)"
  cargo install wasm_split_cli_support --locked --version "$WASM_SPLIT_VERSION" --features build-binary
fi

# --- JS tools: binaryen 132 (wasm-opt), Playwright, jsQR, and the engines layer's
# drivers (selenium-webdriver, puppeteer-core: neither downloads a browser);
# skipped while the lock is unchanged
stamp=node_modules/.setup-stamp
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$lock_sum" ]; then
  step "npm ci"
  # puppeteer-core never downloads a browser; this says so to any of its helpers too.
  PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_sum" > "$stamp"
fi

# --- Crates, so that builds can run with the network off
step "cargo fetch (the project's crates)"
cargo fetch --quiet
# build-std compiles std from source: its crates (dlmalloc, hashbrown, …,
# pinned by the std sources' library/Cargo.lock) come from crates.io too.
step "cargo fetch for the $mode path (the crates of the wasm32 std, with build-std)"
MIXPAY_WASM_TOOLCHAIN=$mode scripts/with-toolchain.sh cargo fetch --quiet --target wasm32-unknown-unknown
if [ "$with_debian" = 1 ] && [ "$mode" != debian ]; then
  step "cargo fetch for the Debian path (the crates of the wasm32 std, with build-std)"
  MIXPAY_WASM_TOOLCHAIN=debian scripts/with-toolchain.sh cargo fetch --quiet --target wasm32-unknown-unknown
fi
prepared=$mode
if [ "$with_debian" = 1 ] && [ "$mode" != debian ]; then prepared="$mode (default) and debian"; fi
say "ready in $SECONDS s: wasm path $prepared"
