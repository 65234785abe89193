#!/usr/bin/env bash
# Renders the run report of the sample's last day and screenshots it with headless Chromium
# (Debian: apt-get install -y chromium). Usage: docs/screenshot-report.sh [DATE] [OUT.png]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
date="${1:-2026-03-04}"
out="${2:-$here/docs/report-$date.png}"
cd "$here"
command -v chromium >/dev/null || { echo "chromium not found: apt-get update && apt-get install -y chromium" >&2; exit 2; }
./tally demo >/dev/null 2>&1 || { echo "./tally demo failed" >&2; exit 1; }
report="$(./tally report --date "$date" --home .tally/demo | sed -n 's/.*"report" : "\(.*\)".*/\1/p')"
chromium --headless --no-sandbox --disable-gpu --disable-background-networking --no-first-run \
  --hide-scrollbars --force-device-scale-factor=1 --window-size=1280,2100 \
  --screenshot="$out" "file://$report" 2>/dev/null
echo "$out"
