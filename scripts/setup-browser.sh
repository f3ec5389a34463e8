#!/usr/bin/env bash
# Installs Debian's Chromium (and its driver) for the browser tests in test/browser/, when missing.
# Idempotent. The tests drive /usr/bin/chromium with playwright-core; no browser is ever downloaded
# by Playwright (no `playwright install`): the machines reach Debian's archive, not browser CDNs.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
echo "[setup-browser] installing chromium and chromium-driver with apt" >&2
$SUDO apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium chromium-driver >&2
chromium --version >&2
