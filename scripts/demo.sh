#!/usr/bin/env bash
# Serves the release build and the MixPay simulator on localhost until Ctrl-C.
# The app is pointed at the simulator by a config.json written into dist/.
set -euo pipefail
cd "$(dirname "$0")/.."
APP_PORT=${APP_PORT:-8080}
SIM_PORT=${SIM_PORT:-8787}
sim_url="http://127.0.0.1:$SIM_PORT"

cargo build --release -q -p mixpay-sim
# The demo shop "Demo Coffee" of the simulator; prices in USD, settled in USDT.
cat > dist/config.json <<JSON
{
  "apiBase": "$sim_url/v1",
  "payBase": "$sim_url",
  "payeeId": "3f2a9c1e-5b7d-4e8f-9a6b-1c2d3e4f5a6b",
  "quoteAssetId": "usd",
  "settlementAssetId": "4d8c508b-91c5-375b-92b0-ee702ed2dac5",
  "shopName": "Demo Coffee"
}
JSON

pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null' EXIT INT TERM
target/release/mixpay-sim --port "$SIM_PORT" --no-rate-limit & pids+=($!)
node scripts/serve.mjs --dir dist --port "$APP_PORT" & pids+=($!)
sleep 1
echo
echo "  MixPay PoS:      http://127.0.0.1:$APP_PORT/"
echo "  MixPay simulator: $sim_url/ (payer pages open from the QR links)"
echo "  Ctrl-C stops both."
wait -n "${pids[@]}"
