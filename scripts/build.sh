#!/usr/bin/env bash
# Builds the wasm (both variants, checked for SIMD) and the npm package (ESM + CJS + .d.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build-wasm.sh
pnpm --silent -C packages/gradstep build >/dev/null
echo "built packages/gradstep/dist"
