#!/usr/bin/env bash
# The HTML report (src/PerfRegression.Core/Output/Html) embeds uPlot, a small MIT-licensed chart library, so that a
# report opens with no network. This script re-vendors it from the npm registry at the pinned version and prints the
# files' SHA-256, to review with git diff. Usage: eng/update-uplot.sh [version]
set -euo pipefail
version=${1:-1.6.32}
target="$(dirname "$0")/../src/PerfRegression.Core/Output/Html/Vendor"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "uplot@$version" >/dev/null && tar xzf uplot-*.tgz)
license=$(node -p "require('$work/package/package.json').license")
if [ "$license" != "MIT" ]; then
  echo "uplot@$version declares the licence '$license', not MIT: review it before embedding it in the report." >&2
  exit 1
fi
cp "$work/package/dist/uPlot.iife.min.js" "$work/package/dist/uPlot.min.css" "$target/"
cp "$work/package/LICENSE" "$target/uPlot.LICENSE.txt"
sha256sum "$target"/uPlot.*
