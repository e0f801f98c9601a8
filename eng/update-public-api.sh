#!/usr/bin/env bash
# Brings each src/ project's PublicAPI.Unshipped.txt up to date with its public surface: builds, adds every
# symbol the analyzer reports as new (RS0016) and removes every one it reports as gone (RS0017). Review the
# diff: it is the change to the library's public API.
#   eng/update-public-api.sh            every project under src/
#   eng/update-public-api.sh src/X      one project
set -euo pipefail
cd "$(dirname "$0")/.."
projects=("$@")
[ ${#projects[@]} -gt 0 ] || projects=(src/*/)
for dir in "${projects[@]}"; do
  dir=${dir%/}
  csproj=$(ls "$dir"/*.csproj)
  unshipped="$dir/PublicAPI.Unshipped.txt"
  [ -f "$unshipped" ] || printf '#nullable enable\n' > "$unshipped"
  [ -f "$dir/PublicAPI.Shipped.txt" ] || printf '#nullable enable\n' > "$dir/PublicAPI.Shipped.txt"
  log=$(dotnet build "$csproj" --no-incremental -p:TreatWarningsAsErrors=false 2>&1 || true)
  added=$(printf '%s\n' "$log" | grep -oP "RS0016: Symbol '\K.*(?=' is not part of the declared public API)" | sort -u || true)
  removed=$(printf '%s\n' "$log" | grep -oP "RS0017: Symbol '\K.*(?=' is part of the declared API, but is either not public or could not be found)" | sort -u || true)
  {
    head -n 1 "$unshipped"
    { tail -n +2 "$unshipped" | grep -vxF -f <(printf '%s\n' "$removed") || true; printf '%s\n' "$added"; } | grep -v '^$' | LC_ALL=C sort -u
  } > "$unshipped.new"
  mv "$unshipped.new" "$unshipped"
  echo "$dir: $(printf '%s\n' "$added" | grep -c . || true) added, $(printf '%s\n' "$removed" | grep -c . || true) removed"
done
