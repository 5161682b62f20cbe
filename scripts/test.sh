#!/usr/bin/env bash
# Runs the test layers, prints one summary line per layer, and exits
# non-zero if any test failed or a layer could not run.
#   1. native:  cargo test (domain unit tests, simulator contract tests)
#   2. browser: wasm-bindgen-test components in headless Chromium
#   3. e2e:     Playwright in Chromium against the release build and the simulator
#   4. budget:  the first load and the whole app against budget.json (gzip -9)
#   5. faults:  the fault suite in quick mode (scripts/faults.mjs --quick); one
#               test per scenario, passed when it met its bars
#   6. engines: the core journeys in WebKit, Firefox and Chromium (tests/engines/);
#               its browsers are installed first by scripts/setup-engines.sh
#   7. debian-path: the release built with MIXPAY_WASM_TOOLCHAIN=debian into
#      target/dist-debian (its own target dir, target/web-std), and the
#      one-time-payment and pay-link sales of tests/e2e/sale.test.mjs against it
# Layers 2 to 6 use the default path (target/toolchain-mode, or
# MIXPAY_WASM_TOOLCHAIN); scripts/setup.sh --with-debian-path prepares both.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p target/test-logs
logs=target/test-logs
status=0
summary=()
total_pass=0
total_fail=0

# Sums "test result: ok. N passed; M failed" lines (cargo and wasm-bindgen-test-runner).
cargo_counts() {
  awk '/test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
       END { printf "%d %d\n", p, f }' "$1"
}

# Node's test runner ends with "# pass N" / "# fail N".
node_counts() {
  awk '/^# pass / { p = $3 } /^# fail / { f = $3 } END { printf "%d %d\n", p, f }' "$1"
}

# The fault suite ends with "faults: N passed, M failed".
faults_counts() {
  awk '/^faults: [0-9]+ passed, [0-9]+ failed/ { p = $2; f = $4 } END { printf "%d %d\n", p, f }' "$1"
}

# The budget ends with "budget: N passed, M failed".
budget_counts() {
  awk '/^budget: [0-9]+ passed, [0-9]+ failed/ { p = $2; f = $4 } END { printf "%d %d\n", p, f }' "$1"
}

# tests/engines/run.mjs ends with "engines: N passed, M failed".
engines_counts() {
  awk '/^engines: [0-9]+ passed, [0-9]+ failed/ { p = $2; f = $4 } END { printf "%d %d\n", p, f }' "$1"
}

run_layer() {
  local name=$1 counter=$2
  shift 2
  echo "=== $name: $*"
  local start=$SECONDS
  "$@" 2>&1 | tee "$logs/$name.log"
  local rc=${PIPESTATUS[0]}
  echo "=== $name took $((SECONDS - start)) s"
  read -r pass fail < <("$counter" "$logs/$name.log")
  total_pass=$((total_pass + pass))
  total_fail=$((total_fail + fail))
  local line="$name: $pass passed, $fail failed"
  if [ "$rc" != 0 ] && [ "$fail" = 0 ]; then line="$line (exit code $rc)"; fi
  if [ "$rc" != 0 ] || [ "$pass" = 0 ]; then status=1; fi
  summary+=("$line")
}

# The tests' builds allow the local simulator next to MixPay (scripts/csp.mjs).
export MIXPAY_SIM_ORIGIN='http://127.0.0.1:*'
toolchain=$(scripts/with-toolchain.sh --describe)
debian_toolchain=$(MIXPAY_WASM_TOOLCHAIN=debian scripts/with-toolchain.sh --describe)
echo "$toolchain"

run_layer native cargo_counts cargo test --workspace
run_layer browser cargo_counts scripts/with-toolchain.sh \
  cargo test -p mixpay-pos --target wasm32-unknown-unknown --test components
run_layer e2e node_counts bash -c 'scripts/with-toolchain.sh trunk build --release &&
  node --test --test-concurrency=1 tests/e2e/'
# The weight budget of the build the e2e layer just tested (budget.json).
run_layer budget budget_counts node scripts/budget.mjs dist
run_layer faults faults_counts node scripts/faults.mjs --quick
# The same journeys in WebKit, Firefox ESR and Chromium, against dist/ (built above).
run_layer engines engines_counts bash -c 'scripts/setup-engines.sh &&
  { [ -f dist/index.html ] || scripts/with-toolchain.sh trunk build --release; } &&
  cargo build -q -p mixpay-sim &&
  node tests/engines/run.mjs'
# Its passes per engine ("engines: webkit 8, firefox 8, chromium 8").
per_engine=$(grep -m1 -E '^engines: (webkit|firefox|chromium) [0-9]' "$logs/engines.log") && summary+=("$per_engine")
echo "$debian_toolchain"
run_layer debian-path node_counts bash -c 'MIXPAY_WASM_TOOLCHAIN=debian scripts/with-toolchain.sh \
    trunk build --release --dist target/dist-debian &&
  MIXPAY_DIST=target/dist-debian node --test --test-concurrency=1 \
    --test-name-pattern="^(one-time payment|pay link: every parameter)" tests/e2e/sale.test.mjs'

echo
echo "=== summary"
echo "$toolchain for browser, e2e"
echo "$debian_toolchain for debian-path"
printf '%s\n' "${summary[@]}"
echo "total: $total_pass passed, $total_fail failed"
exit $status
