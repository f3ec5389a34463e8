#!/usr/bin/env bash
# Every test: the kernels natively (cargo test), then the package on both backends (vitest), after a
# fresh build of the wasm and the package.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
cargo test --quiet --workspace
bash scripts/build.sh
pnpm --silent -C packages/gradstep typecheck
pnpm exec vitest run
