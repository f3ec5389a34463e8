#!/usr/bin/env bash
# Every test: the Rust discipline (fmt, clippy, SAFETY comments), the kernels natively (cargo test),
# then the package on both backends (vitest, which also checks the kernel ABI of the built module
# against the package's), after a fresh build of the wasm and the package, its typecheck and the API
# reference (which fails on an undocumented public name).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
bash scripts/check-rust.sh
cargo test --quiet --workspace
bash scripts/build.sh
pnpm --silent -C packages/gradstep typecheck
pnpm --silent docs --logLevel Warn
pnpm exec vitest run
