#!/usr/bin/env bash
# Make sure the browser tests can run: Debian's Chromium (Playwright drives it; its own browser
# download does not work offline) and axe-core from npm in a gitignored folder.
# Exit 0 when both are there, 1 otherwise (the e2e tests then skip, or fail when
# PODIUM_REQUIRE_BROWSER=1).
set -u
cd "$(dirname "$0")/.."
E2E_NODE_DIR=${PODIUM_E2E_NODE_DIR:-.cache/e2e}
AXE_VERSION=${PODIUM_AXE_VERSION:-4.10.3}
status=0

if [ ! -x /usr/bin/chromium ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "installing Debian's chromium and chromium-driver" >&2
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -qq && apt-get install -y -qq --no-install-recommends \
        chromium chromium-driver fonts-dejavu-core >&2; } || true
  fi
  if [ ! -x /usr/bin/chromium ]; then
    echo "chromium is missing: install the Debian packages chromium and chromium-driver" >&2
    status=1
  fi
fi

axe="$E2E_NODE_DIR/node_modules/axe-core/axe.min.js"
if [ ! -f "$axe" ]; then
  if command -v npm >/dev/null 2>&1; then
    echo "installing axe-core $AXE_VERSION into $E2E_NODE_DIR" >&2
    mkdir -p "$E2E_NODE_DIR"
    npm install --silent --no-audit --no-fund --no-save --prefix "$E2E_NODE_DIR" \
      "axe-core@$AXE_VERSION" >&2 || true
  fi
  if [ ! -f "$axe" ]; then
    echo "axe-core is missing: run npm install --prefix $E2E_NODE_DIR axe-core" >&2
    status=1
  fi
fi

if [ "$status" = 0 ]; then
  echo "browser tests ready: $(/usr/bin/chromium --version 2>/dev/null), axe-core $(node -p "require('./$E2E_NODE_DIR/node_modules/axe-core/package.json').version" 2>/dev/null)" >&2
fi
exit "$status"
