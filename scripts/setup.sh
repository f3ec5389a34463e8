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
# Debian's Chromium for the browser tests (never a downloaded browser).
bash scripts/setup-browser.sh
