#!/usr/bin/env bash
# Builds the bindings crate twice with wasm-pack into packages/gradstep/wasm/ (generated, not committed):
#   simd/    compiled with simd128: the f32x4 kernels (what every current browser and Node 20+ runs)
#   scalar/  compiled without: the fallback for runtimes without wasm SIMD (same bits, slower)
# Then checks that the simd build really contains f32x4 instructions and the scalar one none, and that
# both builds have the same glue JS (the package bundles one glue for both .wasm files).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/toolchain.env ] || bash scripts/setup-toolchain.sh >/dev/null
# shellcheck disable=SC1091
source target/toolchain.env
export PATH="$WASM_RUST_BIN:$HOME/.cargo/bin:$PATH"

build() { # $1 = variant, $2 = RUSTFLAGS
  CARGO_TARGET_DIR="$PWD/target/wasm-$1" RUSTFLAGS="$2" \
    wasm-pack --quiet build crates/gradstep-wasm --release --target web --no-pack \
    --out-dir "../../packages/gradstep/wasm/$1" --out-name gradstep_wasm
}
build simd "-C target-feature=+simd128"
build scalar ""
bash scripts/check-simd.sh packages/gradstep/wasm/simd/gradstep_wasm_bg.wasm packages/gradstep/wasm/scalar/gradstep_wasm_bg.wasm
for glue in gradstep_wasm.js gradstep_wasm.d.ts; do
  if ! cmp -s "packages/gradstep/wasm/simd/$glue" "packages/gradstep/wasm/scalar/$glue"; then
    echo "build-wasm: the simd and scalar builds have different $glue; the package cannot share one glue:" >&2
    diff "packages/gradstep/wasm/simd/$glue" "packages/gradstep/wasm/scalar/$glue" >&2 || true
    exit 1
  fi
done
