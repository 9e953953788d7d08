#!/usr/bin/env bash
# Make sure the CSV export tests can open the exports in a real spreadsheet: Debian's
# LibreOffice Calc, run headless (package libreoffice-calc; no Java needed).
# Exit 0 when `soffice` is there, 1 otherwise (the spreadsheet tests then skip, or fail when
# PODIUM_REQUIRE_LIBREOFFICE=1).
set -u

if ! command -v soffice >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "installing Debian's libreoffice-calc" >&2
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -qq && apt-get install -y -qq --no-install-recommends \
        libreoffice-calc >&2; } || true
  fi
  if ! command -v soffice >/dev/null 2>&1; then
    echo "LibreOffice is missing: install the Debian package libreoffice-calc" >&2
    exit 1
  fi
fi
echo "spreadsheet tests ready: $(soffice --version 2>/dev/null | head -n 1)" >&2
exit 0
