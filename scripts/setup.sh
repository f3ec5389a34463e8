#!/usr/bin/env bash
# One-time (idempotent) setup of a fresh machine: the Rust wasm toolchain, pnpm and the npm packages.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-toolchain.sh
PNPM_VERSION=10.34.8
if [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
  echo "[setup] installing pnpm $PNPM_VERSION" >&2
  npm install --global "pnpm@$PNPM_VERSION" >&2
fi
pnpm install --frozen-lockfile >&2
# The real safetensors package (and numpy) reads the files gradstep writes in
# test/python-safetensors.test.ts; small wheels, pinned.
if ! python3 -c 'import safetensors, numpy' 2>/dev/null; then
  echo "[setup] installing safetensors and numpy for Python" >&2
  python3 -m pip install --quiet 'safetensors==0.8.0' 'numpy==2.4.6' >&2
fi
# Debian's Chromium for the browser tests (never a downloaded browser).
bash scripts/setup-browser.sh
