#!/usr/bin/env bash
# Accepts proposed baselines: moves every baselines/**/X.received.json over baselines/**/X.json.
# Review them first (git diff after running this shows exactly what changes); commit the result.
# Usage: eng/accept-baselines.sh [baseline-dir]     (default: baselines/ at the repository root)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-${PERF_BASELINE_DIR:-$root/baselines}}
if [ ! -d "$dir" ]; then
  echo "No baseline folder at $dir, so there is nothing to accept. Pass the folder that holds the baselines, or set PERF_BASELINE_DIR." >&2
  exit 2
fi
count=0
while IFS= read -r -d '' received; do
  target="${received%.received.json}.json"
  mv -f -- "$received" "$target"
  echo "accepted: ${target#$root/}"
  count=$((count + 1))
done < <(find "$dir" -name '*.received.json' -print0)
echo "$count baseline(s) accepted."
