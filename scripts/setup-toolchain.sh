#!/usr/bin/env bash
# Installs what building gradstep's wasm needs, idempotently: quick when everything is already there.
#   - a Rust compiler whose sysroot has the wasm32-unknown-unknown std (rustup's if it has one; otherwise
#     Debian's rustc-web, with a std we build once from Debian's library source: see HACKING.md),
#   - lld (rustc links wasm with rust-lld),
#   - wasm-bindgen-cli at exactly the version of the wasm-bindgen crate in Cargo.lock, and wasm-pack.
# It prints nothing on stdout but the final summary, so other scripts can call it freely.
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_PACK_VERSION=0.15.1
log() { echo "[setup-toolchain] $*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

has_wasm_std() { # $1 = path to a rustc
  local sysroot
  sysroot="$("$1" --print sysroot 2>/dev/null)" || return 1
  compgen -G "$sysroot/lib/rustlib/wasm32-unknown-unknown/lib/libstd-*.rlib" >/dev/null
}

apt_install_missing() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    as_root apt-get update -q >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2
  fi
}

# Builds std for wasm32 from Debian's library source and installs it into /usr's sysroot.
# rustup cannot fetch the wasm32 target on our machines (its download host is unreachable).
build_debian_wasm_sysroot() {
  local version src scratch
  version="$(/usr/bin/rustc --version | awk '{print $2}')"
  src="/usr/src/rustc-$version/library"
  [ -d "$src/vendor" ] || { log "missing $src (package rust-web-src)"; exit 1; }
  scratch="$(mktemp -d)"
  log "building the wasm32 std from $src (once; a few minutes)"
  mkdir -p "$scratch/src" "$scratch/.cargo"
  cat >"$scratch/Cargo.toml" <<TOML
[package]
name = "wasm-sysroot-scratch"
version = "0.0.0"
edition = "2021"
[lib]
path = "src/lib.rs"
TOML
  echo '#![no_std]' >"$scratch/src/lib.rs"
  cat >"$scratch/.cargo/config.toml" <<TOML
[source.crates-io]
replace-with = "vendored"
[source.vendored]
directory = "$src/vendor"
TOML
  # -Cembed-bitcode=yes: without it our `lto = true` release build fails with
  # "failed to get bitcode from object file for LTO".
  (cd "$scratch" && RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 RUSTFLAGS="-Cembed-bitcode=yes" \
    /usr/bin/cargo build --release --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort --offline >&2)
  as_root mkdir -p /usr/lib/rustlib/wasm32-unknown-unknown/lib
  find "$scratch/target/wasm32-unknown-unknown/release/deps" -name '*.rlib' ! -name 'libwasm_sysroot_scratch-*' \
    -exec cp {} /usr/lib/rustlib/wasm32-unknown-unknown/lib/ \;
  rm -rf "$scratch"
}

# 1. A rustc that can build wasm32.
if command -v rustc >/dev/null && has_wasm_std "$(command -v rustc)"; then
  WASM_RUST_BIN="$(dirname "$(command -v rustc)")"
else
  apt_install_missing rustc-web cargo-web rust-web-src lld-22
  has_wasm_std /usr/bin/rustc || build_debian_wasm_sysroot
  WASM_RUST_BIN=/usr/bin
fi

# wabt's wasm-objdump: scripts/check-simd.sh reads the disassembly of the builds.
command -v wasm-objdump >/dev/null || apt_install_missing wabt

# 2. Native cargo for cargo test and cargo install (rustup's stable, or Debian's if there is no other).
command -v cargo >/dev/null || apt_install_missing rustc-web cargo-web
export PATH="$HOME/.cargo/bin:$PATH"

# 3. wasm-bindgen-cli, exactly the crate's version (the CLI refuses to process a module of another version).
BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/"/, "", $3); print $3}' Cargo.lock)"
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$BINDGEN_VERSION" ]; then
  log "installing wasm-bindgen-cli $BINDGEN_VERSION (built from source; a few minutes)"
  # No --locked: the registry mirror here lacks some exact versions of the CLI's lockfile.
  cargo install wasm-bindgen-cli --version "=$BINDGEN_VERSION" --force >&2
fi
if [ "$(wasm-pack --version 2>/dev/null | awk '{print $2}')" != "$WASM_PACK_VERSION" ]; then
  log "installing wasm-pack $WASM_PACK_VERSION (built from source; a few minutes)"
  cargo install wasm-pack --version "=$WASM_PACK_VERSION" --force >&2
fi

mkdir -p target
echo "WASM_RUST_BIN=$WASM_RUST_BIN" >target/toolchain.env
echo "wasm toolchain: rustc $("$WASM_RUST_BIN/rustc" --version | awk '{print $2}') from $WASM_RUST_BIN, wasm-bindgen $BINDGEN_VERSION, wasm-pack $WASM_PACK_VERSION"
