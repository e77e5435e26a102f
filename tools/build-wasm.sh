#!/usr/bin/env bash
# Builds the release wasm (target/wasm32-unknown-unknown/release/cookiegate.wasm)
# the one way build.sh and the bench's twiggy profile both use.
#
# A pinned nightly rebuilds std with panic=immediate-abort: a panic traps at
# once instead of formatting a message no one sees (wasm32-unknown-unknown has
# no stderr), so the panic hook, `core::fmt` and every panic location leave
# the module (docs/catalogue-wasm-bytes.md has the bytes). The native tool and
# every test still build with the stable toolchain. Legacy symbol mangling, as
# on stable: the nightly's v0 names would lengthen the closure exports that
# the glue spells out. -Zlocation-detail=none drops the file:line:column
# records (and the source paths) that `#[track_caller]` code still embeds:
# with immediate-abort nothing ever reads them.
set -euo pipefail
WASM_TOOLCHAIN="nightly-2026-05-20"

if ! rustup run "$WASM_TOOLCHAIN" rustc --version >/dev/null 2>&1 ||
  ! rustup component list --toolchain "$WASM_TOOLCHAIN" --installed 2>/dev/null | grep -q '^rust-src' ||
  ! rustup target list --toolchain "$WASM_TOOLCHAIN" --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  printf '\033[1m==> %s\033[0m\n' "rustup toolchain install $WASM_TOOLCHAIN (rust-src, wasm32) for the wasm build"
  rustup toolchain install "$WASM_TOOLCHAIN" --profile minimal --component rust-src --target wasm32-unknown-unknown
fi

# WASM_CFG=name adds `--cfg name` (benches/core-floor.mjs: the core alone).
RUSTFLAGS_LIST='"-Zunstable-options","-Csymbol-mangling-version=legacy","-Zlocation-detail=none"'
if [ -n "${WASM_CFG:-}" ]; then
  [[ "$WASM_CFG" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || { echo "build-wasm.sh: WASM_CFG must be a bare cfg name, not '$WASM_CFG'" >&2; exit 2; }
  RUSTFLAGS_LIST="$RUSTFLAGS_LIST,\"--cfg\",\"$WASM_CFG\""
fi

exec cargo "+$WASM_TOOLCHAIN" build --release --target wasm32-unknown-unknown --lib \
  -Zbuild-std=std,panic_abort -Zpanic-immediate-abort \
  --config 'profile.release.panic="immediate-abort"' \
  --config "target.wasm32-unknown-unknown.rustflags=[$RUSTFLAGS_LIST]" "$@"
