# MixPay PoS. `make demo` and `make test` are the whole set-up: each first runs
# scripts/setup.sh, which installs what is missing and skips what is there.
SHELL := /bin/bash
APP_PORT ?= 8080
SIM_PORT ?= 8787

.PHONY: setup demo test dist dist-sim sim bench faults zh-file clean

# Builds that may talk to the local MixPay simulator (tests, bench, faults);
# a shop's build (`make dist`) allows MixPay's origins only.
SIM_ORIGIN := http://127.0.0.1:*

setup:
	@scripts/setup.sh

dist: setup
	@scripts/with-toolchain.sh --describe
	scripts/with-toolchain.sh trunk build --release

dist-sim: setup
	@scripts/with-toolchain.sh --describe
	MIXPAY_SIM_ORIGIN='$(SIM_ORIGIN)' scripts/with-toolchain.sh trunk build --release

# Prepares both wasm toolchain paths: the tests build the release with each.
test:
	@scripts/setup.sh --with-debian-path
	scripts/test.sh

# The demo's build allows its own simulator's origin, nothing else.
demo: setup
	@scripts/with-toolchain.sh --describe
	MIXPAY_SIM_ORIGIN='http://127.0.0.1:$(SIM_PORT)' scripts/with-toolchain.sh trunk build --release
	APP_PORT=$(APP_PORT) SIM_PORT=$(SIM_PORT) scripts/demo.sh

sim:
	cargo run --release -p mixpay-sim -- --port $(SIM_PORT) $(SIM_ARGS)

bench: dist-sim
	cargo build -q -p mixpay-sim
	node scripts/bench.mjs

# The fault suite, full mode (a few sales per scenario); `make test` runs its quick mode.
faults: dist-sim
	cargo build -q -p mixpay-sim
	node scripts/faults.mjs

# Writes public/i18n/zh-Hans.txt, the Chinese words, from the zh!("…") texts of src/
# (src/i18n/zh.rs): run it after adding or changing one, and commit the file.
# A native program built by rustc alone, so it runs while a zh! text missing from
# the file keeps the app from compiling.
zh-file:
	@mkdir -p target/zh-file
	rustc --edition 2021 --crate-name zh_file -o target/zh-file/zh-file scripts/zh-file.rs
	target/zh-file/zh-file .

clean:
	rm -rf dist target
