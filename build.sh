#!/usr/bin/env bash
# cookiegate build script. Every subcommand installs what it needs when it is
# missing (idempotent: installed things are detected and skipped).
#
#   ./build.sh [build] [CATALOGUE]
#                        release wasm -> wasm-bindgen -> wasm-opt -> short import/export
#                        names (tools/short-names.mjs), terser -> dist/, sizes;
#                        ships CATALOGUE (default policies/storefront.json; or
#                        CATALOGUE=path) through `cookiegate bundle`
#   ./build.sh serve     build, then serve the demo storefront on 127.0.0.1:8080
#   ./build.sh package   build, then npm pack dist/ + package.json and TypeScript types into target/
#   ./build.sh test      every suite; ends with "summary: N passed, N failed"
#   ./build.sh bench     size and speed against vanilla-cookieconsent; interception cost
#   ./build.sh bench records  records/s and latency of the consent-record service
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

# PostgreSQL 15 for the records suites and bench: Debian's package when
# missing; a throw-away cluster in a temp directory on a spare port, run as
# the `postgres` user when we are root. Its URL goes to the tests in
# COOKIEGATE_TEST_POSTGRES; stop_test_postgres (also from a trap) removes it.
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_DIR=""
need_postgres() {
  if [ ! -x "$PG_BIN/initdb" ] || [ ! -x "$PG_BIN/pg_ctl" ]; then
    apt_install postgresql-15
  fi
}
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
start_test_postgres() {
  need_postgres
  PG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/cookiegate-pg.XXXXXX")"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$PG_DIR"; fi
  as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust --no-sync >"$PG_DIR/initdb.log" 2>&1 || {
    cat "$PG_DIR/initdb.log" >&2; return 1; }
  local port
  for port in $(seq 55432 55472); do
    if as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 30 \
      -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null 2>&1; then
      export COOKIEGATE_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/postgres"
      say "throw-away PostgreSQL on 127.0.0.1:$port ($PG_DIR)"
      return 0
    fi
  done
  echo "could not start PostgreSQL; its log:" >&2
  cat "$PG_DIR/server.log" >&2 || true
  return 1
}
stop_test_postgres() {
  if [ -n "$PG_DIR" ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
    PG_DIR=""
  fi
}

# Prints raw, gzip -9 and brotli -q 11 sizes of the given files.
print_sizes() { node "$ROOT/tools/sizes.mjs" "$@"; }

build() {
  need_rust
  need_wasm_bindgen
  need_node
  say "cargo build --release (wasm32, pinned nightly with panic=immediate-abort: tools/build-wasm.sh)"
  tools/build-wasm.sh
  local tmp="$DIST.tmp"
  rm -rf "$tmp" && mkdir -p "$tmp"
  "$TOOLS/bin/wasm-bindgen" --target web --no-typescript --out-dir "$tmp" \
    --out-name cookiegate_core "$TARGET_DIR/wasm32-unknown-unknown/release/cookiegate.wasm"
  say "wasm-opt -Oz (npm binaryen)"
  # --converge: repeat -Oz while it still shrinks. --low-memory-unused: the
  # linker puts the 1 MiB stack first, so the lowest KiB is only ever its
  # deepest end, which nothing here comes near; binaryen may then fold
  # constant offsets into loads (docs/catalogue-wasm-bytes.md).
  node_modules/.bin/wasm-opt -Oz --converge --low-memory-unused "${WASM_OPT_FLAGS[@]}" --strip-debug --strip-producers \
    "$tmp/cookiegate_core_bg.wasm" -o "$tmp/cookiegate_core_bg.wasm"
  # The imports' and exports' long names (`__wbg_<method>_<hash>`), spelled in
  # both the .wasm and the glue, become one or two letters in both.
  node tools/short-names.mjs "$tmp/cookiegate_core_bg.wasm" "$tmp/cookiegate_core.js"
  # Minified with the pinned terser: local names only (the glue's import keys
  # match the wasm's). Source maps stay in target/unminified/ with the
  # sources: dist/ holds only what visitors load.
  local src="$TARGET_DIR/unminified"
  mkdir -p "$src"
  cp www/cookiegate.js "$src/cookiegate.src.js"
  # The UI's stylesheet, minified, into the bootstrap (it makes the one sheet
  # the early banner, the module's UI and the placeholders adopt).
  node tools/stylesheet.mjs src/web/ui/ui.css "$src/cookiegate.src.js"
  mv "$tmp/cookiegate_core.js" "$src/cookiegate_core.src.js"
  say "terser: cookiegate.js, cookiegate_core.js (npm, pinned)"
  node tools/minify.mjs "$src/cookiegate.src.js" "$tmp/cookiegate.js" --map="$src/cookiegate.js.map"
  node tools/minify.mjs "$src/cookiegate_core.src.js" "$tmp/cookiegate_core.js" --module --map="$src/cookiegate_core.js.map"
  local catalogue="${1:-${CATALOGUE:-policies/storefront.json}}"
  say "cookiegate bundle $catalogue (checks it, writes catalogue.json and one per language)"
  cargo run --quiet --profile tool --bin cookiegate -- bundle "$catalogue" --out "$tmp"
  rm -rf "$DIST" && mv "$tmp" "$DIST"
  say "$DIST (raw, gzip -9, brotli -q 11)"
  print_sizes "$DIST/cookiegate.js" "$DIST/cookiegate_core.js" "$DIST/cookiegate_core_bg.wasm" "$DIST/catalogue.json"
  say "bootstrap and glue before terser (raw, gzip -9, brotli -q 11)"
  print_sizes "$src/cookiegate.src.js" "$src/cookiegate_core.src.js"
  say "runtime catalogues, one language each (what a visitor needs of catalogue.json)"
  print_sizes "$DIST"/catalogue.*.json
}

serve() {
  build
  local port="${PORT:-8080}" records_port="${RECORDS_PORT:-8787}"
  # The consent-record service next to the storefront (SQLite in target/),
  # reached by the demo page through the same-origin /consent proxy.
  local token="${COOKIEGATE_RECORDS_TOKEN:-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')}"
  mkdir -p "$TARGET_DIR/demo"
  COOKIEGATE_RECORDS_TOKEN="$token" "$TARGET_DIR/tool/cookiegate" records serve \
    --listen "127.0.0.1:$records_port" --database "sqlite:$TARGET_DIR/demo/records.sqlite3" \
    --catalogue policies/storefront.json --client-ip-header x-forwarded-for &
  local records_pid=$!
  trap "kill $records_pid 2>/dev/null || true" EXIT
  say "consent records: report at http://127.0.0.1:$records_port/report (any user name; password $token)"
  say "serving the demo storefront"
  node tools/serve.mjs --port "$port" --host 127.0.0.1 --records "http://127.0.0.1:$records_port" "$@"
}

package() {
  build
  # The package is dist/ plus package.json, cookiegate.d.ts and its README,
  # staged in target/package/ so dist/ stays what a shop serves.
  local stage="$TARGET_DIR/package"
  rm -rf "$stage" && mkdir -p "$stage"
  cp "$DIST"/* "$stage"/
  node tools/package.mjs "$stage"
  say "npm pack $stage into $TARGET_DIR"
  npm pack "$stage" --pack-destination "$TARGET_DIR" --loglevel=error
}

check_catalogues() {
  cargo run --quiet --profile tool --bin cookiegate -- check "$@"
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
  # The records suites run on SQLite and on this throw-away PostgreSQL
  # (also inside `cargo test`); it is stopped however the run ends.
  trap stop_test_postgres EXIT
  suite "throw-away PostgreSQL cluster" start_test_postgres
  suite "cargo fmt --check" cargo fmt --all -- --check
  suite "clippy (native)" cargo clippy --all-targets -- -D warnings
  suite "clippy (wasm32)" cargo clippy --target wasm32-unknown-unknown --lib --tests -- -D warnings
  suite "cargo test (native)" cargo test
  suite "records service (SQLite + PostgreSQL, kill -9 durability)" \
    cargo test --test records --test records_durability
  suite "wasm-bindgen-test (headless Chromium)" cargo test --target wasm32-unknown-unknown
  suite "cookiegate check policies/" check_catalogues policies/storefront.json policies/storefront-2016.json policies/starter.json
  suite "JSON Schema under Ajv strict mode (node --test)" node --test tests/schema/
  suite "build dist/" build
  # cookiegate scan in real Chromium against the demo and www/scan-fixtures/ (needs dist/).
  suite "cookiegate scan (real Chromium)" env COOKIEGATE_DIST="$DIST" cargo test --test scan_browser -- --test-threads=2
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

# Bytes, time to banner (from memory, 4G and Lighthouse mobile models),
# returning visitors, main-thread cost, Lighthouse scores and scale, side by
# side with vanilla-cookieconsent; also runs `cargo bench --bench
# catalogue_scale` and twiggy (before/after a saved baseline). Options go to
# benches/run.mjs (--quick, --loads N, --dist DIR, --twiggy-baseline F, ...).
bench() {
  if [ "${1:-}" = records ]; then
    shift
    bench_records "$@"
    return
  fi
  build
  need_chromium
  need_twiggy
  node benches/run.mjs "$@"
  # What holding what tags inject costs (bootstrap bytes, main-thread time).
  node benches/intercept.mjs
  # What the pure core alone weighs in the wasm, beside the shipped files.
  node benches/core-floor.mjs --out benches/results/core-floor.md
}

# The consent-record service under load: 100,000 records from 64 clients on
# SQLite and on a throw-away PostgreSQL (benches/records_load.rs prints the
# figures; benches/results-records.md keeps them).
# c15t's backend (benches/c15t/, npm @c15t/backend on better-sqlite3) gets
# the same load when its packages install; if not, the bench says so.
bench_records() {
  need_rust
  need_node
  C15T_DIR="$(mktemp -d "${TMPDIR:-/tmp}/cookiegate-c15t.XXXXXX")"
  C15T_PID=""
  trap 'stop_test_postgres; if [ -n "$C15T_PID" ]; then kill "$C15T_PID" 2>/dev/null || true; fi; rm -rf "$C15T_DIR"' EXIT
  start_test_postgres
  if [ -d benches/c15t/node_modules ] || (cd benches/c15t && npm install --no-audit --no-fund --loglevel=error); then
    node benches/c15t/server.mjs 8788 "$C15T_DIR/c15t.sqlite3" > "$C15T_DIR/server.log" 2>&1 &
    C15T_PID=$!
    local i
    for i in $(seq 1 50); do
      if grep -q listening "$C15T_DIR/server.log"; then export COOKIEGATE_BENCH_C15T=http://127.0.0.1:8788; break; fi
      sleep 0.2
    done
    [ -n "${COOKIEGATE_BENCH_C15T:-}" ] || { echo "c15t backend did not start:" >&2; cat "$C15T_DIR/server.log" >&2; }
  else
    echo "c15t backend: npm install in benches/c15t failed; comparing without it" >&2
  fi
  cargo bench --bench records_load -- "$@"
}

# Coverage-guided fuzzing of both parsers and the records request path
# (`request`), FUZZ_SECONDS (60) per target on
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
  for target in catalogue record request; do
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
  build) build "$@" ;;
  serve) serve "$@" ;;
  package) package ;;
  test) test_all ;;
  bench) bench "$@" ;;
  fuzz) fuzz ;;
  check) need_rust; check_catalogues "$@" ;;
  -h|--help|help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' ;;
  *) echo "unknown command: $cmd (try ./build.sh help)" >&2; exit 2 ;;
esac
