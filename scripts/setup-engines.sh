#!/usr/bin/env bash
# Installs the browsers of the `engines` test layer from Debian, and does
# nothing for what is there: WebKitGTK's WebDriver (webkit2gtk-driver, with its
# MiniBrowser), Firefox ESR, and Xvfb for the display WebKitGTK needs.
# Called by scripts/test.sh before the layer; `make demo` never runs it.
# The npm drivers (selenium-webdriver, puppeteer-core) come with `npm ci`
# from package-lock.json in scripts/setup.sh; neither downloads a browser.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "setup-engines: $*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

have_deb() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

missing=()
for p in webkit2gtk-driver firefox-esr xvfb; do have_deb "$p" || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  command -v apt-get >/dev/null || { say "no apt-get here: install ${missing[*]} by hand"; exit 1; }
  say "apt-get update"
  as_root apt-get update -qq
  say "apt-get install ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The npm drivers, in case node_modules predates them (setup.sh's `npm ci` brings them).
if [ ! -d node_modules/selenium-webdriver ] || [ ! -d node_modules/puppeteer-core ]; then
  say "npm ci"
  PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
fi

say "$(WebKitWebDriver --version 2>/dev/null | head -1)"
say "$(firefox-esr --version 2>/dev/null | head -1)"
say "ready"
