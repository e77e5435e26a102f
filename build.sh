#!/usr/bin/env bash
# cookiegate build script. Every subcommand installs what it needs when it is
# missing (idempotent: installed things are detected and skipped).
#
#   ./build.sh [build]   release wasm -> wasm-bindgen -> wasm-opt -> dist/, sizes
#   ./build.sh serve     build, then serve the demo storefront on 127.0.0.1:8080
#   ./build.sh test      every suite; ends with "summary: N passed, N failed"
#   ./build.sh bench     size and speed against vanilla-cookieconsent; interception cost
#   ./build.sh fuzz      coverage-guided fuzzing of both parsers, bounded time
#   ./build.sh check F…  validate catalogues (same as `cookiegate check`)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"

WASM_BINDGEN_VERSION="0.2.130"
TOOLS="$ROOT/.tools"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
# Where the deployable folder goes (the e2e harness reads the same variable).
DIST="${COOKIEGATE_DIST:-$ROOT/dist}"
export PATH="$TOOLS/bin:$HOME/.cargo/bin:$PATH"
WASM_OPT_FLAGS=(--enable-bulk-memory --enable-sign-ext --enable-nontrapping-float-to-int
  --enable-mutable-globals --enable-reference-types --enable-multivalue)

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then
    say "apt-get update"
    as_root apt-get update -qq
    apt_updated=1
  fi
  say "apt-get install $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

need_rust() {
  if ! command -v cargo >/dev/null 2>&1; then
    echo "cargo is missing: install Rust with rustup first (https://rustup.rs)" >&2
    exit 1
  fi
  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    say "rustup target add wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
  # rustfmt and clippy come with the default profile; add them when a minimal one lacks them.
  for c in rustfmt clippy; do
    if ! rustup component list --installed 2>/dev/null | grep -q "^$c"; then
      rustup component add "$c"
    fi
  done
}

need_wasm_bindgen() {
  if [ "$("$TOOLS/bin/wasm-bindgen" --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION into .tools/ (takes a few minutes once)"
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --root "$TOOLS" --force
  fi
}

need_node() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    apt_install nodejs npm
  fi
  # npm ci when node_modules is missing or older than the lockfile.
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "npm ci"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

need_chromium() {
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    apt_install chromium chromium-driver
  fi
}

# Prints raw, gzip -9 and brotli -q 11 sizes of the given files.
print_sizes() { node "$ROOT/tools/sizes.mjs" "$@"; }

build() {
  need_rust
  need_wasm_bindgen
  need_node
  say "cargo build --release (wasm32)"
  cargo build --release --target wasm32-unknown-unknown --lib
  local tmp="$DIST.tmp"
  rm -rf "$tmp" && mkdir -p "$tmp"
  "$TOOLS/bin/wasm-bindgen" --target web --no-typescript --out-dir "$tmp" \
    --out-name cookiegate_core "$TARGET_DIR/wasm32-unknown-unknown/release/cookiegate.wasm"
  say "wasm-opt -Oz (npm binaryen)"
  node_modules/.bin/wasm-opt -Oz "${WASM_OPT_FLAGS[@]}" --strip-debug --strip-producers \
    "$tmp/cookiegate_core_bg.wasm" -o "$tmp/cookiegate_core_bg.wasm"
  cp www/cookiegate.js "$tmp/cookiegate.js"
  say "cookiegate check policies/storefront.json, then the browser copy"
  check_catalogues policies/storefront.json
  node tools/catalogue-for-dist.mjs policies/storefront.json "$tmp/catalogue.json"
  rm -rf "$DIST" && mv "$tmp" "$DIST"
  say "$DIST (raw, gzip -9, brotli -q 11)"
  print_sizes "$DIST/cookiegate.js" "$DIST/cookiegate_core.js" "$DIST/cookiegate_core_bg.wasm" "$DIST/catalogue.json"
}

serve() {
  build
  local port="${PORT:-8080}"
  say "serving the demo storefront"
  exec node tools/serve.mjs --port "$port" --host 127.0.0.1 "$@"
}

check_catalogues() {
  cargo run --quiet --release --bin cookiegate -- check "$@"
}

# Runs one suite, recording its outcome; never stops the others.
passed=0; failed=0; failures=()
suite() {
  local name="$1"; shift
  say "suite: $name"
  if "$@"; then
    passed=$((passed + 1)); echo "suite $name: ok"
  else
    failed=$((failed + 1)); failures+=("$name"); echo "suite $name: FAILED"
  fi
}

test_all() {
  need_rust
  need_wasm_bindgen
  need_node
  need_chromium
  export CHROMEDRIVER=/usr/bin/chromedriver
  suite "cargo fmt --check" cargo fmt --all -- --check
  suite "clippy (native)" cargo clippy --all-targets -- -D warnings
  suite "clippy (wasm32)" cargo clippy --target wasm32-unknown-unknown --lib --tests -- -D warnings
  suite "cargo test (native)" cargo test
  suite "wasm-bindgen-test (headless Chromium)" cargo test --target wasm32-unknown-unknown
  suite "cookiegate check policies/" check_catalogues policies/storefront.json policies/storefront-2016.json
  suite "build dist/" build
  suite "end-to-end (node --test, playwright-core)" node --test --test-concurrency=1 tests/e2e/
  echo
  if [ "$failed" -gt 0 ]; then echo "failed suites: ${failures[*]}"; fi
  echo "summary: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}

TWIGGY_VERSION="0.8.0"
need_twiggy() {
  if [ "$("$TOOLS/bin/twiggy" --version 2>/dev/null)" != "twiggy-opt $TWIGGY_VERSION" ]; then
    say "installing twiggy $TWIGGY_VERSION into .tools/ (takes a minute once)"
    cargo install twiggy --version "$TWIGGY_VERSION" --locked --root "$TOOLS" --force
  fi
}

# Bytes, time to banner, main-thread cost and scale, side by side with
# vanilla-cookieconsent; also runs `cargo bench --bench catalogue_scale` and
# twiggy. Options go to benches/run.mjs (--loads N, --quick, --dist DIR, ...).
bench() {
  build
  need_chromium
  need_twiggy
  node benches/run.mjs "$@"
  # What holding what tags inject costs (bootstrap bytes, main-thread time).
  node benches/intercept.mjs
}

# Coverage-guided fuzzing of both parsers, FUZZ_SECONDS (60) per target on
# one job. New inputs go to fuzz/target/corpus/<target> (git-ignored); the
# committed seeds in fuzz/corpus/<target> are read only. Crashes land in
# fuzz/artifacts/<target>/: turn each into a test in tests/regressions.rs.
# The fuzz crate is its own workspace with its own target dir (fuzz/target).
fuzz() {
  need_rust
  if ! rustup toolchain list | grep -q '^nightly'; then
    say "rustup toolchain install nightly (cargo fuzz needs it)"
    rustup toolchain install nightly --profile minimal
  fi
  if ! command -v cargo-fuzz >/dev/null 2>&1; then
    say "cargo install cargo-fuzz into .tools/"
    cargo install cargo-fuzz --root "$TOOLS"
  fi
  local secs="${FUZZ_SECONDS:-60}" status=0 summary=() target log
  for target in catalogue record; do
    say "fuzzing $target for ${secs}s"
    mkdir -p "fuzz/target/corpus/$target"
    log="fuzz/target/fuzz-$target.log"
    if env -u CARGO_TARGET_DIR cargo +nightly fuzz run --fuzz-dir fuzz "$target" \
      "fuzz/target/corpus/$target" "fuzz/corpus/$target" -- \
      -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
      -dict=fuzz/catalogue.dict -print_final_stats=1 2>&1 | tee "$log"; then
      :
    else
      status=1
    fi
    # libFuzzer's last status line ("#N ... cov: C ft: F corp: ...") and its
    # final execution count.
    summary+=("$target: $(grep -E '^#[0-9]+' "$log" | tail -1 | tr -s ' ')")
    summary+=("$target: $(grep -E '^stat::number_of_executed_units' "$log" | tail -1)")
    if ls "fuzz/artifacts/$target"/crash-* >/dev/null 2>&1; then
      summary+=("$target: CRASHES in fuzz/artifacts/$target/")
      status=1
    fi
  done
  echo
  say "fuzz summary"
  printf '%s\n' "${summary[@]}"
  return "$status"
}

cmd="${1:-build}"
[ $# -gt 0 ] && shift
case "$cmd" in
  build) build ;;
  serve) serve "$@" ;;
  test) test_all ;;
  bench) bench "$@" ;;
  fuzz) fuzz ;;
  check) need_rust; check_catalogues "$@" ;;
  -h|--help|help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' ;;
  *) echo "unknown command: $cmd (try ./build.sh help)" >&2; exit 2 ;;
esac
